"""A plan's columns as plain lists: the canonical keys, column letters, and parsing cells into values.

The readers hand a plan its cells as one list per canonical key; :func:`parse_columns` turns
them into the values rules, RAG and roll-ups read (:meth:`edi_workbook.plan.Plan.column`), with
no pandas at all: dates are :class:`datetime.date` or None, ``pct_complete`` and ``days_to_due``
floats or None, HIAs and PSED aims tuples, the rest text or None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from edi_workbook import reference, values

__all__ = [
    "DATE_KEYS",
    "KEYS",
    "NUMBER_KEYS",
    "column_index",
    "column_letter",
    "parse_columns",
]

KEYS: tuple[str, ...] = reference.load().column_keys
DATE_KEYS = ("start_date", "due_date", "completed_date")
NUMBER_KEYS = ("pct_complete", "days_to_due")
"""Columns of numbers: ``float64`` in :attr:`Plan.frame`, floats or None as lists."""


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


def parse_columns(raw: Mapping[str, Sequence[Any]], n: int) -> dict[str, list[Any]]:
    """Every canonical column (``raw``: cell values per key, ``n`` each; a missing key is blank)
    parsed into its values, each distinct value once (plans repeat owners, statuses and dates).

    >>> cols = parse_columns({"hia": ["HIA 2", None], "pct_complete": ["50%", 1]}, 2)
    >>> cols["hia"], cols["pct_complete"], cols["due_date"]
    ([(2,), None], [0.5, 1.0], [None, None])
    """
    out: dict[str, list[Any]] = {}
    for key in KEYS:
        parse = _PARSERS.get(key, values.parse_text)
        finish = _as_number if key in NUMBER_KEYS else _as_day if key in DATE_KEYS else None
        if key not in raw:  # a blank column: its one value, parsed once
            out[key] = [_parsed(parse, finish, None)] * n
        else:
            out[key] = _parse_column(parse, list(raw[key]), finish)
    return out


def _as_number(v: Any) -> float | None:
    """A parsed number as a float64 column holds it: a float, NaN a blank (None)."""
    return None if v is None or v != v else float(v)


def _as_day(v: Any) -> Any:
    """A parsed date as a datetime64 column holds it: a day, NaT a blank."""
    return v.date() if isinstance(v, dt.datetime) else v


def _parsed(parse: Any, finish: Any, v: Any) -> Any:
    got = parse(v)
    return got if finish is None else finish(got)


def _parse_column(parse: Any, col: list[Any], finish: Any = None) -> list[Any]:
    """``parse`` (then ``finish``, if given) applied to each value, once per distinct (type, value).

    The distinct values are found, parsed and looked up by C-level set, zip and map calls rather
    than a dictionary test per cell: a 10,000-action plan has 160,000 cells.
    """
    if parse is values.parse_text and finish is None:  # text columns rarely repeat: strip them in one pass
        return [(v.strip() or None) if v.__class__ is str else parse(v) for v in col]
    if set(map(type, col)) <= _BY_VALUE:  # text, blanks, dates, floats: no two types hold equal values
        found = {v: _parsed(parse, finish, v) for v in set(col)}
        return list(map(found.__getitem__, col))
    try:
        keys = list(zip(map(type, col), col, strict=True))  # 1 == 1.0 == True: told apart by type
        kinds = {k: _parsed(parse, finish, k[1]) for k in set(keys)}
    except TypeError:  # an unhashable value (a list from records): each parsed on its own
        return [_parsed(parse, finish, v) for v in col]
    return list(map(kinds.__getitem__, keys))


_BY_VALUE = frozenset({str, type(None), dt.date, dt.datetime, float})
"""Types no value of which equals a value of another of them (``1 == 1.0 == True`` do; a date and a
datetime do not): a column of these is parsed per distinct value alone."""
