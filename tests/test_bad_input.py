"""Every failure mode of reading: one plain sentence (PlanReadError), exit code 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from edi_workbook import read_plan
from edi_workbook.cli import main
from edi_workbook.errors import EXIT_UNREADABLE, PlanReadError

BAD = Path(__file__).parent / "fixtures" / "read" / "bad"
OK = Path(__file__).parent / "fixtures" / "read" / "ok"

CASES = {
    "truncated.xlsx": "damaged or incomplete",
    "corrupt_member.xlsx": "damaged or incomplete",
    "text_named.xlsx": "text file, not an Excel workbook",
    "encrypted.xlsx": "password-protected",
    "legacy.xls": "save it as .xlsx",
    "empty_workbook.xlsx": "the workbook is empty",
    "no_plan_table.xlsx": "no plan table found",
    "huge_100k_rows.xlsx": "100,000 rows",
    "zero_bytes.xlsx": "empty (0 bytes)",
}


@pytest.mark.parametrize(("name", "phrase"), sorted(CASES.items()))
def test_bad_file_gives_one_sentence(name, phrase):
    with pytest.raises(PlanReadError) as info:
        read_plan(BAD / name)
    assert phrase in info.value.reason
    assert "\n" not in str(info.value)
    assert info.value.path.name == name


def test_every_bad_fixture_has_a_case():
    assert {p.name for p in BAD.iterdir()} == set(CASES)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(PlanReadError, match="file not found"):
        read_plan(tmp_path / "nope.xlsx")
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(PlanReadError, match="folder"):
        read_plan(tmp_path / "folder.xlsx")


def test_unknown_extension(tmp_path):
    p = tmp_path / "plan.pdf"
    p.write_bytes(b"%PDF-1.4")
    with pytest.raises(PlanReadError, match="not plans"):
        read_plan(p)


def test_binary_csv(tmp_path):
    p = tmp_path / "plan.csv"
    p.write_bytes(b"Action ID,Action\x00\x01,Owner\n")
    with pytest.raises(PlanReadError, match="binary"):
        read_plan(p)


def test_cli_reports_each_unreadable_file_and_still_validates_the_rest(capsys):
    paths = [str(BAD / n) for n in sorted(CASES)] + [str(OK / "last_year_copy.xlsx")]
    code = main(["validate", "--format", "json", "--as-of", "2025-06-01", *paths])
    out, err = capsys.readouterr()
    assert code == EXIT_UNREADABLE
    lines = err.strip().splitlines()
    assert len(lines) == len(CASES)
    assert all(line.startswith("edi-workbook: ") for line in lines)
    assert "Traceback" not in err
    assert '"actions": 3' in out
