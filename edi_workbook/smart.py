"""Is an action SMART enough to check? :func:`check_smart` gives a yes/no and short reasons.

A deliberately small heuristic, shared by the ``action-not-smart`` rule and the ``EDI_SMART``
Excel function. It looks for what makes an action checkable at the end of the year:

- a measurable outcome: a number, a percentage, a count or a target in the text (or in the
  row's success measure, when given);
- a time frame: a date, month, quarter, year or period in the text (or the row's due date);
- no vague verb leading the action (``Raise awareness``, ``Promote``, ``Explore``...) unless the
  text also says how much; the same words used as nouns ("menopause support sessions") are fine.

>>> check_smart("Raise awareness of EDI")
SmartResult(ok=False, reasons=('no measurable outcome', 'no time frame', "vague verb: 'raise awareness'"))
>>> check_smart("Train 90% of line managers in inclusive recruitment by March 2026").ok
True
>>> check_smart("Review the policy", has_due_date=True, measure="Policy approved by board").reasons
('no measurable outcome',)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from edi_workbook import values

__all__ = ["SmartResult", "check_smart", "has_measure", "has_time_frame"]

VAGUE_VERBS = (
    "raise awareness",
    "increase awareness",
    "improve awareness",
    "promote",
    "encourage",
    "explore",
    "consider",
    "look into",
    "support",
    "continue to",
    "work towards",
    "strive",
    "aim to",
    "endeavour",
    "champion",
    "celebrate",
    "embed",
    "enhance",
)
_VAGUE_RE = re.compile(
    r"^\W*(?:to |we will |will |continue to |we aim to )?("
    + "|".join(re.escape(v) for v in VAGUE_VERBS)
    + r")\b",
    re.I,
)
"""A vague verb at the start of the text, where an action's verb is ("Support", not "menopause support")."""

# The words and phrases a measure or a time frame is read from, once: the patterns below are built
# from them, and :func:`_facts` reads an ASCII text's words against the same sets.
_COUNT_WORDS = frozenset((
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty",
    "fifty", "hundred", "half", "all", "every", "each", "zero", "double", "halve",
))  # fmt: skip
"""The one-word counts of :data:`_NUMBER_RE`."""
_COUNT_PHRASES = r"reduce[sd]? by|increase[sd]? by"
_TIME_NAMES = frozenset((
    "q1", "q2", "q3", "q4", "quarter", "quarterly", "annual", "annually", "month", "monthly", "week",
    "weekly", "year", "yearly", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "spring", "summer", "autumn", "winter", "deadline",
    "day", "days", "weeks", "months", "years",
))  # fmt: skip
_TIME_WORDS = _TIME_NAMES | {f"20{n:02d}" for n in range(100)}
"""The one-word time frames of :data:`_TIME_RE` (its ``20\\d\\d`` included)."""
_LEADS = r"by|before|within|until|end of|from"
_LEAD_WORDS = frozenset({"by", "before", "within", "until", "end", "from"})
_SLASH_DATE = r"\d{1,2}/\d{1,2}/\d{2,4}"


def _alternatives(words: frozenset[str]) -> str:
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))


# Each word alternation sits behind a one-character lookahead (``(?=[a-z])``): the same matches, but
# the engine tries the alternatives only where a word can start (a third of the time of a check).
_NUMBER_RE = re.compile(rf"[\d%]|\b(?=[a-z])({_alternatives(_COUNT_WORDS)}|{_COUNT_PHRASES})\b", re.I)
_TIME_RE = re.compile(
    rf"\b(?=[a-z0-9])(?:({_LEADS})\s+\w+|({_alternatives(_TIME_NAMES)}|20\d\d|{_SLASH_DATE})\b)", re.I
)
_DIGIT_RE = re.compile(r"\d")
"""Every date part :data:`_DATE_PARTS_RE` removes has a digit: a text without one has none."""


@dataclass(frozen=True)
class SmartResult:
    """Whether an action text is SMART enough, and if not, short reasons why."""

    ok: bool
    reasons: tuple[str, ...] = ()


_DATE_PARTS_RE = re.compile(
    rf"\b(?=[\dqf])(?:{_SLASH_DATE}\b|q[1-4]\b|(?:fy\s?)?(?:19|20)\d\d(?:/\d{{2,4}})?\b|\d{{1,2}}(?:st|nd|rd|th)?\s+"
    r"(?=jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))",
    re.I,
)
"""Dates and their parts, whole words each (a year, a quarter, 31/03/2026, the "3rd" of "3rd March")."""


def has_measure(text: str | None, *, dates_count: bool = True) -> bool:
    """True when text holds a number, a percentage or a count word (or a date, if ``dates_count``).

    >>> has_measure("Policy approved by 31/03/2026"), has_measure("Update by June 2026", dates_count=False)
    (True, False)
    """
    if not text:
        return False
    if isinstance(text, str):
        return _has_measure(text, dates_count)
    if not dates_count:
        text = _DATE_PARTS_RE.sub(" ", text)
    elif values.parse_date(text) is not None:  # an Excel date serial, say
        return True
    return bool(_NUMBER_RE.search(text))


