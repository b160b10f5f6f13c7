"""``edi-workbook rag`` and ``edi-workbook deadlines``: formats, options, write-back, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from edi_workbook import reference
from edi_workbook.cli import cli, main
from edi_workbook.errors import EXIT_UNREADABLE, EXIT_USAGE

AS_OF = "2025-03-13"
HEADERS = ["Ref", "What we will do", "Lead", "HIA", "Deadline", "Status", "Progress", "RAG"]
ROWS = [
    ["A1", "Publish the pay gap report", "HR director", "HIA 3", dt.datetime(2025, 3, 1), "On track", 0.5],
    ["A2", "Board EDI objectives agreed", "Chair", "HIA 1", dt.datetime(2025, 12, 31), "Done", 1],
    ["-A3", "=cmd|' /C calc'!A0", "Chief people officer", "HIA 2", "TBC", "Not started", None],
    ["A4", "Reverse mentoring pilot", "EDI lead", "HIA 2", dt.datetime(2025, 3, 22), "In progress", 0.2],
]


def _foreign(path: Path, headers: list[str] = HEADERS) -> Path:
    """A plan in someone else's layout: no table, no formulas, a title row above the header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "EDI plan 2025"
    ws.append(["Trust EDI action plan"])
    ws.append(headers)
    for row in ROWS:
        ws.append(row[: len(headers)])
    wb.save(path)
    return path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    return (result.return_value or 0), result.output


def test_json_has_the_documented_shape(tmp_path):
    code, out = _run("rag", str(_foreign(tmp_path / "p.xlsx")), "--as-of", AS_OF, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert list(data) == ["as_of", "settings", "actions", "totals"]
    got = [(a["action_id"], a["rag"], a["days_to_due"]) for a in data["actions"]]
    assert got == [("A1", "Red", -12), ("A2", "Blue", 293), ("-A3", "Grey", None), ("A4", "Amber", 9)]
    assert data["totals"] == {"Blue": 1, "Green": 0, "Amber": 1, "Red": 1, "Grey": 1}


def test_text_is_plain_when_piped_and_lists_every_action(tmp_path):
    code, out = _run("rag", str(_foreign(tmp_path / "p.xlsx")), "--as-of", AS_OF)
    assert code == 0
    assert "\x1b[" not in out
    lines = out.splitlines()
    assert [ln.split()[0] for ln in lines[2:6]] == ["A1", "A2", "-A3", "A4"]
    assert [ln.split()[1] for ln in lines[2:6]] == ["Red", "Blue", "Grey", "Amber"]
    assert "overdue by 12 days" in lines[2]
    assert lines[6].startswith("Totals:")
    assert "* due on a weekend" in out  # 1 March 2025 and 22 March 2025 were Saturdays


def test_text_is_coloured_on_a_terminal(tmp_path):
    path = _foreign(tmp_path / "p.xlsx")
    result = CliRunner().invoke(cli, ["rag", str(path), "--as-of", AS_OF], color=True)
    red = reference.load().rag("Red").fill
    rgb = ";".join(str(int(red[i : i + 2], 16)) for i in (0, 2, 4))
    assert f"48;2;{rgb}m" in result.output


def test_csv_neutralises_formula_text_and_counts_working_days(tmp_path):
    path = _foreign(tmp_path / "p.xlsx")
    code, out = _run("rag", str(path), "--as-of", AS_OF, "--format", "csv", "--working-days")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [(r["action_id"], r["rag"], r["days_to_due"], r["working_days_to_due"]) for r in rows] == [
        ("A1", "Red", "-12", "-9"),
        ("A2", "Blue", "293", "202"),  # 7 bank holidays from 14 March to 31 December
        ("'-A3", "Grey", "", ""),  # text that could start a formula is quoted
        ("A4", "Amber", "9", "6"),
    ]
    assert rows[3]["reason"] == "due in 6 working days"
    assert rows[0]["due_on_non_working_day"] == "yes"


def test_settings_options_override_the_workbook(tmp_path):
    path = _foreign(tmp_path / "p.xlsx")
    _, out = _run("rag", str(path), "--as-of", AS_OF, "--format", "json", "--amber-days", "5")
    data = json.loads(out)
    assert data["settings"]["amber_days"] == 5
    assert data["actions"][3]["rag"] == "Green"  # due in 9 days, AmberDays 5
    _, out = _run("rag", str(path), "--as-of", "2025-03-01", "--format", "json", "--progress-tolerance", "0")
    assert json.loads(out)["settings"]["progress_tolerance"] == 0


def _cells(path: Path, column: str) -> list[tuple[object, str | None]]:
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    out = []
    for r in range(3, 3 + len(ROWS)):
        c = ws[f"{column}{r}"]
        out.append((c.value, c.fill.fgColor.rgb[-6:] if c.fill.fill_type == "solid" else None))
    wb.close()
    return out


def test_write_back_fills_the_rag_column_with_template_colours(tmp_path):
    path = _foreign(tmp_path / "p.xlsx")
    code, _ = _run("rag", str(path), "--as-of", AS_OF, "--write-back")
    ref = reference.load()
    assert code == 0
    assert _cells(path, "H") == [(v, ref.rag(v).fill) for v in ("Red", "Blue", "Grey", "Amber")]
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws["I2"].value == ref.header_of("days_to_due")  # added right of the plan
    assert [ws[f"I{r}"].value for r in range(3, 7)] == [-12, 293, None, 9]
    assert ws["B5"].value == ROWS[2][1]  # everything else kept
    assert list(tmp_path.glob("p.backup-*.xlsx"))


def test_write_back_adds_a_rag_column_when_there_is_none(tmp_path):
    path = _foreign(tmp_path / "p.xlsx", HEADERS[:-1])
    code, _ = _run("rag", str(path), "--as-of", AS_OF, "--write-back")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert code == 0
    assert (ws["H2"].value, ws["I2"].value) == ("RAG", "Days to due")
    assert [v for v, _ in _cells(path, "H")] == ["Red", "Blue", "Grey", "Amber"]


def test_write_back_leaves_template_formulas_alone(tmp_path):
    from edi_workbook.template import new_workbook

    path = new_workbook(tmp_path / "t.xlsx", example=True)
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["rag", str(path), "--as-of", AS_OF, "--write-back"])
    assert result.exit_code == 0
    assert "nothing written" in result.output
    assert path.read_bytes() == before


