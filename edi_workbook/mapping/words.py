"""Words and phrases: normalise a text and find the vocabulary's phrases in it.

Text and phrases are normalised alike: lower case, whole words, function words dropped, each word
reduced to its Snowball English stem (``recruiting``, ``recruited`` and ``recruitment`` meet).
``=word`` in a phrase asks for the exact word. The longest phrase wins at each position, across
all targets of a section, and ``ignore`` phrases win too but count for nothing. The vocabulary
itself is data: ``data/vocabulary.yaml`` (its header says how it was built).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

WORD = re.compile(r"[a-z0-9]+", re.IGNORECASE)  # offsets stay those of the original text

Tok = tuple[str, str, int, int]
"""A word of a text: its stem, the lower-case word, start and end offsets in the original text."""
Hit = tuple[str, tuple[str, ...], float, str, int, int]
"""A phrase found: target, phrase words, weight, the words of the text, first and last token index."""


@dataclass(frozen=True)
class Entry:
    """One phrase of the vocabulary: its words (stems, or ``=word`` exact), target and weight."""

    words: tuple[str, ...]
    target: str  # "1".."6" for HIAs, "a".."c" for aims, a context class, "" for ignore phrases
    weight: float  # negative for negative cues


@dataclass(frozen=True)
class Vocabulary:
    """The vocabulary file, indexed by the stem of each phrase's first word."""

    stopwords: frozenset[str]
    hia_index: dict[str, list[Entry]]
    aim_index: dict[str, list[Entry]]
    context_index: dict[str, list[Entry]]
    context_classes: tuple[str, ...]
    success_measure_factor: float
    implies: dict[str, dict[str, float]]  # HIA -> the aims its phrases lend weight to


@functools.cache
def _stemmer() -> Any:
    # Snowball English (Porter2). snowballstemmer hands over to PyStemmer (the same algorithm in C,
    # the optional ``fast`` extra) when it is installed: the same stems (tested), without importing
    # 35 pure-Python languages.
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball English stem of one lower-case word."""
    return str(_stemmer().stemWord(word))


def tokens(text: str, stopwords: frozenset[str]) -> list[Tok]:
    """Words of ``text`` (lower case, function words dropped) with their stems and offsets."""
    out = []
    for m in WORD.finditer(text):
        w = m.group().lower()
        if w not in stopwords:
            out.append((stem(w), w, m.start(), m.end()))
    return out


def _phrase_words(phrase: str, stopwords: frozenset[str]) -> tuple[str, ...]:
    words = []
    for raw in str(phrase).lower().split():
        exact = raw.startswith("=")
        for w in WORD.findall(raw):
            if w not in stopwords:
                words.append(f"={w}" if exact else stem(w))
    return tuple(words)


def _index(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    index: dict[str, list[Entry]] = {}
    for e in entries:
        first = e.words[0]
        index.setdefault(stem(first[1:]) if first.startswith("=") else first, []).append(e)
    for lst in index.values():
        lst.sort(key=lambda e: -len(e.words))
    return index


def _entries(section: dict[Any, Any], stopwords: frozenset[str], ignore: list[str]) -> list[Entry]:
    out = [Entry(_phrase_words(p, stopwords), "", 0.0) for p in ignore]
    for target, spec in section.items():
        for sign, key in ((1.0, "phrases"), (-1.0, "negative")):
            for phrase, weight in (spec.get(key) or {}).items():
                out.append(Entry(_phrase_words(phrase, stopwords), str(target), sign * float(weight)))
    return [e for e in out if e.words]


def _context_entries(section: dict[str, list[str]], stopwords: frozenset[str]) -> list[Entry]:
    out = [Entry(_phrase_words(p, stopwords), str(cls), 1.0) for cls, ps in section.items() for p in ps]
    return [e for e in out if e.words]


@functools.cache
def vocabulary() -> Vocabulary:
    """``data/vocabulary.yaml``, read once."""
    from edi_workbook.reference import data_file

    d = data_file("vocabulary.yaml")
    s = d["settings"]
    stop = frozenset(str(w) for w in s["stopwords"])
    ignore = [str(p) for p in d.get("ignore") or []]
    context = {str(k): [str(p) for p in v] for k, v in (d.get("context") or {}).items()}

    def negation(targets: Iterable[Any]) -> list[Entry]:
        """The negations, as negative cues of every target."""
        found = (d.get("negation") or {}).items()
        return [Entry(_phrase_words(p, stop), str(t), -float(w)) for p, w in found for t in targets]

    return Vocabulary(
        stopwords=stop,
        hia_index=_index([*_entries(d["hias"], stop, ignore), *negation(d["hias"])]),
        aim_index=_index([*_entries(d["aims"], stop, ignore), *negation(d["aims"])]),
        context_index=_index(_context_entries(context, stop)),
        context_classes=tuple(context),
        success_measure_factor=float(s["success_measure_factor"]),
        implies={
            str(h): {str(a): float(w) for a, w in (spec.get("implies_aims") or {}).items()}
            for h, spec in d["hias"].items()
        },
    )


def _matches_at(toks: Sequence[Tok], i: int, words: tuple[str, ...]) -> bool:
    if i + len(words) > len(toks):
        return False
    for tok, w in zip(toks[i : i + len(words)], words, strict=False):
        if w.startswith("="):
            if tok[1] != w[1:]:
                return False
        elif tok[0] != w:
            return False
    return True


def scan(toks: Sequence[Tok], text: str, index: dict[str, list[Entry]]) -> list[Hit]:
    """Longest-match scan of ``text``: each position is read by its longest phrase(s) only."""
    hits: list[Hit] = []
    i = 0
    while i < len(toks):
        entries = index.get(toks[i][0])
        found = [e for e in entries if _matches_at(toks, i, e.words)] if entries else None
        if not found:
            i += 1
            continue
        length = len(found[0].words)
        span = text[toks[i][2] : toks[i + length - 1][3]]
        for e in found:
            if len(e.words) == length and e.target:
                hits.append((e.target, e.words, e.weight, span, i, i + length - 1))
        i += length
    return hits
