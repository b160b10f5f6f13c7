"""Columns a plan lacks, added at the right end of its header row: for ``map`` and ``rag`` write-back.

A plan in another layout may have no HIA, PSED aim or RAG column. Write-back then adds each at
the right of the header row, in the first column that is empty, with no formula whatever it
shows, in the header and on every row of the plan (a user's unlabelled notes or formulas are
never written over), with the canonical header formatted like the header cell beside it; HIA and
PSED aim get a dropdown of their values (typing something else stays allowed). Nothing else moves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from edi_workbook import reference
from edi_workbook.errors import WriteBackError
from edi_workbook.limits import EXCEL_COLUMNS
from edi_workbook.plan import column_letter
from edi_workbook.writeback.marks import CellMark, Dropdown

if TYPE_CHECKING:
    from edi_workbook.plan import Plan

__all__ = ["DROPDOWN_KEYS", "choices_of", "new_columns"]

DROPDOWN_KEYS = ("hia", "psed_aim")
"""New columns that get a dropdown of their values."""


def choices_of(key: str) -> tuple[str, ...]:
    """The dropdown values of a column, as the template's lists give them (``HIA 2``, ``(b) ...``)."""
    ref = reference.load()
    if key == "hia":
        return tuple(h.label for h in ref.hias)
    if key == "psed_aim":
        return tuple(a.label for a in ref.psed_aims)
    raise KeyError(key)


def new_columns(plan: Plan, keys: list[str]) -> tuple[dict[str, str], list[CellMark], list[Dropdown]]:
    """Letters for the ``keys`` the plan lacks, the header marks and the dropdowns to add.

    Returns (key -> column letter, including the plan's own columns; header marks; dropdowns).
    Needs a plan read from one sheet of a workbook (``plan.source``, ``plan.sheet``).
    """
    letters = dict(plan.column_letters)
    missing = [k for k in keys if k not in letters]
    if not missing or plan.source is None or plan.sheet is None:
        return letters, [], []
    header = plan.header_row or 1
    rows = [r for r in plan.rows if r is not None]
    grid = _grid(plan)
    last = _last_filled(grid[header - 1] if header - 1 < len(grid) else [])
    used_rows = [header - 1, *(r - 1 for r in rows)]
    wanted = set(used_rows)
    formulas = {c for r, c in plan.formula_cells if r - 1 in wanted}  # used, whatever they show
    free: list[int] = []
    col = last + 1
    while len(free) < len(missing):
        if col not in formulas and all(
            col >= len(grid[i]) or _empty(grid[i][col]) for i in used_rows if i < len(grid)
        ):
            free.append(col)
        col += 1
    sheet = str(plan.sheet)
    if free[-1] >= EXCEL_COLUMNS:  # past XFD: a file Excel cannot open
        names = " and ".join(reference.load().header_of(k) for k in missing)
        raise WriteBackError(
            plan.source,
            f"no room for {names} right of the plan: the sheet is full to column XFD; nothing written",
        )
    like = f"{column_letter(last + 1)}{header}" if last >= 0 else None
    marks, dropdowns = [], []
    first, bottom = (min(rows), max(rows)) if rows else (header + 1, header + 1)
    for key, c in zip(missing, free, strict=True):
        letters[key] = column_letter(c + 1)
        marks.append(
            CellMark(sheet, f"{letters[key]}{header}", value=reference.load().header_of(key), style_like=like)
        )
        if key in DROPDOWN_KEYS:
            dropdowns.append(
                Dropdown(sheet, f"{letters[key]}{first}:{letters[key]}{bottom}", choices_of(key))
            )
    return letters, marks, dropdowns


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _last_filled(row: list[Any]) -> int:
    """0-based index of the last filled cell of a row, -1 when none is."""
    return max((j for j, v in enumerate(row) if not _empty(v)), default=-1)


def _grid(plan: Plan) -> list[list[Any]]:
    """The plan sheet's values, as python-calamine reads them (formula cells give their values)."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(plan.source))
    try:
        grid: list[list[Any]] = wb.get_sheet_by_name(str(plan.sheet)).to_python(skip_empty_area=False)
    finally:
        wb.close()
    return [[None if v == "" else v for v in row] for row in grid]
