"""The template's Excel formulas: RAG and Days to due, as formula strings for one sheet row.

The rule is the one in :mod:`edi_workbook.rag_rating`, whose constants (status words, RAG names)
it uses (issue 2, "Default rule"); first match wins, dates are
whole days, a blank ``% complete`` counts as 0::

    1. Status Complete                                   -> Blue
    2. Status Cancelled, or no due date                  -> Grey
    3. due < as-of                                       -> Red
    4. due - as-of <= AmberDays                          -> Amber
    5. Status On hold                                    -> Amber
    6. a start date, start <= as-of, and
       100 * (as-of - start) / (due - start) - 100 * pct  > ProgressTolerance  -> Amber
    7. otherwise                                         -> Green

    Days to due = due - as-of (negative when overdue; blank without a due date)

Workbook-level defined names: ``AsOfDate`` (blank or not a date means ``TODAY()``), ``AmberDays``,
``ProgressTolerance``. Cells refer to the row's own columns, lettered from
``reference.load().template_columns`` order starting at column A (``column_letters()``), unless a mapping
of key -> letter is given for another layout.

Details that keep Python and the spreadsheet equal (``rag.rag_frame`` does the same):

- a due or start cell that is not a number (``"TBC"``) counts as blank; ``INT`` drops times;
- status words are compared after ``TRIM`` (Excel's ``=`` ignores case), with the synonyms the
  tool reads (``values.parse_status``: ``Done`` is Complete, ``Paused`` On hold) from the reference
  data, as an array constant (``OR(TRIM(J5)={"Complete","completed","done",...})``). A status the
  tool reads only after dropping punctuation or odd spaces (``Done.``) is flagged by validation
  (``status-not-read-by-formulas``), as are dates and numbers typed as text;
- ``% complete`` above 1 (or below -1) is read as points (``50`` -> 50%), as ``values.parse_pct``;
  text there counts as 0 (``N``);
- the schedule lag of rule 6 is rounded to 9 decimal places before comparing, so that float noise
  (``100 * 0.29 = 28.999999999999996``) cannot flip a boundary one way in Python and the other
  in a spreadsheet; a start on or after the due date skips rule 6 (no division by zero).

Only functions that Excel and LibreOffice 7.4 both compute are used (IF, AND, OR, NOT, ISNUMBER,
INT, N, ABS, ROUND, TRIM, TODAY): no LET, IFS, LAMBDA or XLOOKUP.

>>> days_to_due_formula(5)
'=IF(ISNUMBER(I5),INT(I5)-IF(ISNUMBER(AsOfDate),INT(AsOfDate),TODAY()),"")'
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from edi_workbook import reference, values
from edi_workbook.rag_rating import (
    AMBER,
    BLUE,
    CANCELLED,
    COMPLETE,
    GREEN,
    GREY,
    LAG_DECIMALS,
    ON_HOLD,
    RED,
)

__all__ = [
    "AMBER",
    "AMBER_DAYS",
    "AS_OF_DATE",
    "BLUE",
    "CANCELLED",
    "COMPLETE",
    "GREEN",
    "GREY",
    "LAG_DECIMALS",
    "ON_HOLD",
    "PROGRESS_TOLERANCE",
    "RED",
    "as_of_expr",
    "column_letters",
    "days_to_due_formula",
    "pct_expr",
    "rag_formula",
    "status_is",
]

AS_OF_DATE = "AsOfDate"
AMBER_DAYS = "AmberDays"
PROGRESS_TOLERANCE = "ProgressTolerance"


@functools.cache
def _template_letters() -> dict[str, str]:
    from openpyxl.utils import get_column_letter

    return {c.key: get_column_letter(i + 1) for i, c in enumerate(reference.load().template_columns)}


def column_letters() -> dict[str, str]:
    """Column key -> letter in the template (``due_date`` -> ``I``), from the reference order."""
    return dict(_template_letters())


def _refs(row: int, letters: Mapping[str, str] | None) -> dict[str, str]:
    if row < 1:
        raise ValueError(f"sheet rows start at 1, not {row}")
    cols = letters if letters is not None else _template_letters()
    return {key: f"{cols[key]}{row}" for key in ("start_date", "due_date", "status", "pct_complete")}


def as_of_expr() -> str:
    """The as-of date as an expression: ``AsOfDate`` when it holds a date, else ``TODAY()``."""
    return f"IF(ISNUMBER({AS_OF_DATE}),INT({AS_OF_DATE}),TODAY())"


def pct_expr(cell: str) -> str:
    """``% complete`` of ``cell`` as a fraction: blank or text -> 0, ``50`` -> 0.5, ``0.5`` -> 0.5."""
    return f"IF(ABS(N({cell}))<=1,N({cell}),N({cell})/100)"


def status_is(cell_text: str, status: str) -> str:
    """``cell_text`` (an expression) is one of ``status``'s words: ``OR(x={"Complete","done",...})``."""
    words = ",".join(f'"{w}"' for w in values.status_words(status))
    return f"OR({cell_text}={{{words}}})"


def days_to_due_formula(row: int, letters: Mapping[str, str] | None = None) -> str:
    """``Days to due`` for sheet row ``row``: due - as-of in whole days, ``""`` without a due date."""
    due = _refs(row, letters)["due_date"]
    return f'=IF(ISNUMBER({due}),INT({due})-{as_of_expr()},"")'


def rag_formula(row: int, letters: Mapping[str, str] | None = None) -> str:
    """``RAG`` for sheet row ``row``: the seven-step rule of the module docstring, as one formula."""
    r = _refs(row, letters)
    asof, status, due, start = as_of_expr(), f"TRIM({r['status']})", f"INT({r['due_date']})", r["start_date"]
    pct = pct_expr(r["pct_complete"])
    lag = f"ROUND(100*({asof}-INT({start}))/({due}-INT({start}))-100*{pct},{LAG_DECIMALS})"
    rule6 = (
        f"IF(ISNUMBER({start}),IF(AND(INT({start})<={asof},{due}>INT({start})),"
        f'IF({lag}>{PROGRESS_TOLERANCE},"{AMBER}","{GREEN}"),"{GREEN}"),"{GREEN}")'
    )
    return (
        f'=IF({status_is(status, COMPLETE)},"{BLUE}",'
        f'IF(OR({status_is(status, CANCELLED)},NOT(ISNUMBER({r["due_date"]}))),"{GREY}",'
        f'IF({due}<{asof},"{RED}",'
        f'IF({due}-{asof}<={AMBER_DAYS},"{AMBER}",'
        f'IF({status_is(status, ON_HOLD)},"{AMBER}",'
        f"{rule6})))))"
    )
