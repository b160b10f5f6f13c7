"""From a grid of cell values (one sheet or one CSV) and its header row to a :class:`Plan`.

Shared by the workbook and CSV readers. A grid is a list of rows, row 0 being sheet row 1 and
column 0 being column A, so every value keeps its A1 cell. Rows with nothing typed in any
canonical column (formula cells do not count: the template pre-fills RAG and Days to due) are
not actions and are skipped.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edi_workbook import values
from edi_workbook.errors import PlanReadError
from edi_workbook.plan import KEYS, Plan, PlanDetails, Settings, column_letter
from edi_workbook.read.headers import HeaderMatch

__all__ = ["MAX_ROWS", "GridPlan", "build_plan"]

MAX_ROWS = 50_000
"""Largest number of rows under the header that a plan may have; bigger sheets are refused."""

Grid = Sequence[Sequence[Any]]


@dataclass
class GridPlan:
    """Where the plan sits in a grid and what else is known about it."""

    path: Path
    grid: Grid
    header: HeaderMatch
    sheet: str | None
    format: str
    table: str | None = None
    first_col: int = 0
    last_row: int | None = None  # 0-based, inclusive; None: to the end of the grid
    formula_cells: Collection[tuple[int, int]] = frozenset()  # (sheet row, 0-based column)
    section_rows: Collection[int] = frozenset()  # sheet rows that are headings, not actions
    details: PlanDetails = field(default_factory=PlanDetails)
    settings: Settings = field(default_factory=Settings)


def _cell(row: Sequence[Any], j: int) -> Any:
    v = row[j] if j < len(row) else None
    if v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v):
        return None
    return v


def _progress_as_notes(g: GridPlan, start: int, stop: int) -> None:
    """A ``Progress`` column of sentences is an update, not a percentage: read it as the notes.

    Only for headers without ``%`` or ``percent``, when most of its first 200 filled cells are text
    of three words or more that is not a percentage.
    """
    j = g.header.columns.get("pct_complete")
    if j is None:
        return
    header = str(g.grid[g.header.row][g.first_col + j])
    if "%" in header or "percent" in header.lower():
        return
    filled = [v for v in (_cell(g.grid[i], g.first_col + j) for i in range(start, stop)) if v is not None][
        :200
    ]
    sentences = [
        v for v in filled if isinstance(v, str) and len(v.split()) >= 3 and values.parse_pct(v) is None
    ]
    if not sentences or 2 * len(sentences) <= len(filled):
        return
    del g.header.columns["pct_complete"]
    if "notes" in g.header.columns:
        g.header.extras[j] = header.strip()
    else:
        g.header.columns["notes"] = j


def _clean(col: Sequence[Any]) -> list[Any]:
    """Blank values (empty or space-only text, NaN) as None: :func:`_cell` for a whole column."""
    return [
        None if (v.__class__ is str and not v.strip()) or (v.__class__ is float and v != v) else v
        for v in col
    ]


def _columns(grid: Grid, rows: list[int], positions: list[int]) -> list[list[Any]]:
    """The columns at ``positions`` (0-based) of the given grid rows, blanks as None."""
    sub = [grid[i] for i in rows]
    width = max(positions, default=-1) + 1
    if sub and min(map(len, sub)) < width:  # ragged rows (CSV): pad them
        sub = [list(row) + [None] * (width - len(row)) for row in sub]
    if not sub:
        return [[] for _ in positions]
    transposed = list(zip(*sub, strict=False))  # every row is at least `width` long here
    return [_clean(transposed[j]) for j in positions]


def _action_rows(
    g: GridPlan, start: int, stop: int, cols: dict[str, int]
) -> tuple[list[int], list[list[Any]]]:
    """Sheet rows of the actions, and each canonical column's values on those rows.

    A row is an action when a canonical column holds something typed (not a formula's result).
    """
    candidates = [i for i in range(start, stop) if i + 1 not in g.section_rows]
    columns = _columns(g.grid, candidates, list(cols.values()))
    formula_rows: dict[int, set[int]] = {}
    for r, c in g.formula_cells:
        formula_rows.setdefault(c, set()).add(r - 1)
    typed = []
    for j, col in zip(cols.values(), columns, strict=True):
        in_formula = formula_rows.get(j)
        if in_formula:
            typed.append(
                [v is not None and i not in in_formula for v, i in zip(col, candidates, strict=True)]
            )
        else:
            typed.append([v is not None for v in col])
    keep = [n for n, flags in enumerate(zip(*typed, strict=True)) if any(flags)] if typed else []
    return [candidates[n] + 1 for n in keep], [[col[n] for n in keep] for col in columns]


def build_plan(g: GridPlan) -> Plan:
    """The plan in ``g``: one row per action under the header, canonical columns only."""
    import pandas as pd

    start = g.header.row + 1
    stop = len(g.grid) if g.last_row is None else min(len(g.grid), g.last_row + 1)
    _progress_as_notes(g, start, stop)
    cols = {key: g.first_col + j for key, j in g.header.columns.items()}
    if stop - start > MAX_ROWS:
        raise PlanReadError(
            g.path,
            f"the plan has {stop - start:,} rows, more than the {MAX_ROWS:,} this tool reads; "
            "split it into smaller plans or delete the empty rows at the bottom",
        )
    rows, columns = _action_rows(g, start, stop, cols)
    found = dict(zip(cols, columns, strict=True))
    raw = pd.DataFrame({k: found.get(k) or [None] * len(rows) for k in KEYS}, dtype=object)
    letters = {key: column_letter(j + 1) for key, j in cols.items()}
    header_cells = g.grid[g.header.row]
    last = stop if g.last_row is None else g.last_row + 1  # pre-filled formula rows may hold no value
    with_formulas = {c for r, c in g.formula_cells if start < r <= last}
    formula_columns = frozenset(k for k, j in cols.items() if j in with_formulas)
    return Plan.from_raw(
        raw,
        rows=rows,
        column_letters=letters,
        source=g.path,
        sheet=g.sheet,
        table=g.table,
        header_row=g.header.row + 1,
        column_map={k: str(header_cells[j]).strip() for k, j in cols.items()},
        extra_headers=[g.header.extras[j] for j in sorted(g.header.extras)],
        details=g.details,
        settings=g.settings,
        format=g.format,
        formula_columns=formula_columns,
        formula_cells=g.formula_cells,
    )
