"""Suggestions for action texts: :func:`suggest` and its batch and cached forms.

The text and its success measure are read into features (``features.py``), the model weighs them
(``model.py``) and each suggestion keeps its calibrated probability and its evidence, the words of
the text that led to it. Nothing fits, nothing is suggested.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from edi_workbook import values
from edi_workbook.mapping import features, model
from edi_workbook.mapping.reading import weighed_reading

CONFIDENT = 0.7
"""Score from which ``map --write-back`` and the add-in write a suggestion into a cell.

The scores are calibrated on the tuning organisations' cross-validation: of HIA suggestions scored
0.7 or more, 87% were right there and 91% on the held-out organisations (docs/mapping.md,
"Reliability").
"""


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
    """Suggestions for one action text, each list sorted by score, highest first.

    A score is a calibrated probability: of suggestions scored 0.8, about 8 in 10 were right on the
    statements of organisations the model was not fitted on.
    """

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


Phrases = features.Reading
"""What the mapper reads in one text (hashable): see :func:`phrases`."""
_NOTHING: Phrases = ()


@functools.lru_cache(maxsize=65536)
def _interned(reading: Phrases) -> Phrases:
    return reading


def phrases(text: str | None) -> Phrases:
    """What the mapper reads in one text, as a hashable value: for :func:`suggest_shared`.

    Texts that read alike (the same features and words, such as "Pay gap down 5%" and "... 7%")
    give the same object.
    """
    if values.is_blank(text):
        return _NOTHING
    return _phrases_of(str(text))


@functools.lru_cache(maxsize=65536)
def _phrases_of(text: str) -> Phrases:
    """:func:`phrases` of a text, kept per process: a batch's plans repeat their success measures.

    The features the model weighs, as ``features.read`` reads them (``reading.weighed_reading``,
    held equal to it by tests): the others count for nothing in a suggestion.
    """
    return _interned(weighed_reading(text))


def suggest(text: str | None, success_measure: str | None = None) -> Suggestion:
    """HIAs and PSED aims suggested by an action's text (and its success measure, if given).

    Each suggestion carries a score in 0-1 (a calibrated probability) and its evidence: the words
    of the text that led to it, strongest first. Empty lists when nothing fits.
    """
    return suggest_shared(text, phrases(success_measure))


def suggest_shared(text: str | None, measure_phrases: Phrases = _NOTHING) -> Suggestion:
    """``suggest(text, measure)`` given ``phrases(measure)``; one shared object: never change it.

    Validation asks for every action of every plan; a plan repeats its wording and a success
    measure's numbers rarely change what it suggests, so this is cached by the text and by what
    was read in the measure (not by the measure itself).
    """
    return _shared("" if values.is_blank(text) else str(text), measure_phrases)


@functools.lru_cache(maxsize=16384)
def _shared(body: str, measure: Phrases) -> Suggestion:
    if not body and not measure:
        return Suggestion(body, [], [])
    m = model.load()
    found = features.combine(_phrases_of(body) if body else (), measure, m.measure_factor)
    hias, aims = model.score(found, m)
    return Suggestion(
        body,
        [HiaSuggestion(int(h), round(p, 3), list(ev)) for h, p, ev in hias],
        [AimSuggestion(a, round(p, 3), list(ev)) for a, p, ev in aims],
    )


def suggest_many(
    texts: Iterable[str | None], success_measures: Iterable[str | None] | None = None
) -> list[Suggestion]:
    """:func:`suggest` for many texts, in input order."""
    texts = list(texts)
    measures = list(success_measures) if success_measures is not None else [None] * len(texts)
    return [suggest(t, m) for t, m in zip(texts, measures, strict=True)]
