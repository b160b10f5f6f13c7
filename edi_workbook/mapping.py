"""Suggest HIAs and PSED aims for action texts, with the evidence; and a plan's coverage matrix.

The knowledge is data: ``data/vocabulary.yaml`` (its header says how it was built and how the
scores work). This module only normalises text, matches phrases and adds up weights, so every
suggestion can say which words in the text led to it. Nothing fits, nothing is suggested.

>>> s = suggest("Provide OSCE preparation and pastoral support for overseas nurses")
>>> [(h.hia, h.evidence) for h in s.hia]
[(5, ['OSCE', 'overseas', 'pastoral support'])]
>>> [a.aim for a in s.psed]
['b']
>>> suggest("Publish the annual report on the website").hia
[]
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from edi_workbook import reference, values

if TYPE_CHECKING:
    import pandas as pd

    from edi_workbook.plan import Plan

__all__ = [
    "AimSuggestion",
    "CellSuggestion",
    "Coverage",
    "HiaSuggestion",
    "Suggestion",
    "coverage",
    "phrases",
    "suggest",
    "suggest_many",
    "suggest_plan",
    "suggest_shared",
]

_WORD = re.compile(r"[a-z0-9]+", re.IGNORECASE)  # offsets stay those of the original text


@dataclass(frozen=True)
class HiaSuggestion:
    """A suggested High Impact Action: its number, a score in 0-1 and the words that led to it."""

    hia: int
    score: float
    evidence: list[str]


@dataclass(frozen=True)
class AimSuggestion:
    """A suggested PSED aim (``a``, ``b`` or ``c``), its score in 0-1 and its evidence."""

    aim: str
    score: float
    evidence: list[str]


@dataclass(frozen=True)
class Suggestion:
    """Suggestions for one action text, each list sorted by score, highest first."""

    text: str
    hia: list[HiaSuggestion]
    psed: list[AimSuggestion]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``edi-workbook suggest --format json``."""
        return {
            "text": self.text,
            "hia": [{"hia": h.hia, "score": h.score, "evidence": list(h.evidence)} for h in self.hia],
            "psed": [{"aim": a.aim, "score": a.score, "evidence": list(a.evidence)} for a in self.psed],
        }


# --- the vocabulary -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One phrase of the vocabulary: its words (stems, or ``=word`` exact), target and weight."""

    words: tuple[str, ...]
    target: str  # "1".."6" for HIAs, "a".."c" for aims, "" for ignore phrases
    weight: float  # negative for negative cues


@dataclass(frozen=True)
class _Vocabulary:
    threshold: float
    secondary_ratio: float
    success_measure_factor: float
    stopwords: frozenset[str]
    hia_index: dict[str, list[_Entry]]
    aim_index: dict[str, list[_Entry]]
    implies: dict[int, dict[str, float]]


@functools.cache
def _stemmer() -> Any:
    # Snowball English (Porter2). snowballstemmer hands over to PyStemmer (the same algorithm in C,
    # the optional ``fast`` extra) when it is installed: the same stems (tested), without importing
    # 35 pure-Python languages, and the vocabulary stemmed in ~1 ms instead of ~8 at each start.
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


_Tok = tuple[str, str, int, int]  # stem, lower-case word, start, end (offsets in the original text)
_Hit = tuple[str, tuple[str, ...], float, str, int]  # target, phrase words, weight, evidence, start
_Hits = tuple[tuple[_Hit, ...], tuple[_Hit, ...]]  # (HIA hits, aim hits) of one text
_NO_HITS: _Hits = ((), ())


