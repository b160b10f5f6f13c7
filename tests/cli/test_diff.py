"""``edi-workbook diff``: the person's summary first, json and csv, the Changes sheet written safely."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from edi_workbook.cli import main
from edi_workbook.template.ooxml import sheet_parts
from tests import returns


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return returns.write(tmp_path / "q2.xlsx", returns.q2()), returns.write(
        tmp_path / "q3.xlsx", returns.q3()
    )


def test_text_starts_with_the_summary_and_shows_the_text_match(pair, capsys):
    old, new = pair
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(
        f"{old} (as of 30/09/2026) -> {new} (as of 31/12/2026): 2 slipped, 2 completed, 1 new, 11 stalled"
    )
    assert out[1].startswith("  matched by text: EDI-09 -> EDI-9 (similarity 0.")
    assert "           due date: 31/03/2027 -> 30/06/2027 (slipped 91 days)" in out
    assert "           removed (it was complete)" in out
    assert "           removed (it was cancelled)" in out


def test_json_follows_the_contract(pair, capsys):
    old, new = pair
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["old"], data["new"]) == (str(old), str(new))
    assert data["summary"]["due_date"] == 3
    slip = next(c for c in data["changes"] if c["action_id"] == "EDI-02" and c["kind"] == "due_date")
    assert (slip["old"], slip["new"], slip["days"], slip["slips"]) == ("2027-03-31", "2027-06-30", 91, 1)


def test_csv_has_one_row_per_change(pair, capsys):
    old, new = pair
    assert main(["diff", str(old), str(new), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 45
    assert {r["kind"] for r in rows} >= {"added", "removed", "due_date", "stalled", "rag"}


def test_as_of_options_judge_each_return(pair, capsys):
    old, new = pair
    assert main(["diff", str(old), str(new), "--as-of", "2026-11-30", "--old-as-of", "2026-10-01"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert "(as of 01/10/2026)" in first
    assert "(as of 30/11/2026)" in first
    assert "stalled" not in first  # 60 days apart: less than a quarter


def test_period_dates_returns_that_have_no_as_of_date_by_their_file_names(tmp_path, capsys):
    """CSV exports carry no AsOfDate: both were judged today, so nothing had stalled or changed RAG."""
    old = returns.write(tmp_path / "riverside Q2 2026-27.csv", returns.q2(), "csv")
    new = returns.write(tmp_path / "riverside Q3 2026-27.csv", returns.q3(), "csv")
    assert main(["diff", str(old), str(new), "--period", "auto"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"{old} (as of 30/09/2026) -> {new} (as of 31/12/2026): ")
    assert "11 stalled" in first
    assert main(["diff", str(old), str(new), "--period", "auto", "--as-of", "2027-01-15"]) == 0
    assert "(as of 30/09/2026) -> " in (line := capsys.readouterr().out.splitlines()[0])
    assert f"{new} (as of 15/01/2027)" in line  # a date given wins
    plain = returns.write(tmp_path / "riverside latest.csv", returns.q3(), "csv")
    assert main(["diff", str(old), str(plain), "--period", "auto"]) == 0
    assert (
        "riverside latest.csv: no date read from its file name; judged as of today" in capsys.readouterr().err
    )
    assert main(["diff", str(new), str(old), "--period", "auto"]) == 0  # newest first: said
    assert "give the returns oldest first" in capsys.readouterr().err
    assert main(["diff", str(old), str(plain), "--period", "auto", "--as-of", "2027-01-15"]) == 0
    assert "no date read" not in capsys.readouterr().err  # the date given is the date
    assert main(["diff", str(old), str(new), "--period", ""]) == 2


def test_write_back_adds_a_changes_sheet_and_keeps_the_rest(pair, capsys):
    old, new = pair
    before = zipfile.ZipFile(new)
    parts = {n: before.read(n) for n in before.namelist()}
    assert main(["diff", str(old), str(new), "--write-back"]) == 0
    err = capsys.readouterr().err
    assert "backup:" in err
    assert "'Changes' sheet" in err
    wb = load_workbook(new)
    assert wb.sheetnames[-1] == "Changes"
    rows = list(wb["Changes"].iter_rows(values_only=True))
    assert rows[0] == ("Action ID", "Change", "Was", "Now", "Days", "Times slipped", "Action", "Matched")
    slip = next(r for r in rows if r[0] == "EDI-02" and r[1] == "Due date")
    assert slip[2].date().isoformat() == "2027-03-31"
    assert slip[4] == 91
    after = zipfile.ZipFile(new)
    changed = {n for n in parts if after.read(n) != parts[n]}
    # the new sheet, the list of sheets, and the header's bold fill appended to the styles: nothing else
    assert changed == {
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
        "xl/styles.xml",
    }
    names = sheet_parts(after.read("xl/workbook.xml"), after.read("xl/_rels/workbook.xml.rels"))
    (sheet,) = (part for part, name in names.items() if name == "Changes")  # its part, whatever its number
    assert set(after.namelist()) - set(parts) == {sheet}
    backups = list(new.parent.glob("q3.backup-*.xlsx"))
    assert len(backups) == 1
    assert {n: zipfile.ZipFile(backups[0]).read(n) for n in parts} == parts
    assert main(["diff", str(old), str(new), "--write-back"]) == 0  # a second run: the same sheet, replaced
    assert load_workbook(new).sheetnames.count("Changes") == 1


def test_write_back_refuses_a_csv_before_doing_anything(tmp_path, capsys):
    old = returns.write(tmp_path / "q2.csv", returns.q2(), "csv")
    new = returns.write(tmp_path / "q3.csv", returns.q3(), "csv")
    assert main(["diff", str(old), str(new), "--write-back"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "write-back needs an Excel workbook" in captured.err
    assert sorted(tmp_path.iterdir()) == sorted([old, new])  # no backup, no other file


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    good = returns.write(tmp_path / "q2.xlsx", returns.q2())
    assert main(["diff", str(good), str(broken)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("edi-workbook: broken.xlsx:")
    assert main(["diff", str(good)]) == 2
    assert "give two returns" in capsys.readouterr().err


def test_three_returns_count_slips_across_them(tmp_path, capsys):
    data = [returns.as_of(returns.example(), returns.Q_END[q]) for q in ("Q1", "Q2", "Q3")]
    returns.slip(data[1], "EDI-02", 30)
    returns.slip(data[2], "EDI-02", 60)
    paths = [returns.write(tmp_path / f"q{k}.xlsx", d) for k, d in enumerate(data, start=1)]
    assert main(["diff", *map(str, paths), "--format", "json"]) == 0
    data_out = json.loads(capsys.readouterr().out)
    slip = next(c for c in data_out["changes"] if c["kind"] == "due_date")
    assert (slip["action_id"], slip["days"], slip["slips"]) == ("EDI-02", 30, 2)
    assert data_out["returns"] == [str(p) for p in paths]


def test_write_back_while_open_in_excel_writes_a_copy(pair, capsys):
    old, new = pair
    before = new.read_bytes()
    (new.parent / f"~${new.name}").write_bytes(b"owner")
    assert main(["diff", str(old), str(new), "--write-back"]) == 0
    assert "it is open in Excel" in capsys.readouterr().err
    assert new.read_bytes() == before  # the original untouched
    assert "Changes" in load_workbook(new.with_name("q3.changes.xlsx")).sheetnames
