"""``edi-workbook eds PATH``: the EDS 2022 sheet summed up, rated, and its bad input."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from edi_workbook import reference
from edi_workbook.cli import main
from edi_workbook.template import eds as eds_sheet
from edi_workbook.template import new_workbook

REF = reference.load()


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_example_assessment(tmp_path: Path, capsys):
    path = new_workbook(tmp_path / "ex.xlsx", example=True)
    code, out, _ = _run(capsys, "eds", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "ex.xlsx: EDS 2022 total 16 of 33, Developing"
    assert lines[1] == "  Domain 1 Commissioned or provided services: 6 of 12 (4 of 4 scored)"
    assert "  2A  1 Developing activity  actions: EDI-19, EDI-20 [wording unverified]" in lines
    assert lines[-1].endswith("Excelling from 33 (unverified)")
    code, out, _ = _run(capsys, "eds", str(path), "--format", "json")
    data = json.loads(out)
    assert (data["total"], data["maximum"], data["rating"], data["scored"]) == (16, 33, "Developing", 11)
    assert [d["total"] for d in data["domains"]] == [6, 6, 4]
    assert data["missing_actions"] == []
    assert [b["verified"] for b in data["bands"]] == [b.verified for b in REF.eds_bands]


def test_blank_template_is_not_rated(tmp_path: Path, capsys):
    code, out, _ = _run(capsys, "eds", str(new_workbook(tmp_path / "t.xlsx")))
    assert code == 0
    assert out.splitlines()[0] == "t.xlsx: EDS 2022 total 0 of 33, not rated: 0 of 11 outcomes scored"


def test_bad_score_edited_band_and_missing_action(tmp_path: Path, capsys):
    path = new_workbook(tmp_path / "ex.xlsx", example=True)
    wb = openpyxl.load_workbook(path)
    ws = wb["EDS 2022"]
    ws[f"D{eds_sheet.FIRST_ROW}"] = 5  # 1A: not 0-3
    ws[f"G{eds_sheet.FIRST_ROW + 1}"] = "EDI-99"  # 1B links an action the plan lacks
    ws[f"B{eds_sheet.rows()['bands'] + 2}"] = 5  # Developing from 5 instead of 8
    wb.save(path)
    code, out, _ = _run(capsys, "eds", str(path))
    assert code == 1
    assert "error: 1A: the score 5 is not a whole number from 0 to 3" in out
    assert "Linked actions not in the plan: EDI-99" in out
    assert "Developing from 5 (unverified)" in out  # an edited limit is not the verified one
    assert "not rated: 10 of 11 outcomes scored" in out.splitlines()[0]


def test_file_without_an_eds_sheet(tmp_path: Path, capsys):
    path = tmp_path / "plan.csv"
    path.write_text("Action ID,Action,Due date\nA1,Do it,31/03/2027\n", encoding="utf-8")
    code, _, err = _run(capsys, "eds", str(path))
    assert code == 2
    assert (
        err.strip() == "edi-workbook: plan.csv: a CSV file has no 'EDS 2022' sheet; give the workbook (.xlsx)"
    )
    code, _, err = _run(capsys, "eds", str(tmp_path / "missing.xlsx"))
    assert code == 2
    assert "file not found" in err
