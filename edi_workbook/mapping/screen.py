"""Which HIAs and aims could top a text's suggestions: the model's raw scores, read fast, no evidence.

Validation's hints (``rules/mapping_disagrees.py``) ask, for every action, whether the text points
clearly to an HIA or aim the plan does not name. Most actions answer no before any evidence is
needed: their top answer is "no HIA", or it scores well under the hint's threshold, or the plan
already names it. :func:`contenders` reads only what the model weighs (the features of
``features.py`` that have weights, as integer ids, no names or evidence built) and sums their
weights; only the rows it cannot rule out need the full :func:`~edi_workbook.mapping.suggest`.

Its answer is a *superset*, by design: every comparison keeps a margin far wider than the
rounding of a differently ordered float sum, so it never drops an answer :func:`suggest` gives
(``tests/mapping/test_screen.py`` and ``tests/test_mapping_rule.py`` hold the two together over the
evaluation statements and the benchmark's actions). What it reads mirrors ``features.read``
feature by feature; a change there shows in ``test_screen.py``'s equality of the two readings.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from edi_workbook import values
from edi_workbook.mapping import model
from edi_workbook.mapping.features import NEAR
from edi_workbook.mapping.words import WORD, Entry, stem, vocabulary

LOGIT_MARGIN = 1e-6
"""Log-odds within which two answers count as tied (the float sums differ by about 1e-13)."""
SCORE_MARGIN = 0.01
"""How far under the threshold a calibrated score still counts (scores are rounded to 3 places)."""

Row = tuple[float, ...]
_ZERO: Row = (0.0,) * 10
Phrase = tuple[int, list[str], tuple[str, ...] | None, int]
"""A vocabulary phrase for the scan: its length, stems, exact words (``=word``) if any, feature id
(-1: no weight, or an ``ignore`` phrase, which still wins its words)."""


class Contenders(NamedTuple):
    """HIAs and aims of a text: those that could be its top suggestion scored at least ``minimum``
    (:func:`contenders`), or those its suggestion surely lists if it lists any (:func:`listed`)."""

    hia: frozenset[int]
    psed: frozenset[str]


@dataclass(frozen=True)
class _Tables:
    rows: list[Row]  # feature id -> its 10 weights (7 HIA classes, 3 aims)
    words: dict[str, int]  # stem -> id of ``w:stem``
    pairs: dict[str, dict[str, int]]  # stem -> next stem -> id of ``w:stem+stem``
    hia: dict[str, list[Phrase]]
    aim: dict[str, list[Phrase]]
    context: dict[str, list[Phrase]]  # id: the class's index in ``classes``
    classes: tuple[str, ...]
    ids: dict[str, int]  # name -> id, for the ``c:`` and ``x:`` features
    names: list[str]  # id -> name
    leads: list[Row]  # feature id -> what it lends each HIA and aim as evidence (``Model.leads``)
    class_ids: list[int]  # context class index -> id of ``c:class`` (-1: no weight)
    together: _Context


def _phrases(
    index: dict[str, list[Entry]], name: dict[str, int] | None, prefix: str
) -> dict[str, list[Phrase]]:
    out: dict[str, list[Phrase]] = {}
    for key, entries in index.items():
        phrases: list[Phrase] = []
        for e in entries:  # longest first, as words.scan reads them
            exact = tuple(w[1:] if w.startswith("=") else "" for w in e.words)
            if name is None:
                fid = vocabulary().context_classes.index(e.target)
            else:
                fid = name.get(f"{prefix}:{' '.join(e.words)}", -1) if e.target else -1
            phrases.append((len(e.words), list(e.words), exact if any(exact) else None, fid))
        out[key] = phrases
    return out


@functools.cache
def _tables() -> _Tables:
    weights = model.load().weights
    names = sorted(weights)
    ids = {n: i for i, n in enumerate(names)}
    pairs: dict[str, dict[str, int]] = {}
    for n, i in ids.items():
        if n.startswith("w:") and "+" in n:
            first, second = n[2:].split("+", 1)
            if not second.isdigit():  # (features._words makes none; the next word is not checked)
                pairs.setdefault(first, {})[second] = i
    vocab = vocabulary()
    return _Tables(
        rows=[weights[n] for n in names],
        words={n[2:]: i for n, i in ids.items() if n.startswith("w:") and "+" not in n},
        pairs=pairs,
        hia=_phrases(vocab.hia_index, ids, "h"),
        aim=_phrases(vocab.aim_index, ids, "a"),
        context=_phrases(vocab.context_index, None, "c"),
        classes=vocab.context_classes,
        ids=ids,
        names=names,
        leads=[model.load().leads[n] for n in names],
        class_ids=[ids.get(f"c:{c}", -1) for c in vocab.context_classes],
        together=_Context(
            *(vocab.context_classes.index(c) if c in vocab.context_classes else -2 for c in _TOGETHER),
            *(ids.get(n, -1) for n in ("x:public_only", "x:body|report", "x:body|account")),
        ),
    )


_TOGETHER = ("public", "staff", "body", "report", "account")


class _Context(NamedTuple):
    """The context classes ``features._context`` reads together (their indices; -2: none such) and
    the ids of the ``x:`` features it reads from them (-1: no weight)."""

    public: int
    staff: int
    body: int
    report: int
    account: int
    public_only: int
    body_report: int
    body_account: int


Word = tuple[str, str, int, "dict[str, int] | None", "list[Phrase]", "list[Phrase]", "list[Phrase]"]
"""What one word brings: stem, lower case, the id of ``w:stem`` (-1: none, or a number), the pairs
it can start (next stem -> id; None for a number), the HIA, aim and context phrases starting at it."""
_NONE: list[Phrase] = []
_STOP: Word = ("", "", -1, None, _NONE, _NONE, _NONE)  # a function word (this very object)
_WORDS: dict[str, Word] = {}
"""A word as written (or in lower case) -> its :data:`Word`."""
_LOWER_WORD = re.compile(r"[a-z0-9]+")  # on ASCII text in lower case, the words of words.WORD


def _word(raw: str) -> Word:
    if len(_WORDS) > 65536:
        _WORDS.clear()
    low = raw.lower()
    if low in vocabulary().stopwords:
        _WORDS[raw] = _STOP
        return _STOP
    t = _tables()
    s = stem(low)
    number = s.isdigit()  # numbers make no word or pair feature (features._words)
    fid, pairs = (-1, None) if number else (t.words.get(s, -1), t.pairs.get(s))
    _WORDS[raw] = word = (
        s,
        low,
        fid,
        pairs,
        t.hia.get(s, _NONE),
        t.aim.get(s, _NONE),
        t.context.get(s, _NONE),
    )
    return word


Start = tuple[int, list[Phrase]]


def _scan(stems: list[str], words: list[Word], starts: list[Start]) -> list[tuple[int, int, int]]:
    """``words.scan``'s hits as ``(id, first, last token)``: the longest phrase(s) at each position.

    ``starts``: the positions where some phrase begins, with those phrases (longest first).
    """
    hits = []
    n = len(stems)
    free = 0  # positions before this are inside a phrase already read
    for i, phrases in starts:
        if i < free:
            continue
        length = 0
        for size, phrase, exact, fid in phrases:
            if length:
                if size < length:
                    break
            elif i + size > n:
                continue
            if exact is None:
                if size > 1 and stems[i : i + size] != phrase:
                    continue
            elif not all(
                (words[i + j][1] == x) if x else (stems[i + j] == phrase[j]) for j, x in enumerate(exact)
            ):
                continue
            length = size
            hits.append((fid, i, i + size - 1))
        free = i + length
    return hits


def _context(hits: list[tuple[int, int, int]], t: _Tables) -> list[int]:
    """The ids of the ``c:`` and ``x:`` features, read as ``features._context`` reads them."""
    found = {hit[0] for hit in hits}
    out = [t.class_ids[c] for c in found]
    x = t.together
    if x.public in found and x.staff not in found:
        out.append(x.public_only)
    if x.body in found:
        bodies = [b for b in hits if b[0] == x.body]
        for verb, fid in ((x.report, x.body_report), (x.account, x.body_account)):
            if verb in found and any(
                min(abs(h[1] - b[2]), abs(b[1] - h[2])) <= NEAR for b in bodies for h in hits if h[0] == verb
            ):
                out.append(fid)
    return out


Walk = tuple[list[str], list[Word], tuple[list[Start], list[Start], list[Start]], set[int]]
"""A text's words as the screen reads them, function words left out: their stems, their
:data:`Word`, where HIA, aim and context phrases start, and the ids of each ``w:stem`` and
``w:stem+stem`` (-1 among them: no weight)."""


def walk(text: str) -> Walk:
    """The words of ``text`` (``words.WORD``), each looked up once per process (:data:`_WORDS`)."""
    ids: set[int] = set()
    stems: list[str] = []
    words: list[Word] = []
    hia: list[Start] = []
    aim: list[Start] = []
    context: list[Start] = []
    pairs: dict[str, int] | None = None  # the pairs the word before can start
    get = _WORDS.get
    for raw in _LOWER_WORD.findall(text.lower()) if text.isascii() else WORD.findall(text):
        word = get(raw) or _word(raw)
        if word is _STOP:
            continue
        s, _, fid, after, h, a, c = word
        if h:
            hia.append((len(stems), h))
        if a:
            aim.append((len(stems), a))
        if c:
            context.append((len(stems), c))
        stems.append(s)
        words.append(word)
        ids.add(fid)
        if pairs is not None:
            ids.add(pairs.get(s, -1))
        pairs = after
    return stems, words, (hia, aim, context), ids


def _ids(text: str) -> set[int]:
    """The ids of every feature of ``text`` that the model weighs (as ``features.read`` reads it)."""
    stems, words, (hia, aim, context), ids = walk(text)
    if hia:
        ids.update(h[0] for h in _scan(stems, words, hia))
    if aim:
        ids.update(h[0] for h in _scan(stems, words, aim))
    if context:
        ids.update(_context(_scan(stems, words, context), _tables()))
    ids.discard(-1)
    return ids


def known(text: str) -> frozenset[str]:
    """The names of the features :func:`weighed` sums: ``features.read``'s that have weights."""
    t = _tables()
    return frozenset(t.names[i] for i in _ids(text))


