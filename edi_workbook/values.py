"""Tolerant parsing of the values people type into action plans.

Each parser takes what a cell holds (text, a number, a date, or nothing) and returns the canonical
value, or ``None`` when the cell is blank *or* cannot be understood. Callers tell the two apart with
:func:`is_blank`: a non-blank cell that parses to ``None`` is reported by validation, never dropped.

>>> parse_date("31/03/2025"), parse_date("March 2025"), parse_date("Q4 2024/25")
(datetime.date(2025, 3, 31), datetime.date(2025, 3, 31), datetime.date(2025, 3, 31))
>>> parse_date("2025/26"), parse_date("TBC")
(datetime.date(2026, 3, 31), None)
>>> parse_hias("HIA 1 & 3"), parse_hias("HIA2"), parse_hias(2.0)
((1, 3), (2,), (2,))
>>> parse_psed("(b) Advance equality of opportunity; c")
('b', 'c')
>>> parse_pct("50%"), parse_pct(0.5), parse_pct("50"), parse_pct("0,5")
(0.5, 0.5, 0.5, 0.5)
>>> parse_status("Done"), parse_status("On track"), parse_status("Sort of")
('Complete', 'In progress', None)
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
from typing import Any

from edi_workbook import reference

__all__ = [
    "EXCEL_ERRORS",
    "excel_serial_to_date",
    "is_blank",
    "is_excel_error",
    "is_no_fixed_date",
    "parse_characteristics",
    "parse_date",
    "parse_hias",
    "parse_int_list",
    "parse_number",
    "parse_pct",
    "parse_psed",
    "parse_rag",
    "parse_status",
    "parse_text",
    "status_words",
]

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, as serial 1 = 1900-01-01
_NONE_WORDS = frozenset({"n/a", "na", "none", "-", "--", "nil", "not applicable", "no"})
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))


def is_blank(value: Any) -> bool:
    """True for None, NaN/NaT, and text that is empty or only spaces.

    >>> is_blank(None), is_blank("  "), is_blank(float("nan")), is_blank(0), is_blank(dt.date(2025, 1, 1))
    (True, True, True, False, False)
    """
    if value is None:
        return True
    if value.__class__ is str:  # the usual cell: no isinstance chain
        return not value.strip()
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (int, float, dt.date)):  # the common cell values; NaT is the one != itself
        return bool(value != value)
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, (list, tuple)) else False
    except (TypeError, ValueError):
        return False


EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)
"""Excel's error values (ECMA-376 Part 1, 18.17.2.5 Error Values; plus the dynamic-array errors)."""


def is_excel_error(value: Any) -> bool:
    """True for an Excel error value as text.

    >>> is_excel_error("#REF!"), is_excel_error(" #n/a "), is_excel_error("#1 priority")
    (True, True, False)
    """
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def parse_text(value: Any) -> str | None:
    """Text with outer spaces removed; numbers that are whole become ``"3"`` not ``"3.0"``."""
    if value.__class__ is str:  # the usual cell, answered as below: stripped, None when blank
        return value.strip() or None
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return (
            value.isoformat()[:10]
            if not isinstance(value, dt.datetime) or not value.time()
            else value.isoformat()
        )
    return str(value).strip()


def shown_text(value: Any) -> str:
    """A cell's value as a line of text shows it to a person: dates as 31/03/2027 (with the time if
    it has one), 5.0 as 5.

    >>> shown_text(dt.datetime(2026, 5, 1, 14, 30)), shown_text(dt.date(2027, 3, 31)), shown_text(5.0)
    ('01/05/2026 14:30', '31/03/2027', '5')
    """
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def excel_serial_to_date(serial: float) -> dt.date | None:
    """An Excel date serial (1900 system) as a date; None outside Excel's date range.

    Excel counts a 29 February 1900 that never was (serial 60, kept from Lotus 1-2-3; ECMA-376
    Part 1, 18.17.4.1), so serials before it start a day later and 60 itself is no date.

    >>> excel_serial_to_date(1), excel_serial_to_date(60), excel_serial_to_date(61)
    (datetime.date(1900, 1, 1), None, datetime.date(1900, 3, 1))
    """
    day = int(serial)
    if not 1 <= day < 2958466 or day == 60:
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=day if day > 60 else day + 1)


