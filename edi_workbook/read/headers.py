"""Header matching that scores: which sheet row is the plan's header, and which column is which field.

Real plans name their columns in many ways (``Ref``, ``Lead``, ``Deadline``, ``What we will do``,
``Description of action``, ``How we will measure success``, ``Executive lead``). Each header text
gets a score for each canonical field from weighted cues (``data/headers.yaml``): the weight of
the best cue it contains, a little more when the cue starts the header; the canonical header
itself scores highest. Then each field takes the column that scores best for it, each column
feeding one field, so ``Actions`` beats ``Objective`` for the action and the objective column is
kept as ``Objective / theme``. What the columns hold can overrule a header
(:mod:`edi_workbook.read.columns`).

A header may take two rows: a parent cell spanning several columns (``Completion date`` over
``Aim`` and ``Completed / revised date``), or a row of sub-headers under blank parents. Each
column's text is then its own sub-header, read with its parent's words.

>>> match_header("Owner(s)"), match_header("Target date (dd/mm/yyyy)"), match_header("High Impact Action")
('owner', 'due_date', 'hia')
>>> match_header("Description of action"), match_header("Lead on action(s)"), match_header("Budget") is None
('action', 'owner', True)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from edi_workbook import reference

__all__ = [
    "MIN_SCORE",
    "HeaderMatch",
    "assign",
    "best_header_row",
    "fallback_header_row",
    "header_text",
    "headerless",
    "match_header",
    "match_row",
    "normalise",
    "scores",
]

MIN_SCORE = 3
"""A header row must name at least this many fields (or be our own table) to count as the plan's."""
MIN_CUE = 2.0
"""A header scoring less than this for every field names none."""
SCAN_ROWS = 60
"""How many rows from the top of each sheet are looked at for a header row."""
LOOK_PAST = 8
"""Rows looked at below the best header so far (a stronger header, or sub-headers, sit close)."""
KEY_FIELDS = ("action", "action_id")
"""A header row must name one of these: a plan is a list of actions."""


