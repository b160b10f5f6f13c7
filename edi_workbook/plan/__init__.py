"""The action plan in memory: a pandas DataFrame of canonical columns, and where each value came from.

A :class:`Plan` holds three frames of the same shape, one row per action and one column per
canonical key (``action_id``, ``action``, ... ``notes``; see ``reference.load().columns``):

- ``frame``: parsed values (dates as ``datetime64``, HIAs as tuples of ints, PSED aims as tuples of
  letters, ``pct_complete`` as a fraction, ``status`` canonical or None);
- ``raw``: what the cell held, as read;
- ``cells``: the A1 reference of each value in its sheet (None where the plan has no such column).

A value that is not blank in ``raw`` but None/NaT in ``frame`` could not be understood; validation
reports it. Readers (``edi_workbook.read.dispatch``) and tests build plans through :meth:`Plan.from_raw`
or :meth:`Plan.from_records`, which share one parsing path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook import reference, values

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DATE_KEYS",
    "KEYS",
    "Plan",
    "PlanDetails",
    "Settings",
    "column_letter",
    "object_frame",
    "parse_frame",
]

KEYS: tuple[str, ...] = reference.load().column_keys
DATE_KEYS = ("start_date", "due_date", "completed_date")


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


_PARSERS: dict[str, Any] = {
    "hia": values.parse_hias,
    "psed_aim": values.parse_psed,
    "characteristics": values.parse_characteristics,
    "status": values.parse_status,
    "pct_complete": values.parse_pct,
    "start_date": values.parse_date,
    "due_date": values.parse_date,
    "completed_date": values.parse_date,
    "days_to_due": _number,
    "rag": values.parse_rag,
}


def column_index(letters: str) -> int:
    """``"A"`` -> 1, ``"AB"`` -> 28: the inverse of :func:`column_letter`.

    >>> column_index("A"), column_index("AB"), column_index("XFD")
    (1, 28, 16384)
    """
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letter(index: int) -> str:
    """1-based column number as Excel letters: 1 -> A, 28 -> AB (Excel's columns: 1 to 16,384).

    Computed here rather than by openpyxl's ``get_column_letter``, whose import costs 0.4 s of a
    reader that otherwise never loads openpyxl.

    >>> column_letter(1), column_letter(28), column_letter(16384)
    ('A', 'AB', 'XFD')
    """
    if not 1 <= index <= 18278:  # openpyxl's limit (ZZZ), so its callers see the same ValueError
        raise ValueError(f"invalid column index {index}")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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


def parse_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Parse a frame of raw cell values (columns = canonical keys) into canonical values.

    Each distinct value of a column is parsed once (plans repeat the same owners, statuses, HIAs
    and dates), and each column becomes one array: no per-value pandas work.
    """
    import numpy as np

    n = len(raw)
    given = _columns(raw)
    texts: dict[str, list[Any]] = {}
    typed: list[tuple[int, str, Any]] = []
    for pos, key in enumerate(KEYS):
        col = given[key] if key in given else [None] * n
        parsed = _parse_column(_PARSERS.get(key, values.parse_text), col)
        if key in DATE_KEYS:
            days = [_NAT if d is None else d.toordinal() - _UNIX_ORDINAL for d in parsed]
            typed.append(
                (pos, key, np.array(days, dtype="int64").view("datetime64[D]").astype("datetime64[ns]"))
            )
        elif key in ("pct_complete", "days_to_due"):
            typed.append((pos, key, np.array(parsed, dtype="float64")))
        else:
            texts[key] = parsed
    from_blocks = _from_blocks()
    if from_blocks is not None and n:  # three blocks (text, numbers, dates) laid down as they are
        return _typed_frame(from_blocks, texts, typed, n, raw.index)
    frame = object_frame(texts, len(raw), index=raw.index)  # one object block: cheaper than Series
    for pos, key, arr in typed:
        frame.insert(pos, key, arr)
    return frame


@functools.cache
def _copy_on_write() -> bool:
    """Whether pandas copies on write: always from pandas 3, by an option in pandas 2."""
    import pandas as pd

    return int(pd.__version__.split(".")[0]) >= 3 or pd.options.mode.copy_on_write is True


@functools.cache
def _from_blocks() -> Any:
    """pandas' ``create_dataframe_from_blocks`` (pandas 3): a frame from 2-D blocks as they are,
    without the per-column checks of the constructor and ``insert`` (a third of the time of making
    a 50-row plan's frames). None on pandas 2 (which xlwings Lite may have): the constructor is used.
    """
    try:
        from pandas.api.internals import create_dataframe_from_blocks
    except ImportError:  # pragma: no cover - pandas 2
        return None
    try:  # a low-level API: if a pandas release changes it, the constructor serves, never a wrong frame
        agrees = _blocks_agree(create_dataframe_from_blocks)
    except Exception:  # noqa: BLE001 - whatever it raises, the constructor is used instead
        agrees = False
    return create_dataframe_from_blocks if agrees else None


def _blocks_agree(from_blocks: Any) -> bool:
    """Whether ``from_blocks`` gives the constructor's frame for a small one of each block kind."""
    import numpy as np
    import pandas as pd

    text = np.empty((2, 2), dtype=object)
    text[0] = ["a", None]
    text[1] = [(1, 2), "b"]
    number = np.array([[0.5, np.nan]])
    date = np.array([[0, "NaT"]], dtype="datetime64[D]").astype("datetime64[ns]")
    fast = from_blocks(
        [(text, np.array([0, 1])), (number, np.array([2])), (date, np.array([3]))],
        index=pd.RangeIndex(2),
        columns=pd.Index(["t", "h", "p", "d"]),
    )
    slow = pd.DataFrame(text.T, columns=["t", "h"], dtype=object)
    slow.insert(2, "p", number[0])
    slow.insert(3, "d", date[0])
    return bool(
        fast.equals(slow)
        and list(fast.dtypes) == list(slow.dtypes)
        and fast.columns.equals(slow.columns)
        and fast.iat[0, 1] == (1, 2)
    )


def _columns_index(names: Sequence[str]) -> pd.Index:
    """The column index of ``names``: for the canonical keys a copy of one made once (making an
    index of text infers its type: a third of the cost of a 50-row frame)."""
    import pandas as pd

    if tuple(names) == KEYS:
        return _keys_index().copy()
    return pd.Index(list(names))


@functools.cache
def _keys_index() -> pd.Index:
    import pandas as pd

    return pd.Index(list(KEYS))


def _typed_frame(
    from_blocks: Any, texts: dict[str, list[Any]], typed: list[tuple[int, str, Any]], n: int, index: Any
) -> pd.DataFrame:
    """:func:`parse_frame`'s frame from its blocks: the text columns, the numbers, the dates."""
    import numpy as np

    def placement(keys: Sequence[str]) -> Any:
        return np.array([KEYS.index(k) for k in keys], dtype=np.intp)

    blocks = [(_object_block(texts, list(texts), n)[0], placement(list(texts)))]
    for kind in ("f", "M"):  # float64 (% complete, days to due), datetime64[ns] (the dates)
        arrays = {key: arr for _pos, key, arr in typed if arr.dtype.kind == kind}
        if arrays:
            blocks.append((np.stack(list(arrays.values())), placement(list(arrays))))
    return from_blocks(blocks, index=index, columns=_columns_index(KEYS))


def _object_block(columns: Mapping[str, Sequence[Any]], names: Sequence[str], n: int) -> tuple[Any, Any]:
    """The 2-D object array (one row per name, None where ``columns`` has none) and its placement."""
    import numpy as np

    block = np.full((len(names), n), None, dtype=object)
    for j, key in enumerate(names):
        if key in columns:
            block[j] = np.fromiter(columns[key], dtype=object, count=n)
    return block, np.arange(len(names), dtype=np.intp)


def object_frame(
    columns: Mapping[str, Sequence[Any]], n: int, *, order: Sequence[str] | None = None, index: Any = None
) -> pd.DataFrame:
    """A DataFrame of object columns (``columns``, each ``n`` values) built as one 2-D block.

    The same frame as ``pd.DataFrame(columns, dtype=object)``, about twice as fast on a small
    plan: pandas checks one array instead of each column. Values are stored as they are (a tuple
    stays one value). ``order`` gives the frame those columns in that order (None where
    ``columns`` has no list); ``index`` is passed on.

    >>> f = object_frame({"hia": [(1, 2), None], "owner": ["HR", None]}, 2, order=["owner", "hia", "rag"])
    >>> f.to_dict("list"), {str(t) for t in f.dtypes}
    ({'owner': ['HR', None], 'hia': [(1, 2), None], 'rag': [None, None]}, {'object'})
    """
    import pandas as pd

    names = list(columns if order is None else order)
    block, placement = _object_block(columns, names, n)
    from_blocks = _from_blocks()
    given = pd.RangeIndex(n) if index is None else index
    if from_blocks is not None and n and names and isinstance(given, pd.Index) and len(given) == n:
        return from_blocks([(block, placement)], index=given, columns=_columns_index(names))  # type: ignore[no-any-return]
    return pd.DataFrame(block.T, columns=names, index=index, dtype=object)  # checks what it is given


def _columns(raw: pd.DataFrame) -> dict[str, list[Any]]:
    """Each canonical column of ``raw`` as a list of the values it holds."""
    import numpy as np

    keys = [k for k in raw.columns if k in KEYS]
    if len(keys) == raw.shape[1] and all(d == np.dtype(object) for d in raw.dtypes):  # the readers' case
        return dict(zip(keys, raw.to_numpy(dtype=object).T.tolist(), strict=True))
    return {k: raw[k].tolist() for k in keys}


_NAT = -(2**63)  # numpy's NaT as an int64
_UNIX_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _parse_column(parse: Any, col: list[Any]) -> list[Any]:
    """``parse`` applied to each value, once per distinct (type, value)."""
    if parse is values.parse_text:  # text columns rarely repeat: strip them in one pass
        return [(v.strip() or None) if v.__class__ is str else parse(v) for v in col]
    if all(v is None or v.__class__ is str for v in col):  # the usual column: text and blanks
        found = {v: parse(v) for v in set(col)}
        return [found[v] for v in col]
    memo: dict[tuple[type, Any], Any] = {}
    out = []
    for v in col:
        try:
            k = (v.__class__, v)
            got = memo[k] if k in memo else memo.setdefault(k, parse(v))
        except TypeError:  # an unhashable value (a list from records): parse it on its own
            got = parse(v)
        out.append(got)
    return out


@dataclass
class Plan:
    """An action plan read from a workbook, a CSV or records. See the module docstring."""

    frame: pd.DataFrame
    raw: pd.DataFrame
    cells: pd.DataFrame
    rows: list[int | None]
    source: Path | None = None
    sheet: str | None = None
    table: str | None = None
    header_row: int | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    column_letters: dict[str, str] = field(default_factory=dict)
    extra_headers: list[str] = field(default_factory=list)
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
    formula_cells: Collection[tuple[int, int]] = frozenset()
    """Cells of the plan's sheet that hold a formula: (sheet row, 0-based column)."""

    def __len__(self) -> int:
        return len(self.frame)

    def sheet_of(self, index: int) -> str | None:
        """The sheet that row position ``index`` was read from."""
        return self.row_sheets[index] if self.row_sheets else self.sheet

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
        return [None if v is None else str(v) for v in self.frame["rag"].tolist()]

    @property
    def name(self) -> str:
        """A short name for messages: the file name, else the organisation, else ``plan``."""
        if self.source is not None:
            return self.source.name
        return self.details.organisation or "plan"

    def cell(self, index: int, key: str) -> str | None:
        """A1 reference of one value (row position ``index``, column ``key``), if known."""
        if key not in self.cells.columns:
            return None
        ref = self.cells[key].iat[index]
        return None if values.is_blank(ref) else str(ref)

    def cell_column(self, key: str) -> list[str | None]:
        """:meth:`cell` of every row of column ``key`` at once (one pandas call, not one per row).

        >>> p = Plan.from_records([{"Action ID": "A1"}, {"Action ID": "A2"}])
        >>> refs = p.cell_column("action_id")
        >>> refs, refs == [p.cell(i, "action_id") for i in range(2)]
        (['A2', 'A3'], True)
        """
        if key not in self.cells.columns:
            return [None] * len(self.cells)
        return [None if values.is_blank(ref) else str(ref) for ref in self.cells[key].tolist()]

    def holds_formula(self, index: int, key: str) -> bool:
        """Whether the cell of row position ``index``, column ``key`` holds a formula (whatever it shows)."""
        row, letter = self.rows[index], self.column_letters.get(key)
        if row is None or letter is None:
            return False
        return (row, column_index(letter) - 1) in self.formula_cells

    def action_id(self, index: int) -> str | None:
        """The action id of row position ``index`` as typed, or None."""
        v = self.frame["action_id"].iat[index]
        return None if v is None else str(v)

    @classmethod
    def from_raw(
        cls,
        raw: pd.DataFrame,
        *,
        rows: Sequence[int | None] | None = None,
        column_letters: Mapping[str, str] | None = None,
        **meta: Any,
    ) -> Plan:
        """Build a plan from raw cell values, computing A1 references from rows and letters."""
        import numpy as np
        import pandas as pd

        if isinstance(raw.index, pd.RangeIndex) and raw.index.start == 0 and raw.index.step == 1:
            # with copy-on-write (pandas 3) a shallow copy keeps the caller's frame and the plan
            # apart; pandas 2 (xlwings Lite) shares the data unless it is copied
            raw = raw.copy(deep=not _copy_on_write())
        else:
            raw = raw.reset_index(drop=True)
        for key in KEYS:
            if key not in raw.columns:
                raw[key] = None
        if list(raw.columns) != list(KEYS):
            raw = raw[list(KEYS)]
        if any(dtype != np.dtype(object) for dtype in raw.dtypes):
            raw = raw.astype(object)
        letters = dict(column_letters or {})
        row_list: list[int | None] = list(rows) if rows is not None else [None] * len(raw)
        numbers = [None if r is None else str(r) for r in row_list]
        refs = {key: [None if r is None else letters[key] + r for r in numbers] for key in letters}
        cells = object_frame(refs, len(row_list), order=KEYS)
        return cls(
            frame=parse_frame(raw),
            raw=raw,
            cells=cells,
            rows=row_list,
            column_letters=letters,
            **meta,
        )

    @classmethod
    def concat(cls, plans: Sequence[Plan]) -> Plan:
        """One plan of several sheets' plans (a workbook with a plan sheet per theme or metric).

        Actions keep their own sheet (:meth:`sheet_of`) and cells; ids made from rows name the
        sheet too (``Metric 2!R7``), so they stay unique. The first plan gives the column names,
        details and settings.
        """
        import pandas as pd

        first = plans[0]
        frames = [p.frame for p in plans]
        row_sheets = [str(p.sheet) for p in plans for _ in range(len(p))]
        frame = pd.concat(frames, ignore_index=True)
        raw = pd.concat([p.raw for p in plans], ignore_index=True)
        if any(p.ids_from_rows for p in plans):
            ids = [f"{p.sheet}!{v}" if p.ids_from_rows else v for p in plans for v in p.frame["action_id"]]
            frame["action_id"] = ids
            raw["action_id"] = ids
        column_map: dict[str, str] = {}
        for p in plans:
            for key, text in p.column_map.items():
                column_map.setdefault(key, text)
        sections = [s for p in plans for s in (p.sections or [None] * len(p))]
        return dataclasses.replace(
            first,
            frame=frame,
            raw=raw,
            cells=pd.concat([p.cells for p in plans], ignore_index=True),
            rows=[r for p in plans for r in p.rows],
            column_map=column_map,
            column_letters=dict(first.column_letters),
            extra_headers=list(dict.fromkeys(h for p in plans for h in p.extra_headers)),
            formula_columns=frozenset().union(*(p.formula_columns for p in plans)),
            sections=sections if any(sections) else [],
            ids_from_rows=any(p.ids_from_rows for p in plans),
            due_from_text=any(p.due_from_text for p in plans),
            row_sheets=row_sheets,
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
        start at column A under a header in ``header_row``.

        >>> p = Plan.from_records([{"Action ID": "A1", "Due date": "31/03/2025", "HIA": "HIA 2"}])
        >>> p.frame.loc[0, "hia"], p.cell(0, "due_date")
        ((2,), 'I2')
        """
        import pandas as pd

        ref = reference.load()
        by_header = {c.header: c.key for c in ref.columns}
        rows = [{by_header.get(k, k): v for k, v in rec.items()} for rec in records]
        unknown = {k for r in rows for k in r} - set(KEYS)
        if unknown:
            raise ValueError(f"unknown plan columns: {sorted(unknown)}")
        raw = pd.DataFrame(rows, columns=list(KEYS), dtype=object)
        letters = {key: column_letter(i + 1) for i, key in enumerate(KEYS)}
        meta.setdefault("column_map", {c.key: c.header for c in ref.columns})
        return cls.from_raw(
            raw,
            rows=[header_row + 1 + i for i in range(len(raw))],
            column_letters=letters,
            sheet=sheet,
            header_row=header_row,
            **meta,
        )
