"""What a column's values say about it: values decide where a header is ambiguous or blank.

A header names a column; its values can overrule it, by rules measured on the layout corpus
(tests/fixtures/layouts/, docs/validation.md "Reading other layouts"):

- values that are RAG colours (``R``/``A``/``G``/``B``, ``Red``... ``Green - on track``) make the
  column the plan's **reported RAG**, whatever its header (the rightmost such column: the latest);
- a ``Progress`` column of percentages is ``% complete``; of sentences, the notes; of percentages
  and status words (``50%``, ``On hold``, ``Complete``), both: the words the status, the rest the
  % complete (likewise a ``Status`` column with percentages among its words);
- a ``Status`` column of sentences is the notes; a column of status words is the status, even
  when it is headed ``Action``;
- a column without a header is the action when it holds sentences, the due date when it holds
  dates, the action id when it holds short unique codes;
- an id column whose codes repeat down the rows (``1.1`` over three actions) numbers objectives,
  not actions;
- sub-columns of ticks under one parent header (the three PSED aims, or Race / Disability /
  Gender) are one field whose value names the ticked sub-headers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from edi_workbook import reference, values
from edi_workbook.read.headers import HeaderMatch, assign, scores

__all__ = ["TICKS", "Profile", "decide", "profile"]

SAMPLE = 200
"""How many filled cells of a column are looked at."""
TICKS = frozenset({"✓", "✔", "√", "☑", "x", "y", "yes", "•", "*", "tick", "ticked"})
_NUMBER_LIST = re.compile(r"\d{1,3}(?:\s*(?:,|;|&|and)\s*\d{1,3})+\.?", re.I)
"""``1, 2, 6 and 7``: numbers listed (never ``30/09/26`` or ``24/25``, which are dates)."""
_CODE_RE = re.compile(
    r"(?:[a-z]{1,12}(?: [a-z]{1,12})?[ .\-_]?)?\d{1,3}(?:[.\-]\d{1,3}){0,3}[a-z]?\.?"
    r"|[a-z]\d{0,2}\.?|[ivx]{1,5}\.?",
    re.I,
)
"""An identifier's shape: 1.1, 3a, A12, WRES1, ACC_01, Action 3.1, Equality Objective 1."""


@dataclass(frozen=True)
class Profile:
    """Shares of a column's filled cells that look like each kind of value."""

    filled: int
    rag: float
    status: float
    date: float
    pct: float
    ticks: float
    codes: float
    unique: float
    words: float  # mean number of words of the text cells

    def looks(self, kind: str, share: float = 0.6) -> bool:
        return self.filled > 0 and getattr(self, kind) >= share


def _is_pct(v: Any) -> bool:
    if isinstance(v, str):
        return bool(re.fullmatch(r"\s*\d{1,3}(?:[.,]\d+)?\s*%\s*", v))
    return isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1


@functools.cache
def _status_starts() -> tuple[tuple[str, ...], int]:
    """Every text :func:`edi_workbook.values.parse_status` knows (lower case), and the longest's length."""
    words = {w.lower() for s in reference.load().statuses for w in (s.name, *s.synonyms)} | {"true", "false"}
    return tuple(sorted(words)), max(map(len, words))


_LEADING = re.compile(r"[\s.!]*")
_SPACES = re.compile(r"\s+")
_LOOK = 64
"""Characters of a sentence looked at to tell that it does not start with a status."""


def _may_be_status(text: str) -> bool:
    """False when :func:`edi_workbook.values.parse_status` of ``text`` (stripped) is None for certain.

    That function reads the text with its spaces collapsed and ``.``/``!``/spaces stripped, and
    finds a status only when that text, or the part before its first ``-``, ``:``, ``(`` or ``;``,
    is a status word: so the text starts with one. Checking the start (the first :data:`_LOOK`
    characters) costs a fraction of its patterns over a 200-character sentence; a text whose start
    is all spaces, or that starts with a status word, is left to that function.
    """
    starts, longest = _status_starts()
    low = text.lower()
    at = _LEADING.match(low).end()  # type: ignore[union-attr]  # [...]* always matches
    head = _SPACES.sub(" ", low[at : at + _LOOK])
    if len(head) < longest and at + _LOOK < len(low):
        return True  # the start was mostly spaces: cannot tell from it
    return head.startswith(starts)


@functools.lru_cache(maxsize=16384)
def _kinds(v: Any) -> tuple[bool, bool, bool, bool, bool, bool]:
    """What one value looks like: (RAG, status, date, percentage, tick, code). A sentence is none."""
    if isinstance(v, str):
        t = v.strip()
        if _NUMBER_LIST.fullmatch(t):  # "1, 2, 6 and 7": the outcomes or indicators it serves
            return (False, False, False, False, False, True)
        if len(t) > 40 or t.count(" ") > 5:  # a sentence: a status with a comment, else nothing
            status = _may_be_status(t) and values.parse_status(t) is not None
            return (False, status, False, False, False, False)
        date = values.parse_date(t) is not None or values.is_no_fixed_date(t)
        return (
            values.parse_rag(t) is not None,
            values.parse_status(t) is not None,
            date,
            _is_pct(t),
            t.lower() in TICKS,
            bool(_CODE_RE.fullmatch(t)),
        )
    date = values.parse_date(v) is not None
    return (False, False, date, _is_pct(v), False, isinstance(v, int | float))


