"""Write-back keeps everything it was not asked to change: cell by cell, part by part, in real files."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from edi_workbook.findings import Finding, Severity
from edi_workbook.writeback import CellMark, write_back, write_findings
from edi_workbook.writeback.package import Package
from tests.fixtures.writeback import books, compare
from tests.paths import ROOT

TEMPLATE = ROOT / "workbook_templates" / "edi_action_plan.xlsx"
EXAMPLE = ROOT / "workbook_templates" / "example_action_plan.xlsx"

XLSM_MARKS = [
    CellMark("My Plan", "C6", value='=HYPERLINK("http://x")', fill="FFC7CE", note="Owner: add one"),
    CellMark("My Plan", "D5", fill="FFEB9C", font_color="9C5700", note="Later than the national deadline"),
    CellMark("My Plan", "B4", note="Not SMART: no number"),  # B4 has Sam's note already
    CellMark("My Plan", "J20", value=42),
    CellMark("My Plan", "E7", value=0.75),  # inside the table, next to a data bar
]


def _marked(marks: list[CellMark]) -> set[tuple[str, str]]:
    return {(m.sheet, m.cell) for m in marks}


def _assert_unmarked_equal(before: Path, after: Path, marked: set[tuple[str, str]]) -> None:
    a, b = compare.cells(before), compare.cells(after)
    assert {k for k in a if k not in marked} == {k for k in b if k not in marked}
    diff = [(k, a[k], b[k]) for k in a if k not in marked and a[k] != b[k]]
    assert diff == []


def _chart_targets(path: Path) -> set[str]:
    """Chart parts reachable from the worksheets' drawings (so still referenced, not orphaned)."""
    found = set()
    with Package(path) as pkg:
        for part in pkg.sheets().values():
            for rel in pkg.rels(part):
                if rel["Type"].endswith("/drawing"):
                    found |= {r["part"] for r in pkg.rels(rel["part"]) if r["Type"].endswith("/chart")}
    return found


@pytest.fixture
def xlsm(tmp_path: Path) -> Path:
    return books.foreign_xlsm(tmp_path / "Foreign plan.xlsm")


def test_xlsm_keeps_every_unmarked_cell_and_structure(xlsm: Path, tmp_path: Path) -> None:
    original = shutil.copy(xlsm, tmp_path / "original.xlsm")
    write_back(xlsm, XLSM_MARKS, scope="test")
    assert compare.order_problems(xlsm) == []
    _assert_unmarked_equal(Path(original), xlsm, _marked(XLSM_MARKS))
    assert compare.structure(Path(original)) == compare.structure(xlsm)


def test_xlsm_parts_not_meant_to_change_are_byte_for_byte_equal(xlsm: Path, tmp_path: Path) -> None:
    original = Path(shutil.copy(xlsm, tmp_path / "original.xlsm"))
    write_back(xlsm, XLSM_MARKS, scope="test")
    same, changed = compare.unchanged_parts(original, xlsm)
    allowed = {
        "[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
        "xl/worksheets/sheet1.xml", "xl/comments1.xml", "xl/drawings/vmlDrawing1.vml",
    }  # fmt: skip
    assert changed <= allowed
    for kept in ("xl/vbaProject.bin", "xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/media/image1.png",
                 "xl/drawings/drawing1.xml", "xl/drawings/drawing2.xml", "xl/tables/table1.xml",
                 "xl/chartsheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/theme/theme1.xml",
                 "xl/sharedStrings.xml", "xl/worksheets/_rels/sheet1.xml.rels"):  # fmt: skip
        assert kept in same, kept
    assert _chart_targets(xlsm) == _chart_targets(original) == {"xl/charts/chart1.xml"}


