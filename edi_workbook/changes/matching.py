"""Which action of one return is which action of the next: by Action ID, else by its wording.

Plans are resubmitted every quarter, and between two returns people renumber, reorder and reword
their actions, and sometimes move the plan to another layout. :func:`match_actions` pairs the
actions of two plans:

1. **By Action ID** when an ID (spaces and case ignored) is used once in each plan.
2. An ID pair whose texts are unlike (similarity below :data:`THRESHOLD`) is given up when either
   action's text clearly matches another action: the ID was reused for something else (a plan
   renumbered after an action was removed, say). If neither finds a better partner, the ID pair
   stands again.
3. **By text** for what is left: the most similar pair first, down to :data:`THRESHOLD`.

Similarity is the cosine of TF-IDF weighted word stems (Snowball English, as the mapping uses),
with function words dropped; the weights come from the two plans' own action texts, so words every
action uses ("practice", "staff") count for less than the words that tell actions apart. A word not
in the other plan's vocabulary is first matched to a close spelling there (``anual`` -> ``annual``;
difflib, ratio 0.85 or more, words of five letters or more), so a corrected typo is no rewording.

Measured on the built-in example plan (``benchmarks/bench_matching.py``, hand-written rewordings in
``tests/data/rewordings.csv``, every ID removed so only the wording pairs them): two different
actions are at most 0.30 alike; a light rewording scores 0.78 or more, a moderate one 0.63 or more,
one with typos 0.72 or more; hence the threshold of 0.5. All 74 such rewordings pair with their
original and none with another action. Heavy rewordings that share few words ("One FTSU guardian
for all the PCNs") mostly fall below it (3 of 8 paired) and show as removed + added, unless the
Action ID is kept, which pairs them anyway.

>>> round(similarity("Publish the annual EDI report", "Publish an annual report on EDI"), 2)
1.0
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from edi_workbook.plan import Plan

__all__ = ["THRESHOLD", "Corpus", "Match", "match_actions", "similarity", "words"]

THRESHOLD = 0.5
"""Two action texts at least this similar (0 to 1) are taken to be the same action reworded."""

_TYPO_CUTOFF = 0.85
_TYPO_MIN_LENGTH = 5
_WORD = re.compile(r"[a-z0-9+]+")
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "a an the and or of to for in on at by with from into their its it is are be as that this "
        "each every all our we will any so than them they which who those these",
    )
)


@functools.cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The stems of the content words of ``text``, in order.

    >>> words("Publishing the reports, & reviewing them")
    ('publish', 'report', 'review')
    """
    found = _WORD.findall(text.lower().replace("&", " and "))
    stem = _stemmer().stemWord
    return tuple(str(stem(w)) for w in found if w not in _STOPWORDS)


@dataclass(frozen=True)
class Match:
    """One action of OLD paired with one of NEW: row positions, how, and the texts' similarity."""

    old: int
    new: int
    by: str  # "id" or "text"
    score: float  # similarity of the action texts, 0 to 1

    def describe(self, old_id: str | None, new_id: str | None) -> str:
        """How the pair was made, for people: ``by ID`` or ``by text (similarity 0.82) to EDI-7``."""
        if self.by == "id":
            return "by ID"
        return f"by text (similarity {self.score:.2f}) to {old_id or 'an action with no ID'}"