def profile(col: Sequence[Any]) -> Profile:
    """The profile of a column's values (blanks ignored), each distinct value judged once."""
    from collections import Counter

    blank = values.is_blank  # None and text tested inline (most cells), the rest by is_blank
    filled = [v for v in col if v is not None and (v.strip() if v.__class__ is str else not blank(v))][
        :SAMPLE
    ]
    n = len(filled)
    if not n:
        return Profile(0, 0, 0, 0, 0, 0, 0, 0, 0)
    counts = Counter(filled)
    shares = [0.0] * 6
    rag_names: set[str | None] = set()
    for v, k in counts.items():
        kinds = _kinds(v)
        for i, yes in enumerate(kinds):
            if yes:
                shares[i] += k / n
        if kinds[0]:
            rag_names.add(values.parse_rag(v))
    if shares[0] and not rag_names & {"Red", "Green"}:
        shares[0] = 0.0  # letters a, b (PSED aims, options) are no RAG without an R or a G among them
    texts = [v.strip() for v in filled if isinstance(v, str)]
    return Profile(
        filled=n,
        rag=shares[0],
        status=shares[1],
        date=shares[2],
        pct=shares[3],
        ticks=shares[4],
        codes=shares[5],
        unique=len({str(v).strip().lower() for v in counts}) / n,
        words=sum(t.count(" ") + 1 for t in texts) / len(texts) if texts else 0.0,
    )


def _adjust(key_scores: dict[str, float], p: Profile, header: str | None, merged: bool) -> dict[str, float]:
    """A column's field scores once its values are known (``merged``: cells merged down over rows)."""
    s = dict(key_scores)
    if p.filled == 0:
        return s
    if p.looks("rag") and p.words <= 4:
        s["rag"] = max(s.get("rag", 0.0), 7.0)
        for key in ("status", "pct_complete", "notes", "action", "success_measure"):
            s.pop(key, None)
    if p.looks("ticks"):  # a column of ticks says yes or no: only a group of them names a field
        for key in ("status", "action", "notes", "success_measure", "pct_complete", "rag"):
            s.pop(key, None)
    if p.looks("status") and not p.looks("rag") and p.words <= 3:
        s["status"] = max(s.get("status", 0.0), 4.5 if header else 3.0)
        s.pop("action", None)
    elif "status" in s and p.status < 0.3 and p.words >= 3:
        s.pop("status")
        s["notes"] = max(s.get("notes", 0.0), 4.0)
    if "pct_complete" in s and not p.looks("pct", 0.5) and p.words >= 2:
        s.pop("pct_complete")
        s["notes"] = max(s.get("notes", 0.0), 4.0)
    if "completed_date" in s and p.date < 0.3 and p.words >= 4:  # "progress made/action completed":
        s.pop("completed_date")  # sentences, not the dates actions were completed on
        s["notes"] = max(s.get("notes", 0.0), 4.0)
    if "action_id" in s and p.filled >= 2 and (merged or p.unique < 0.5):
        s.pop("action_id")  # one number over several actions groups them: an objective's number
    if p.words < 2 and p.codes >= 0.8:  # numbers: no action text, measure or note
        for key in ("action", "success_measure", "notes"):
            s.pop(key, None)
    if "rag" in s and header is not None and p.rag < 0.3 and s["rag"] < 7:
        s.pop("rag")  # a 'rating' of scores or words is no RAG colour
    if header is None:  # no header: the values alone
        if p.codes >= 0.8 and p.words >= 4:
            pass  # lists of numbers ("1, 2, 6 and 7"): neither sentences nor one code each
        elif p.looks("date"):
            s["due_date"] = 3.0
        elif p.looks("status") and p.words <= 3:
            s["status"] = 3.0
        elif p.words >= 4 and merged:
            s["objective"] = 3.0  # sentences merged down over several rows: the objective they serve
            s["action"] = 2.0
        elif p.words >= 4:
            s["action"] = 2.5
            s["notes"] = 2.0  # a second column of sentences: what has happened
        elif p.codes >= 0.8 and p.unique >= 0.9 and p.words <= 3:
            s["action_id"] = 2.5
        elif p.codes >= 0.8 or p.words < 4:
            s["objective"] = 2.0  # short words or numbers over sentences: a theme
    return s


_PLAIN = frozenset(
    {
        "owner",
        "due_date",
        "revised_due_date",
        "start_date",
        "completed_date",
        "hia",
        "psed_aim",
        "characteristics",
    }
)


def _plain_field(text: str | None) -> bool:
    """A header naming one of these fields plainly: its values are not looked at (time is short)."""
    if text is None or " / " in text:
        return False
    s = scores(text)
    best = max(s, key=s.__getitem__, default=None)
    return best in _PLAIN and s[best] >= 5 and sum(v >= 5 for v in s.values()) == 1


