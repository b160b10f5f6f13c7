"""Which organisation a return is from, and which period it is for, from its file name.

A return's **period** is its date: the plan's own ``AsOfDate`` by default; with ``--period auto``
the first date-like text in the file name, recognised in these forms (case ignored, any of
space, ``_``, ``-`` or ``.`` between the parts):

=====================================  =====================================================
``2026-09-30``                          that day
``Q3 2026-27``, ``2026/27 Q3``          the end of that quarter of the NHS financial year
                                        (Q1 April-June ... Q4 January-March): 31/12/2026
``2026Q3``, ``Q3 2026``                 the end of that calendar quarter: 30/09/2026
``September 2026``, ``Sep-2026``        the end of that month
``2026-09``                             the end of that month
=====================================  =====================================================

``--period REGEX`` takes the text matched by the expression's first group (or the whole match)
and reads it as a date as plan cells are read (``31/03/2027``, ``Q4 2026/27``, ``March 2027``).

The **organisation** is the one Plan details name (``OrgName``, or a title block's label); for a
plan that names none, the file name without its period and separators (``riverside_2026-27_Q1.csv``
-> ``riverside``), or the folder's name if nothing is left. Names are grouped ignoring case,
spaces and punctuation.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

from edi_workbook import values
from edi_workbook.errors import UsageError

__all__ = ["AUTO", "compile_period", "organisation_from_name", "organisation_key", "period_from_name"]

AUTO = "auto"
_SEP = r"[\s_.\-]*"
_MONTHS = "|".join(m.lower() for m in calendar.month_abbr[1:])
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(p, re.IGNORECASE))
    for kind, p in (
        ("day", r"(?<!\d)(20\d\d)[\-_.](\d\d)[\-_.](\d\d)(?!\d)"),
        ("fy", rf"(?<![a-z0-9])q([1-4]){_SEP}(20\d\d)[\s_/\-](\d\d)(?!\d)"),
        ("fy-after", rf"(?<!\d)(20\d\d)[\s_/\-](\d\d){_SEP}q([1-4])(?![0-9])"),
        ("quarter", rf"(?<!\d)(20\d\d){_SEP}q([1-4])(?![0-9])"),
        ("quarter-after", rf"(?<![a-z0-9])q([1-4]){_SEP}(20\d\d)(?!\d)"),
        ("month-name", rf"(?<![a-z])({_MONTHS})[a-z]*{_SEP}(20\d\d)(?!\d)"),
        ("month", r"(?<!\d)(20\d\d)[\-_.](\d\d)(?!\d)"),
    )
)


def _end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _fy_quarter(start_year: int, end: str, quarter: int) -> dt.date | None:
    if int(end) != (start_year + 1) % 100:
        return None  # 2026-09 is a month, not a financial year
    month = (3 + 3 * quarter) % 12 or 12  # Q1 June, Q2 September, Q3 December, Q4 March
    return _end_of_month(start_year + (quarter == 4), month)


def _auto(name: str) -> tuple[dt.date, str] | None:
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(name):
            day = _read(kind, m)
            if day is not None:
                return day, m.group(0)
    return None


def _read(kind: str, m: re.Match[str]) -> dt.date | None:
    g = m.groups()
    try:
        if kind == "day":
            return dt.date(int(g[0]), int(g[1]), int(g[2]))
        if kind == "fy":
            return _fy_quarter(int(g[1]), g[2], int(g[0]))
        if kind == "fy-after":
            return _fy_quarter(int(g[0]), g[1], int(g[2]))
        if kind in ("quarter", "quarter-after"):
            year, q = (int(g[0]), int(g[1])) if kind == "quarter" else (int(g[1]), int(g[0]))
            return _end_of_month(year, 3 * q)
        if kind == "month-name":
            return _end_of_month(int(g[1]), [m.lower() for m in calendar.month_abbr].index(g[0][:3].lower()))
        return _end_of_month(int(g[0]), int(g[1]))
    except ValueError:  # month 13, day 32
        return None


def compile_period(spec: str) -> re.Pattern[str] | None:
    """``auto`` (None: the built-in forms) or a regular expression, checked now for a clear error."""
    if spec == AUTO:
        return None
    try:
        return re.compile(spec, re.IGNORECASE)
    except re.error as exc:
        raise UsageError(f"--period {spec!r} is not a regular expression ({exc})") from None


def period_from_name(path: str | Path, pattern: re.Pattern[str] | None) -> tuple[dt.date, str] | None:
    """The period in a file's name and the text it was read from, or None.

    >>> period_from_name("riverside_2026-27_Q1.csv", None)
    (datetime.date(2026, 6, 30), '2026-27_Q1')
    >>> period_from_name("Eastmoor PCN Q3 2026-27.xlsx", None)[0]
    datetime.date(2026, 12, 31)
    """
    stem = Path(path).stem
    if pattern is None:
        return _auto(stem)
    m = pattern.search(stem)
    if m is None:
        return None
    text = m.group(1) if m.groups() and m.group(1) else m.group(0)
    day = values.parse_date(text) or _auto(text.replace("/", "-"))
    if isinstance(day, tuple):
        day = day[0]
    return (day, m.group(0)) if day is not None else None


def organisation_from_name(path: str | Path, period_text: str | None) -> str:
    """The organisation a file name gives: the stem without the period and separators.

    >>> organisation_from_name("returns/riverside_2026-27_Q1.csv", "2026-27_Q1")
    'riverside'
    """
    p = Path(path)
    stem = p.stem.replace(period_text, " ") if period_text else p.stem
    name = " ".join(re.split(r"[\s_.\-]+", stem)).strip()
    return name or p.parent.name or p.stem


def organisation_key(name: str) -> str:
    """Names grouped ignoring case, spaces and punctuation: ``St Mary's`` ~ ``st marys``."""
    return re.sub(r"[^0-9a-z]+", "", name.casefold())
