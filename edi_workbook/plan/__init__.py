"""The action plan in memory: one list per canonical column, and where each value came from.

A :class:`Plan` holds, for each canonical key (``action_id``, ``action``, ... ``notes``; see
``reference.load().columns``), one value per action in three forms:

- :meth:`Plan.column`: parsed values (dates as :class:`datetime.date`, HIAs as tuples of ints, PSED
  aims as tuples of letters, ``pct_complete`` as a fraction, ``status`` canonical; None if blank);
- :meth:`Plan.raw_column`: what the cell held, as read;
- :meth:`Plan.cell_column`: the A1 reference of each value in its sheet (None where the plan has no
  such column).

The same three as pandas DataFrames, one row per action and one column per key, are
:attr:`Plan.frame` (dates as ``datetime64``, numbers ``float64``), :attr:`Plan.raw` and
:attr:`Plan.cells`. They are built on first use (:mod:`edi_workbook.plan.frames`), so validation,
RAG and a batch, which read the lists, never import pandas. Once a frame has been handed out it is
the plan's data: a change made to it is what the list methods give from then on.

A value that is not blank in ``raw`` but None/NaT in ``frame`` could not be understood; validation
reports it. Readers (``edi_workbook.read``) and tests build plans through :meth:`Plan.from_columns`,
:meth:`Plan.from_raw` or :meth:`Plan.from_records`, which share one parsing path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook import reference, values
from edi_workbook.plan.columns import DATE_KEYS, KEYS, column_index, column_letter, parse_columns
from edi_workbook.plan.frames import object_frame, parse_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DATE_KEYS",
    "KEYS",
    "Plan",
    "PlanDetails",
    "Settings",
    "column_index",
    "column_letter",
    "object_frame",
    "parse_frame",
]


@dataclass(frozen=True)
class Settings:
    """RAG and reminder settings; a workbook's defined names override the defaults."""

    as_of: dt.date | None = None
    amber_days: int = field(default_factory=lambda: int(reference.load().setting_default("AmberDays")))
    progress_tolerance: float = field(
        default_factory=lambda: float(reference.load().setting_default("ProgressTolerance"))
    )
    reminder_days: tuple[int, ...] = field(
        default_factory=lambda: values.parse_int_list(reference.load().setting_default("ReminderDays")) or ()
    )

    def effective_as_of(self, today: dt.date | None = None) -> dt.date:
        """The as-of date: the setting, else ``today`` (default: the system date)."""
        return self.as_of or today or dt.date.today()

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed; None values are ignored."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "amber_days": self.amber_days,
            "progress_tolerance": self.progress_tolerance,
            "reminder_days": list(self.reminder_days),
        }


@dataclass(frozen=True)
class PlanDetails:
    """What the ``Plan details`` sheet says about the plan."""

    organisation: str | None = None
    organisation_type: str | None = None
    plan_period: str | None = None
    plan_owner: str | None = None
    review_date: dt.date | None = None


