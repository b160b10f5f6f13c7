"""The ``Action Plan`` sheet: the Excel table ``ActionPlan`` with dropdowns, formats and live RAG.

The table's first columns are exactly the canonical headers (``reference.load().headers``), from
column A, under two title rows. ``RAG`` and ``Days to due`` hold the formulas of
:mod:`edi_workbook.template.formulas` in every one of the table's rows (``TABLE_ROWS`` of them), so the
colours work in Excel and LibreOffice with no Python; a row with nothing typed in it shows nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from edi_workbook import reference
from edi_workbook.template import formulas
from edi_workbook.template.sheets import (
    ALL_CHARACTERISTICS,
    DATE_FORMAT,
    as_date,
    cf_font,
    fill,
    fit_height,
    header_row,
    set_value,
    title,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["FIRST_ROW", "HEADER_ROW", "PRINT_ROWS", "TABLE_ROWS", "action_plan", "example_rows", "last_row"]

HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
TABLE_ROWS = 200
"""Rows of the table, formulas included, in the blank template and in the example."""
PRINT_ROWS = 20
"""Rows of the blank template's print area: one landscape page."""

WIDTHS = {
    "action_id": 9,
    "action": 48,
    "success_measure": 36,
    "hia": 13,
    "psed_aim": 24,
    "characteristics": 20,
    "owner": 18,
    "start_date": 12,
    "due_date": 12,
    "status": 12,
    "pct_complete": 10,
    "completed_date": 12,
    "rag": 8,
    "days_to_due": 9,
    "notes": 36,
}
WRAPPED = frozenset({"action", "success_measure", "psed_aim", "characteristics", "owner", "notes"})
CENTRED = frozenset({"rag", "days_to_due"})


def last_row(rows: int = TABLE_ROWS) -> int:
    """The sheet row of the table's last data row."""
    return FIRST_ROW + rows - 1


def _letters() -> dict[str, str]:
    return formulas.column_letters()


def rag_cell_formula(row: int) -> str:
    """``RAG`` of one row: :func:`formulas.rag_formula`, blank while nothing is typed in the row."""
    letters = _letters()
    typed = f"{letters['action_id']}{row}:{letters['completed_date']}{row},{letters['notes']}{row}"
    return f'=IF(COUNTA({typed})=0,"",{formulas.rag_formula(row)[1:]})'


def _join(items: Any) -> str | None:
    if items is None or items == "":
        return None
    if isinstance(items, str):
        return items
    return "; ".join(str(x) for x in items)


def _labels(items: Any, label: Any) -> str | None:
    """HIA numbers or PSED letters as the dropdown's labels; text (a value not understood) as it is."""
    if isinstance(items, str):
        return items
    return _join([label(x) for x in items or []])


def _date_cell(value: Any) -> Any:
    """A date, ISO text as a date, other text (``TBC``: not understood) as it is."""
    if isinstance(value, str):
        try:
            return as_date(value)
        except ValueError:
            return value
    return as_date(value)


def example_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The example's actions as ``{column key: cell value}``, in the template's cell forms.

    Values a plan holds as text because they were not understood (``TBC`` as a date, ``HIA 9``)
    are written as that text, so a plan refilled into the template (``carry-over``) loses nothing.
    """
    ref = reference.load()
    out: list[dict[str, Any]] = []
    for a in data["actions"]:
        characteristics = a.get("characteristics")
        pct = a.get("pct")
        out.append(
            {
                "action_id": a.get("id"),
                "action": a.get("action"),
                "success_measure": a.get("success_measure"),
                "hia": _labels(a.get("hia"), lambda n: ref.hia(int(n)).label),
                "psed_aim": _labels(a.get("psed"), lambda x: ref.aim(x).label),
                "characteristics": ALL_CHARACTERISTICS
                if characteristics == "all"
                else _join(characteristics),
                "owner": a.get("owner"),
                "start_date": _date_cell(a.get("start")),
                "due_date": _date_cell(a.get("due")),
                "status": a.get("status"),
                "pct_complete": pct / 100 if isinstance(pct, (int, float)) else pct,
                "completed_date": _date_cell(a.get("completed")),
                "notes": a.get("notes"),
            }
        )
    return out


def _rows(ws: Worksheet, data: dict[str, Any] | None, rows: int) -> None:
    """Cells, formats and formulas of every table row."""
    from openpyxl.styles import Alignment

    ref = reference.load()
    filled = example_rows(data) if data else []
    top_wrap = Alignment(vertical="top", wrap_text=True)
    top = Alignment(vertical="top")
    centred = Alignment(vertical="top", horizontal="center")
    formats = {"start_date": DATE_FORMAT, "due_date": DATE_FORMAT, "completed_date": DATE_FORMAT}
    formats |= {"pct_complete": "0%", "days_to_due": "0"}
    for i in range(rows):
        row = FIRST_ROW + i
        values = filled[i] if i < len(filled) else {}
        for col, key in enumerate(ref.template_keys, start=1):
            cell = ws.cell(row=row, column=col)
            if key == "rag":
                cell.value = rag_cell_formula(row)
            elif key == "days_to_due":
                cell.value = formulas.days_to_due_formula(row)
            else:
                set_value(cell, values.get(key))
            cell.alignment = top_wrap if key in WRAPPED else centred if key in CENTRED else top
            if key in formats:
                cell.number_format = formats[key]
        if values:
            fit_height(ws, row, columns=len(ref.template_keys))


def _dropdown(ws: Worksheet, key: str, source: str, strict: bool, prompt: str, rows: int) -> None:
    """A list dropdown on one column of the table (``strict``: refuse other values)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    col = _letters()[key]
    dv = DataValidation(type="list", formula1=source, allow_blank=True, showDropDown=False)
    dv.errorStyle = "stop" if strict else "warning"
    dv.showErrorMessage = dv.showInputMessage = True
    dv.errorTitle = "Not in the list"
    dv.error = prompt
    dv.promptTitle = reference.load().header_of(key)
    dv.prompt = prompt
    dv.add(f"{col}{FIRST_ROW}:{col}{last_row(rows)}")
    ws.add_data_validation(dv)


