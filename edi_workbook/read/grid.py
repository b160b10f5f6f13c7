"""From a grid of cell values (one sheet or one CSV) and its header row to a :class:`Plan`.

Shared by the workbook, CSV and add-in readers. A grid is a list of rows, row 0 being sheet row 1
and column 0 being column A, so every value keeps its A1 cell. Rows are read as a person reads a
published plan:

- a cell merged down over several rows (one objective over three actions) gives its value to
  each of those rows, pointing at the merged cell;
- a row with one filled cell, or one text merged across the table, is a **section** heading, not
  an action: the actions under it get its text (a run of such rows counts as its first);
- blank rows, the header repeated further down, and rows saying there is nothing to do ("No
  specific issues") are skipped; so are rows with nothing typed in a field (formula results do
  not count: the template pre-fills RAG and Days to due);
- without an Action ID column, each action's id is its sheet row (``R12``);
- without a due-date column, a date written in the action text ("... (March 22)", "by 2013") is
  its due date; a status word in the due-date cell (``Completed``) is its status.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edi_workbook import values
from edi_workbook.errors import PlanReadError
from edi_workbook.plan import Plan, PlanDetails, Settings, column_letter
from edi_workbook.read.headers import HeaderMatch, normalise

__all__ = ["MAX_ROWS", "GridPlan", "build_plan", "date_in_text", "too_many_rows"]

MAX_ROWS = 50_000
"""Largest number of rows under the header that a plan may have; bigger sheets are refused."""

Grid = Sequence[Sequence[Any]]
Merged = Sequence[tuple[tuple[int, int], tuple[int, int]]]  # ((row, col), (row, col)), 0-based, inclusive

_NOTHING_TO_DO = re.compile(
    r"(?:no|none|nil|n/a)\b[^.]{0,40}\b(?:issues?|actions?|concerns?|gaps?)\b[^.]{0,60}\.?"
    r"|no (?:further )?action (?:is )?(?:required|needed)\b.*|not applicable\.?",
    re.I,
)
_HEADING = re.compile(
    r"(?:(?:equality|equalities|diversity|inclusion|edi|race|strategic|key|corporate|organisational"
    r"|workforce|service|our|eds|wres|wdes|psed|general|specific)\s+){1,2}"  # "Equality Objective 1: Data"
    r"(?:objective|aim|goal|priority|theme|outcome|strand|standard|indicator|metric)"
    r"\s*[\divx]+[.:\-\u2013\u2014]?(?:\s*[:\-\u2013\u2014]\s+.*)?"
    r"|(?:section|part|objective|aim|goal|priority|theme|domain|outcome|area|strand|workstream|standard"
    r"|indicator|metric|action set|key area|focus|chapter|pillar|eo|eds|wres|wdes)\s*[\d.ivx]+\b.*"
    r"|\d{1,2}[.)]?\s+\S.*|[^a-z]*[A-Z]{3}[^a-z]*",
    re.I | re.S,
)
"""A one-cell row reads as a section heading: numbered (``2 Recruitment``, ``Objective 1:``,
``Equality Objective 1:``, ``Section 2 –``), or in capitals; else only when short (a few words, no
full stop)."""


def _is_short_heading(text: str) -> bool:
    """In a one-column list, where items may be numbered too, only a short line is a heading."""
    t = re.sub(r"^\d{1,2}[.)]?\s+", "", " ".join(text.split()))  # "1. Workforce data": its number aside
    return len(t.split()) <= 5 and not t.endswith(".")


def _is_heading(text: str) -> bool:
    """Whether a row's only text is a heading rather than an action with nothing else filled in.

    >>> _is_heading("Section 2: Pay"), _is_heading("Action plan"), _is_heading("1 STRATEGY & PEOPLE")
    (True, True, True)
    >>> _is_heading("Equality Objective 1: Data and Intelligence")
    True
    >>> _is_heading("Meet outcome 2 in full with our partners")
    False
    >>> _is_heading("Introduce cultural ambassadors to scrutinise ER cases (Feb 22)")
    False
    """
    t = " ".join(text.split())
    if re.fullmatch(r"\d+\.\d+\b.*", t):  # "1.1 Analyse ...": an action's own number
        return False
    if _HEADING.fullmatch(t):
        return True
    return len(t.split()) <= 5 and not t.endswith(".")


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
    merged: Merged = ()
    details: PlanDetails = field(default_factory=PlanDetails)
    settings: Settings = field(default_factory=Settings)
    setting_cells: dict[str, tuple[str, str, Any]] = field(default_factory=dict)
    percent_rows: frozenset[int] = frozenset()
    print_last_row: int | None = None
    as_of_title: tuple[str | None, str, str] | None = None


def _blank(v: Any) -> bool:
    return v is None or (v.__class__ is str and not v.strip()) or (v.__class__ is float and v != v)


def _filled(row: Sequence[Any], first: int) -> list[int]:
    """Columns from ``first`` on where ``row`` is not blank (:func:`_blank`, tested inline: a call per
    cell was a fifth of sorting a sheet's rows)."""
    return [
        j
        for j, v in enumerate(row[first:], first)
        if not (v is None or (v.__class__ is str and not v.strip()) or (v.__class__ is float and v != v))
    ]


def _filled_down(g: GridPlan, start: int, stop: int) -> tuple[list[list[Any]], dict[tuple[int, int], int]]:
    """The data rows, with each vertically merged cell's value in every row it covers.

    Also returns (row, column) -> the row the value came from, for the rows that got one.
    """
    rows = [list(g.grid[i]) for i in range(start, stop)]
    source: dict[tuple[int, int], int] = {}
    if g.table is not None:
        return rows, source
    for (r0, c0), (r1, c1) in g.merged:
        if r1 <= r0 or r1 < start or r0 >= stop:
            continue
        top = g.grid[r0] if r0 < len(g.grid) else ()
        for c in range(c0, c1 + 1):
            v = top[c] if c < len(top) else None
            if _blank(v):
                continue
            for r in range(max(r0 + 1, start), min(r1, stop - 1) + 1):
                row = rows[r - start]
                if c < len(row) and _blank(row[c]):
                    row[c] = v
                    source[(r, c)] = r0
    return rows, source


def _banners(g: GridPlan) -> set[int]:
    """0-based rows of the grid that hold one text merged across three or more columns."""
    out = set()
    for (r0, c0), (r1, c1) in g.merged:
        if r0 == r1 and c1 - c0 >= 2 and r0 < len(g.grid):
            filled = [j for j, v in enumerate(g.grid[r0]) if not _blank(v)]
            if filled == [c0] and isinstance(g.grid[r0][c0], str):
                out.add(r0)
    return out


def _header_marks(header: HeaderMatch, first_col: int) -> list[tuple[int, str]]:
    """(column, normalised text) of the header's cells, to spot the header repeated further down."""
    return [(first_col + j, normalise(text.split(" / ")[-1])) for j, text in sorted(header.texts.items())]


def _is_repeated_header(row: Sequence[Any], marks: list[tuple[int, str]]) -> bool:
    """Whether a row repeats the header (a printed plan repeats it on each page)."""
    if len(marks) < 2:
        return False
    c, text = marks[0]
    if c >= len(row) or not isinstance(row[c], str) or normalise(row[c]) != text:
        return False  # most rows: decided on their first header cell
    same = sum(1 for c, t in marks if c < len(row) and isinstance(row[c], str) and normalise(row[c]) == t)
    return same >= max(2, len(marks) // 2)


@dataclass
class _Rows:
    """The data rows sorted out: actions (0-based grid rows), their sections, and the values."""

    actions: list[int] = field(default_factory=list)
    sections: list[str | None] = field(default_factory=list)
    rows: dict[int, Sequence[Any]] = field(default_factory=dict)
    source: dict[tuple[int, int], int] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)  # columns holding a value on an action row
    by_column: list[tuple[Any, ...]] | None = None  # the action rows transposed, when all are as wide


def _sort_rows(g: GridPlan, start: int, stop: int) -> _Rows:
    """Sections, skipped rows and candidate action rows of the data area."""
    banners = _banners(g)
    if g.table is not None:  # our own table: rows are actions, merged banners only are headings
        rows = _Rows()
        section: str | None = None
        for i in range(start, stop):
            if i in banners:
                section = " ".join(str(next(v for v in g.grid[i] if not _blank(v))).split())
                continue
            rows.rows[i] = g.grid[i]
            rows.actions.append(i)
            rows.sections.append(section)
        return rows
    filled, source = _filled_down(g, start, stop)
    head = [_filled(g.grid[i], 0) for i in range(start, min(stop, start + 50))]
    used = {j for cells in head for j in cells}
    if source or g.first_col:  # the rows sorted below differ from those: their cells are found again
        head = []
    action_col = g.first_col + g.header.columns["action"] if "action" in g.header.columns else None
    headerless = not g.header.texts
    first_col = min(used, default=g.first_col)
    out = _Rows(source=source)
    marks = _header_marks(g.header, g.first_col)
    section = None
    in_run = False
    for i, row in zip(range(start, stop), filled, strict=True):
        cells = head[i - start] if i - start < len(head) else _filled(row, g.first_col)
        if not cells:
            in_run = False
            continue
        one_text = len(cells) == 1 and isinstance(row[cells[0]], str)
        text = str(row[cells[0]]) if one_text else ""
        # no header at all: a sentence alone in the leftmost column is an item of the list, not a heading
        item = headerless and cells[0] == first_col and text.rstrip().endswith(".")
        heading = one_text and ((cells[0] != action_col and not item) or _is_heading(text))
        if i in banners or (heading and (len(used) >= 2 or _is_short_heading(text))):
            if not in_run:
                section = " ".join(str(row[cells[0]]).split())
            in_run = True
            continue
        in_run = False
        if _is_repeated_header(row, marks):
            continue
        out.rows[i] = row
        out.actions.append(i)
        out.sections.append(section)
        out.used.update(cells)
    return out


def _split_progress(col: list[Any], named: str) -> tuple[list[Any], list[Any]]:
    """One column's values as (status, % complete): status words to the status, numbers and
    percentages to the % complete, anything else to ``named`` (the field its header names), so
    that what is not understood is reported as that field (``TBC`` in a Status column)."""
    status: list[Any] = []
    pct: list[Any] = []
    for v in col:
        to_status = v is not None and (
            values.parse_status(v) is not None or (named == "status" and values.parse_pct(v) is None)
        )
        status.append(v if to_status else None)
        pct.append(None if to_status else v)
    return status, pct


def date_in_text(text: Any) -> Any:
    """A due date written in an action's text, or None: ``... (March 22)``, ``... by 2013``.

    >>> date_in_text("Review the policy (Feb 22)"), date_in_text("Publish proposals by 2013")
    (datetime.date(2022, 2, 28), datetime.date(2013, 12, 31))
    >>> date_in_text("By 1 June 2023, review how data is used"), date_in_text("Train 20 staff") is None
    (datetime.date(2023, 6, 1), True)
    """
    if not isinstance(text, str):
        return None
    for pattern in (
        r"\(([^()]*[a-z][^()]{2,40})\)\s*\.?\s*$",
        r"\b(?:by|before|no later than)\s+([^,.;()]{3,30})",
    ):
        for m in re.finditer(pattern, text, re.I):
            found = values.parse_date(m[1].strip())
            if found is None:  # "by 2013 in all directorates": the date is at the start
                words = m[1].split()
                for n in range(min(4, len(words)), 0, -1):
                    found = values.parse_date(" ".join(words[:n]))
                    if found is not None:
                        break
            if found is not None:
                return found
    return None


def _column(rows: _Rows, j: int) -> list[Any]:
    """Column ``j`` of the action rows, blanks (:func:`_blank`) as None.

    The rows are transposed once (in C) and blanks tested inline, not by a call per cell: a
    10,000-action plan has 150,000 of them. Rows of unequal width (a CSV) are read cell by cell.
    """
    if rows.by_column is None:
        picked = [rows.rows[i] for i in rows.actions]
        width = len(picked[0]) if picked else 0
        rows.by_column = list(zip(*picked, strict=True)) if all(len(r) == width for r in picked) else []
    if rows.by_column or not rows.actions:  # [] when the widths differ (or are all 0): cell by cell
        if j >= len(rows.by_column):
            return [None] * len(rows.actions)
        col: Sequence[Any] = rows.by_column[j]
    else:
        got = rows.rows
        col = [got[i][j] if j < len(got[i]) else None for i in rows.actions]
    return [(v if v.strip() else None) if v.__class__ is str else (v if v.__class__ is not float or v == v
            else None) for v in col]  # fmt: skip


def _typed(g: GridPlan, rows: _Rows, cols: dict[str, int], columns: dict[str, list[Any]]) -> list[bool]:
    """Whether each candidate row has something typed in a field (formula results do not count).

    Each field looks only at the rows no field before it had a value in, the fields without
    formulas first: most rows are settled by one column, and a 10,000-action plan's 20,000 formula
    cells are sorted by column only when a row is still open then.
    """
    actions = rows.actions
    formula_cols = {c for _r, c in g.formula_cells}
    left: Sequence[int] = range(len(actions))  # rows with nothing typed so far
    for key, j in cols.items():  # any value counts
        if j not in formula_cols:
            col = columns[key]
            left = [n for n in left if col[n] is None]
    in_formula: dict[int, set[int]] = {}
    if left and any(j in formula_cols for j in cols.values()):
        for r, c in g.formula_cells:
            in_formula.setdefault(c, set()).add(r - 1)
    for key, j in cols.items():  # a value counts unless a formula gave it
        if j in formula_cols and left:
            col, formula_rows = columns[key], in_formula[j]
            left = [n for n in left if col[n] is None or actions[n] in formula_rows]
    keep = [True] * len(actions)
    for n in left:
        keep[n] = False
    return keep


def _ticked(rows: _Rows, subs: dict[int, str]) -> list[Any]:
    """For a field read from sub-columns of ticks: the sub-headers ticked in each row."""
    from edi_workbook.read.columns import TICKS

    out = []
    for i in rows.actions:
        row = rows.rows[i]
        names = [t for j, t in sorted(subs.items()) if j < len(row) and str(row[j]).strip().lower() in TICKS]
        out.append("; ".join(names) or None)
    return out


def too_many_rows(path: Path, rows: int) -> PlanReadError:
    """The error for a plan with more than :data:`MAX_ROWS` rows under its header."""
    return PlanReadError(
        path,
        f"the plan has {rows:,} rows, more than the {MAX_ROWS:,} this tool reads; "
        "split it into smaller plans or delete the empty rows at the bottom",
    )


def build_plan(g: GridPlan) -> Plan:
    """The plan in ``g``: one row per action under the header, canonical columns only."""
    start = g.header.row + 1
    stop = len(g.grid) if g.last_row is None else min(len(g.grid), g.last_row + 1)
    if stop - start > MAX_ROWS:
        raise too_many_rows(g.path, stop - start)
    rows = _sort_rows(g, start, stop)
    by_col: dict[int, list[Any]] = {}
    if g.table is None:
        from edi_workbook.read.columns import decide

        merged_down = frozenset(c - g.first_col for _r, c in rows.source)
        spare = {c - g.first_col for c in rows.used}
        by_col = {j: _column(rows, g.first_col + j) for j in set(g.header.texts) | spare}
        decide(g.header, by_col, merged_down)
    cols = {key: g.first_col + j for key, j in g.header.columns.items()}
    columns = {
        key: by_col[j - g.first_col] if j - g.first_col in by_col else _column(rows, j)
        for key, j in cols.items()
    }
    for key, subs in g.header.groups.items():
        columns[key] = _ticked(rows, {g.first_col + j: t for j, t in subs.items()})
    if g.header.shared and "status" in cols and cols["status"] == cols.get("pct_complete"):
        columns["status"], columns["pct_complete"] = _split_progress(columns["status"], g.header.shared[0])
    keep = _typed(g, rows, cols, columns)
    if "action" in columns:  # "No specific issues arising": said, but nothing to do
        keep = [k and not (isinstance(a, str) and _NOTHING_TO_DO.fullmatch(a.strip())) for k, a in
                zip(keep, columns["action"], strict=True)]  # fmt: skip
    picked = [n for n, k in enumerate(keep) if k]
    action_rows = [rows.actions[n] for n in picked]
    found = {key: [col[n] for n in picked] for key, col in columns.items()}
    sections = [rows.sections[n] for n in picked]
    extras: dict[str, list[Any]] = {}

    def column_of(j: int) -> list[Any]:
        col = by_col[j] if j in by_col else _column(rows, g.first_col + j)
        return [col[n] for n in picked]

    def cell_of(n: int, j: int) -> str:
        top = rows.source.get((action_rows[n], g.first_col + j), action_rows[n])
        return f"{column_letter(g.first_col + j + 1)}{top + 1}"

    revised = _revise_due_dates(g, cols, found, extras, column_of, cell_of)
    also = None
    if revised is not None:  # "Completed" typed in a revised cell
        also = [extras[h] for h in revised.revised]
    meta = _fill_gaps(found, action_rows, foreign=g.table is None, also=also)
    for j, head in _extra_heads(g, cols, rows.used):
        if revised is not None and j in revised.columns:
            continue
        kept = column_of(j)
        if head is None:  # no header and no field: kept under its letter if it holds anything
            if all(_blank(v) for v in kept):
                continue
            head = f"Column {column_letter(g.first_col + j + 1)}"
        name, k = head, 1
        while name in extras:  # two columns headed alike: "Notes", "Notes (2)"
            k += 1
            name = f"{head} ({k})"
        extras[name] = kept
    letters = {key: column_letter(j + 1) for key, j in cols.items()}
    column_map = _column_map(g.header, cols, g.first_col)
    if revised is not None:
        column_map["due_date"] = f"{revised.header} (else {column_map['due_date']})"
    last = stop if g.last_row is None else g.last_row + 1  # pre-filled formula rows may hold no value
    with_formulas = {c for r, c in g.formula_cells if start < r <= last}
    plan = Plan.from_columns(
        found,
        len(action_rows),
        rows=[i + 1 for i in action_rows],
        column_letters=letters,
        source=g.path,
        sheet=g.sheet,
        table=g.table,
        header_row=g.header.row + 1,
        column_map=column_map,
        extra_headers=list(extras),
        extra_columns=extras,
        details=g.details,
        settings=g.settings,
        format=g.format,
        formula_columns=frozenset(k for k, j in cols.items() if j in with_formulas),
        sections=sections if any(sections) else [],
        ids_from_rows=meta["ids_from_rows"],
        due_from_text=meta["due_from_text"],
        setting_cells=g.setting_cells,
        percent_rows=g.percent_rows,
        print_last_row=g.print_last_row,
        formula_cells=g.formula_cells,
        as_of_title=g.as_of_title,
        original_due_column=None if revised is None else revised.original,
        revised_due_columns=()
        if revised is None
        else tuple(zip(revised.revised, revised.letters, strict=True)),
    )
    _point_at_merged_cells(plan.cell_columns, rows.source, cols, action_rows)
    if revised is not None:  # a revised due date points at its own cell
        due_refs = plan.cell_columns["due_date"]
        for n, cell in enumerate(revised.cells):
            if cell is not None:
                due_refs[n] = cell
    if g.table is None and "status" not in cols and "completed_date" in cols:
        _complete_when_completed(plan, g.header.texts.get(cols["completed_date"] - g.first_col, ""))
    if plan.due_from_text:  # a due date read from the action text points at the action's cell
        plan.cell_columns["due_date"] = list(plan.cell_columns["action"])
    return plan


def _extra_heads(g: GridPlan, cols: dict[str, int], used: set[int]) -> list[tuple[int, str | None]]:
    """The columns no field reads, left to right, with their headers: the headed ones, and in a
    foreign layout those without a header that hold a value on an action row (None: no header)."""
    heads: dict[int, str | None] = dict(g.header.extras)
    if g.table is None:
        taken = set(g.header.texts) | {j - g.first_col for j in cols.values()}
        taken |= {j for subs in g.header.groups.values() for j in subs}
        heads |= {c - g.first_col: None for c in used if c >= g.first_col and c - g.first_col not in taken}
    return sorted(heads.items())


@dataclass
class _Revised:
    """Revised due-date columns beside the original one: each action's due-date cell where a revised
    date gave it (else None), the extra column the original dates went to, the extra column of each
    revised column (left to right) with its letter, and the columns (relative to the plan's first)
    taken care of here."""

    cells: list[str | None]
    original: str
    revised: list[str]
    letters: list[str]
    columns: set[int]

    @property
    def header(self) -> str:
        """What ``columns read`` names: the revised columns, latest first."""
        return " / ".join(reversed(self.revised))


def _revise_due_dates(
    g: GridPlan,
    cols: dict[str, int],
    found: dict[str, list[Any]],
    extras: dict[str, list[Any]],
    column_of: Callable[[int], list[Any]],
    cell_of: Callable[[int, int], str],
) -> _Revised | None:
    """A published plan's "Revised deadline" beside its "Original deadline": an action's latest
    revised date (the rightmost of "Revised deadline", "Second revised deadline"...), where one
    is a date, is its due date: the deadline in force, which RAG, reminders, the roll-up and
    carry-over follow. The original moves to the extra columns under its own header, and each
    revised column's values stay there too, but for the date that became the due date, so nothing
    typed is lost. Where no revised cell holds a date, the original stands; a revised cell saying
    "Completed" gives the status when the plan has no Status column (``_fill_gaps``), and one saying
    "TBC" is reported (``revised-date-not-understood``). Revised columns alone: the leftmost is the
    due date, the others revise it.

    ``column_of(j)`` gives column ``j``'s (relative to the plan's first) values on the action rows,
    ``cell_of(n, j)`` the cell of action ``n`` in column ``j`` (where a merged value is typed).
    In our template, whose formulas rate the Due date column, revised columns are extra columns, so
    Python and Excel give the same answer. Takes the revised column out of ``cols`` and ``found``.
    """
    j = cols.pop("revised_due_date", None)
    if j is None:
        return None
    first_values = found.pop("revised_due_date")
    rel = j - g.first_col
    texts = g.header.texts
    if g.table is not None:
        extras[texts.get(rel, "")] = first_values
        return None
    from edi_workbook.read.headers import match_header

    more = sorted(
        k for k, text in g.header.extras.items() if k > rel and match_header(text) == "revised_due_date"
    )
    revised = [rel, *more]
    if "due_date" not in cols:  # revised columns alone: the first is the due date
        cols["due_date"], found["due_date"] = j, first_values
        revised = more
        if not revised:
            return None
    columns = {k: first_values if k == rel else column_of(k) for k in revised}
    due_rel = cols["due_date"] - g.first_col
    original = found["due_date"]
    due = list(original)
    cells: list[str | None] = [None] * len(original)
    kept = {k: list(v) for k, v in columns.items()}
    for n in range(len(original)):
        for k in reversed(revised):  # the latest revision
            v = columns[k][n]
            if (date := values.revised_date(v)) is not None:
                due[n] = v if values.parse_date(v) == date else date
                cells[n] = cell_of(n, k)
                if due[n] is v:  # the date itself is the due date now: the note need not repeat it
                    kept[k][n] = None
                break
    found["due_date"] = due
    first = texts.get(due_rel, "Due date")
    extras[first] = [d if c is not None else None for d, c in zip(original, cells, strict=True)]
    for k in revised:
        extras[texts.get(k, "")] = kept[k]
    names = [texts.get(k, "") for k in revised]
    letters = [column_letter(g.first_col + k + 1) for k in revised]
    return _Revised(cells, first, names, letters, set(revised))


def _complete_when_completed(plan: Plan, header: str) -> None:
    """A layout with a completed date and no status: an action completed on or before the plan's
    as-of date (else today) is Complete (its status cell stays blank: nothing is typed there), so
    it is not rated overdue, reminded of or carried over as open. A "Revised date" column, read as
    the completed date, is a new deadline: it says nothing is done."""
    if "revis" in header.lower():
        return
    last = plan.settings.as_of or dt.date.today()
    status = plan.parsed_columns["status"]
    for i, done in enumerate(plan.parsed_columns["completed_date"]):
        if done is not None and status[i] is None and done <= last:
            status[i] = "Complete"


def _column_map(header: HeaderMatch, cols: dict[str, int], first_col: int) -> dict[str, str]:
    """Field -> the header text it was read from, as the sheet shows it."""
    out = {}
    for key, j in cols.items():
        text = header.texts.get(j - first_col)
        if text is not None:
            out[key] = text
    return out


def _fill_gaps(
    found: dict[str, list[Any]],
    action_rows: list[int],
    foreign: bool,
    also: Sequence[list[Any]] | None = None,
) -> dict[str, Any]:
    """Due dates from the action text, statuses from the due-date, completed-date or revised-date
    cells (``also``: the revised columns' values left over), ids from the rows."""
    n = len(action_rows)
    due_from_text = False
    if "due_date" not in found and "action" in found:
        dates = [date_in_text(a) for a in found["action"]]
        if not any(dates) and "objective" in found:
            dates = [date_in_text(o) for o in found["objective"]]
        if any(dates):
            found["due_date"] = dates
            due_from_text = True
    if "status" not in found:  # "Completed" typed where a date goes: the status
        said: list[Any] | None = None
        candidates: list[tuple[str, list[Any] | None]] = [("due_date", found.get("due_date"))]
        candidates += [("completed_date", found.get("completed_date")), *(("revised", r) for r in also or ())]
        for key, column in candidates:
            if column is None:
                continue
            words = [values.parse_status(d) if values.parse_date(d) is None and not values.is_no_fixed_date(d)
                     else None for d in column]  # fmt: skip
            if not any(words):
                continue
            said = words if said is None else [a or b for a, b in zip(said, words, strict=True)]
            if key == "due_date":  # a completed date of "Completed" stays: it says when, roughly
                found[key] = [None if w is not None else d for d, w in zip(column, words, strict=True)]
        if said is not None:
            found["status"] = said
    ids = found.get("action_id")
    ids_from_rows = n > 0 and (ids is None or (foreign and any(v is None for v in ids)))
    if ids_from_rows:  # a published plan numbers some rows only: the others are named by their row
        found["action_id"] = [
            f"R{i + 1}" if ids is None or ids[n] is None else ids[n] for n, i in enumerate(action_rows)
        ]
    return {"due_from_text": due_from_text, "ids_from_rows": ids_from_rows}


def _point_at_merged_cells(
    refs: dict[str, list[str | None]],
    source: dict[tuple[int, int], int],
    cols: dict[str, int],
    action_rows: list[int],
) -> None:
    """A value filled down from a merged cell points at that cell (where it is typed): ``refs``
    are a new plan's :attr:`~edi_workbook.plan.Plan.cell_columns`, changed in place."""
    if not source:
        return
    for n, i in enumerate(action_rows):
        for key, j in cols.items():
            top = source.get((i, j))
            if top is not None and key in refs:
                refs[key][n] = f"{column_letter(j + 1)}{top + 1}"