@functools.lru_cache(maxsize=16384)
def weighed(text: str) -> Row:
    """The sum of the weights of the features of ``text`` that the model weighs (no biases)."""
    rows = _tables().rows
    found = _ids(text)
    if not found:
        return _ZERO
    return tuple(map(sum, zip(*map(rows.__getitem__, found), strict=True)))


def _logit(p: float) -> float:
    """The log-odds of a probability; -inf at or below 0, +inf from 1."""
    return -math.inf if p <= 0 else math.inf if p >= 1 else math.log(p / (1 - p))


@functools.cache
def _thresholds(minimum: float) -> tuple[float, float]:
    """The log-odds from which a calibrated HIA and aim score reach ``minimum - SCORE_MARGIN``.

    A score is ``sigmoid(slope * logit(p) + shift)`` (``model.calibrated``), increasing in ``p``
    for a positive slope. Any minimum is taken: at or below the margin every answer can reach it
    (-inf), from 1 + margin none can (+inf); a slope that is not positive rules nothing out.
    """
    m = model.load()
    low = _logit(minimum - SCORE_MARGIN)

    def log_odds(calibration: tuple[float, float]) -> float:
        slope, shift = calibration
        return (low - shift) / slope if slope > 0 and math.isfinite(low) else low if slope > 0 else -math.inf

    return log_odds(m.hia_calibration), log_odds(m.aim_calibration)


