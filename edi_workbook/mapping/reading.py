"""What ``features.read`` reads in a text and the model weighs, read the screen's way, evidence and all.

A suggestion (``suggestions.py``) needs only the features that have weights, each with the words of
the text behind it. :func:`weighed_reading` gives exactly those, in the same order with the same
evidence, as ``features.read`` filtered by the model's weights, but reads the text as the screen
does (``screen.py``: each word's stem, ids and phrases looked up once per process, the longest
phrases scanned only where one starts), several times faster.

Why two readers: ``features.read`` defines the features (``scripts/train_mapping.py`` trains on
it, and the model file records a hash of ``features.py`` and ``words.py``); this one serves
suggestions. ``tests/mapping/test_reading.py`` holds the two equal over the evaluation statements,
the benchmark's actions, odd texts and made-up ones, as ``test_screen.py`` holds the screen's ids to
the same features.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from edi_workbook.mapping.features import NEAR, Reading
from edi_workbook.mapping.screen import Word, _scan, _tables, walk
from edi_workbook.mapping.words import WORD, vocabulary

Span = Callable[[int, int], str]
"""``span(first, last)``: the text from one word's start to another's end, as the text has it."""
Hit = tuple[int, int, int]
"""A phrase found by ``screen._scan``: its id (a context class's index), first and last token."""


def weighed_reading(text: str) -> Reading:
    """``features.read(text)``'s features that the model weighs, sorted by name (as a tuple)."""
    stems, words, (hia, aim, context), _ = walk(text)
    if not words:
        return ()
    stop = vocabulary().stopwords  # the same words again, with where they are
    begins, ends = zip(*(m.span() for m in WORD.finditer(text) if m.group().lower() not in stop), strict=True)

    def span(first: int, last: int) -> str:
        return text[begins[first] : ends[last]]

    out = _words(text, words, stems, list(begins), list(ends))
    for found in (hia, aim):
        if found:
            _phrases(_scan(stems, words, found), span, out)
    if context:
        _context(_scan(stems, words, context), span, out)
    names = _tables().names
    return tuple((names[i], 1.0, evidence) for i, evidence in sorted(out.items()))  # ids follow names


def _words(
    text: str, words: list[Word], stems: list[str], begins: list[int], ends: list[int]
) -> dict[int, tuple[str, ...]]:
    """``w:stem`` and ``w:stem+stem`` (``features._words``): the first place each is read."""
    out: dict[int, tuple[str, ...]] = {}
    nexts = [*stems[1:], ""]  # the last word has no next ("" ends no pair, nor does a number)
    for begin, end, word, after, following in zip(begins, ends, words, [*ends[1:], 0], nexts, strict=True):
        fid, pairs = word[2], word[3]
        if fid >= 0 and fid not in out:
            out[fid] = (text[begin:end],)
        if pairs is not None:
            pair = pairs.get(following, -1)
            if pair >= 0 and pair not in out:
                out[pair] = (text[begin:after],)
    return out


def _phrases(hits: list[Hit], span: Span, out: dict[int, tuple[str, ...]]) -> None:
    """``h:phrase`` and ``a:phrase`` (``features._phrases``): each place read, once in any case."""
    for fid, first, last in hits:
        if fid < 0:
            continue
        words = span(first, last)
        old = out.get(fid)
        if old is None:
            out[fid] = (words,)
        elif words.lower() not in (e.lower() for e in old):
            out[fid] = (*old, words)


def _context(hits: list[Hit], span: Span, out: dict[int, tuple[str, ...]]) -> None:
    """``c:class`` and the ``x:`` features read from the classes (``features._context``)."""
    t = _tables()
    where: dict[int, list[Hit]] = defaultdict(list)
    for hit in hits:
        where[hit[0]].append(hit)
    evidence = {c: tuple(dict.fromkeys(span(h[1], h[2]) for h in found)) for c, found in where.items()}
    for c, words in evidence.items():
        if t.class_ids[c] >= 0:
            out[t.class_ids[c]] = words
    x = t.together
    if x.public in where and x.staff not in where and x.public_only >= 0:
        out[x.public_only] = evidence[x.public]
    for verb, fid in ((x.report, x.body_report), (x.account, x.body_account)):
        pairs = [
            (b, h)
            for b in where.get(x.body, ())
            for h in where.get(verb, ())
            if min(abs(h[1] - b[2]), abs(b[1] - h[2])) <= NEAR
        ]
        if pairs and fid >= 0:
            out[fid] = tuple(dict.fromkeys(span(*hit[1:]) for pair in pairs for hit in pair))