def _end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def parse_date(value: Any) -> dt.date | None:
    """A date from an Excel date, a serial number or UK-style text; None if blank or unknown.

    Month-only text means the last day of the month; ``Q1``-``Q4 2024/25`` the end of that quarter
    of the NHS financial year (April to March); ``2025/26`` the end of that financial year; a bare
    year the last day of that year. Dates outside 1900-2199 are typos (``31/12/2300``) and give
    None, so validation reports them (and pandas' datetime range is never exceeded).

    >>> parse_date("31/12/2300"), parse_date(132321)
    (None, None)
    >>> parse_date("From Sept each year, with a review in July.\\nJuly 2017")  # the date on a line of its own
    datetime.date(2017, 7, 31)
    """
    d = _parse_date_any(value)
    return d if d is not None and DATE_MIN <= d <= DATE_MAX else None


_REVISED_LEAD = re.compile(
    r"^(?:(?:now|due|deferred|delayed|extended|moved|postponed|re-?scheduled|re-?profiled|pushed|put|back|"
    r"revised|new|date|deadline|to|until|till|by)\b[\s:,-]*)+",
    re.I,
)
_EARLIEST_REVISION = dt.date(2000, 1, 1)


def revised_date(value: Any) -> dt.date | None:
    """A revised deadline's date: a date, or one written after words saying it moved; None for
    anything else, and for a date before 2000 (a number of months, ``6``, reads as 1900).

    >>> revised_date("Deferred to April 2027"), revised_date("Now due 31/03/2027"), revised_date(6)
    (datetime.date(2027, 4, 30), datetime.date(2027, 3, 31), None)
    >>> revised_date("TBC"), revised_date("Completed")
    (None, None)
    """
    found = parse_date(value)
    if found is None and isinstance(value, str):
        rest = _REVISED_LEAD.sub("", value.strip())
        found = parse_date(rest) if rest and rest != value.strip() else None
    return found if found is not None and found >= _EARLIEST_REVISION else None


DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)
"""The range of dates a plan can hold; others are reported as not understood."""


def _parse_date_any(value: Any) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if 1900 <= value <= 2200 and float(value).is_integer():
            return dt.date(int(value), 12, 31)
        return excel_serial_to_date(float(value))
    if hasattr(value, "to_pydatetime"):
        d: dt.date = value.to_pydatetime().date()
        return d
    return _parse_date_text(str(value))


_OPENING = re.compile(r"\s*[(\[]")
_CLOSING = re.compile(r"[)\]]\s*")


def _without_notes(s: str) -> str:
    """``s`` with each note in brackets replaced by a space, from an opening bracket to the next
    closing one (``Feb 2026 (Board (tbc)`` -> ``Feb 2026``), in one pass: a text of thousands of
    ``(`` is read in linear time, where a regular expression tried each ``(`` to the end.

    >>> _without_notes("march 2026 (board (tbc)"), _without_notes("(draft) 31/03/2027 [v2]")
    ('march 2026 ', ' 31/03/2027 ')
    >>> _without_notes("((((")
    '(((('
    """
    out: list[str] = []
    at = 0
    while (opening := _OPENING.search(s, at)) is not None:
        closing = _CLOSING.search(s, opening.end())
        if closing is None:
            break  # no closing bracket after this one: none after any later one either
        out += (s[at : opening.start()], " ")
        at = closing.end()
    out.append(s[at:])
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _parse_date_text(text: str) -> dt.date | None:
    s = re.sub(r"\s+", " ", text.strip().lower()).rstrip(" .;,")
    s = _without_notes(s).strip()  # "Feb 2026 (Board)": the note goes
    s = re.sub(r"^(?:(?:by|before|end of|end|due|deadline:?|target:?|w/?c|on|no later than)\s+)+", "", s)
    s = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", s)
    try:
        found = _date_patterns(s) or _period_patterns(s) or _loose(s)
        if found is None and " by " in f" {s}":  # "To be completed by October 21."
            found = _parse_date_text(s.rsplit("by ", 1)[1]) if s.rsplit("by ", 1)[1] != s else None
        if found is None and "\n" in text.strip():  # "From Sept each year ...\nJuly 2017": a date on
            lines = [line for line in text.strip().splitlines() if line.strip()]  # a line of its own,
            found = next(filter(None, map(_parse_date_text, reversed(lines))), None)  # the last one
        return found
    except ValueError:  # e.g. 31/02/2025: looks like a date, is not one
        return None