def test_write_back_refuses_csv(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("Action ID,Action,Due date,Status\nA1,Do it,31/03/2025,In progress\n", encoding="utf-8")
    assert main(["rag", str(path), "--as-of", AS_OF, "--write-back"]) == EXIT_UNREADABLE


def test_unreadable_file_and_bad_date_give_one_line_and_an_exit_code(tmp_path, capsys):
    bad = tmp_path / "p.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    assert main(["rag", str(bad)]) == EXIT_UNREADABLE
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert main(["rag", str(bad), "--as-of", "31/03/2025"]) == EXIT_USAGE


def test_deadlines_json_and_text():
    code, out = _run("deadlines", "--as-of", "2024-03-01", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["as_of"] == "2024-03-01"
    hia = [d for d in data["deadlines"] if d["kind"] == "hia"]
    assert {d["id"] for d in hia} == {d.id for d in reference.load().national_deadlines} - {"4a"}  # passed
    first = {d["id"]: d for d in data["deadlines"]}["1a"]
    assert (first["status"], first["days"], first["date"]) == ("Due soon", 30, "2024-03-31")
    code, text = _run("deadlines", "--as-of", "2024-03-01")
    assert code == 0
    assert "1a: HIA 1:" in text
    assert "Due soon" in text
    assert "[Sunday: remind on 28/03/2024]" in text  # 31 March 2024 was a Sunday, 29 March Good Friday


@pytest.mark.parametrize("command", ["rag", "deadlines"])
def test_help(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "--as-of" in result.output