def _tokens(text: str, stopwords: frozenset[str]) -> list[_Tok]:
    """Words of ``text`` (lower case, function words dropped) with their stems and offsets."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group().lower()
        if w not in stopwords:
            out.append((_stem(w), w, m.start(), m.end()))
    return out


def _phrase_words(phrase: str, stopwords: frozenset[str]) -> tuple[str, ...]:
    words = []
    for raw in str(phrase).lower().split():
        exact = raw.startswith("=")
        for w in _WORD.findall(raw):
            if w not in stopwords:
                words.append(f"={w}" if exact else _stem(w))
    return tuple(words)


def _index(entries: Iterable[_Entry]) -> dict[str, list[_Entry]]:
    index: dict[str, list[_Entry]] = {}
    for e in entries:
        first = e.words[0]
        index.setdefault(_stem(first[1:]) if first.startswith("=") else first, []).append(e)
    for lst in index.values():
        lst.sort(key=lambda e: -len(e.words))
    return index


def _entries(section: dict[Any, Any], stopwords: frozenset[str], ignore: list[str]) -> list[_Entry]:
    out = [_Entry(_phrase_words(p, stopwords), "", 0.0) for p in ignore]
    for target, spec in section.items():
        for sign, key in ((1.0, "phrases"), (-1.0, "negative")):
            for phrase, weight in (spec.get(key) or {}).items():
                out.append(_Entry(_phrase_words(phrase, stopwords), str(target), sign * float(weight)))
    return [e for e in out if e.words]


@functools.cache
def _vocabulary() -> _Vocabulary:
    import yaml

    text = resources.files("edi_workbook").joinpath("data/vocabulary.yaml").read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~6x faster at every start-up
    d = yaml.load(text, Loader=loader)  # noqa: S506 - safe loader chosen above
    s = d["settings"]
    stop = frozenset(str(w) for w in s["stopwords"])
    ignore = [str(p) for p in d.get("ignore") or []]
    return _Vocabulary(
        threshold=float(s["threshold"]),
        secondary_ratio=float(s["secondary_ratio"]),
        success_measure_factor=float(s["success_measure_factor"]),
        stopwords=stop,
        hia_index=_index(_entries(d["hias"], stop, ignore)),
        aim_index=_index(_entries(d["aims"], stop, ignore)),
        implies={
            int(h): {str(a): float(w) for a, w in (spec.get("implies_aims") or {}).items()}
            for h, spec in d["hias"].items()
        },
    )


# --- matching and scoring -------------------------------------------------------------------


def _matches_at(tokens: Sequence[_Tok], i: int, words: tuple[str, ...]) -> bool:
    if i + len(words) > len(tokens):
        return False
    for tok, w in zip(tokens[i : i + len(words)], words, strict=False):
        if w.startswith("="):
            if tok[1] != w[1:]:
                return False
        elif tok[0] != w:
            return False
    return True


@dataclass
class _Tally:
    """Per target: matched phrase -> (weight, evidence text, position)."""

    hits: dict[str, dict[tuple[str, ...], tuple[float, str, int]]] = field(default_factory=dict)

    def add(self, target: str, words: tuple[str, ...], weight: float, evidence: str, pos: int) -> None:
        hits = self.hits.setdefault(target, {})
        old = hits.get(words)
        if old is None or abs(weight) > abs(old[0]):
            hits[words] = (weight, evidence, pos)

    def raw(self, target: str) -> float:
        return sum(w for w, _, _ in self.hits.get(target, {}).values())

    def evidence(self, target: str) -> list[str]:
        pos = [(w, e, p) for w, e, p in self.hits.get(target, {}).values() if w > 0]
        out: list[str] = []
        for _, e, _ in sorted(pos, key=lambda x: (-x[0], x[2])):
            if e.lower() not in (o.lower() for o in out):
                out.append(e)
        return out


def _scan(tokens: Sequence[_Tok], text: str, index: dict[str, list[_Entry]]) -> tuple[_Hit, ...]:
    """Longest-match scan of ``text``: each position is read by its longest phrase(s) only."""
    hits: list[_Hit] = []
    i = 0
    while i < len(tokens):
        entries = index.get(tokens[i][0])
        found = [e for e in entries if _matches_at(tokens, i, e.words)] if entries else None
        if not found:
            i += 1
            continue
        length = len(found[0].words)
        span = text[tokens[i][2] : tokens[i + length - 1][3]]
        for e in found:
            if len(e.words) == length and e.target:
                hits.append((e.target, e.words, e.weight, span, tokens[i][2]))
        i += length
    return tuple(hits)


@functools.lru_cache(maxsize=65536)
def _hits(text: str) -> _Hits:
    """The phrases of one text (an action, or a success measure) for the HIAs and for the aims.

    Cached by text: a plan repeats its wording, and a batch repeats it across plans.
    """
    vocab = _vocabulary()
    tokens = _tokens(text, vocab.stopwords)
    if not tokens:
        return _NO_HITS
    found = (_scan(tokens, text, vocab.hia_index), _scan(tokens, text, vocab.aim_index))
    if not (found[0] or found[1]):
        return _NO_HITS
    if len(_SAME) > 65536:
        _SAME.clear()
    return _SAME.setdefault(found, found)


_SAME: dict[_Hits, _Hits] = {}
"""Texts that match the same phrases at the same places share one value ("Pay gap down 5%", "... 7%")."""


def phrases(text: str | None) -> _Hits:
    """What the vocabulary finds in one text, as a hashable value: for :func:`suggest_shared`.

    Texts that match the same phrases at the same places give the same object.
    """
    return _NO_HITS if values.is_blank(text) else _hits(str(text))


def _score(raw: float) -> float:
    return round(1.0 - math.exp(-raw), 3) if raw > 0 else 0.0


def _keep(scored: list[tuple[float, str, list[str]]]) -> list[tuple[float, str, list[str]]]:
    vocab = _vocabulary()
    scored = sorted((s for s in scored if s[0] >= vocab.threshold), key=lambda s: (-s[0], s[1]))
    if not scored:
        return []
    top = scored[0][0]
    return [s for s in scored if s[0] >= vocab.secondary_ratio * top]


def suggest(text: str | None, success_measure: str | None = None) -> Suggestion:
    """HIAs and PSED aims suggested by an action's text (and its success measure, if given).

    Each suggestion carries a score in 0-1 and its evidence: the phrases of the text that led to
    it, strongest first. Empty lists when nothing fits.
    """
    body = "" if values.is_blank(text) else str(text)
    extra = "" if values.is_blank(success_measure) else str(success_measure)
    return _suggestion(body, _hits(body) if body else _NO_HITS, _hits(extra) if extra else _NO_HITS)


def suggest_shared(text: str | None, measure_phrases: _Hits = _NO_HITS) -> Suggestion:
    """``suggest(text, measure)`` given ``phrases(measure)``; one shared object: never change it.

    Validation asks for every action of every plan; a plan repeats its wording and a success
    measure's numbers rarely change what it suggests, so this is cached by the text and by what
    the measure matched (not by the measure itself).
    """
    return _shared("" if values.is_blank(text) else str(text), measure_phrases)


@functools.lru_cache(maxsize=16384)
def _shared(body: str, extra: _Hits) -> Suggestion:
    return _suggestion(body, _hits(body) if body else _NO_HITS, extra)


def _suggestion(body: str, body_hits: _Hits, extra_hits: _Hits) -> Suggestion:
    """Add up the phrases found in the text and in the measure (a fraction as much) into suggestions."""
    vocab = _vocabulary()
    hias, aims = _Tally(), _Tally()
    parts = ((body_hits, 1.0, 0), (extra_hits, vocab.success_measure_factor, len(body) + 1))
    for (hia_hits, aim_hits), factor, offset in parts:
        for tally, found in ((hias, hia_hits), (aims, aim_hits)):
            for target, words, weight, span, start in found:
                tally.add(target, words, weight * factor, span, offset + start)
    kept = _keep([(_score(hias.raw(t)), t, hias.evidence(t)) for t in hias.hits if t.isdigit()])
    hia_list = [HiaSuggestion(int(t), s, ev) for s, t, ev in kept]
    raw_aims = {t: aims.raw(t) for t in "abc"}
    evidence = {t: aims.evidence(t) for t in "abc"}
    for h in hia_list:
        for aim, weight in vocab.implies.get(h.hia, {}).items():
            raw_aims[aim] += weight * h.score
            evidence[aim] += [e for e in h.evidence if e.lower() not in map(str.lower, evidence[aim])]
    kept_aims = _keep([(_score(raw_aims[t]), t, evidence[t]) for t in "abc"])
    return Suggestion(body, hia_list, [AimSuggestion(t, s, ev) for s, t, ev in kept_aims])


def suggest_many(
    texts: Iterable[str | None], success_measures: Iterable[str | None] | None = None
) -> list[Suggestion]:
    """:func:`suggest` for many texts, in input order."""
    texts = list(texts)
    measures = list(success_measures) if success_measures is not None else [None] * len(texts)
    return [suggest(t, m) for t, m in zip(texts, measures, strict=True)]


# --- a plan: suggestions for its empty cells ------------------------------------------------


@dataclass(frozen=True)
class CellSuggestion:
    """The top suggestion for one empty HIA or PSED aim cell of a plan."""

    index: int
    action_id: str | None
    key: str  # "hia" or "psed_aim"
    sheet: str | None
    cell: str | None
    value: str  # as the template's dropdown writes it: "HIA 2", "(b) Advance equality of opportunity"
    score: float
    evidence: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "action_id": self.action_id,
            "column": reference.load().header_of(self.key),
            "sheet": self.sheet,
            "cell": self.cell,
            "value": self.value,
            "score": self.score,
            "evidence": list(self.evidence),
        }


def suggest_plan(plan: Plan) -> list[CellSuggestion]:
    """Top suggestions for the plan's empty HIA and PSED aim cells; typed cells are left alone.

    A cell holding a formula is never empty, whatever it shows: it gets no suggestion.
    """
    from edi_workbook.arguments import plan_argument

    plan = plan_argument(plan, "suggest_plan")
    ref = reference.load()
    frame = plan.frame
    texts, measures, ids = (frame[k].tolist() for k in ("action", "success_measure", "action_id"))
    blank = {k: [values.is_blank(v) for v in plan.raw[k].tolist()] for k in ("hia", "psed_aim")}
    out: list[CellSuggestion] = []
    for i, (text, measure) in enumerate(zip(texts, measures, strict=True)):
        if text is None or not (blank["hia"][i] or blank["psed_aim"][i]):
            continue
        s = suggest(str(text), None if measure is None else str(measure))
        picks = [("hia", ref.hia(h.hia).label, h.score, h.evidence) for h in s.hia[:1]]
        picks += [("psed_aim", ref.aim(a.aim).label, a.score, a.evidence) for a in s.psed[:1]]
        action_id = None if ids[i] is None else str(ids[i])
        for key, value, score, evidence in picks:
            if blank[key][i] and not plan.holds_formula(i, key):
                cell = plan.cell(i, key)
                out.append(CellSuggestion(i, action_id, key, plan.sheet, cell, value, score, evidence))
    return out


# --- coverage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """How many actions address each HIA, PSED aim and protected characteristic; the gaps."""

    actions: int
    hia: dict[int, int]
    psed: dict[str, int]
    characteristics: dict[str, int]
    unmapped: int
    gaps: list[str]
    characteristic_gaps: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "actions": self.actions,
            "hia": {str(k): v for k, v in self.hia.items()},
            "psed": dict(self.psed),
            "characteristics": dict(self.characteristics),
            "unmapped": self.unmapped,
            "gaps": list(self.gaps),
            "characteristic_gaps": list(self.characteristic_gaps),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per HIA, aim and characteristic: ``dimension``, ``key``, ``label``, ``actions``."""
        import pandas as pd

        ref = reference.load()
        rows = [
            ("HIA", str(n), f"{ref.hia(n).label} {ref.hia(n).short_title}", c) for n, c in self.hia.items()
        ]
        rows += [("PSED aim", a, ref.aim(a).label, c) for a, c in self.psed.items()]
        rows += [("Protected characteristic", k, k, c) for k, c in self.characteristics.items()]
        return pd.DataFrame(rows, columns=["dimension", "key", "label", "actions"])