def test_xlsm_stays_macro_enabled(xlsm: Path) -> None:
    write_back(xlsm, XLSM_MARKS, scope="test")
    with zipfile.ZipFile(xlsm) as zf:
        types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert "vbaProject" in rels
    wb = openpyxl.load_workbook(xlsm, keep_vba=True)
    assert wb.vba_archive is not None
    assert "xl/vbaProject.bin" in wb.vba_archive.namelist()


def test_xlsm_marked_cells_have_new_value_look_and_note(xlsm: Path) -> None:
    write_back(xlsm, XLSM_MARKS, scope="test")
    ws = openpyxl.load_workbook(xlsm)["My Plan"]
    got = {
        ref: (ws[ref].value, ws[ref].data_type, ws[ref].fill.fgColor.rgb) for ref in ("C6", "D5", "J20", "E7")
    }
    assert got == {
        "C6": ('=HYPERLINK("http://x")', "s", "FFFFC7CE"),
        "D5": (dt.datetime(2025, 6, 30), "d", "FFFFEB9C"),
        "J20": (42, "n", "00000000"),
        "E7": (0.75, "n", "00000000"),
    }
    assert ws["D5"].font.color.rgb == "FF9C5700"
    assert ws["D5"].number_format == "dd/mm/yyyy"
    assert ws["E7"].number_format == "0%"
    assert ws["C6"].comment.text == "Owner: add one"
    assert ws["B4"].comment.text == "Check the wording with Sam\n\nNot SMART: no number"


@pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")  # openpyxl reading LO's copy
def test_xlsm_converts_in_libreoffice(xlsm: Path, tmp_path: Path, libreoffice) -> None:
    write_back(xlsm, XLSM_MARKS, scope="test")
    values = libreoffice.recalculated_values(xlsm, tmp_path)
    plan = values["My Plan"]
    assert plan[5][2] == '=HYPERLINK("http://x")'  # C6: text, not a formula
    assert plan[19][9] == 42  # J20
    assert plan[2][8] == pytest.approx(2.6)  # I3 = SUM(E4:E8): E7 went from 0 to 0.75
    assert plan[6][6] == pytest.approx(75)  # G7 = E7*100, a formula in the table


def test_openpyxl_book_with_real_validation_report(tmp_path: Path, libreoffice) -> None:
    from edi_workbook import read_plan, validate

    path = books.openpyxl_book(tmp_path / "plan.xlsx")
    original = Path(shutil.copy(path, tmp_path / "original.xlsx"))
    report = validate(read_plan(path), as_of=dt.date(2025, 1, 15))
    assert report.findings
    write_findings(path, report)
    assert compare.order_problems(path) == []
    marked = {(f.sheet, f.cell) for f in report.findings if f.sheet and f.cell}
    _assert_unmarked_equal(original, path, marked)
    assert compare.structure(original) == compare.structure(path)
    ws = openpyxl.load_workbook(path)["Validation"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[3], r[4]) for r in rows] == [(f.code, f.sheet, f.cell) for f in report.findings]
    converted = openpyxl.load_workbook(libreoffice.convert(path, tmp_path / "lo"))
    assert converted["Action Plan"]["B3"].comment is not None  # Priya's note kept through both
    assert "Validation" in converted.sheetnames


def test_overwriting_a_shared_formula_master_keeps_the_others(tmp_path: Path, libreoffice) -> None:
    path = books.openpyxl_book(tmp_path / "plan.xlsx")
    write_back(path, [CellMark("Action Plan", "G2", value="n/a")], scope="test")
    with zipfile.ZipFile(path) as zf:
        assert "calcChain" not in " ".join(zf.namelist())
    values = libreoffice.recalculated_values(path, tmp_path)["Action Plan"]
    assert [values[r][6] for r in range(1, 6)] == ["n/a", 60, 30, 10, 60]  # G3..G6 = F*10


