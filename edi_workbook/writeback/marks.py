"""What write-back changes in a cell: :class:`CellMark`, and the marks a validation report asks for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from edi_workbook.findings import Finding, Severity

__all__ = ["KEEP", "CellMark", "Dropdown", "marks_for_findings"]

KEEP: Any = object()
"""Sentinel for :attr:`CellMark.value`: leave the cell's value as it is."""


@dataclass(frozen=True)
class CellMark:
    """One cell to change: a new value and/or a background, font colour or note.

    With ``if_empty`` the mark is skipped (nothing at all is done to the cell) unless the cell is
    empty when the workbook is written: no value and no formula, whatever the formula shows.
    """

    sheet: str
    cell: str  # A1, e.g. "I7"
    value: Any = KEEP  # new value (str/number/date/None), or KEEP
    fill: str | None = None  # hex RGB background, e.g. "FFC000"
    font_color: str | None = None
    note: str | None = None  # a cell note (comment) by "edi-workbook"
    style_like: str | None = None  # A1 cell of the same sheet whose format a new cell takes (a header)
    wrap: bool = False  # top-align and wrap the value where the cell has no alignment of its own
    if_empty: bool = False  # only fill a cell that holds nothing (map --write-back)


@dataclass(frozen=True)
class Dropdown:
    """A list to choose from in a range of cells (a data validation of type list, ECMA-376 18.3.1.32).

    Typing something else stays allowed (no error message): a plan may hold ``HIA 2; HIA 6``.
    """

    sheet: str
    cells: str  # A1 range, e.g. "P5:P40"
    choices: tuple[str, ...]


def marks_for_findings(findings: Sequence[Finding]) -> list[CellMark]:
    """One mark per offending cell: fill by the worst severity, a note with every message.

    Errors are filled red, warnings amber; info findings get a note only.
    """
    from edi_workbook.writeback.sheets import SEVERITY_FILL

    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.sheet and f.cell:
            by_cell.setdefault((f.sheet, f.cell.replace("$", "").upper()), []).append(f)
    marks = []
    for (sheet, cell), group in by_cell.items():
        worst = min((f.severity for f in group), key=order.__getitem__)
        lines = [f"{f.severity.value.capitalize()} ({f.code}): {f.message}" for f in group]
        fill = SEVERITY_FILL[worst] if worst is not Severity.INFO else None
        marks.append(CellMark(sheet, cell, fill=fill, note="edi-workbook:\n" + "\n".join(lines)))
    return marks
