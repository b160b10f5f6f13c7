"""The template's smaller sheets (Plan details, Lists, Validation) and shared styles.

Each builder fills one openpyxl worksheet; those that own workbook-level defined names return
them as ``{name: "'Sheet'!$B$5"}`` for :func:`edi_workbook.template.workbook.build_workbook` to define.
Every fact shown (HIAs, aims, characteristics, statuses, RAG colours, deadlines, settings) comes
from :func:`edi_workbook.reference.load`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from edi_workbook import reference
from edi_workbook.findings import FINDING_HEADERS
from edi_workbook.template import formulas

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "ALL_CHARACTERISTICS",
    "DATE_FORMAT",
    "VALIDATION_HEADERS",
    "cf_font",
    "fill",
    "fit_height",
    "font",
    "header_row",
    "lists",
    "plan_details",
    "print_setup",
    "title",
    "validation",
    "widths",
    "wrapped_lines",
]

DATE_FORMAT = "dd/mm/yyyy"
HEADER_FILL = "1F4E79"
INPUT_FILL = "FFF2CC"
ALL_CHARACTERISTICS = "All"
"""Typed in Protected characteristics for an action meant for everyone (``values.parse_characteristics``)."""
VALIDATION_HEADERS = FINDING_HEADERS

# Plan details rows: (label, defined name, hint). Names are the contract (docs/ARCHITECTURE.md).
DETAILS = (
    ("Organisation", "OrgName", "The organisation whose plan this is, e.g. Northvale Training Hub"),
    ("Organisation type", "OrgType", "e.g. GP practice, PCN, training hub, NHS trust, ICB"),
    ("Plan period", "PlanPeriod", "e.g. 2026/27"),
    ("Plan owner", "PlanOwner", "The person accountable for the whole plan"),
    ("Review date", "ReviewDate", "When the plan is next reviewed (dd/mm/yyyy)"),
)
DETAILS_FIRST_ROW = 5
SETTINGS = ("AsOfDate", "AmberDays", "ProgressTolerance", "ReminderDays")
SETTINGS_FIRST_ROW = 13


def font(**kw: Any) -> Any:
    """A Calibri font (the template's one typeface) with these attributes."""
    from openpyxl.styles import Font

    return Font(name="Calibri", **kw)


def cf_font(**kw: Any) -> Any:
    """A font for a conditional format (colour and weight only: Excel ignores a typeface there)."""
    from openpyxl.styles import Font

    return Font(**kw)


def fill(rgb: str) -> Any:
    """A solid fill of colour ``rgb`` (hex)."""
    from openpyxl.styles import PatternFill

    return PatternFill("solid", start_color=rgb, end_color=rgb)


def title(ws: Worksheet, text: str, subtitle: str | None = None) -> None:
    """A sheet title in A1 and an optional one-line subtitle in A2."""
    ws["A1"] = text
    ws["A1"].font = font(size=16, bold=True, color=HEADER_FILL)
    if subtitle:
        ws["A2"] = subtitle
        ws["A2"].font = font(italic=True, color="595959")


def header_row(ws: Worksheet, row: int, headers: tuple[str, ...] | list[str], col: int = 1) -> None:
    """Bold white-on-blue header cells from column ``col`` (``""``: a blank cell, still shaded)."""
    from openpyxl.styles import Alignment

    for i, text in enumerate(headers):
        c = ws.cell(row=row, column=col + i, value=text or None)  # never a text cell with no text
        c.font = font(bold=True, color="FFFFFF")
        c.fill = fill(HEADER_FILL)
        c.alignment = Alignment(vertical="center", wrap_text=True)


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` characters wide (greedy word wrap)."""
    per_line = max(4, int(width * 1.15) - 1)
    lines = 0
    for para in text.split("\n"):
        n, used = 1, 0
        for word in para.split():
            need = len(word) + (1 if used else 0)
            if used and used + need > per_line:
                n, used = n + 1, len(word)
            else:
                used += need
            if used > per_line:  # a word longer than a line (a web address) is broken across lines
                n, used = n + (used - 1) // per_line, (used - 1) % per_line + 1
        lines += n
    return lines


def fit_height(ws: Worksheet, row: int, line_height: float = 15.0, columns: int | None = None) -> None:
    """Set the row's height to fit its wrapped text (openpyxl cannot autofit; Excel only on edit).

    ``columns``: the row's width, when known. Without it openpyxl finds the sheet's widest row
    over every cell of the sheet, for every row: a 5,000-action plan's rows took 30 s.
    """
    lines = 1
    cells = ws[row] if columns is None else next(ws.iter_rows(min_row=row, max_row=row, max_col=columns))
    for cell in cells:
        if isinstance(cell.value, str) and cell.data_type == "s" and cell.alignment.wrap_text:
            width = ws.column_dimensions[cell.column_letter].width or 8.43
            lines = max(lines, wrapped_lines(cell.value, width))
    if lines > 1:
        ws.row_dimensions[row].height = lines * line_height


def widths(ws: Worksheet, by_letter: Mapping[str, float]) -> None:
    """Set column widths (in characters) by column letter."""
    for letter, width in by_letter.items():
        ws.column_dimensions[letter].width = width


def print_setup(ws: Worksheet, landscape: bool = False, title_row: int | None = None) -> None:
    """A4, fit to one page wide, page numbers in the footer, optional repeated header row."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "&A - page &P of &N"
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"


def _label(ws: Worksheet, row: int, label: str, name: str, hint: str) -> None:
    from openpyxl.styles import Alignment

    ws.cell(row=row, column=1, value=label).font = font(bold=True)
    value = ws.cell(row=row, column=2)
    value.fill = fill(INPUT_FILL)
    value.alignment = Alignment(horizontal="left")
    ws.cell(row=row, column=3, value=name).font = font(color="595959")
    hint_cell = ws.cell(row=row, column=4, value=hint)
    hint_cell.alignment = Alignment(wrap_text=True, vertical="top")


def set_value(cell: Any, value: Any) -> None:
    """Write a value from a plan; text starting with ``=`` stays text, never a live formula; ``""``
    stays empty."""
    cell.value = None if value == "" else value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def plan_details(ws: Worksheet, data: dict[str, Any] | None) -> dict[str, str]:
    """Plan details and settings; returns their defined names (``OrgName`` ... ``ReminderDays``)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    ref = reference.load()
    title(ws, "Plan details", "Fill in the yellow cells. The names in column C are used by the formulas.")
    header_row(ws, DETAILS_FIRST_ROW - 1, ("Item", "Value", "Name", "What to type"))
    names: dict[str, str] = {}
    details = (data or {}).get("details", {})
    for i, (label, name, hint) in enumerate(DETAILS):
        row = DETAILS_FIRST_ROW + i
        _label(ws, row, label, name, hint)
        set_value(ws.cell(row=row, column=2), details.get(name))
        names[name] = f"'{ws.title}'!$B${row}"
    review = ws.cell(row=DETAILS_FIRST_ROW + 4, column=2)
    review.number_format = DATE_FORMAT

    ws.cell(row=SETTINGS_FIRST_ROW - 2, column=1, value="Settings").font = font(
        bold=True, size=13, color=HEADER_FILL
    )
    header_row(ws, SETTINGS_FIRST_ROW - 1, ("Setting", "Value", "Name", "What it means"))
    settings = (data or {}).get("settings", {})
    for i, name in enumerate(SETTINGS):
        row = SETTINGS_FIRST_ROW + i
        meaning = next(s.meaning for s in ref.settings if s.name == name)
        _label(ws, row, name, name, meaning)
        names[name] = f"'{ws.title}'!$B${row}"
        value = settings.get(name, ref.setting_default(name))
        cell = ws.cell(row=row, column=2)
        set_value(cell, value)
        if name == "AsOfDate":
            cell.number_format = DATE_FORMAT
        elif name == "ReminderDays":
            cell.value, cell.data_type, cell.number_format = str(value), "s", "@"
    asof_row = SETTINGS_FIRST_ROW + len(SETTINGS)
    ws.cell(row=asof_row, column=1, value="RAG judged as of").font = font(bold=True)
    asof = ws.cell(row=asof_row, column=2, value=f"={formulas.as_of_expr()}")
    asof.number_format = DATE_FORMAT
    ws.cell(row=asof_row, column=4, value="Worked out: AsOfDate, or today when it is blank")

    def dv(kind: str, ref_: str, prompt: str, **kw: Any) -> None:
        v = DataValidation(type=kind, allow_blank=True, showErrorMessage=True, **kw)
        v.error, v.errorTitle, v.prompt = prompt, "Check this value", prompt
        v.showInputMessage = True
        v.add(ref_)
        ws.add_data_validation(v)

    r = SETTINGS_FIRST_ROW
    dv("date", f"B{r}", "A date (dd/mm/yyyy), or blank for today", operator="greaterThan", formula1="1")
    dv("whole", f"B{r + 1}", "Whole days, 0 or more", operator="between", formula1="0", formula2="3650")
    dv(
        "decimal",
        f"B{r + 2}",
        "Percentage points, 0 to 100",
        operator="between",
        formula1="0",
        formula2="100",
    )
    widths(ws, {"A": 22, "B": 34, "C": 20, "D": 70})
    ws.freeze_panes = "A4"
    print_setup(ws, landscape=True)
    return names


def lists(ws: Worksheet) -> dict[str, str]:
    """The dropdown sources (hidden sheet); returns their defined names (``ListHIA`` ...)."""
    ref = reference.load()
    columns = {
        "ListHIA": ("HIA", [h.label for h in ref.hias]),
        "ListPSED": ("PSED aim", [a.label for a in ref.psed_aims]),
        "ListStatus": ("Status", list(ref.status_names)),
        "ListRAG": ("RAG", list(ref.rag_names)),
        "ListCharacteristics": (
            "Protected characteristics",
            [*ref.protected_characteristics, ALL_CHARACTERISTICS],
        ),
    }
    names: dict[str, str] = {}
    from openpyxl.utils import get_column_letter

    for col, (name, (head, items)) in enumerate(columns.items(), start=1):
        letter = get_column_letter(col)
        ws.cell(row=1, column=col, value=head).font = font(bold=True)
        for i, item in enumerate(items, start=2):
            ws.cell(row=i, column=col, value=item)
        names[name] = f"{ws.title}!${letter}$2:${letter}${len(items) + 1}"
        ws.column_dimensions[letter].width = max(len(x) for x in [head, *items]) + 2
    ws.sheet_state = "hidden"
    return names


def validation(ws: Worksheet) -> None:
    """The empty findings sheet that ``validate --write-back`` fills, header in row 1."""
    header_row(ws, 1, VALIDATION_HEADERS)
    widths(ws, {"A": 10, "B": 26, "C": 70, "D": 14, "E": 8, "F": 7, "G": 18, "H": 11})
    ws.freeze_panes = "A2"
    print_setup(ws, landscape=True, title_row=1)


def as_date(value: Any) -> dt.date | None:
    """A YAML date (or ISO text) as a date; None for blank."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