def _hia_name(number: int) -> str:
    h = reference.load().hia(number)
    return f"{h.label} ({h.short_title})"


def coverage(plan: Plan, *, include_suggestions: bool = False) -> Coverage:
    """Actions per HIA (1-6), per PSED aim and per protected characteristic, and the gaps.

    Counts what the plan says. With ``include_suggestions``, an empty HIA or aim cell counts its
    top suggestion too. Characteristics are counted only if the plan names any.
    """
    from edi_workbook.arguments import plan_argument

    plan = plan_argument(plan, "coverage")
    ref = reference.load()
    hias = list(plan.frame["hia"])
    aims = list(plan.frame["psed_aim"])
    if include_suggestions:
        for cs in suggest_plan(plan):
            if cs.key == "hia":
                hias[cs.index] = (int(cs.value.split()[-1]),)
            else:
                aims[cs.index] = (cs.value[1],)
    hia_count = {h.number: sum(1 for t in hias if t and h.number in t) for h in ref.hias}
    aim_count = {a.aim: sum(1 for t in aims if t and a.aim in t) for a in ref.psed_aims}
    chars = [t for t in plan.frame["characteristics"] if t]
    char_count = {c: sum(1 for t in chars if c in t) for c in ref.protected_characteristics} if chars else {}
    gaps = [f"No action addresses {_hia_name(n)}" for n, c in hia_count.items() if not c]
    gaps += [f"No action addresses PSED aim {ref.aim(a).label}" for a, c in aim_count.items() if not c]
    char_gaps = [f"No action names the protected characteristic {c}" for c, n in char_count.items() if not n]
    return Coverage(
        actions=len(plan),
        hia=hia_count,
        psed=aim_count,
        characteristics=char_count,
        unmapped=sum(1 for t in hias if not t),
        gaps=gaps,
        characteristic_gaps=char_gaps,
    )