def _log_odds(z: list[float], k: int, temperature: float) -> float:
    """The log-odds of class ``k`` of a softmax over ``z / temperature``."""
    top = max(z) / temperature
    others = sum(math.exp(v / temperature - top) for j, v in enumerate(z) if j != k)
    return math.inf if others == 0 else z[k] / temperature - top - math.log(others)


def _logits(text: str | None, success_measure: str | None) -> list[float]:
    """The model's HIA logits ("no HIA", HIA 1-6) and aim log-odds for a text and its measure."""
    m = model.load()
    body = _ZERO if values.is_blank(text) else weighed(str(text))
    extra = _ZERO if values.is_blank(success_measure) else weighed(str(success_measure))
    f = m.measure_factor
    return [b + x + f * y for b, x, y in zip(m.hia_bias + m.aim_bias, body, extra, strict=True)]


@functools.lru_cache(maxsize=16384)
def contenders(text: str | None, success_measure: str | None, minimum: float) -> Contenders:
    """The HIAs and aims that could be ``suggest(text, success_measure)``'s top one scored ``minimum``.

    A superset: the top suggestion, when it scores at least ``minimum``, is always among them (each
    comparison has a margin: :data:`LOGIT_MARGIN`, :data:`SCORE_MARGIN`). Empty when none can be.
    Cached per process like :func:`listed`: a plan validated again (the Excel button pressed twice)
    does not sum its texts' weights again (the 10,000-action plan's validate: 0.215 -> 0.135 s).
    """
    m = model.load()
    z = _logits(text, success_measure)
    hia_low, aim_low = _thresholds(minimum)  # in log-odds
    t = m.temperature
    # the top HIA beats "no HIA" (its log-odds lowered by none_bias) and every other HIA; its
    # score is the calibrated softmax probability, whose log-odds are z_k / t - log(sum of the others)
    floor = max(z[0] + t * m.none_bias, *z[1:7]) - LOGIT_MARGIN
    hias = [k for k in range(1, 7) if z[k] >= floor]
    if hias:
        hias = [k for k in hias if _log_odds(z[:7], k, t) >= hia_low - LOGIT_MARGIN]
    floor = max(*z[7:], aim_low) - LOGIT_MARGIN  # the top aim, scored at least minimum
    aims = [model.AIMS[k - 7] for k in range(7, 10) if z[k] >= floor]
    return Contenders(frozenset(hias), frozenset(aims))