class Corpus:
    """TF-IDF vectors of two lists of texts, weighted over both lists together."""

    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        old_words = [words(t) for t in old]
        vocab = {w for ws in old_words for w in ws}
        seen: dict[str, str] = {}
        new_words = [self._respell(words(t), vocab, seen) for t in new]
        docs = [*old_words, *new_words]
        df = Counter(w for ws in docs for w in set(ws))
        n = len(docs)
        self.idf = {w: math.log((n + 1) / (c + 1)) + 1 for w, c in df.items()}
        self.old = [self._vector(ws) for ws in old_words]
        self.new = [self._vector(ws) for ws in new_words]

    @staticmethod
    def _respell(ws: tuple[str, ...], vocab: set[str], seen: dict[str, str]) -> tuple[str, ...]:
        """Each word missing from ``vocab`` replaced by a close spelling in it, if there is one
        (``seen``: the spellings found so far; a word recurs in many actions, and each look is a
        scan of the whole vocabulary)."""
        out: list[str] = []
        for w in ws:
            if w not in vocab and len(w) >= _TYPO_MIN_LENGTH:
                if w not in seen:
                    close = difflib.get_close_matches(w, vocab, n=1, cutoff=_TYPO_CUTOFF)
                    seen[w] = close[0] if close else w
                w = seen[w]
            out.append(w)
        return tuple(out)

    def _vector(self, ws: tuple[str, ...]) -> dict[str, float]:
        counts = Counter(ws)
        vec = {w: c * self.idf[w] for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {w: v / norm for w, v in vec.items()} if norm else {}

    def score(self, i: int, j: int) -> float:
        a, b = self.old[i], self.new[j]
        if len(a) > len(b):
            a, b = b, a
        return min(1.0, sum(v * b.get(w, 0.0) for w, v in a.items()))

    def candidates(self, olds: Sequence[int], news: Sequence[int]) -> list[tuple[float, int, int]]:
        """(score, old, new) for every pair sharing a word, through an inverted index."""
        index: dict[str, list[int]] = {}
        for i in olds:
            for w in self.old[i]:
                index.setdefault(w, []).append(i)
        out: list[tuple[float, int, int]] = []
        for j in news:
            seen: set[int] = set()
            for w in self.new[j]:
                seen.update(index.get(w, ()))
            out.extend((self.score(i, j), i, j) for i in seen)
        return out


def similarity(a: str, b: str) -> float:
    """How alike two action texts are, 0 (nothing shared) to 1, weighted as a two-action corpus.

    :func:`match_actions` weighs words over both whole plans instead, which tells actions apart
    better; this is for a quick look at one pair.
    """
    return Corpus([a], [b]).score(0, 0)


def _ids(plan: Plan) -> dict[str, int]:
    """Normalised Action ID -> row position, for IDs used exactly once in the plan."""
    seen: Counter[str] = Counter()
    where: dict[str, int] = {}
    for i, v in enumerate(plan.frame["action_id"].tolist()):
        if v is None or not str(v).strip():
            continue
        key = " ".join(str(v).split()).casefold()
        seen[key] += 1
        where[key] = i
    return {k: i for k, i in where.items() if seen[k] == 1}


def _texts(plan: Plan) -> list[str]:
    return [str(v) if v is not None else "" for v in plan.frame["action"].tolist()]


def match_actions(old: Plan, new: Plan, *, threshold: float = THRESHOLD) -> list[Match]:
    """Pair the actions of ``old`` and ``new`` (see the module docstring), sorted by NEW's rows."""
    corpus = Corpus(_texts(old), _texts(new))
    old_ids, new_ids = _ids(old), _ids(new)
    by_id = {old_ids[k]: new_ids[k] for k in old_ids.keys() & new_ids.keys()}
    pairs = {i: Match(i, j, "id", corpus.score(i, j)) for i, j in by_id.items()}
    all_old, all_new = range(len(old)), range(len(new))
    doubtful = [m for m in pairs.values() if m.score < threshold]
    if doubtful:  # an ID pair is given up only for a partner that no confident ID pair holds
        sure_old = {m.old for m in pairs.values() if m.score >= threshold}
        sure_new = {m.new for m in pairs.values() if m.score >= threshold}
        free_o = [i for i in all_old if i not in sure_old]
        free_n = [j for j in all_new if j not in sure_new]
        strong = [c for c in corpus.candidates(free_o, free_n) if c[0] >= threshold]
        best_old = {i for s, i, j in strong if by_id.get(i) != j}
        best_new = {j for s, i, j in strong if by_id.get(i) != j}
        for m in doubtful:
            if m.old in best_old or m.new in best_new:
                del pairs[m.old]
    taken_new = {m.new for m in pairs.values()}
    free_old = [i for i in all_old if i not in pairs]
    free_new = [j for j in all_new if j not in taken_new]
    for score, i, j in sorted(corpus.candidates(free_old, free_new), key=lambda c: (-c[0], c[1], c[2])):
        if score >= threshold and i not in pairs and j not in taken_new:
            pairs[i] = Match(i, j, "text", score)
            taken_new.add(j)
    for i, j in by_id.items():  # an ID pair given up for a partner that was not found: it stands
        if i not in pairs and j not in taken_new:
            pairs[i] = Match(i, j, "id", corpus.score(i, j))
            taken_new.add(j)
    return sorted(pairs.values(), key=lambda m: m.new)
