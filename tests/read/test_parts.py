"""The package parts the reader takes from the zip itself: sheets, defined names, tables, number formats."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table

from edi_workbook.errors import PlanReadError
from edi_workbook.read import read_plan
from edi_workbook.read.parts import cell_bounds, find_table, number_formats, read_workbook
from edi_workbook.read.styles import percent_styles
from tests.paths import TESTS

OK = TESTS / "fixtures" / "read" / "ok"


def _book(path: Path, *, chart: bool = True) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    other = wb.create_sheet("O'Brien's plan")
    if chart:  # openpyxl cannot load back the empty chart sheet it writes
        wb.create_chartsheet("Chart")
    ws.append(["Action ID", "Action", "Owner", "Done"])
    ws.append(["A1", "Train staff", "Me", 0.5])
    ws["D2"].number_format = "0.0%"
    ws.add_table(Table(displayName="Actions", ref="A1:D2"))
    other["B3"] = "Riverside"
    wb.defined_names["OrgName"] = DefinedName("OrgName", attr_text="'O''Brien''s plan'!$B$3")
    wb.defined_names["AmberDays"] = DefinedName("AmberDays", attr_text="Plan!$C$2:$C$4")
    wb.defined_names["Formula"] = DefinedName("Formula", attr_text="SUM(Plan!$A$1:$A$3)")
    wb.defined_names["Constant"] = DefinedName("Constant", attr_text="14")
    wb.defined_names["Broken"] = DefinedName("Broken", attr_text="#REF!")
    ws.defined_names["Local"] = DefinedName("Local", attr_text="Plan!$A$1")
    wb.save(path)
    return path


def test_sheets_and_defined_names(tmp_path: Path):
    with zipfile.ZipFile(_book(tmp_path / "b.xlsx")) as zf:
        parts, names = read_workbook(zf)
    assert list(parts) == ["Plan", "O'Brien's plan", "Chart"]
    assert parts["Plan"] == "xl/worksheets/sheet1.xml"
    assert names == {"OrgName": ("O'Brien's plan", "B3"), "AmberDays": ("Plan", "C2")}


def test_table_found_by_name_case_insensitive(tmp_path: Path):
    with zipfile.ZipFile(_book(tmp_path / "b.xlsx")) as zf:
        parts, _ = read_workbook(zf)
        found = find_table(zf, parts, "ACTIONS")
        assert find_table(zf, parts, "ActionPlan") is None
    assert found is not None
    sheet, table = found
    assert (sheet, table.ref, table.header_rows, table.totals_rows) == ("Plan", "A1:D2", 1, 0)


def test_percent_formats_match_openpyxl(tmp_path: Path):
    path = _book(tmp_path / "b.xlsx", chart=False)
    with zipfile.ZipFile(path) as zf:
        xfs, codes = number_formats(zf)
        styles = percent_styles(zf)
    cell = openpyxl.load_workbook(path)["Plan"]["D2"]
    assert cell.style_id in styles
    assert cell.number_format in codes.values()
    assert len(xfs) > cell.style_id


@pytest.mark.parametrize(
    ("ref", "bounds"), [("A5:K40", (1, 5, 11, 40)), ("$AB$7", (28, 7, 28, 7)), ("xfd1", (16384, 1, 16384, 1))]
)
def test_cell_bounds(ref: str, bounds: tuple[int, int, int, int]):
    assert cell_bounds(ref) == bounds


@pytest.mark.parametrize("ref", ["A", "1:3", "A1:B2:C3", "", "Sheet!A1"])
def test_cell_bounds_refuses_what_is_not_a_range(ref: str):
    with pytest.raises(ValueError, match="not a cell range"):
        cell_bounds(ref)


def test_a_part_with_a_doctype_is_damaged(tmp_path: Path):
    src = OK / "template_filled.xlsx"
    bad = tmp_path / "doctype.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/workbook.xml":
                at = data.index(b"<workbook")
                data = data[:at] + b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data[at:]
            zout.writestr(item, data)
    with pytest.raises(PlanReadError) as err:
        read_plan(bad)
    assert "damaged or incomplete" in err.value.reason


def test_reading_a_plan_does_not_import_openpyxl():
    code = (
        "import sys; from edi_workbook.read.dispatch import read_plan; "
        f"p = read_plan({str(OK / 'template_filled.xlsx')!r}); "
        "print(len(p), p.settings.amber_days, 'openpyxl' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["8", "21", "False"]
