"""Reading the action plan from an open workbook (an ``xw.Book``) for the add-in.

The plan is the table ``ActionPlan`` (the template's contract, docs/ARCHITECTURE.md), else the best
header row of any sheet (``edi_workbook.read.headers``). The sheet's values go through the same
grid-to-plan step as the file reader (``edi_workbook.read.grid.build_plan``), with settings
and details from the workbook's defined names (``edi_workbook.read.details``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook.read.headers import HeaderMatch, best_header_row, match_row

if TYPE_CHECKING:
    from edi_workbook.plan import Plan

__all__ = ["TABLE", "BookPlan", "names_of", "read_book_plan", "sheet_grid"]

TABLE = "ActionPlan"


@dataclass
class BookPlan:
    """The plan read from an open workbook, and where its columns are on the sheet."""

    plan: Plan
    sheet: Any
    header_row: int
    columns: dict[str, int]
    last_column: int
    formula_columns: frozenset[str] = field(default_factory=frozenset)

    @property
    def rows(self) -> list[int]:
        """1-based sheet row of every action, in plan order."""
        return [int(r) for r in self.plan.rows if r is not None]


def sheet_grid(sheet: Any) -> list[list[Any]]:
    """The sheet's values from A1 to its last used cell (row 0 is sheet row 1)."""
    used = sheet.used_range
    body = used.options(ndim=2).value or [[]]
    top, left = used.row - 1, used.column - 1
    width = left + max((len(r) for r in body), default=0)
    return [[None] * width for _ in range(top)] + [[None] * left + list(r) for r in body]


def names_of(book: Any) -> dict[str, tuple[str, str]]:
    """Workbook-level names that refer to a range: name -> (sheet, A1 cell)."""
    out: dict[str, tuple[str, str]] = {}
    for name in book.names:
        try:
            rng = name.refers_to_range
        except Exception:  # noqa: BLE001, S112 - a name holding a constant or a formula has no range
            continue
        if rng is not None:
            out[name.name.rsplit("!", 1)[-1]] = (rng.sheet.name, rng.address.replace("$", "").split(":")[0])
    return out


def _find_table(book: Any) -> tuple[Any, Any] | None:
    for sheet in book.sheets:
        for table in sheet.tables:
            if table.name.casefold() == TABLE.casefold() and table.header_row_range is not None:
                return sheet, table
    return None


def _layout(book: Any) -> tuple[Any, HeaderMatch, int, int | None, str | None]:
    """(sheet, header match, first column 0-based, last data row 0-based or None, table name)."""
    from edi_workbook.errors import PlanReadError

    found = _find_table(book)
    if found is not None:
        sheet, table = found
        header = table.header_row_range
        match = match_row(list(header.options(ndim=1).value), header.row - 1)
        body = table.data_body_range
        last = body.last_cell.row - 1 if body is not None else header.row - 1
        return sheet, match, header.column - 1, last, table.name
    best: tuple[Any, HeaderMatch] | None = None
    for sheet in book.sheets:
        m = best_header_row(sheet_grid(sheet))
        if m is not None and (best is None or m.score > best[1].score):
            best = (sheet, m)
    if best is None:
        raise PlanReadError(
            book.name, "no sheet has a header row naming the plan's columns (Action, Owner...)"
        )
    return best[0], best[1], 0, None, None


def _formula_cells(
    sheet: Any, top: int, bottom: int, cols: dict[str, int], template: bool
) -> set[tuple[int, int]]:
    """(sheet row, 0-based column) of formula cells in the plan's rows.

    Desktop Excel reports formulas; the remote engines do not send them, so there the template's
    contract stands in: in its ``ActionPlan`` table, RAG and Days to due are formulas.
    """
    if bottom < top or not cols:
        return set()
    left, right = min(cols.values()), max(cols.values())
    try:
        formulas = sheet.range((top, left + 1), (bottom, right + 1)).options(ndim=2).formula
    except NotImplementedError:
        keys = ("rag", "days_to_due") if template else ()
        return {(r, cols[k]) for k in keys if k in cols for r in range(top, bottom + 1)}
    if isinstance(formulas, str):
        formulas = ((formulas,),)
    return {
        (top + i, left + j)
        for i, row in enumerate(formulas)
        for j, f in enumerate(row)
        if isinstance(f, str) and f.startswith("=")
    }


def read_book_plan(book: Any) -> BookPlan:
    """Read the plan of an open workbook: table ``ActionPlan``, else the best header row found.

    Uses the same header matching and grid-to-plan step as the file reader
    (``edi_workbook.read.headers``, ``edi_workbook.read.grid``), with settings and details from the
    workbook's defined names (``AsOfDate``, ``AmberDays``...).
    """
    from edi_workbook.plan import PlanDetails, Settings
    from edi_workbook.read.details import details_from_names, settings_from_names
    from edi_workbook.read.grid import GridPlan, build_plan

    sheet, match, first_col, last_row, table = _layout(book)
    grid = sheet_grid(sheet)
    names = names_of(book)
    grids: dict[str, list[list[Any]]] = {sheet.name: grid}

    def grid_of(name: str) -> list[list[Any]]:
        if name not in grids:
            grids[name] = sheet_grid(book.sheets[name])
        return grids[name]

    cols = {key: first_col + j for key, j in match.columns.items()}
    bottom = len(grid) if last_row is None else last_row + 1
    template = table is not None and "AsOfDate" in names
    formulas = _formula_cells(sheet, match.row + 2, bottom, cols, template)
    gp = GridPlan(
        path=Path(book.fullname),
        grid=grid,
        header=match,
        sheet=sheet.name,
        format="xlwings",
        table=table,
        first_col=first_col,
        last_row=last_row,
        formula_cells=formulas,
        details=details_from_names(names, grid_of) or PlanDetails(),
        settings=settings_from_names(names, grid_of) or Settings(),
    )
    plan = build_plan(gp)
    columns = {key: j + 1 for key, j in cols.items()}
    width = max([first_col + len(match.columns) + len(match.extras), *columns.values()])
    return BookPlan(plan, sheet, match.row + 1, columns, width, plan.formula_columns)
