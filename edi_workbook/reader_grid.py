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
from edi_workbook.headers import HeaderMatch
from edi_workbook.plan import Plan, PlanDetails, Settings, column_letter

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
    records: list[dict[str, Any]] = []
    rows: list[int] = []
    formulas = g.formula_cells
    for i in range(start, stop):
        if i + 1 in g.section_rows:
            continue
        row = g.grid[i]
        rec = {key: _cell(row, j) for key, j in cols.items()}
        if any(v is not None and (i + 1, cols[k]) not in formulas for k, v in rec.items()):
            records.append(rec)
            rows.append(i + 1)
    raw = pd.DataFrame(records, columns=list(cols), dtype=object)
    letters = {key: column_letter(j + 1) for key, j in cols.items()}
    header_cells = g.grid[g.header.row]
    last = stop if g.last_row is None else g.last_row + 1  # pre-filled formula rows may hold no value
    with_formulas = {c for r, c in formulas if start < r <= last}
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
    )