@functools.lru_cache(maxsize=65536)
def _has_measure(text: str, dates_count: bool) -> bool:
    """:func:`has_measure` of a text, cached; the regex first, as it is far cheaper than a date parse."""
    if not dates_count:
        bare = _DATE_PARTS_RE.sub(" ", text) if _DIGIT_RE.search(text) else text
        return bool(_NUMBER_RE.search(bare))
    return bool(_NUMBER_RE.search(text)) or values.parse_date(text) is not None


def has_time_frame(text: str | None) -> bool:
    """True when text says by when: a date, a month, a quarter, a year or a period."""
    return bool(text) and bool(_TIME_RE.search(text or ""))


def check_smart(
    text: str | None,
    *,
    has_due_date: bool = False,
    measure: str | None = None,
    measure_counts: bool | None = None,
) -> SmartResult:
    """Whether ``text`` is SMART enough to check later, with short reasons if not.

    ``has_due_date`` and ``measure`` let the row's Due date and Success measure supply the time
    frame and the measurable outcome, as they do in a plan laid out in columns. The measure counts
    only through ``has_measure(measure)``; a caller that knows it already (validation judges each
    wording once) passes it as ``measure_counts`` instead.
    """
    if values.is_blank(text):
        return SmartResult(False, ("no action text",))
    own_measure, timed, vague = _facts(str(text))
    measurable = own_measure or (has_measure(measure) if measure_counts is None else measure_counts)
    return _verdict(measurable, has_due_date or timed, None if own_measure else vague)


@functools.lru_cache(maxsize=65536)
def _facts(s: str) -> tuple[bool, bool, str | None]:
    """What one text says for itself: a measure (dates aside), a time frame, a leading vague verb."""
    vague = _VAGUE_RE.search(s)
    if s.isascii():
        words = _WORD_RE.findall(s.lower())
        return _counts(s, words), _timed(s, words), vague[1].lower() if vague else None
    return has_measure(s, dates_count=False), has_time_frame(s), vague[1].lower() if vague else None


# What :func:`_facts` reads in an ASCII text: its words, and the patterns only where no word decides
# (about half the time of the patterns alone). Each pattern above matches a word from one of the
# sets it is built from wherever that word stands alone (``\b`` on both sides: a whole word, as
# ``\w+`` reads it); tests/test_smart.py holds the two readings together.
_WORD_RE = re.compile(r"\w+")
_COUNT_PHRASE_RE = re.compile(rf"\b(?:{_COUNT_PHRASES})\b", re.I)
"""The two-word counts of :data:`_NUMBER_RE`."""
_LEAD_RE = re.compile(rf"\b(?:{_LEADS})\s+\w", re.I)
"""The time frames of :data:`_TIME_RE` that lead another word ("by June")."""
_SLASH_DATE_RE = re.compile(rf"\b{_SLASH_DATE}\b")


def _counts(s: str, words: list[str]) -> bool:
    """``has_measure(s, dates_count=False)`` of an ASCII text, given its words.

    A date part is always whole words, none of them a count word, a ``%`` or "reduce by": removing
    date parts leaves only the digits outside them to look for.
    """
    if "%" in s or not _COUNT_WORDS.isdisjoint(words):
        return True
    if "by" in words and _COUNT_PHRASE_RE.search(s):
        return True
    return _bare_digit(s)


def _bare_digit(s: str) -> bool:
    """Whether a digit of ``s`` stands outside its date parts: ``_DATE_PARTS_RE.sub`` without the copy.

    A date part starts at most three characters before its first digit ("fy 2026"): the parts are
    looked for from there, and the digits in the gaps between them.
    """
    first = _DIGIT_RE.search(s)
    if first is None:
        return False
    end = 0
    for part in _DATE_PARTS_RE.finditer(s, max(0, first.start() - 3)):
        if _DIGIT_RE.search(s, end, part.start()):
            return True
        end = part.end()
    return _DIGIT_RE.search(s, end) is not None


def _timed(s: str, words: list[str]) -> bool:
    """``has_time_frame(s)`` of an ASCII text, given its words."""
    if not _TIME_WORDS.isdisjoint(words):
        return True
    if not _LEAD_WORDS.isdisjoint(words) and _LEAD_RE.search(s):
        return True
    return "/" in s and _SLASH_DATE_RE.search(s) is not None


@functools.lru_cache(maxsize=64)
def _verdict(measurable: bool, timed: bool, vague: str | None) -> SmartResult:
    reasons: list[str] = []
    if not measurable:
        reasons.append("no measurable outcome")
    if not timed:
        reasons.append("no time frame")
    if vague:
        reasons.append(f"vague verb: '{vague}'")
    return SmartResult(not reasons, tuple(reasons))