def test_template_keeps_table_chart_names_and_formulas(tmp_path: Path, libreoffice) -> None:
    path = Path(shutil.copy(TEMPLATE, tmp_path / "edi_action_plan.xlsx"))
    original = Path(shutil.copy(TEMPLATE, tmp_path / "original.xlsx"))
    findings = [
        Finding(
            "missing-action", Severity.ERROR, "Describe the action.", "Action Plan", "B5", 5, "Action", "X1"
        ),
        Finding("no-hia", Severity.WARNING, "Pick an HIA.", "Action Plan", "D5", 5, "HIA", "X1"),
        Finding("empty-plan", Severity.ERROR, "The plan has no actions."),
    ]
    marks = [CellMark("Action Plan", "A5", value="X1")]
    write_back(path, marks, findings=findings, scope="test")
    write_findings(path, _Report(findings))
    assert compare.order_problems(path) == []
    _assert_unmarked_equal(original, path, {("Action Plan", c) for c in ("A5", "B5", "D5")})
    assert compare.structure(original) == compare.structure(path)
    same, _ = compare.unchanged_parts(original, path)
    assert {"xl/charts/chart1.xml", "xl/drawings/drawing1.xml", "xl/tables/table1.xml"} <= same
    assert _chart_targets(path) == _chart_targets(original)
    wb = openpyxl.load_workbook(path)
    val = wb["Validation"]
    assert [c.value for c in val[1]] == [
        "Severity",
        "Code",
        "Message",
        "Sheet",
        "Cell",
        "Row",
        "Column",
        "Action ID",
    ]
    assert val["E2"].hyperlink.location == "'Action Plan'!B5"
    assert (
        val["A1"].style_id == openpyxl.load_workbook(original)["Validation"]["A1"].style_id
    )  # header look kept
    assert wb["Action Plan"]["B5"].fill.fgColor.rgb == "FFFFC7CE"
    values = libreoffice.recalculated_values(path, tmp_path)
    assert values["Action Plan"][4][12] == "Grey"  # RAG formula of row 5 still live: action, no due date


def test_example_plan_round_trip_with_real_validation(tmp_path: Path, libreoffice) -> None:
    from edi_workbook import read_plan, validate

    path = Path(shutil.copy(EXAMPLE, tmp_path / "example.xlsx"))
    original = Path(shutil.copy(EXAMPLE, tmp_path / "original.xlsx"))
    report = validate(read_plan(path), as_of=dt.date(2025, 6, 1))
    write_findings(path, report)
    write_findings(path, report)  # idempotent: the second run replaces the first
    assert compare.order_problems(path) == []
    marked = {(f.sheet, f.cell) for f in report.findings if f.sheet and f.cell}
    _assert_unmarked_equal(original, path, marked)
    assert compare.structure(original) == compare.structure(path)
    libreoffice.convert(path, tmp_path / "lo")


class _Report:
    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.plan = None


@pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")
def test_a_workbook_saved_by_libreoffice(xlsm: Path, tmp_path: Path, libreoffice) -> None:
    saved = libreoffice.convert(xlsm, tmp_path / "lo", "xlsx")  # LibreOffice's own styles and strings
    original = Path(shutil.copy(saved, tmp_path / "original.xlsx"))
    findings = [
        Finding("x", Severity.ERROR, "Fix it.", "My Plan", "C6"),
        Finding("y", Severity.WARNING, "Hm.", "My Plan", "B4"),
    ]
    write_findings(saved, _Report(findings))
    assert compare.order_problems(saved) == []
    _assert_unmarked_equal(original, saved, {("My Plan", "C6"), ("My Plan", "B4")})
    assert compare.structure(original) == compare.structure(saved)
    ws = openpyxl.load_workbook(saved)["My Plan"]
    assert ws["C6"].fill.fgColor.rgb == "FFFFC7CE"
    assert ws["B4"].comment.text.startswith("Check the wording with Sam")
    write_findings(saved, _Report([]))
    assert compare.cells(saved) == compare.cells(original)
    libreoffice.convert(saved, tmp_path / "again")