@functools.lru_cache(maxsize=16384)
def listed(text: str | None, success_measure: str | None) -> Contenders:
    """HIAs and aims that ``suggest(text, success_measure)`` surely lists whenever it lists any.

    After the top one, ``model.score`` lists each HIA that beats "no HIA" by itself (``secondary_min``)
    and has evidence, whatever the others; and the aims in turn, best first, while each reaches its
    minimum and has evidence. A *subset*, by design, with :func:`contenders`' margin: a plan that
    names one of these gets no hint (the suggestion lists nothing, or lists what the plan names).
    Cached per process like :func:`weighed`: a plan validated again (the Excel button pressed twice,
    a 10,000-action plan whose full suggestions are cached) would otherwise read its texts again.
    """
    m = model.load()
    z = _logits(text, success_measure)
    t = m.temperature
    # HIA k beats "no HIA" by itself: 1 / (1 + exp((z_0 - z_k) / t + none_bias)) >= secondary_min
    beats = -_logit(m.secondary_min) - LOGIT_MARGIN
    hias = [k for k in range(1, 7) if (z[0] - z[k]) / t + m.none_bias <= beats]
    low = _logit(max(m.aim_min, m.aim_floor)) + LOGIT_MARGIN  # an aim listed at any rank
    aims = [k for k in range(7, 10) if z[k] >= low]
    if not hias and not aims:
        return Contenders(frozenset(), frozenset())
    # what each feature counts: 1 in the text, the measure factor in the measure, both in both (the
    # ids are read again: this is for the few rows contenders cannot rule out, and keeping every
    # text's ids would cost the others more)
    counts = dict.fromkeys(() if values.is_blank(text) else _ids(str(text)), 1.0)
    if not values.is_blank(success_measure):
        for i in _ids(str(success_measure)):
            counts[i] = counts.get(i, 0.0) + m.measure_factor
    leads, least = _tables().leads, m.evidence_min + LOGIT_MARGIN

    def evidence(k: int) -> bool:
        return any(v * leads[i][k] >= least for i, v in counts.items())

    hias = [k for k in hias if evidence(k)]
    return Contenders(frozenset(hias), _in_turn(z, {k for k in aims if evidence(k)}))


def _in_turn(z: list[float], listable: set[int]) -> frozenset[str]:
    """The aims surely listed, given those that reach their minimum with evidence (as indices of
    ``z``): ``model.score`` lists them best first and stops at the first that does not, so an aim
    is listed when every aim that may rank above it (or tie with it) is listable too."""
    return frozenset(
        model.AIMS[k - 7]
        for k in listable
        if all(j in listable for j in range(7, 10) if z[j] >= z[k] - LOGIT_MARGIN)
    )
