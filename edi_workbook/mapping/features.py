"""What the mapper reads in a text: features, each with the words of the text behind it.

One text (an action, or its success measure) gives a :data:`Reading`: a sorted tuple of
``(name, value, evidence)``. The model (``model.py``) weighs the names; the evidence is what a
suggestion shows as "because". The names:

- ``v1`` ... ``v6``, ``va``, ``vb``, ``vc``: the vocabulary's weighted phrases for each HIA and aim
  added up, as ``1 - exp(-sum)`` (negative cues below 0). The prior knowledge: it carries phrases the
  labelled statements never used.
- ``w:stem`` and ``w:stem+stem``: the words and adjacent word pairs (function words dropped),
  weighed by the learned model where the labelled statements support it.
- ``c:class``: a context class of the vocabulary's ``context`` section was named (``public``:
  patients, residents, students; ``staff``; ``body``: board, committee, cabinet; ``report``:
  reporting and approval verbs; ``account``: objectives, appraisal, sponsorship...).
- ``x:...``: context by design, so that one word can mean two things. ``x:public_only`` (the text
  names patients, residents or students and no staff) and ``x:vN|public`` (HIA N's phrases about
  them); ``x:body|report`` (a board or committee within three words of a reporting verb: "report
  to the Board") against ``x:body|account`` (of its accountability: "Board EDI objectives").
  Negations ("no action required", "not yet") are vocabulary phrases that count against every HIA.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from edi_workbook.mapping.words import Hit, Tok, scan, tokens, vocabulary

Feature = tuple[str, float, tuple[str, ...]]
"""A feature's name, its value and the words of the text behind it (strongest first)."""
Reading = tuple[Feature, ...]

HIA_TARGETS = ("1", "2", "3", "4", "5", "6")
AIM_TARGETS = ("a", "b", "c")
NEAR = 3
"""How many words apart a body and a verb may stand to be read together ("report progress to the Board")."""


def _phrases(hits: list[Hit], prefix: str) -> dict[str, Feature]:
    """``h:phrase`` / ``a:phrase``: each vocabulary phrase found (its words, as the text has them)."""
    out: dict[str, Feature] = {}
    for _, words, _, span, _, _ in hits:
        name = f"{prefix}:{' '.join(words)}"
        old = out.get(name)
        if old is None:
            out[name] = (name, 1.0, (span,))
        elif span.lower() not in (e.lower() for e in old[2]):
            out[name] = (name, 1.0, (*old[2], span))
    return out


def priors() -> dict[str, dict[str, float]]:
    """Each phrase feature's vocabulary weights: ``{"h:bulli": {"6": 1.8}, "a:harass": {"a": 1.5}}``.

    What the model starts from before it sees a labelled statement (``scripts/train_mapping.py``).
    """
    vocab = vocabulary()
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for prefix, index in (("h", vocab.hia_index), ("a", vocab.aim_index)):
        for entries in index.values():
            for e in entries:
                if e.target:
                    out[f"{prefix}:{' '.join(e.words)}"][e.target] = e.weight
    return dict(out)


def _words(toks: list[Tok], text: str) -> dict[str, Feature]:
    """``w:stem`` for each word and ``w:stem+stem`` for each adjacent pair (numbers left out)."""
    out: dict[str, Feature] = {}
    for i, (s, _, start, end) in enumerate(toks):
        if s.isdigit():
            continue
        out.setdefault(f"w:{s}", (f"w:{s}", 1.0, (text[start:end],)))
        if i + 1 < len(toks) and not toks[i + 1][0].isdigit():
            name = f"w:{s}+{toks[i + 1][0]}"
            out.setdefault(name, (name, 1.0, (text[start : toks[i + 1][3]],)))
    return out


def _context(toks: list[Tok], text: str) -> dict[str, Feature]:
    """``c:class`` for each context class named, and the ``x:`` features read from them."""
    hits = scan(toks, text, vocabulary().context_index)
    where: dict[str, list[Hit]] = defaultdict(list)
    for h in hits:
        where[h[0]].append(h)
    out = {
        f"c:{cls}": (f"c:{cls}", 1.0, tuple(dict.fromkeys(h[3] for h in found)))
        for cls, found in where.items()
    }
    if where.get("public") and not where.get("staff"):
        evidence = out["c:public"][2]
        out["x:public_only"] = ("x:public_only", 1.0, evidence)
    for verb in ("report", "account"):
        pairs = [
            (b, h)
            for b in where.get("body", ())
            for h in where.get(verb, ())
            if min(abs(h[4] - b[5]), abs(b[4] - h[5])) <= NEAR
        ]
        if pairs:
            name = f"x:body|{verb}"
            out[name] = (name, 1.0, tuple(dict.fromkeys(s for b, h in pairs for s in (b[3], h[3]))))
    return out


@functools.lru_cache(maxsize=65536)
def read(text: str) -> Reading:
    """Every feature of one text, sorted by name (hashable; cached: plans repeat their wording)."""
    vocab = vocabulary()
    toks = tokens(text, vocab.stopwords)
    if not toks:
        return ()
    found = {
        **_phrases(scan(toks, text, vocab.hia_index), "h"),
        **_phrases(scan(toks, text, vocab.aim_index), "a"),
        **_words(toks, text),
        **_context(toks, text),
    }
    return tuple(found[k] for k in sorted(found))


def combine(body: Reading, measure: Reading, factor: float) -> dict[str, tuple[float, tuple[str, ...]]]:
    """The action's features and its success measure's, the measure counting ``factor`` as much."""
    out = {name: (value, evidence) for name, value, evidence in body}
    for name, value, evidence in measure:
        old = out.get(name)
        if old is None:
            out[name] = (factor * value, evidence)
        else:
            out[name] = (old[0] + factor * value, old[1] + tuple(e for e in evidence if e not in old[1]))
    return out
