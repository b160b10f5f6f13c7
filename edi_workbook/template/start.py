"""The ``Start here`` sheet: what the workbook is, how to fill it in, the RAG legend and rule.

The rule's text mirrors issue 2's "Default rule" (the formulas are :mod:`edi_workbook.template.formulas`);
the RAG names, meanings and colours come from the reference data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from edi_workbook import reference
from edi_workbook.template.sheets import HEADER_FILL, fill, fit_height, font, print_setup, title, widths

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["start_here"]


def _para(ws: Worksheet, row: int, text: str, *, bold: bool = False, size: int = 11) -> int:
    """Write a wrapped paragraph in column B; return the next row."""
    from openpyxl.styles import Alignment

    c = ws.cell(row=row, column=2, value=text)
    c.font = font(bold=bold, size=size, color=HEADER_FILL if bold else "000000")
    c.alignment = Alignment(wrap_text=True, vertical="top")
    fit_height(ws, row, 16 if size > 11 else 15)
    return row + 1


_HOW_TO = (
    "1. Plan details: type the organisation, plan period, owner and review date. Leave AsOfDate "
    "blank to judge RAG against today.",
    "2. Action Plan: one action per row, from the first empty row of the table. Give each action an "
    "ID, a SMART action, a success measure with a number or a date, an owner and a due date.",
    "3. Pick HIA, PSED aim and Status from the dropdowns. An action that serves several HIAs or aims "
    "takes them all, separated by semicolons, e.g. HIA 2; HIA 6 (say Yes when Excel asks).",
    "4. Type % complete as a percentage (40%), and the Completed date when an action is done.",
    "5. RAG and Days to due fill in by themselves: do not type in those two columns.",
    "6. Dashboard shows the counts, the gaps and a chart; National deadlines shows the EDI reporting "
    "year's dates for the next 12 months (pay gaps, PSED, WRES, WDES, EDS) and the HIA milestones. "
    "Both update on their own.",
    "7. EDS 2022: score each of the 11 outcomes 0-3 with your stakeholders, with the evidence and the "
    "IDs of the actions that address it; the totals and the rating band work themselves out.",
    "8. Validation lists what to fix, cell by cell, when edi-workbook validate --write-back has run "
    "on this file. It stays empty otherwise.",
)

_RULE = (
    "Complete -> Blue.",
    "Cancelled, or no due date -> Grey.",
    "Due date before the as-of date -> Red.",
    "Due within AmberDays days (default 30) -> Amber.",
    "On hold -> Amber.",
    "Started, and behind the straight-line schedule by more than ProgressTolerance percentage "
    "points (default 20) -> Amber.",
    "Otherwise -> Green.",
)

_PYTHON = (
    ("edi-workbook validate plan.xlsx", "checks every row and says what to fix, cell by cell"),
    ("edi-workbook map plan.xlsx", "suggests HIAs and PSED aims for empty cells, with the evidence"),
    ("edi-workbook calendar plan.xlsx", "exports due dates as calendar reminders for Outlook"),
    ("edi-workbook batch plans/", "rolls many practices' plans up into one picture"),
    ("edi-workbook report plan.xlsx -o report.html", "writes a board-ready report"),
)


def start_here(ws: Worksheet) -> None:
    """What the workbook is, how to fill it in, the RAG legend and rule, where Python helps."""
    from edi_workbook import __version__

    ref = reference.load()
    widths(ws, {"A": 10, "B": 100})
    title(ws, "EDI action plan workbook")
    row = _para(
        ws,
        3,
        "This workbook holds an equality, diversity and inclusion (EDI) action plan. Each action is "
        "linked to NHS England's six High Impact Actions (HIAs) and to the three aims of the Public "
        "Sector Equality Duty (Equality Act 2010, s.149). Its RAG colours, dashboard and national "
        "deadlines work in Excel or LibreOffice on their own: no add-in or Python is needed.",
    )
    row = _para(ws, row + 1, "How to fill it in", bold=True, size=13)
    for step in _HOW_TO:
        row = _para(ws, row, step)
    row = _para(ws, row + 1, "RAG colours", bold=True, size=13)
    for r in ref.rag_values:
        c = ws.cell(row=row, column=1, value=r.name)
        c.fill, c.font = fill(r.fill), font(bold=True, color=r.font)
        row = _para(ws, row, r.meaning)
    row = _para(ws, row + 1, "How RAG is worked out (the first rule that fits wins)", bold=True, size=13)
    for i, step in enumerate(_RULE, start=1):
        row = _para(ws, row, f"{i}. {step}")
    row = _para(
        ws,
        row,
        "The as-of date is AsOfDate on Plan details, or today when it is blank. A blank % complete "
        "counts as 0%. Days to due is the due date minus the as-of date (negative when overdue).",
    )
    row = _para(ws, row + 1, "Where Python helps (optional)", bold=True, size=13)
    row = _para(
        ws,
        row,
        "With the edi-workbook tool installed (see its README), these commands work on this file:",
    )
    for cmd, what in _PYTHON:
        row = _para(ws, row, f"{cmd}  -  {what}")
    _para(ws, row + 1, f"Template by edi-workbook {__version__}; reference data version {ref.version}.")
    ws.sheet_view.showGridLines = False
    print_setup(ws)
