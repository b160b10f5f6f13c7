"""The pandas side of a plan: :attr:`Plan.frame`, ``raw`` and ``cells`` built from its lists.

A plan keeps its columns as lists (:mod:`edi_workbook.plan.columns`); validation, RAG and a batch
read those and never import pandas. These functions build the DataFrames on first access, for
scripts, the Excel add-in, carry-over, diff, calendar and report, and read a frame back as lists
when a caller has changed it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from edi_workbook.plan.columns import DATE_KEYS, KEYS, NUMBER_KEYS, parse_columns

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["columns_of", "object_frame", "parse_frame", "plain_column", "typed_frame"]

_NAT = -(2**63)  # numpy's NaT as an int64
_UNIX_ORDINAL = dt.date(1970, 1, 1).toordinal()


def parse_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Parse a frame of raw cell values (columns = canonical keys) into canonical values.

    Each distinct value of a column is parsed once (plans repeat the same owners, statuses, HIAs
    and dates), and each column becomes one array: no per-value pandas work.
    """
    return typed_frame(parse_columns(columns_of(raw), len(raw)), len(raw), raw.index)


def typed_frame(parsed: Mapping[str, Sequence[Any]], n: int, index: Any = None) -> pd.DataFrame:
    """:attr:`Plan.frame` from the plan's parsed lists (:func:`parse_columns`): dates as
    ``datetime64[ns]`` (NaT blank), numbers as ``float64`` (NaN blank), the rest objects."""
    import numpy as np
    import pandas as pd

    index = pd.RangeIndex(n) if index is None else index
    texts: dict[str, Sequence[Any]] = {}
    typed: list[tuple[int, str, Any]] = []
    for pos, key in enumerate(KEYS):
        col = parsed[key]
        if key in DATE_KEYS:
            days = [_NAT if d is None else d.toordinal() - _UNIX_ORDINAL for d in col]
            typed.append(
                (pos, key, np.array(days, dtype="int64").view("datetime64[D]").astype("datetime64[ns]"))
            )
        elif key in NUMBER_KEYS:
            typed.append((pos, key, np.array(col, dtype="float64")))
        else:
            texts[key] = col
    from_blocks = _from_blocks()
    if from_blocks is not None and n:  # three blocks (text, numbers, dates) laid down as they are
        return _typed_frame(from_blocks, texts, typed, n, index)
    frame = object_frame(texts, n, index=index)  # one object block: cheaper than Series
    for pos, key, arr in typed:
        frame.insert(pos, key, arr)
    return frame


def plain_column(frame: pd.DataFrame, key: str) -> list[Any]:
    """A column of a (perhaps changed) :attr:`Plan.frame` as :meth:`Plan.column` gives it: dates
    as dates, numbers as floats, None for every blank."""
    import numpy as np
    import pandas as pd

    col = frame[key]
    kind = col.dtype.kind if isinstance(col.dtype, np.dtype) else ""
    if kind == "M":  # numpy turns datetime64 into dates and NaT into None
        return list(col.to_numpy().astype("datetime64[D]").tolist())
    if key in DATE_KEYS:
        return [None if pd.isna(v) else pd.Timestamp(v).date() for v in col.tolist()]
    if kind == "f":
        return [None if v != v else v for v in col.tolist()]
    if key in NUMBER_KEYS:  # changed to objects: NaN, NaT and pd.NA are blanks too
        return [
            None if v is None or (not isinstance(v, (tuple, list)) and pd.isna(v)) else v
            for v in col.tolist()
        ]
    return list(col.tolist())


def columns_of(raw: pd.DataFrame) -> dict[str, list[Any]]:
    """Each canonical column of ``raw`` as a list of the values it holds (other columns left out)."""
    import numpy as np

    keys = [k for k in raw.columns if k in KEYS]
    if len(keys) == raw.shape[1] and all(d == np.dtype(object) for d in raw.dtypes):  # the readers' case
        return dict(zip(keys, raw.to_numpy(dtype=object).T.tolist(), strict=True))
    return {k: raw[k].astype(object).tolist() for k in keys}


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
    from_blocks: Any, texts: dict[str, Sequence[Any]], typed: list[tuple[int, str, Any]], n: int, index: Any
) -> pd.DataFrame:
    """:func:`typed_frame`'s frame from its blocks: the text columns, the numbers, the dates."""
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