def _validations(ws: Worksheet, rows: int) -> None:
    """Dropdowns for HIA, PSED aim, characteristics, Status; date and percentage checks."""
    from openpyxl.worksheet.datavalidation import DataValidation

    _dropdown(
        ws, "hia", "ListHIA", False, "Pick an HIA. For several, type them with ; e.g. HIA 2; HIA 6", rows
    )
    _dropdown(ws, "psed_aim", "ListPSED", False, "Pick a PSED aim. For several, separate them with ;", rows)
    _dropdown(
        ws, "characteristics", "ListCharacteristics", False, "Pick one, type several with ; or All", rows
    )
    _dropdown(ws, "status", "ListStatus", True, "Pick a status from the list", rows)
    letters, first, last = _letters(), FIRST_ROW, last_row(rows)
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    dates.errorStyle, dates.showErrorMessage = "warning", True
    dates.errorTitle, dates.error = "Not a date", "Type a date as dd/mm/yyyy, e.g. 31/03/2027"
    for key in ("start_date", "due_date", "completed_date"):
        dates.add(f"{letters[key]}{first}:{letters[key]}{last}")
    ws.add_data_validation(dates)
    pct = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True)
    pct.errorStyle, pct.showErrorMessage = "stop", True
    pct.errorTitle, pct.error = "Percentage", "Type a percentage from 0% to 100%, with the % sign (40%)"
    pct.add(f"{letters['pct_complete']}{first}:{letters['pct_complete']}{last}")
    ws.add_data_validation(pct)


def _colours(ws: Worksheet, rows: int) -> None:
    """Conditional formatting: RAG cells in their colours; Red and Amber due dates highlighted."""
    from openpyxl.formatting.rule import FormulaRule

    ref, letters = reference.load(), _letters()
    rag, first, last = letters["rag"], FIRST_ROW, last_row(rows)
    for r in ref.rag_values:
        colour = fill(r.fill)
        rule = FormulaRule(
            formula=[f'${rag}{first}="{r.name}"'], fill=colour, font=cf_font(color=r.font, bold=True)
        )
        ws.conditional_formatting.add(f"{rag}{first}:{rag}{last}", rule)
        if r.name in (formulas.RED, formulas.AMBER):
            for key in ("due_date", "days_to_due"):
                col = letters[key]
                due_rule = FormulaRule(
                    formula=[f'${rag}{first}="{r.name}"'], fill=colour, font=cf_font(color=r.font)
                )
                ws.conditional_formatting.add(f"{col}{first}:{col}{last}", due_rule)


def _layout(ws: Worksheet, data: dict[str, Any] | None) -> None:
    """Widths, frozen header, print set-up (landscape, one page wide, header row repeated)."""
    ref, letters = reference.load(), _letters()
    for key in ref.template_keys:
        ws.column_dimensions[letters[key]].width = WIDTHS.get(key, 14)
    ws.row_dimensions[HEADER_ROW].height = 30
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.oddFooter.center.text = "&A - page &P of &N"
    # The example prints its actions; the blank template a page of PRINT_ROWS empty rows to write
    # on. Without a print area every one of the 200 formula rows prints: three pages, two of
    # them only the repeated header (issue 17).
    rows = len(data["actions"]) if data else PRINT_ROWS
    ws.print_area = f"A1:{letters[ref.template_keys[-1]]}{FIRST_ROW + rows - 1}"


def action_plan(ws: Worksheet, data: dict[str, Any] | None) -> None:
    """Fill the Action Plan sheet: titles, the ``ActionPlan`` table, dropdowns, colours, layout."""
    from openpyxl.worksheet.table import Table, TableStyleInfo

    ref = reference.load()
    title(ws, "EDI action plan")
    ws["A2"] = '=IF(OrgName="","Fill in Plan details first",OrgName&IF(PlanPeriod="",""," - "&PlanPeriod))'
    ws["A3"] = (
        "One action per row. Pick HIA, PSED aim and Status from the dropdowns; "
        "RAG and Days to due work themselves out."
    )
    header_row(ws, HEADER_ROW, ref.headers)
    rows = max(TABLE_ROWS, len(data["actions"]) if data else 0)  # a longer plan gets a longer table
    _layout(ws, data)
    _rows(ws, data, rows)
    last_col = formulas.column_letters()[ref.template_keys[-1]]
    table = Table(displayName="ActionPlan", ref=f"A{HEADER_ROW}:{last_col}{last_row(rows)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    _validations(ws, rows)
    _colours(ws, rows)