@dataclass
class Plan:
    """An action plan read from a workbook, a CSV or records. See the module docstring."""

    parsed_columns: dict[str, list[Any]] = field(repr=False)
    """:meth:`column` of every key, as the reader's cells were parsed (use :meth:`column`)."""
    raw_columns: dict[str, list[Any]] = field(repr=False)
    """:meth:`raw_column` of every key (use :meth:`raw_column`)."""
    cell_columns: dict[str, list[str | None]] = field(repr=False)
    """The A1 reference of every value of every key (use :meth:`cell_column`)."""
    rows: list[int | None]
    source: Path | None = None
    sheet: str | None = None
    table: str | None = None
    header_row: int | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    column_letters: dict[str, str] = field(default_factory=dict)
    extra_headers: list[str] = field(default_factory=list)
    extra_columns: dict[str, list[Any]] = field(default_factory=dict, repr=False)
    """Each extra header's values, one per action, as read (blank: None): the columns no field
    reads (a foreign layout's "Budget" or "Board sponsor"), kept so that nothing typed is lost."""
    details: PlanDetails = field(default_factory=PlanDetails)
    settings: Settings = field(default_factory=Settings)
    format: str = "records"
    formula_columns: frozenset[str] = frozenset()
    sections: list[str | None] = field(default_factory=list)  # per action, when the plan has sections
    ids_from_rows: bool = False  # no Action ID column: ids are the sheet rows ("R12")
    due_from_text: bool = False  # no due-date column: due dates were read from the action text
    row_sheets: list[str] = field(default_factory=list)  # per action, when read from several sheets
    percent_rows: frozenset[int] = frozenset()
    """Sheet rows whose % complete is a number formatted as a percentage: ``raw`` holds it as Excel
    shows it (``"150%"``), so a rule can tell it from a percentage typed as text."""
    setting_cells: dict[str, tuple[str, str, Any]] = field(default_factory=dict)
    """Settings read from the workbook's defined names: ``{name: (sheet, cell, value as stored)}``,
    so validation can point at a setting the workbook's formulas read differently (text)."""
    print_last_row: int | None = None
    """The last row of the plan sheet's print area, if it has one: rows below it do not print."""
    as_of_title: tuple[str | None, str, str] | None = None
    """``(sheet, cell, text)`` of the title that gave ``settings.as_of`` ("Position as at 30
    September 2026"), for a plan in another layout; None when the as-of date is not from a title."""
    formula_cells: Collection[tuple[int, int]] = frozenset()
    """Cells of the plan's sheet that hold a formula: (sheet row, 0-based column)."""
    original_due_column: str | None = None
    """The extra column holding each action's due date as first agreed, where a revised deadline
    (a published plan's "Revised deadline" column) replaced it as the due date; None when nothing
    was revised (see :meth:`original_due`)."""
    revised_due_columns: tuple[tuple[str, str], ...] = ()
    """The revised due-date columns (``Revised deadline``, ``Second revised deadline``), left to
    right, as (extra column, sheet column letter): each holds what its cells said but for the date
    that became the due date."""

    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False, kw_only=True)
    """The DataFrames handed out so far (:attr:`frame`, :attr:`raw`, :attr:`cells`): the data from then on."""

    def __post_init__(self) -> None:
        # dataclasses.replace() and copy.copy() carry the frames handed out (a script's edits), as
        # when the frame was a field, but not this dict: setting one plan's frame leaves the other's
        self._frames = dict(self._frames)

    def __copy__(self) -> Plan:
        return dataclasses.replace(self)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def frame(self) -> pd.DataFrame:
        """Parsed values as a DataFrame (dates ``datetime64``, numbers ``float64``), built on first use."""
        if "frame" not in self._frames:
            from edi_workbook.plan.frames import typed_frame

            self._frames["frame"] = typed_frame(self.parsed_columns, len(self))
        return self._frames["frame"]

    @frame.setter
    def frame(self, frame: pd.DataFrame) -> None:
        self._set("frame", frame)

    @property
    def raw(self) -> pd.DataFrame:
        """The cells' values as read, as a DataFrame of objects, built on first use."""
        return self._objects("raw", self.raw_columns)

    @raw.setter
    def raw(self, raw: pd.DataFrame) -> None:
        self._set("raw", raw)

    @property
    def cells(self) -> pd.DataFrame:
        """The A1 reference of every value as a DataFrame of objects, built on first use."""
        return self._objects("cells", self.cell_columns)

    @cells.setter
    def cells(self, cells: pd.DataFrame) -> None:
        self._set("cells", cells)

    def _set(self, name: str, frame: pd.DataFrame) -> None:
        """Take a script's ``frame`` as the plan's ``name``: its values may change, not its rows."""
        if len(frame) != len(self):
            raise ValueError(
                f"plan.{name} was given {len(frame)} rows for a plan of {len(self)} actions: change "
                "values, not rows; plan.take(positions) makes a plan of some of the actions"
            )
        self._frames[name] = frame

    def take(self, positions: Iterable[int]) -> Plan:
        """A plan of some of these actions, by row position, in the order given: the same source,
        sheet, details and settings; each action with its values, cells, section and extra columns
        (and the rows of any frame a script has changed).

        >>> p = Plan.from_records([{"Action ID": "A1"}, {"Action ID": "A2"}, {"Action ID": "A3"}])
        >>> q = p.take([2, 0])
        >>> len(q), q.action_id(0), q.action_id(1), len(p)
        (2, 'A3', 'A1', 3)
        """
        idx = list(positions)
        if bad := [i for i in idx if not 0 <= i < len(self)]:
            raise IndexError(
                f"no action at row position {bad[0]}: the plan has {len(self)} (0 to {len(self) - 1})"
            )

        def pick(col: Sequence[Any]) -> list[Any]:
            return [col[i] for i in idx]

        return dataclasses.replace(
            self,
            parsed_columns={k: pick(v) for k, v in self.parsed_columns.items()},
            raw_columns={k: pick(v) for k, v in self.raw_columns.items()},
            cell_columns={k: pick(v) for k, v in self.cell_columns.items()},
            rows=pick(self.rows),
            extra_columns={h: pick(v) for h, v in self.extra_columns.items()},
            sections=pick(self.sections) if self.sections else [],
            row_sheets=pick(self.row_sheets) if self.row_sheets else [],
            _frames={k: f.iloc[idx].reset_index(drop=True) for k, f in self._frames.items()},
        )

    def _objects(self, name: str, columns: dict[str, list[Any]]) -> pd.DataFrame:
        """The frame ``name`` (``raw`` or ``cells``) of ``columns``, built once."""
        if name not in self._frames:
            self._frames[name] = object_frame(columns, len(self), order=KEYS)
        return self._frames[name]

    def original_due(self, i: int) -> dt.date | None:
        """The due date first agreed for row position ``i``, where a revised deadline replaced it
        (its due date is then the revised one); None when it was not revised.

        >>> p = Plan.from_records([{"Due date": "31/01/2026"}], original_due_column="Original deadline",
        ...     extra_headers=["Original deadline"], extra_columns={"Original deadline": ["31/10/2025"]})
        >>> p.original_due(0), p.column("due_date")[0]
        (datetime.date(2025, 10, 31), datetime.date(2026, 1, 31))
        """
        kept = self.extra_columns.get(self.original_due_column or "")
        return None if kept is None else values.parse_date(kept[i])

    def column(self, key: str) -> list[Any]:
        """The parsed values of column ``key``, one per action: dates as dates, numbers as floats,
        None for a blank (or a value that could not be understood). The plan's own list: do not change it.

        >>> p = Plan.from_records([{"Due date": "31/03/2025", "% complete": "50%"}, {}])
        >>> p.column("due_date"), p.column("pct_complete")
        ([datetime.date(2025, 3, 31), None], [0.5, None])
        """
        if "frame" in self._frames:
            from edi_workbook.plan.frames import plain_column

            return plain_column(self._frames["frame"], key)
        return self.parsed_columns[key]

    def raw_column(self, key: str) -> list[Any]:
        """The values of column ``key`` as the cells held them. The plan's own list: do not change it."""
        if "raw" in self._frames:
            return list(self._frames["raw"][key].tolist())
        return self.raw_columns[key]

    def _refs(self, key: str) -> list[Any]:
        if "cells" in self._frames:
            cells = self._frames["cells"]
            return cells[key].tolist() if key in cells.columns else [None] * len(cells)
        return self.cell_columns[key] if key in self.cell_columns else [None] * len(self)

    def sheet_of(self, index: int) -> str | None:
        """The sheet that row position ``index`` was read from."""
        return self.row_sheets[index] if self.row_sheets else self.sheet

    def extras_of(self, index: int) -> dict[str, Any]:
        """The extra columns' values of row position ``index`` that are not blank, by header."""
        return {h: col[index] for h, col in self.extra_columns.items() if col[index] is not None}

    def extra_lines(self, index: int, headers: Iterable[str] | None = None) -> list[str]:
        """Row position ``index``'s filled extra columns (``headers``, default all) as lines a person
        reads: ``Budget £: 5000``, ``Review date: 31/03/2027``.

        >>> p = Plan.from_records([{"Action": "Train panels"}])
        >>> p.extra_columns = {"Budget £": [5000.0], "Sponsor": [None], "Review": [dt.date(2027, 3, 31)]}
        >>> p.extra_lines(0)
        ['Budget £: 5000', 'Review: 31/03/2027']
        """
        found = self.extras_of(index)
        wanted = found if headers is None else headers
        return [f"{h}: {values.shown_text(found[h])}" for h in wanted if h in found]

    def section_of(self, index: int) -> str | None:
        """The section heading above row position ``index``, if the plan has sections."""
        return self.sections[index] if self.sections else None

    @property
    def reported_rag(self) -> list[str | None]:
        """The RAG the plan itself reports for each action (its own RAG column), else None each.

        A RAG column of formulas (the template's) is the rule's answer, not a report: None each.
        """
        if "rag" in self.formula_columns or "rag" not in self.column_letters:
            return [None] * len(self)
        return [None if v is None else str(v) for v in self.column("rag")]

    @property
    def name(self) -> str:
        """A short name for messages: the file name, else the organisation, else ``plan``."""
        if self.source is not None:
            return self.source.name
        return self.details.organisation or "plan"

    def cell(self, index: int, key: str) -> str | None:
        """A1 reference of one value (row position ``index``, column ``key``), if known."""
        if "cells" in self._frames:
            cells = self._frames["cells"]
            ref = cells[key].iat[index] if key in cells.columns else None
        else:
            ref = self.cell_columns[key][index] if key in self.cell_columns else None
        return None if values.is_blank(ref) else str(ref)

    def cell_column(self, key: str) -> list[str | None]:
        """:meth:`cell` of every row of column ``key`` at once.

        >>> p = Plan.from_records([{"Action ID": "A1"}, {"Action ID": "A2"}])
        >>> refs = p.cell_column("action_id")
        >>> refs, refs == [p.cell(i, "action_id") for i in range(2)]
        (['A2', 'A3'], True)
        """
        blank = values.is_blank
        return [
            ref if ref.__class__ is str and ref.strip() else None if blank(ref) else str(ref)
            for ref in self._refs(key)
        ]

    def holds_formula(self, index: int, key: str) -> bool:
        """Whether the cell of row position ``index``, column ``key`` holds a formula (whatever it shows)."""
        row, letter = self.rows[index], self.column_letters.get(key)
        if row is None or letter is None:
            return False
        return (row, column_index(letter) - 1) in self.formula_cells

    def action_id(self, index: int) -> str | None:
        """The action id of row position ``index`` as typed, or None."""
        if "frame" in self._frames:  # one cell, not the whole column: callers go row by row
            v = self._frames["frame"]["action_id"].iat[index]
            if isinstance(v, float) and v != v:  # NaN in a float column: blank, as column() gives it
                v = None
        else:
            v = self.parsed_columns["action_id"][index]
        return None if v is None else str(v)

    @classmethod
    def from_columns(
        cls,
        raw: Mapping[str, Sequence[Any]],
        n: int,
        *,
        rows: Sequence[int | None] | None = None,
        column_letters: Mapping[str, str] | None = None,
        **meta: Any,
    ) -> Plan:
        """Build a plan from raw cell values, ``n`` per canonical key (a key not in ``raw`` is
        blank), computing A1 references from rows (sheet row numbers) and letters (per key)."""
        letters = dict(column_letters or {})
        row_list: list[int | None] = list(rows) if rows is not None else [None] * n
        numbers = [None if r is None else str(r) for r in row_list]
        refs = {key: [None if r is None else letters[key] + r for r in numbers] for key in letters}
        raw_columns = {key: list(raw[key]) if key in raw else [None] * n for key in KEYS}
        return cls(
            parsed_columns=parse_columns(raw_columns, n),
            raw_columns=raw_columns,
            cell_columns={key: refs[key] if key in refs else [None] * n for key in KEYS},
            rows=row_list,
            column_letters=letters,
            **meta,
        )

    @classmethod
    def from_raw(
        cls,
        raw: pd.DataFrame,
        *,
        rows: Sequence[int | None] | None = None,
        column_letters: Mapping[str, str] | None = None,
        **meta: Any,
    ) -> Plan:
        """:meth:`from_columns` of a DataFrame of raw cell values (its canonical columns, by position)."""
        from edi_workbook.plan.frames import columns_of

        return cls.from_columns(columns_of(raw), len(raw), rows=rows, column_letters=column_letters, **meta)

    @classmethod
    def concat(cls, plans: Sequence[Plan]) -> Plan:
        """One plan of several sheets' plans (a workbook with a plan sheet per theme or metric).

        Actions keep their own sheet (:meth:`sheet_of`) and cells; ids made from rows name the
        sheet too (``Metric 2!R7``), so they stay unique. The first plan gives the column names,
        details and settings.
        """
        first = plans[0]
        parsed = {key: [v for p in plans for v in p.column(key)] for key in KEYS}
        raw = {key: [v for p in plans for v in p.raw_column(key)] for key in KEYS}
        if any(p.ids_from_rows for p in plans):
            ids = [f"{p.sheet}!{v}" if p.ids_from_rows else v for p in plans for v in p.column("action_id")]
            parsed["action_id"] = ids
            raw["action_id"] = list(ids)
        column_map: dict[str, str] = {}
        for p in plans:
            for key, text in p.column_map.items():
                column_map.setdefault(key, text)
        sections = [s for p in plans for s in (p.sections or [None] * len(p))]
        extra = list(dict.fromkeys(h for p in plans for h in p.extra_headers))

        def blank(p: Plan) -> list[None]:
            return [None] * len(p)

        return dataclasses.replace(
            first,
            parsed_columns=parsed,
            raw_columns=raw,
            cell_columns={key: [v for p in plans for v in p._refs(key)] for key in KEYS},
            rows=[r for p in plans for r in p.rows],
            column_map=column_map,
            column_letters=dict(first.column_letters),
            extra_headers=extra,
            extra_columns={h: [v for p in plans for v in p.extra_columns.get(h) or blank(p)] for h in extra},
            formula_columns=frozenset().union(*(p.formula_columns for p in plans)),
            sections=sections if any(sections) else [],
            ids_from_rows=any(p.ids_from_rows for p in plans),
            due_from_text=any(p.due_from_text for p in plans),
            row_sheets=[str(p.sheet) for p in plans for _ in range(len(p))],
            original_due_column=next((p.original_due_column for p in plans if p.original_due_column), None),
            revised_due_columns=next((p.revised_due_columns for p in plans if p.revised_due_columns), ()),
            _frames={},  # the lists above are the whole plan's; the first plan's frames are its own
        )

    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, Any]],
        *,
        sheet: str = "Action Plan",
        header_row: int = 1,
        **meta: Any,
    ) -> Plan:
        """Build a plan from dicts keyed by canonical key or header, laid out as the template.

        Values are parsed exactly as cells are; cell references assume the canonical columns
        start at column A under a header in ``header_row``. A key a record lacks is blank (NaN
        in :meth:`raw_column`, as in ``pd.DataFrame(records)``).

        >>> p = Plan.from_records([{"Action ID": "A1", "Due date": "31/03/2025", "HIA": "HIA 2"}])
        >>> p.column("hia")[0], p.cell(0, "due_date")
        ((2,), 'I2')
        """
        ref = reference.load()
        by_header = {c.header: c.key for c in ref.columns}
        rows = [{by_header.get(k, k): v for k, v in rec.items()} for rec in records]
        unknown = {k for r in rows for k in r} - set(KEYS)
        if unknown:
            raise ValueError(f"unknown plan columns: {sorted(unknown)}")
        nan = float("nan")
        raw = {key: [r.get(key, nan) for r in rows] for key in KEYS}
        letters = {key: column_letter(i + 1) for i, key in enumerate(KEYS)}
        meta.setdefault("column_map", {c.key: c.header for c in ref.columns})
        return cls.from_columns(
            raw,
            len(rows),
            rows=[header_row + 1 + i for i in range(len(rows))],
            column_letters=letters,
            sheet=sheet,
            header_row=header_row,
            **meta,
        )