def _one(s: str) -> dt.date | None:
    try:
        return _date_patterns(s) or _period_patterns(s)
    except ValueError:
        return None


DATE_WORDS = 8
"""The most words a date takes: ``quarter 2 fy 2025 / 26`` six, a range ``1 April 2026 - 30 September
2026`` seven; a longer text is a date and more (:func:`_loose` and ``read.details`` look no further)."""
_SEVERAL_RE = re.compile(
    rf"\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|(?:{_MONTH_RE})\.?[ \-/']?(?:\d{{4}}|\d{{2}})\b"
)
_JOINERS = re.compile(r"^(?:[&,;+\s]|and\b|then\b|plus\b)+|[&,;+\s]+$")


def _loose(s: str) -> dt.date | None:
    """Cells that say more than a date (each a reading of how plans write them):

    - a range, ``April 2023 – June 2023`` or ``Sept16-March 17``: its end;
    - a date and how often after it, ``April 2017 & termly``, ``2023-2027 Biannually``: the date;
    - several dates, ``01/07/11 01/07/12``: the first; a list of reviews, ``Review: Oct 2016
      Review: Feb 2017``: the last (the final review).

    >>> [str(_loose(x)) for x in ("april 2023 – june 2023", "sept16-march 17", "april 2017 & termly")]
    ['2023-06-30', '2017-03-31', '2017-04-30']
    >>> [str(_loose(x)) for x in ("01/07/11 01/07/12", "review: oct 2016 review: feb 2017", "ongoing to 18")]
    ['2011-07-01', '2017-02-28', 'None']
    """
    parts = re.split(r"\s*(?:–|—|\bto\b|\buntil\b|\btill\b|-)\s*", s)
    if len(parts) == 2 and all(parts):
        start, end = _one(parts[0]), _one(parts[1])
        if start is not None and end is not None and end >= start:
            return end
    words = s.split(" ")
    for k in range(min(len(words) - 1, DATE_WORDS), 0, -1):  # a date is a few words: a long text is
        rest = _JOINERS.sub("", " ".join(words[k:]))  # read in time linear in its length
        if rest and is_no_fixed_date(rest) and (found := _one(" ".join(words[:k]))) is not None:
            return found
    dates = _SEVERAL_RE.findall(s)
    leftover = re.sub(r"[\s,;:&/]+|\band\b|\breview\b", "", _SEVERAL_RE.sub("", s))
    if len(dates) >= 2 and not leftover:
        picked = [d for d in (_one(x) for x in dates) if d is not None]
        if len(picked) == len(dates):
            return picked[-1] if "review" in s else picked[0]
    return None