def normalise(text: str) -> str:
    """Header text reduced for comparison: lower case, only letters, digits, ``%`` and ``#``."""
    return re.sub(r"[^a-z0-9%#]+", "", text.lower())


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+|[%#]", text.lower()))


@dataclass(frozen=True)
class _Cue:
    words: tuple[str, ...]  # a trailing "*" on a word matches any ending
    weight: float
    exact: bool  # the header must be exactly these words


@dataclass(frozen=True)
class _Vocabulary:
    cues: dict[str, tuple[_Cue, ...]]
    canonical: dict[str, str]  # normalised canonical header -> key
    canonical_weight: float
    head_bonus: float
    by_word: dict[str, tuple[tuple[str, _Cue], ...]]  # a cue's first word -> (key, cue)
    by_prefix: dict[str, tuple[tuple[str, str, _Cue], ...]]  # first 3 letters -> (prefix, key, cue)
    exact: dict[tuple[str, ...], tuple[tuple[str, _Cue], ...]]  # a whole header -> (key, cue)


@functools.cache
def _vocabulary() -> _Vocabulary:
    from edi_workbook.reference import data_file

    data = data_file("headers.yaml")
    cues: dict[str, tuple[_Cue, ...]] = {}
    by_word: dict[str, list[tuple[str, _Cue]]] = {}
    by_prefix: dict[str, list[tuple[str, str, _Cue]]] = {}
    exact: dict[tuple[str, ...], list[tuple[str, _Cue]]] = {}
    for key, groups in data["cues"].items():
        found = []
        for weight, phrases in groups.items():
            for phrase in phrases:
                p = str(phrase)
                cue = _Cue(
                    tuple(re.findall(r"[a-z0-9]+\*?|[%#]", p.lower())), float(weight), p.startswith("=")
                )
                found.append(cue)
                first = cue.words[0]
                if cue.exact and not any(w.endswith("*") for w in cue.words):
                    exact.setdefault(cue.words, []).append((key, cue))
                elif first.endswith("*"):
                    by_prefix.setdefault(first[:3], []).append((first[:-1], key, cue))
                else:
                    by_word.setdefault(first, []).append((key, cue))
        cues[key] = tuple(found)
    canonical = {normalise(c.header): c.key for c in reference.load().columns}
    return _Vocabulary(
        cues,
        canonical,
        float(data["canonical"]),
        float(data["head_bonus"]),
        {w: tuple(v) for w, v in by_word.items()},
        {w: tuple(v) for w, v in by_prefix.items()},
        {w: tuple(v) for w, v in exact.items()},
    )


def _word_matches(cue: str, word: str) -> bool:
    return word.startswith(cue[:-1]) if cue.endswith("*") else word == cue


def _matches_at(cue: _Cue, words: tuple[str, ...], i: int) -> bool:
    """Whether ``cue`` (its first word already matched) goes on at ``words[i]``."""
    n = len(cue.words)
    if cue.exact and (i != 0 or n != len(words)):
        return False
    return i + n <= len(words) and all(map(_word_matches, cue.words[1:], words[i + 1 : i + n]))


MAX_HEADER_WORDS = 16
"""A cell of more words is a sentence, not a header: it names no field."""


@functools.lru_cache(maxsize=8192)
def scores(text: str) -> dict[str, float]:
    """Each field's score for one header text (fields scoring nothing are left out).

    >>> s = scores("Lead on Action(s)")
    >>> s["owner"] > s["action"]
    True
    """
    vocab = _vocabulary()
    found: dict[str, float] = {}
    words = _words(text)
    key = vocab.canonical.get("".join(words))  # normalise(text): the same characters, one pattern fewer
    if key is not None:
        found[key] = vocab.canonical_weight
    if not words or len(words) > MAX_HEADER_WORDS or (len(words) >= 5 and text.rstrip().endswith(".")):
        return found  # a sentence is a value, not a header

    def hit(field_key: str, cue: _Cue, at: int) -> None:
        got = cue.weight + (vocab.head_bonus if at == 0 else 0.0)
        if got > found.get(field_key, 0.0):
            found[field_key] = got

    for field_key, cue in vocab.exact.get(words, ()):
        hit(field_key, cue, 0)
    for i, w in enumerate(words):
        for field_key, cue in vocab.by_word.get(w, ()):
            if _matches_at(cue, words, i):
                hit(field_key, cue, i)
        for prefix, field_key, cue in vocab.by_prefix.get(w[:3], ()):
            if w.startswith(prefix) and _matches_at(cue, words, i):
                hit(field_key, cue, i)
    return found


def match_header(text: Any) -> str | None:
    """The field a header cell names on its own, or None (ties go to the canonical column order)."""
    if not isinstance(text, str) or not text.strip():
        return None
    found = {k: v for k, v in scores(text).items() if v >= MIN_CUE}
    if not found:
        return None
    order = {k: i for i, k in enumerate(reference.load().column_keys)}
    return max(found, key=lambda k: (found[k], -order.get(k, 99)))


def header_text(value: Any) -> str | None:
    """A header cell's text, or None when it is blank."""
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else str(value).strip()
    return " ".join(text.split()) or None


def assign(
    candidates: Mapping[int, Mapping[str, float]], prefer_right: Iterable[str] = ("rag",)
) -> dict[str, int]:
    """Each field to the column that scores best for it; each column feeds one field.

    ``candidates`` is column -> field -> score. Highest scores are settled first; a tie goes to
    the leftmost column (the rightmost for the fields in ``prefer_right``: the latest rating).

    >>> assign({0: {"objective": 5, "action": 1}, 1: {"action": 5.5}})
    {'action': 1, 'objective': 0}
    """
    right = set(prefer_right)
    flat = sorted(
        ((s, key, col) for col, fields in candidates.items() for key, s in fields.items() if s >= MIN_CUE),
        key=lambda t: (-t[0], -t[2] if t[1] in right else t[2]),
    )
    out: dict[str, int] = {}
    used: set[int] = set()
    for _s, key, col in flat:
        if key not in out and col not in used:
            out[key] = col
            used.add(col)
    return out


@dataclass
class HeaderMatch:
    """A header row: its 0-based index (the last row of a two-row header), and the columns.

    ``columns`` is key -> 0-based column; ``texts`` every column's header text as shown (a
    sub-header under its parent reads ``parent / sub``); ``extras`` the named columns no field
    took; ``groups`` a field read from several sub-columns of ticks (column -> sub-header).
    """

    row: int
    columns: dict[str, int] = field(default_factory=dict)
    extras: dict[int, str] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)
    rows: int = 1
    strength: float = 0.0
    groups: dict[str, dict[int, str]] = field(default_factory=dict)
    shared: tuple[str, str] | None = None
    """Two fields one column feeds (``columns.decide``): the one its header names, then the other."""

    @property
    def score(self) -> int:
        """How many fields the header names."""
        return len(self.columns)

    def text_of(self, key: str) -> str | None:
        """The header text of the column that feeds ``key``."""
        col = self.columns.get(key)
        return None if col is None else self.texts.get(col)

    def settle(self, columns: dict[str, int]) -> None:
        """Take ``columns`` as the answer; every other named column becomes an extra."""
        self.columns = columns
        taken = set(columns.values()) | {c for g in self.groups.values() for c in g}
        self.extras = {j: t for j, t in sorted(self.texts.items()) if j not in taken}


