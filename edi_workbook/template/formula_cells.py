"""A cell as the template's formulas read it, for working out their results in Python.

Shared by :mod:`edi_workbook.template.cached` (Action Plan, Dashboard) and
:mod:`edi_workbook.template.cached_year` (National deadlines, EDS 2022): a date is what
``ISNUMBER`` and ``INT`` make of a cell, a number what ``N`` does, text what ``TRIM(cell)`` or
``cell&""`` give. Anything whose formula result is not worked out here raises :class:`Unknown`,
and that cell is left without a cached result rather than given a guess.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

__all__ = ["EPOCH", "UNKNOWN", "Unknown", "as_date", "number", "safely", "serial", "text", "trim"]

UNKNOWN: Any = object()
"""A result that cannot be known when the file is written (it depends on today's date)."""
EPOCH = dt.date(1899, 12, 30)
"""Excel's 1900 date system: serial 1 is 1900-01-01."""


class Unknown(Exception):
    """A result this package does not work out; the cell is left without a cached result."""


def as_date(v: Any) -> dt.date | None:
    """``INT(v)`` as a date when ``ISNUMBER(v)``: dates, date-times and serial numbers; else None."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
        return EPOCH + dt.timedelta(days=math.floor(v))
    return None


def serial(day: dt.date) -> int:
    """A date as Excel's serial number (what ``A5*100`` multiplies)."""
    return (day - EPOCH).days


def number(v: Any) -> float | None:
    """A number cell's value (``ISNUMBER``: not a truth value), else None."""
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def text(v: Any) -> str:
    """A cell as text in a formula (``TRIM(cell)``, ``cell&""``): blank is ``""``."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
        return str(int(v))
    raise Unknown  # a date or a fraction as text: how Excel would spell it is not worked out here


def trim(s: str) -> str:
    """``TRIM``: no leading or trailing spaces, single spaces inside."""
    return " ".join(p for p in s.split(" ") if p)


def safely(compute: Callable[[], Any]) -> Any:
    """``compute()``, or :data:`UNKNOWN` when it raises :class:`Unknown`."""
    try:
        return compute()
    except Unknown:
        return UNKNOWN