def _fy_end(first: str, second: str) -> int | None:
    """The calendar year a financial year ``2025/26`` (or ``25/26``, ``2025-2026``) ends in."""
    start = _year(first)
    end = _year(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    return end if end == start + 1 else None


def _period_patterns(s: str) -> dt.date | None:
    """Periods rather than days: the period's last day.

    >>> [str(_period_patterns(x)) for x in ("q3 24/25", "quarter 2 2025/26", "fy 25/26", "h1 2025/26")]
    ['2024-12-31', '2025-09-30', '2026-03-31', '2025-09-30']
    >>> [str(_period_patterns(x)) for x in ("april - june 2025", "march/april 2025", "spring 2025")]
    ['2025-06-30', '2025-04-30', 'None']
    """
    fy = r"(\d{4}|\d{2}) ?[/\-] ?(\d{4}|\d{2})"
    if m := re.fullmatch(rf"(?:q|quarter ?)([1-4])(?: fy)? ?{fy}", s):
        end = _fy_end(m[2], m[3])
        q = int(m[1])
        return None if end is None else (_end_of_month(end - 1, 3 + 3 * q) if q < 4 else dt.date(end, 3, 31))
    if m := re.fullmatch(rf"(?:fy|financial year) ?{fy}", s):
        end = _fy_end(m[1], m[2])
        return None if end is None else dt.date(end, 3, 31)
    if m := re.fullmatch(rf"h([12]) ?{fy}", s):
        end = _fy_end(m[2], m[3])
        return None if end is None else (dt.date(end - 1, 9, 30) if m[1] == "1" else dt.date(end, 3, 31))
    if m := re.fullmatch(r"(\d{4}) ?[-–—] ?(\d{4})", s):  # "2023-2027": to 31 March of the last year
        start, end = int(m[1]), int(m[2])
        return dt.date(end, 3, 31) if 0 < end - start <= 10 else None
    if m := re.fullmatch(rf"(?:{_MONTH_RE})\.? ?(?:-|/|to|&|and) ?({_MONTH_RE})\.?,? (\d{{4}}|\d{{2}})", s):
        return _end_of_month(_year(m[2]), _MONTHS[m[1]])
    return None


NO_FIXED_DATE = frozenset(
    {
        "ongoing", "on-going", "on going", "continuous", "continual", "tbc", "tbd", "tba",
        "to be confirmed", "to be determined", "to be agreed", "annually", "annual", "yearly",
        "every year", "quarterly", "monthly", "bi-monthly", "bimonthly", "weekly", "six monthly",
        "6 monthly", "biannually", "bi-annually", "as required", "as needed", "rolling", "business as usual",
        "bau", "throughout the year", "in year", "in-year", "each year", "each quarter", "regularly",
    }
)  # fmt: skip
"""Words people type in a due-date cell for work with no fixed date: RAG Grey, a warning, no error."""

_VAGUE_RE = re.compile(
    r"(?:early |late |mid[- ]?)?(?:spring|summer|autumn|fall|winter)(?: term)?"
    r"(?: \d{2,4}(?: ?[/\-] ?\d{2,4})?)?"
    r"|years? \d(?: ?(?:[/&,-]|and|to) ?\d)*|termly|each term|every term|per term"
)
"""Seasons and plan years: a rough time, not a date a reminder or a RAG can use."""
_RECURRING_RE = re.compile(
    r"(?:every|each|once a|twice a|(?:bi|six|6|three|3)[- ]?(?:monthly|weekly|yearly)|annually|quarterly"
    r"|monthly|yearly|weekly|ongoing|on-going|continuous|rolling|tbc|tbd)\b"
    r"|(?:review(?:ed)?(?: in| within)?|within|in) (?:\d+|one|two|three|six|twelve)"
    r" (?:weeks?|months?|years?)\b"
)
"""A cell starting with how often, or with a time relative to nothing: ``Every August``, ``Annually
2008/09/10``, ``Ongoing to 2018``, ``Review in 12 months``."""


def is_no_fixed_date(value: Any) -> bool:
    """True for a due-date cell saying the work has no fixed date (``Ongoing``, ``TBC``, ``Quarterly``).

    A date followed by such a word (``Oct 2025 and ongoing``) counts too: the work goes on.

    >>> [is_no_fixed_date(x) for x in ("Ongoing", "Quarterly - Board", "Oct 2025 and ongoing", "Spring 2008")]
    [True, True, True, True]
    >>> is_no_fixed_date("31/03/2026"), is_no_fixed_date("Sort of"), is_no_fixed_date(None)
    (False, False, False)
    """
    return isinstance(value, str) and bool(value.strip()) and _no_fixed_text(value)


@functools.lru_cache(maxsize=4096)
def _no_fixed_text(value: str) -> bool:
    s = re.sub(r"\s+", " ", value.strip().lower()).strip(" .!")
    if s in NO_FIXED_DATE or _VAGUE_RE.fullmatch(s) or _RECURRING_RE.match(s):
        return True
    words = re.split(r"\s*(?:[-–—,;:/()]|\band\b|\bthen\b|\bonwards\b)\s*", s)
    return any(w in NO_FIXED_DATE or _VAGUE_RE.fullmatch(w) for w in words if w) or s.endswith(" onwards")


def _date_patterns(s: str) -> dt.date | None:
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", s):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?", s):
        return dt.date(_year(m[3]), int(m[2]), int(m[1]))  # UK: day first
    if m := re.fullmatch(rf"(\d{{1,2}})[ \-]?({_MONTH_RE})\.?,?[ \-]?(\d{{4}}|\d{{2}})", s):
        return dt.date(_year(m[3]), _MONTHS[m[2]], int(m[1]))
    if m := re.fullmatch(rf"({_MONTH_RE})\.? (\d{{1,2}}),? (\d{{4}})", s):
        return dt.date(int(m[3]), _MONTHS[m[1]], int(m[2]))
    if m := re.fullmatch(rf"({_MONTH_RE})\.?[ \-/']?(\d{{4}}|\d{{2}})", s):
        return _end_of_month(_year(m[2]), _MONTHS[m[1]])
    if m := re.fullmatch(r"(\d{1,2})/(\d{4})", s):
        return _end_of_month(int(m[2]), int(m[1]))
    if m := re.fullmatch(r"q([1-4])(?: fy)? ?(\d{4})[/\-](\d{2}|\d{4})", s):
        start = int(m[2])  # NHS financial year start (April)
        q = int(m[1])
        return _end_of_month(start, 3 + 3 * q) if q < 4 else dt.date(start + 1, 3, 31)
    if m := re.fullmatch(r"(?:fy ?)?(\d{4})[/\-](\d{2}|\d{4})", s):
        start = int(m[1])
        end = _year(m[2]) if len(m[2]) == 4 else (start // 100) * 100 + int(m[2])
        if end == start + 1:
            return dt.date(end, 3, 31)
        return None
    if m := re.fullmatch(r"(\d{4})", s):
        return dt.date(int(m[1]), 12, 31)
    return None


def _number_tokens(text: str) -> list[str]:
    return re.findall(r"-?\d+(?:\.\d+)?", text)


def parse_int_list(value: Any) -> tuple[int, ...] | None:
    """Whole numbers in a cell: ``"14,1"`` -> ``(14, 1)``; None if blank or none found."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (int(value),)
    nums = _number_tokens(str(value))
    return tuple(int(float(n)) for n in nums) or None


def parse_number(value: Any) -> float | None:
    """A number, or text that is exactly one (``" 20 "``, ``"7.5"``, ``"7,5"``); None otherwise.

    >>> parse_number(20), parse_number(" 7,5 "), parse_number("about 20"), parse_number(True)
    (20.0, 7.5, None, None)
    """
    if isinstance(value, bool) or is_blank(value):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().replace(",", ".")
    if not re.fullmatch(r"[-+]?\d+(?:\.\d+)?", text):
        return None
    return float(text)


def parse_hias(value: Any) -> tuple[int, ...] | None:
    """HIA numbers in a cell, in order, without repeats; ``()`` for words meaning none.

    Accepts ``HIA 2``, ``HIA2``, ``2``, ``High Impact Action 2``, ``HIA 1 & 3``, ``1, 3`` and
    ``HIA 2; HIA 6``. Numbers outside 1-6 are kept so validation can report them. None when the
    cell is blank or holds no number at all.
    """
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (int(value),) if float(value).is_integer() else None
    return _parse_hias_text(str(value))


@functools.lru_cache(maxsize=4096)
def _parse_hias_text(text: str) -> tuple[int, ...] | None:
    s = text.strip().lower()
    if s in _NONE_WORDS:
        return ()
    s = re.sub(r"high[ -]impact[ -]actions?|hias?|\(s\)", " ", s)
    s = re.sub(r"(\d)\.0+(?!\d)", r"\1", s)  # "1.0", as CSV exports write a whole number
    if re.search(r"\d\.\d", s):  # "2.5" is no HIA number, and not HIAs 2 and 5
        return None
    if m := re.fullmatch(r"\s*(\d)\s*(?:-|to)\s*(\d)\s*", s):
        lo, hi = int(m[1]), int(m[2])
        if lo < hi:
            return tuple(range(lo, hi + 1))
    nums = re.findall(r"\d+", s)
    if not nums:
        return None
    rest = re.sub(r"\d+|[\s,;&/+.:#]|\band\b|\bor\b|\bno\b", "", s)
    if rest:
        return None
    return tuple(dict.fromkeys(int(n) for n in nums))


def parse_psed(value: Any) -> tuple[str, ...] | None:
    """PSED aims in a cell as letters ``a``/``b``/``c``; unknown parts kept as typed.

    Accepts letters (``a``, ``(b)``, ``Aim c``), the aims' names, ``a; c``, ``all``. Anything else
    is kept as written so validation can say which part it did not understand. ``()`` for words
    meaning none; None when blank.
    """
    if is_blank(value):
        return None
    return _parse_psed_text(str(value))


@functools.lru_cache(maxsize=4096)
def _parse_psed_text(text: str) -> tuple[str, ...]:
    s = text.strip().lower()
    if s in _NONE_WORDS:
        return ()
    if s in {"all", "all three", "all aims", "all 3", "abc", "a-c", "a to c"} or re.search(
        r"\ball (?:the |three |3 )?(?:equality |psed |general duty )?aims\b", s
    ):
        return ("a", "b", "c")
    if m := re.fullmatch(
        r"(?:meets? |supports? )?(?:the )?(?:equality |psed )?aims? "
        r"([1-3](?:(?:\s*(?:,|&|and|/))+\s*[1-3])*)",
        s,
    ):
        return tuple(dict.fromkeys("abc"[int(d) - 1] for d in re.findall(r"[1-3]", m[1])))
    for aim in reference.load().psed_aims:
        for phrase in (aim.text, aim.short):
            s = s.replace(phrase.lower(), f";{aim.aim};")
    out: list[str] = []
    for tok in re.split(r"[;,/&+\n]|\band\b", s):
        tok = tok.strip(" .-:")
        if not tok:
            continue
        letter = _psed_token(tok)
        out.append(letter if letter else tok)
    return tuple(dict.fromkeys(out))


_PSED_KEYWORDS = (("a", ("discriminat", "harass", "victimi")), ("b", ("opportunit",)), ("c", ("relation",)))


def _psed_token(tok: str) -> str | None:
    if m := re.fullmatch(r"(?:psed\s*)?(?:aim\s*)?\(?([abc])\)?(?:\s.*)?", tok):
        return m[1]
    if m := re.fullmatch(r"(?:psed\s*)?aim\s*([123])", tok):
        return "abc"[int(m[1]) - 1]
    for letter, stems in _PSED_KEYWORDS:
        if any(stem in tok for stem in stems):
            return letter
    return None


def parse_pct(value: Any) -> float | None:
    """Percent complete as a fraction: ``0.5``, ``"50%"`` and ``"50"`` all give 0.5.

    A number from 0 to 1 is taken as Excel stores a percentage; a larger number as points
    (``50`` -> 0.5). Values outside 0-100% are returned as they are, for validation to report.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        v = float(value)
        if not math.isfinite(v):
            return None
        return v if -1 <= v <= 1 else v / 100
    s = str(value).strip().lower().replace(" ", "")
    if re.fullmatch(r"-?\d+,\d+%?", s):  # a decimal comma, as European-locale CSV exports write
        s = s.replace(",", ".")
    if m := re.fullmatch(r"(-?\d+(?:\.\d+)?)%", s):
        return float(m[1]) / 100
    if m := re.fullmatch(r"-?\d+(?:\.\d+)?", s):
        return parse_pct(float(m[0]))
    return None


_RAG_WORDS = {
    "red": "Red", "r": "Red", "amber": "Amber", "a": "Amber", "yellow": "Amber", "orange": "Amber",
    "green": "Green", "g": "Green", "blue": "Blue", "b": "Blue", "grey": "Grey", "gray": "Grey",
}  # fmt: skip


def parse_rag(value: Any) -> str | None:
    """A RAG colour as typed in a plan's own RAG column: ``Green - on track``, ``G``, ``amber``.

    Returns the reference name (``Blue``, ``Green``, ``Amber``, ``Red``, ``Grey``), or None when the
    cell is blank or is not a colour. Only the first word counts: ``Amber/Red`` is Amber.

    >>> [parse_rag(x) for x in ("Green - on track", " R ", "BLUE (complete)", "Done")]
    ['Green', 'Red', 'Blue', None]
    """
    if not isinstance(value, str) or not value.strip():
        return None
    first = re.split(r"[\s\-–—:/(),;.]+", value.strip().lower(), maxsplit=1)[0]
    return _RAG_WORDS.get(first)


@functools.cache
def _status_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for status in reference.load().statuses:
        table[status.name.lower()] = status.name
        for syn in status.synonyms:
            table[syn.lower()] = status.name
    return table


@functools.cache
def status_words(status: str) -> tuple[str, ...]:
    """The words that mean ``status``: its name, then its synonyms (case-insensitively distinct).

    The template's RAG formulas compare a status cell with these (Excel's ``=`` ignores case).

    >>> status_words("On hold")
    ('On hold', 'paused', 'deferred', 'postponed', 'suspended', 'parked')
    """
    found = next(s for s in reference.load().statuses if s.name == status)
    words: dict[str, str] = {}
    for word in (found.name, *found.synonyms):
        words.setdefault(word.casefold(), word)
    return tuple(words.values())


def parse_status(value: Any) -> str | None:
    """The canonical status for a cell (``Done`` -> ``Complete``); None if blank or unknown.

    A status with a comment after it counts (``Open - on track``, ``Complete (see notes)``); a tick
    box's TRUE is Complete and FALSE In progress.

    >>> parse_status("Open - Actions on going"), parse_status(True), parse_status("Sort of")
    ('In progress', 'Complete', None)
    """
    if isinstance(value, bool):
        return "Complete" if value else "In progress"
    if is_blank(value):
        return None
    key = re.sub(r"\s+", " ", str(value).strip().lower()).strip(" .!")
    lookup = _status_lookup()
    if key in lookup:
        return lookup[key]
    if key in ("true", "false"):
        return "Complete" if key == "true" else "In progress"
    head = re.split(r"\s+[-–—:(]\s*|\s*[(:;]", key, maxsplit=1)[0].strip(" .!")
    return lookup.get(head) if head != key else None


_CHARACTERISTIC_SYNONYMS = {
    "gender": "Sex",
    "women": "Sex",
    "men": "Sex",
    "ethnicity": "Race",
    "ethnic minority": "Race",
    "bame": "Race",
    "bme": "Race",
    "global majority": "Race",
    "disabled": "Disability",
    "disabled staff": "Disability",
    "neurodiversity": "Disability",
    "religion": "Religion or belief",
    "faith": "Religion or belief",
    "belief": "Religion or belief",
    "lgbt": "Sexual orientation",
    "lgbtq": "Sexual orientation",
    "lgbtq+": "Sexual orientation",
    "trans": "Gender reassignment",
    "maternity": "Pregnancy and maternity",
    "pregnancy": "Pregnancy and maternity",
    "marriage": "Marriage and civil partnership",
    "civil partnership": "Marriage and civil partnership",
}


def parse_characteristics(value: Any) -> tuple[str, ...] | None:
    """Protected characteristics named in a cell, canonical where recognised, else as typed."""
    if is_blank(value):
        return None
    canonical = {c.lower(): c for c in reference.load().protected_characteristics}
    text = str(value).strip()
    if text.lower() in {"all", "all characteristics", "all protected characteristics"}:
        return tuple(canonical.values())
    out: list[str] = []
    for tok in re.split(r"[;,/\n]|\band\b(?! civil| maternity)", text):
        t = tok.strip(" .").lower()
        if not t:
            continue
        out.append(canonical.get(t) or _CHARACTERISTIC_SYNONYMS.get(t) or tok.strip())
    return tuple(dict.fromkeys(out))
