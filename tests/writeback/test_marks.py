"""What write-back puts in cells, and how the next run puts the previous run's look back."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi_workbook.findings import Finding, Severity
from edi_workbook.writeback import KEEP, CellMark, marks_for_findings, write_back, write_findings
from tests.fixtures.writeback import books, compare

INJECTIONS = ["=1+1", "+44 20 7946 0000", "-5 days", "@SUM(A1:A3)", "=cmd|' /C calc'!A0"]


class Report:
    """What write_findings reads from a validation report: its findings (and plan)."""

    def __init__(self, *findings: Finding) -> None:
        self.findings = list(findings)
        self.plan = None


def _f(code: str, sev: Severity, cell: str | None, sheet: str | None = "Action Plan") -> Finding:
    return Finding(code, sev, f"Fix {code}.", sheet, cell, None, None, "EDI-01")


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return books.openpyxl_book(tmp_path / "plan.xlsx")


def test_formula_like_text_stays_text(plan: Path, tmp_path: Path, libreoffice) -> None:
    marks = [CellMark("Action Plan", f"H{r}", value=text) for r, text in enumerate(INJECTIONS, start=2)]
    write_back(plan, [*marks, CellMark("Action Plan", "I2", value="keep _x0041_ as typed")])
    ws = openpyxl.load_workbook(plan)["Action Plan"]
    assert [(ws[f"H{r}"].value, ws[f"H{r}"].data_type) for r in range(2, 7)] == [(t, "s") for t in INJECTIONS]
    values = libreoffice.recalculated_values(plan, tmp_path)["Action Plan"]
    assert [values[r][7] for r in range(1, 6)] == INJECTIONS
    assert values[1][8] == "keep _x0041_ as typed"  # escaped as _x005F_x0041_ (ST_Xstring)


def test_values_of_each_type(plan: Path) -> None:
    marks = [
        CellMark("Action Plan", "H2", value=3),
        CellMark("Action Plan", "H3", value=2.5),
        CellMark("Action Plan", "H4", value=True),
        CellMark("Action Plan", "H5", value=dt.date(2026, 3, 31)),
        CellMark("Action Plan", "C2", value=None),  # cleared, keeps its italic blue look
        CellMark("Action Plan", "A2", value=KEEP, fill="FFC000"),
        CellMark("Action Plan", "H6", value="  two\nlines "),
        CellMark("Action Plan", "Z100", value="far away"),
    ]
    write_back(plan, marks)
    ws = openpyxl.load_workbook(plan)["Action Plan"]
    assert [ws[r].value for r in ("H2", "H3", "H4", "H5", "C2", "A2", "H6", "Z100")] == [
        3, 2.5, True, dt.datetime(2026, 3, 31), None, "EDI-01", "  two\nlines ", "far away",
    ]  # fmt: skip
    assert ws["H5"].is_date
    assert ws["C2"].font.i
    assert ws["C2"].font.color.rgb == "FF1F4E78"
    assert ws["A2"].fill.fgColor.rgb == "FFFFC000"


def test_findings_become_fills_notes_and_the_validation_sheet(plan: Path) -> None:
    report = Report(
        _f("missing-owner", Severity.ERROR, "C4"),
        _f("vague-action", Severity.WARNING, "C4"),
        _f("no-psed", Severity.WARNING, "B2"),
        _f("hint", Severity.INFO, "D2"),
        _f("no-hia-6", Severity.WARNING, None, None),
    )
    write_findings(plan, report)
    wb = openpyxl.load_workbook(plan)
    ws = wb["Action Plan"]
    assert [ws[r].fill.fgColor.rgb for r in ("C4", "B2", "D2")] == ["FFFFC7CE", "FFFFEB9C", "00000000"]
    assert ws["C4"].comment.author == "edi-workbook"
    assert ws["C4"].comment.text.splitlines()[1:] == [
        "Error (missing-owner): Fix missing-owner.",
        "Warning (vague-action): Fix vague-action.",
    ]
    assert ws["D2"].comment is not None
    val = wb["Validation"]
    rows = [tuple(c.value for c in row) for row in val.iter_rows(min_row=2)]
    assert [(r[0], r[1], r[4]) for r in rows] == [
        ("Error", "missing-owner", "C4"), ("Warning", "vague-action", "C4"), ("Warning", "no-psed", "B2"),
        ("Info", "hint", "D2"), ("Warning", "no-hia-6", None),
    ]  # fmt: skip
    links = {c.coordinate: c.hyperlink.location for row in val.iter_rows() for c in row if c.hyperlink}
    assert links == {f"E{r}": f"'Action Plan'!{c}" for r, c in ((2, "C4"), (3, "C4"), (4, "B2"), (5, "D2"))}
    assert val["A2"].fill.fgColor.rgb == "FFFFC7CE"
    assert val.freeze_panes == "A2"
    assert wb["_edi_writeback"].sheet_state == "veryHidden"


def test_second_run_puts_the_first_runs_look_back(plan: Path, tmp_path: Path) -> None:
    original = Path(shutil.copy(plan, tmp_path / "original.xlsx"))
    write_findings(plan, Report(_f("a", Severity.ERROR, "C4"), _f("b", Severity.WARNING, "B3")))
    write_findings(plan, Report())
    assert compare.cells(plan) == compare.cells(original)  # every fill and note back, Priya's note exact
    wb = openpyxl.load_workbook(plan)
    assert [c.value for c in wb["Validation"]["A2":"C2"][0]] == [
        None,
        None,
        "No findings: the plan passed every check.",
    ]
    assert wb["Action Plan"]["B3"].comment.text == "Owner asked to reword this"


def test_second_run_removes_notes_parts_it_created(tmp_path: Path) -> None:
    path = tmp_path / "bare.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Action Plan"
    wb.active["A1"] = "x"
    wb.save(path)
    original, cells_before = compare.parts(path), compare.cells(path)
    write_findings(path, Report(_f("a", Severity.ERROR, "A1")))
    assert any("vmlDrawing" in n for n in compare.parts(path))
    write_findings(path, Report())
    after = compare.parts(path)
    assert not [n for n in after if "comments" in n or n.endswith(".vml")]
    assert b"legacyDrawing" not in after["xl/worksheets/sheet1.xml"]
    assert set(original) <= set(after)
    assert compare.cells(path) == cells_before


def test_runs_of_different_scopes_unwind_each_other(plan: Path, tmp_path: Path) -> None:
    original = compare.cells(Path(shutil.copy(plan, tmp_path / "original.xlsx")))
    write_findings(plan, Report(_f("a", Severity.ERROR, "C4")))
    write_back(plan, [CellMark("Action Plan", "C4", fill="FFC000", note="RAG")], scope="rag")
    write_findings(plan, Report())  # validation cleared; the rag mark on top stays
    ws = openpyxl.load_workbook(plan)["Action Plan"]
    assert (ws["C4"].fill.fgColor.rgb, ws["C4"].comment.text) == ("FFFFC000", "RAG")
    write_back(plan, [], scope="rag")
    assert compare.cells(plan) == original


def test_clear_previous_false_keeps_earlier_marks(plan: Path) -> None:
    write_back(plan, [CellMark("Action Plan", "C4", fill="FFC000")], scope="map")
    write_back(plan, [CellMark("Action Plan", "C5", fill="FFC000")], scope="map", clear_previous=False)
    ws = openpyxl.load_workbook(plan)["Action Plan"]
    assert (ws["C4"].fill.fgColor.rgb, ws["C5"].fill.fgColor.rgb) == ("FFFFC000", "FFFFC000")
    write_back(plan, [], scope="map")
    ws = openpyxl.load_workbook(plan)["Action Plan"]
    assert (ws["C4"].fill.fgColor.rgb, ws["C5"].fill.fgColor.rgb) == ("00000000", "00000000")


def test_xlsxwriter_notes_are_merged_and_restored(tmp_path: Path) -> None:
    path = books.foreign_xlsm(tmp_path / "f.xlsm")
    vml_before = compare.parts(path)["xl/drawings/vmlDrawing1.vml"]
    write_findings(
        path, Report(_f("vague", Severity.WARNING, "B4", "My Plan"), _f("x", Severity.ERROR, "C4", "My Plan"))
    )
    ws = openpyxl.load_workbook(path)["My Plan"]
    assert ws["B4"].comment.text.startswith("Check the wording with Sam\n\nedi-workbook:")
    assert ws["C4"].comment.text.startswith("edi-workbook:")
    write_findings(path, Report())
    assert compare.parts(path)["xl/drawings/vmlDrawing1.vml"] == vml_before
    assert openpyxl.load_workbook(path)["My Plan"]["B4"].comment.text == "Check the wording with Sam"


def test_look_is_restored_after_libreoffice_renumbered_the_styles(
    plan: Path, tmp_path: Path, libreoffice
) -> None:
    original = compare.cells(plan)
    write_findings(plan, Report(_f("a", Severity.ERROR, "C4"), _f("b", Severity.WARNING, "A3")))
    resaved = libreoffice.convert(plan, tmp_path / "lo")
    write_findings(resaved, Report())
    assert openpyxl.load_workbook(resaved)["_edi_writeback"].sheet_state == "veryHidden"
    after = compare.cells(resaved)
    for ref in ("C4", "A3"):
        key = ("Action Plan", ref)
        fill_before, fill_after = original[key][2][1], after[key][2][1]
        assert fill_after[:2] == fill_before[:2]
        assert after[key][3] is None


def test_marks_for_findings_one_per_cell_worst_severity_first() -> None:
    marks = marks_for_findings(
        [_f("w", Severity.WARNING, "$c$4"), _f("e", Severity.ERROR, "C4"), _f("i", Severity.INFO, "D2")]
    )
    assert [(m.sheet, m.cell, m.fill) for m in marks] == [
        ("Action Plan", "C4", "FFC7CE"),
        ("Action Plan", "D2", None),
    ]


def test_findings_on_missing_sheets_are_listed_not_marked(plan: Path) -> None:
    write_findings(plan, Report(_f("a", Severity.ERROR, "A1", "Gone sheet")))
    wb = openpyxl.load_workbook(plan)
    assert wb["Validation"]["D2"].value == "Gone sheet"
    assert "Gone sheet" not in wb.sheetnames


def test_validation_sheet_is_added_last_so_sheet_scoped_names_keep_their_sheet(tmp_path: Path) -> None:
    path = books.foreign_xlsm(tmp_path / "f.xlsm")
    write_findings(path, Report(_f("a", Severity.ERROR, "A4", "My Plan")))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-2:] == ["Validation", "_edi_writeback"]
    assert wb["My Plan"].defined_names["LocalTotal"].attr_text == "'My Plan'!$I$3"
    with zipfile.ZipFile(path) as zf:
        assert b'localSheetId="0"' in zf.read("xl/workbook.xml")


def test_a_new_header_value_renames_the_table_column(plan: Path, tmp_path: Path, libreoffice) -> None:
    write_back(plan, [CellMark("Action Plan", "G1", value="Score x10")])
    wb = openpyxl.load_workbook(plan)
    table = wb["Action Plan"].tables["ActionPlan"]
    assert [c.name for c in table.tableColumns][-1] == "Score x10"
    assert wb["Action Plan"]["G1"].value == "Score x10"
    libreoffice.convert(plan, tmp_path / "lo")


def test_validation_messages_wrap(plan: Path) -> None:
    write_findings(plan, Report(_f("a", Severity.ERROR, "C4")))
    cell = openpyxl.load_workbook(plan)["Validation"]["C2"]
    assert (cell.value, cell.alignment.wrap_text) == ("Fix a.", True)


def test_a_workbook_without_styles_gets_a_minimal_stylesheet(tmp_path: Path, libreoffice) -> None:
    path = tmp_path / "bare.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Action Plan"
    wb.active["A2"] = "x"
    wb.save(path)
    parts = compare.parts(path)
    del parts["xl/styles.xml"]
    for name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
        lines = parts[name].decode().replace("><", ">\n<").splitlines()
        parts[name] = "".join(x for x in lines if "styles" not in x).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    write_back(path, [CellMark("Action Plan", "A2", value=3, fill="FFC000")])
    cell = openpyxl.load_workbook(path)["Action Plan"]["A2"]
    assert (cell.value, cell.fill.fgColor.rgb) == (3, "FFFFC000")
    libreoffice.convert(path, tmp_path / "lo")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_text_round_trips_as_text(plan: Path, text: str) -> None:
    write_back(plan, [CellMark("Action Plan", "H2", value=text)], backup=False)
    cell = openpyxl.load_workbook(plan)["Action Plan"]["H2"]
    expected = "".join(ch for ch in text if ch >= " " or ch in "\t\n\r")  # XML 1.0 cannot hold the rest
    if expected:
        assert cell.data_type == "s"
        assert _unescape(cell.value) == expected  # \r survives too: lxml writes it as &#13;
    else:
        assert cell.value in (None, "")


def _unescape(value: str) -> str:
    """openpyxl leaves ST_Xstring escapes (_x005F_ for a literal underscore before xHHHH_) as written."""
    return value.replace("_x005F_", "_")


def test_someone_elses_validation_sheet_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "lists.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Action Plan"
    wb.active["A1"] = "x"
    lists = wb.create_sheet("Validation")
    for value in ("Yes", "No", "Maybe"):
        lists.append([value])
    wb.save(path)
    for _ in range(2):
        write_findings(path, Report(_f("a", Severity.ERROR, "A1")))
    wb = openpyxl.load_workbook(path)
    assert [r[0] for r in wb["Validation"].iter_rows(values_only=True)] == ["Yes", "No", "Maybe"]
    own = wb["Validation (edi-workbook)"]
    assert [c.value for c in own[2]][:2] == ["Error", "a"]
    assert own.max_row == 2


def test_a_blank_validation_sheet_is_filled(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Action Plan"
    wb.active["A1"] = "x"
    wb.create_sheet("Validation")
    wb.save(path)
    write_findings(path, Report(_f("a", Severity.ERROR, "A1")))
    wb = openpyxl.load_workbook(path)
    assert wb["Validation"]["B2"].value == "a"
    assert "Validation (edi-workbook)" not in wb.sheetnames


def test_output_is_deterministic(tmp_path: Path, monkeypatch) -> None:
    import time

    a = books.openpyxl_book(tmp_path / "a.xlsx")
    b = Path(shutil.copy(a, tmp_path / "b.xlsx"))
    report = Report(_f("a", Severity.ERROR, "C4"), _f("b", Severity.WARNING, "B3"))
    write_findings(a, report, backup=False)
    later = time.time() + 86_400
    monkeypatch.setattr(time, "time", lambda: later)  # a day later: no clock time may leak in
    write_findings(b, report, backup=False)
    assert a.read_bytes() == b.read_bytes()


def test_notes_next_to_form_buttons_keep_the_buttons(tmp_path: Path) -> None:
    path = books.foreign_xlsm(tmp_path / "f.xlsm")
    before = compare.parts(path)
    vml = next(n for n in before if n.endswith(".vml") and b"Run the macro" in before[n])
    write_back(path, [CellMark("Charts", "A1", note="A note beside the button")], scope="test")
    during = compare.parts(path)
    assert b"Run the macro" in during[vml]
    assert during[vml].count(b'ObjectType="Note"') == 1
    assert openpyxl.load_workbook(path)["Charts"]["A1"].comment.text == "A note beside the button"
    write_back(path, [], scope="test")
    after = compare.parts(path)
    assert after[vml] == before[vml]
    assert not [n for n in after if n.startswith("xl/comments") and n not in before]


def test_a_threaded_comment_is_left_alone(plan: Path) -> None:
    """Excel 365 threaded comments (a part of their own) are not merged into: the cell is only filled."""
    parts = compare.parts(plan)
    threaded = (
        '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
        '<threadedComment ref="C4" dT="2025-01-01T10:00:00.00"'
        ' personId="{00000000-0000-0000-0000-000000000001}"'
        ' id="{00000000-0000-0000-0000-000000000002}"><text>Who owns this?</text></threadedComment>'
        "</ThreadedComments>"
    )
    parts["xl/threadedComments/threadedComment1.xml"] = threaded.encode()
    rels = parts["xl/worksheets/_rels/sheet1.xml.rels"].decode()
    rel = (
        '<Relationship Id="rIdT1" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"'
        ' Target="../threadedComments/threadedComment1.xml"/>'
    )
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = rels.replace(
        "</Relationships>", rel + "</Relationships>"
    ).encode()
    with zipfile.ZipFile(plan, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    write_findings(plan, Report(_f("missing-owner", Severity.ERROR, "C4")))
    ws = openpyxl.load_workbook(plan)["Action Plan"]
    assert ws["C4"].fill.fgColor.rgb == "FFFFC7CE"
    assert ws["C4"].comment is None
    assert compare.parts(plan)["xl/threadedComments/threadedComment1.xml"] == threaded.encode()
