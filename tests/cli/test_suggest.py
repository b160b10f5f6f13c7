"""``edi-workbook suggest``: arguments, --file (lines, plan CSV, workbook), text and JSON."""

from __future__ import annotations

import json

import pytest

from edi_workbook.cli import main
from edi_workbook.errors import EXIT_USAGE


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["suggest", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_a_list_in_input_order_with_the_issue_shape(capsys):
    code, out, _ = run(capsys, "--format", "json", "Close the gender pay gap", "Renew the printer contract")
    data = json.loads(out)
    assert code == 0
    assert [d["text"] for d in data] == ["Close the gender pay gap", "Renew the printer contract"]
    assert [(h["hia"], sorted(h)) for h in data[0]["hia"]] == [(3, ["evidence", "hia", "score"])]
    assert (data[1]["hia"], data[1]["psed"]) == ([], [])


def test_text_output_names_the_hia_and_the_evidence(capsys):
    code, out, _ = run(capsys, "Pastoral support for overseas nurses")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[:2] == ["HIA", "5"]
    assert "overseas" in lines[2].split("because:")[1]


def test_text_output_says_when_nothing_fits(capsys):
    _, out, _ = run(capsys, "Renew the printer contract")
    assert "nothing fits" in out


def test_file_with_one_text_per_line(tmp_path, capsys):
    f = tmp_path / "actions.txt"
    f.write_text("Tackle bullying\n\nClose the ethnicity pay gap\n", encoding="utf-8")
    _, out, _ = run(capsys, "--file", str(f), "--format", "json")
    assert [d["hia"][0]["hia"] for d in json.loads(out)] == [6, 3]


def test_file_that_is_a_plan_csv_uses_its_action_column(tmp_path, capsys):
    f = tmp_path / "plan.csv"
    f.write_text(
        "Ref,Action,Success measure,Owner\n"
        "1,Agree the actions,WRES indicator 2 below 1.25,HR\n"
        '2,"Tackle violence, aggression and abuse",,Security\n',
        encoding="utf-8",
    )
    _, out, _ = run(capsys, "--file", str(f), "--format", "json")
    data = json.loads(out)
    assert [d["text"] for d in data] == ["Agree the actions", "Tackle violence, aggression and abuse"]
    assert [d["hia"][0]["hia"] for d in data] == [2, 6]  # the success measure counts


def test_file_that_is_a_workbook(tmp_path, capsys):
    from edi_workbook.read import read_plan
    from edi_workbook.template import new_workbook

    wb = new_workbook(tmp_path / "plan.xlsx", example=True)
    n = int(read_plan(wb).frame["action"].notna().sum())
    _, out, _ = run(capsys, "--file", str(wb), "--format", "json")
    assert len(json.loads(out)) == n


@pytest.mark.parametrize("args", [(), ("--file", "/no/such/file.txt"), ("--format", "xml", "x")])
def test_misuse_is_one_line_and_exit_2(capsys, args):
    code, _, err = run(capsys, *args)
    assert code == EXIT_USAGE
    assert "Traceback" not in err
    assert err.strip()


def test_csv_that_is_not_a_plan_is_read_one_text_per_line(tmp_path, capsys):
    f = tmp_path / "lines.csv"
    f.write_text("Tackle bullying, harassment and violence\nUpdate the intranet\n", encoding="utf-8")
    _, out, _ = run(capsys, "--file", str(f), "--format", "json")
    data = json.loads(out)
    assert [(d["text"], [h["hia"] for h in d["hia"]]) for d in data] == [
        ("Tackle bullying, harassment and violence", [6]),
        ("Update the intranet", []),
    ]