def _first_text_column(texts: Mapping[int, str], profiles: Mapping[int, Profile]) -> int | None:
    """The leftmost column holding sentences (not codes or ticks): where an objective usually sits."""
    for j in sorted(set(texts) | set(profiles)):
        p = profiles.get(j)
        if p is not None and p.filled and p.words >= 4 and p.codes < 0.5:
            return j
    return None


def _groups(header: HeaderMatch, profiles: Mapping[int, Profile]) -> dict[str, dict[int, str]]:
    """Sub-columns of ticks under one parent: the PSED aims, or protected characteristics."""
    by_parent: dict[str, dict[int, str]] = {}
    for j, text in header.texts.items():
        if " / " in text:
            parent, sub = text.split(" / ", 1)
            by_parent.setdefault(parent, {})[j] = sub
    found: dict[str, dict[int, str]] = {}
    for subs in by_parent.values():
        filled = [profiles[j] for j in subs if j in profiles and profiles[j].filled]
        if len(subs) < 2 or not filled or any(p.ticks < 0.6 for p in filled):
            continue
        if all(_aim(t) for t in subs.values()):
            found.setdefault("psed_aim", subs)
        elif all(_characteristic(t) for t in subs.values()):
            found.setdefault("characteristics", subs)
    return found


def _aim(text: str) -> bool:
    parsed = values.parse_psed(text) or ()
    return len(parsed) == 1 and parsed[0] in ("a", "b", "c")


def _characteristic(text: str) -> bool:
    names = {c.lower() for c in reference.load().protected_characteristics}
    parsed = values.parse_characteristics(text) or ()
    return bool(parsed) and all(p.lower() in names for p in parsed)


def _share_progress(cols: dict[str, int], columns: Mapping[int, Sequence[Any]]) -> tuple[str, str] | None:
    """One column of status words and percentages (``Progress``: 50%, 25, On hold, Complete) feeds
    both fields, when the plan has a column for only one of them: the words the status, the numbers
    the % complete, anything else the field its header names (``build_plan`` splits the values).
    A Status column shares only when it holds percentages typed with ``%``.
    Returns (that field, the other), or None."""
    for have, other in (("pct_complete", "status"), ("status", "pct_complete")):
        if have not in cols or other in cols or cols[have] not in columns:
            continue
        filled = [v for v in columns[cols[have]][:SAMPLE] if not values.is_blank(v)]
        said = [values.parse_status(v) is not None for v in filled]
        numbers = [  # in a Status column only a percentage typed as one (50%): a 1 there says nothing clear
            not s and values.parse_pct(v) is not None and (have == "pct_complete" or "%" in str(v))
            for v, s in zip(filled, said, strict=True)
        ]
        n = len(filled) or 1
        status, pct = sum(said) / n, sum(numbers) / n
        if status >= 0.25 and pct >= 0.1 and status + pct >= 0.8:
            cols[other] = cols[have]
            return have, other
    return None


def decide(
    header: HeaderMatch, columns: Mapping[int, Sequence[Any]], merged_down: frozenset[int] = frozenset()
) -> None:
    """Settle which column feeds which field, from the header texts and the values under them.

    ``columns`` is column -> that column's values on the data rows (after merged cells are
    filled down; ``merged_down`` the columns that had such cells). Updates ``header`` in place.
    """
    profiles = {j: profile(col) for j, col in columns.items() if not _plain_field(header.texts.get(j))}
    header.groups = _groups(header, profiles)
    grouped = {j for g in header.groups.values() for j in g}
    cands: dict[int, dict[str, float]] = {}
    first = _first_text_column(header.texts, profiles)
    for j in sorted(set(header.texts) | set(profiles)):
        if j in grouped:
            continue
        text = header.texts.get(j)
        s = _adjust(dict(scores(text)) if text else {}, profiles.get(j, profile(())), text, j in merged_down)
        if text and "success_measure" in s and "objective" in s and j == first:
            s["objective"] = max(s["objective"], s["success_measure"] + 0.5)  # an outcome on the left
        s = {k: v for k, v in s.items() if k not in header.groups}
        if s:
            cands[j] = s
    cols = assign(cands)
    if "action" not in cols:  # no action column: the leftmost free column of sentences, else the objectives
        taken = set(cols.values())
        free = [j for j in sorted(profiles) if j not in taken and j not in grouped and profiles[j].words >= 4]
        if free:
            cols["action"] = free[0]
        elif "objective" in cols:
            cols["action"] = cols.pop("objective")
    header.strength = sum(cands[c][k] for k, c in cols.items() if k in cands.get(c, {}))
    header.shared = _share_progress(cols, columns)
    for key, subs in header.groups.items():
        cols[key] = min(subs)
        parent = header.texts[min(subs)].split(" / ", 1)[0]
        for j in subs:
            header.texts[j] = parent
    header.settle(dict(sorted(cols.items(), key=lambda kv: kv[1])))