def _candidates(texts: Mapping[int, str]) -> dict[int, dict[str, float]]:
    return {j: dict(scores(t)) for j, t in texts.items()}


def match_row(cells: Sequence[Any], row: int = 0) -> HeaderMatch:
    """Read one row of header cells; unknown non-blank headers become extras.

    >>> m = match_row(["Ref", "Objective", "Actions", "Lead", "Deadline", "Budget"])
    >>> m.columns, m.extras
    ({'action_id': 0, 'objective': 1, 'action': 2, 'owner': 3, 'due_date': 4}, {5: 'Budget'})
    """
    texts = {j: t for j, c in enumerate(cells) if (t := header_text(c)) is not None}
    m = HeaderMatch(row=row, texts=texts)
    cands = _candidates(texts)
    cols = assign(cands)
    m.strength = sum(cands[c][k] for k, c in cols.items())
    m.settle(dict(sorted(cols.items(), key=lambda kv: kv[1])))
    return m


def _spans(cells: Sequence[Any], merged: Iterable[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(first, last, text) of each parent cell of a header row: merged ranges, else the cell alone."""
    width = len(cells)
    starts = dict(merged)
    out, j = [], 0
    while j < width:
        text = header_text(cells[j])
        last = min(starts.get(j, j), width - 1)
        if text is not None:
            out.append((j, last, text))
        j = last + 1
    return out


def two_row_header(
    parent: Sequence[Any], child: Sequence[Any], merged: Iterable[tuple[int, int]] = ()
) -> dict[int, str] | None:
    """The column texts of a two-row header, or None when ``child`` is not a row of sub-headers.

    Sub-headers sit under a parent that spans several columns (a merged cell), or under a blank
    parent cell; they are short labels, not values.

    >>> two_row_header(["Task", "Completion date", None], [None, "Aim", "Revised date"], [(1, 2)])
    {0: 'Task', 1: 'Completion date / Aim', 2: 'Completion date / Revised date'}
    """
    from edi_workbook import values

    subs = {j: t for j, c in enumerate(child) if (t := header_text(c)) is not None}
    if len(subs) < 2 or any(len(t.split()) > 8 or values.parse_date(t) is not None for t in subs.values()):
        return None
    spans = _spans(parent, list(merged) or _unmerged_spans(parent, subs))
    wide = [(a, b, t) for a, b, t in spans if b > a]
    under_wide = {j for a, b, _ in wide for j in range(a, b + 1)}
    named = {a for a, _b, _t in spans} - under_wide
    if not all(j in under_wide or j not in named for j in subs):
        return None  # a value under a named single-column parent: a data row, not sub-headers
    if not wide and len(subs) < 2:
        return None
    texts: dict[int, str] = {}
    for a, b, t in spans:
        for j in range(a, b + 1):
            texts[j] = f"{t} / {subs[j]}" if j in subs and b > a else t
    for j, t in subs.items():
        texts.setdefault(j, t)
    return dict(sorted(texts.items()))


def _unmerged_spans(parent: Sequence[Any], subs: Mapping[int, str]) -> list[tuple[int, int]]:
    """A parent's span where its merged cell is lost (a CSV export, or cells laid out unmerged):
    a named parent, then blank parent cells, with sub-headers under the parent and a blank beside it.

    >>> _unmerged_spans(["Ref", "Deadline", None, "Status"], {1: "Original", 2: "Revised"})
    [(1, 2)]
    """
    out = []
    for a, cell in enumerate(parent):
        if header_text(cell) is None or a not in subs:
            continue
        b = a
        while b + 1 < len(parent) and header_text(parent[b + 1]) is None and b + 1 in subs:
            b += 1
        if b > a:
            out.append((a, b))
    return out


def best_header_row(
    rows: Sequence[Sequence[Any]],
    limit: int = SCAN_ROWS,
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
) -> HeaderMatch | None:
    """The strongest header row among the first ``limit`` rows (earliest wins a tie).

    A header names at least :data:`MIN_SCORE` fields, one of them the action or its id; the row
    under it is read as sub-headers when it is one (:func:`two_row_header`). None when no row is
    a header.

    >>> rows = [["Plan 2025/26"], ["Ref", "Action", "Lead", "Deadline"], ["1", "Do it", "Me", "Mar 26"]]
    >>> m = best_header_row(rows)
    >>> m.row, m.columns
    (1, {'action_id': 0, 'action': 1, 'owner': 2, 'due_date': 3})
    """
    best: HeaderMatch | None = None
    by_row: dict[int, list[tuple[int, int]]] = {}
    for (r0, c0), (r1, c1) in merged:
        if r0 == r1 and c1 > c0:
            by_row.setdefault(r0, []).append((c0, c1))
    for i, cells in enumerate(rows[:limit]):
        if best is not None and i > best.row + LOOK_PAST:
            break  # the data has started: a header further down would be another table
        if sum(1 for c in cells if c.__class__ is str and len(c) <= 120 and scores(c)) < 2:
            continue  # fewer than two cells name anything: not a header (decided without matching)
        m = match_row(cells, i)
        if m.score < 2 or not _is_header(m):
            continue
        if i + 1 < len(rows):
            texts = two_row_header(cells, rows[i + 1], by_row.get(i, ()))
            if texts is not None:
                two = _from_texts(texts, i + 1, rows=2)
                if two.strength >= m.strength:
                    m = two
        if not _is_header(m) or not (set(KEY_FIELDS) & m.columns.keys() or _data_below(rows, i + m.rows)):
            continue
        if _data_above(rows, i):
            continue  # a data row of a table with no header, whose words happen to name fields
        if best is None or m.strength > best.strength:
            best = m
    return best


def _is_header(m: HeaderMatch) -> bool:
    """A plan's header names three fields, or two of which one is plainly the action (or its id)."""
    if m.score >= MIN_SCORE:
        return True
    cands = _candidates(m.texts)
    return m.score == 2 and any(key in m.columns and cands[m.columns[key]][key] >= 5 for key in KEY_FIELDS)


def fallback_header_row(rows: Sequence[Sequence[Any]], limit: int = SCAN_ROWS) -> HeaderMatch | None:
    """For a table whose header names one field plainly (the others blank): that row, when at
    least two rows under it hold two or more values. The values then decide the other columns.

    >>> rows = [["Timetable"], [None, "Lead responsibility", None], ["Report", "Officer", "May 2024"],
    ...         ["Plan", "Officer", "June 2024"]]
    >>> fallback_header_row(rows).row
    1
    """
    for i, cells in enumerate(rows[:limit]):
        m = match_row(cells, i)
        cands = _candidates(m.texts)
        if len(m.texts) > 2 * len(m.columns) + 1:
            continue  # a row of values, one of which happens to be a header's word ("Complete")
        if not any(
            cands[c][k] >= 5 and len(m.texts[c].split()) <= 6 and not _numbered(m.texts[c])
            for k, c in m.columns.items()
        ):
            continue  # "Equality Objective 1" is a value: a header names a field, it does not number it
        under = rows[i + 1 : i + 7]
        while under and _heading(under[0]):  # a section heading under the header ("Empowering people")
            under = under[1:]
        below = [sum(not _empty(v) for v in r) >= 2 for r in under[:5]]
        if below and below[0] and sum(below) >= 2:
            return m
    return None


def _heading(row: Sequence[Any]) -> bool:
    """A row of one short text (a section heading), not a paragraph."""
    filled = [v for v in row if not _empty(v)]
    return len(filled) == 1 and isinstance(filled[0], str) and len(filled[0].split()) <= 10


_YEARS_AT_END = re.compile(r"(?:19|20)\d\d(?:\s*[-\u2013\u2014/]\s*(?:19|20)?\d\d)?$")


def _numbered(text: str) -> bool:
    """Whether a header text ends with a number that numbers it (``Equality Objective 1``), not with
    the years it covers (``Equality Objective 2020 - 2021``, ``Objectives 2024/25``).

    >>> _numbered("Equality Objective 1"), _numbered("Equality Objective 2020 - 2021"), _numbered("Theme")
    (True, False, False)
    """
    return text[-1:].isdigit() and _YEARS_AT_END.search(text) is None


def headerless(rows: Sequence[Sequence[Any]], limit: int = SCAN_ROWS) -> HeaderMatch | None:
    """A table with no header at all (a published list of objectives): where its rows start.

    The data starts after the first blank row that has rows of values under it, else at the first
    row holding a sentence (title rows above it are left out). The values then decide every column.

    >>> headerless([["Our equality objectives"], [None, None], ["Theme", "We will train 20 staff."],
    ...             ["Pay", "We will publish the pay gap."]]).row
    1
    """
    filled = [sum(not _empty(v) for v in r) for r in rows[:limit]]
    for i in range(1, len(filled) - 1):
        if filled[i] == 0 and any(filled[i + 1 : i + 6]):
            return HeaderMatch(row=i)
    for i, r in enumerate(rows[:limit]):
        if any(isinstance(v, str) and len(v.split()) >= 6 for v in r) and i + 1 < len(rows):
            return HeaderMatch(row=i - 1)
    return None


def _data_above(rows: Sequence[Sequence[Any]], i: int) -> bool:
    """Whether row ``i`` is a data row of a table with no header: the two or more rows right above
    it (no blank row between) each fill every column it fills, and hold a sentence. A title, a key
    or another table above a header is set apart by a blank row, or leaves some of its columns
    blank; a table with no header row does neither (its fourth row, "A4, Publish WRES report,
    Practice manager, March 2025, Done", named three fields and hid the three actions above it).

    >>> rows = [["A1", "Train 20 managers in recruitment", "Jo", "Open"],
    ...         ["A2", "Publish the WRES report", "Sam", "Open"],
    ...         ["A3", "Action", "Lead", "Status"]]
    >>> _data_above(rows, 2), _data_above([["Key", "Red means off track", None, None], *rows[1:]], 2)
    (True, False)
    """
    mine = [j for j, v in enumerate(rows[i]) if not _empty(v)]
    like = 0
    for r in reversed(rows[max(0, i - SCAN_ROWS) : i]):
        if all(j < len(r) and not _empty(r[j]) for j in mine) and any(
            isinstance(v, str) and len(v.split()) >= 3 for v in r
        ):
            like += 1
        else:
            break  # a blank row, a title or a key: what is above it is no part of this table
    return like >= 2


def _data_below(rows: Sequence[Sequence[Any]], i: int) -> bool:
    """Whether a row under ``i`` holds two or more values: a header with no action column needs data
    under it, where the values may show which column is the action."""
    return any(sum(not _empty(v) for v in r) >= 2 for r in rows[i : i + 5])


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _from_texts(texts: dict[int, str], row: int, rows: int) -> HeaderMatch:
    m = HeaderMatch(row=row, texts=texts, rows=rows)
    cands = _candidates(texts)
    cols = assign(cands)
    m.strength = sum(cands[c][k] for k, c in cols.items())
    m.settle(dict(sorted(cols.items(), key=lambda kv: kv[1])))
    return m
