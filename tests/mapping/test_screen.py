"""The screen before a full suggestion (mapping/screen.py) held to the full path it stands in for.

``known`` must read exactly the weighed features ``features.read`` reads, ``contenders`` must
never leave out a top suggestion that scores its minimum, and ``listed`` must name only HIAs and
aims that a suggestion listing any lists: over the evaluation statements, their success measures
and the benchmark generator's actions.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from benchmarks.generate import actions
from edi_workbook.mapping import contenders, features, model, suggest, suggest_shared
from edi_workbook.mapping.screen import _in_turn, known, listed, weighed

DATA = Path(__file__).resolve().parents[1] / "data"


@functools.cache
def pairs() -> list[tuple[str, str | None]]:
    """(text, success measure): every labelled statement, then the benchmark's actions."""
    out: list[tuple[str, str | None]] = []
    for path in [*sorted((DATA / "mapping_eval").glob("*.csv")), DATA / "mapping_eval.csv"]:
        with path.open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                out.append((r.get("statement") or r["text"], r["success_measure"] or None))
    out += [(a["action"], a["measure"] or None) for a in actions(1500, seed=18)]
    return list(dict.fromkeys(out))


def texts() -> list[str]:
    return list(dict.fromkeys(t for pair in pairs() for t in pair if t))


def weighed_names(text: str) -> frozenset[str]:
    return frozenset(name for name, _, _ in features.read(text) if name in model.load().weights)


def test_the_corpus_is_the_one_meant():
    assert len(pairs()) > 2500
    assert len(texts()) > 4000


def test_known_is_what_features_read_finds_with_a_weight():
    for text in texts():
        assert known(text) == weighed_names(text), text


def test_every_feature_counts_once_at_value_one():
    """What lets the screen add up weights without the values."""
    assert {value for text in texts()[:500] for _, value, _ in features.read(text)} == {1.0}


ODD = [
    "",
    "   ",
    "the of and",
    "Pay gap 2024 2025 pay gap",
    "KELVIN Kelvin \u212aelvin İstanbul ſtaff ı",  # the 4 letters [a-z] matches beyond ASCII
    "Caf\u00e9 menopause caf\u00e9 for nurses, 5 pay-gap reports to the Board; board report",
    "report to the board board objectives appraisal of executives",
    "patients patients residents and no staff",
    "no action required",
    "=pay gap",
]


@pytest.mark.parametrize("text", ODD)
def test_known_on_odd_texts(text):
    assert known(text) == weighed_names(text)


WORDS = [
    "pay",
    "gap",
    "ethnicity",
    "Board",
    "board",
    "report",
    "to",
    "the",
    "of",
    "and",
    "2024",
    "5",
    "patients",
    "staff",
    "bullying",
    "harassment",
    "overseas",
    "nurses",
    "OSCE",
    "not",
    "yet",
    "no",
    "action",
    "required",
    "menopause",
    "reasonable",
    "adjustments",
    "Reverse",
    "mentoring",
    "executives",
    "İ",
    "K",
    "é",
    ",",
    ";",
    "-",
    "objectives",
    "appraisal",
    "recruitment",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(WORDS),
        max_size=25,
    ).map(" ".join)
)
@example("pay gap pay gap")
def test_known_on_made_up_texts(text):
    assert known(text) == weighed_names(text)


def top(s, which: str) -> tuple[object, float] | None:
    found = s.hia if which == "hia" else s.psed
    if not found:
        return None
    return (found[0].hia if which == "hia" else found[0].aim, found[0].score)


def _ruled_out(texts, minimum: float) -> int:
    """Assert that each pair's top suggestion scoring ``minimum`` is among its contenders; return
    how many pairs had no HIA contender at all."""
    ruled_out = 0
    for text, measure in texts:
        c = contenders(text, measure, minimum)
        s = suggest(text, measure)
        for which, among in (("hia", c.hia), ("psed", c.psed)):
            t = top(s, which)
            if t is not None and t[1] >= minimum:
                assert t[0] in among, (text, measure, which, t, among)
        ruled_out += not c.hia
    return ruled_out


@pytest.mark.parametrize("minimum", [0.5, 0.7, 0.8, 0.9])
def test_a_top_suggestion_scoring_the_minimum_is_always_a_contender(minimum):
    assert _ruled_out(pairs(), minimum) > len(pairs()) // 5  # the screen is worth having


@pytest.mark.parametrize("minimum", [-1.0, 0.0, 0.005, 0.01, 0.999, 1.0, 1.5])
def test_any_minimum_is_answered_and_keeps_the_top_suggestion(minimum):
    """A public function: a minimum at or past either end of 0-1 gives an answer, not a math error."""
    _ruled_out(pairs()[:300], minimum)
    if minimum > 1 + 0.01:
        assert contenders("Publish the ethnicity pay gap", None, minimum) == (frozenset(), frozenset())


def test_contenders_of_blank_texts_are_those_of_suggest():
    for text, measure in [(None, None), ("  ", "Pay gap closed"), ("Close the ethnicity pay gap", "   ")]:
        s = suggest(text, measure)
        c = contenders(text, measure, 0.5)
        assert {h.hia for h in s.hia[:1] if h.score >= 0.5} <= c.hia
        assert {a.aim for a in s.psed[:1] if a.score >= 0.5} <= c.psed


def test_weighed_is_the_models_sum_up_to_float_order():
    m = model.load()
    for text in texts()[:300]:
        found = features.combine(features.read(text), (), m.measure_factor)
        want = [sum(v * m.weights[n][k] for n, (v, _) in found.items() if n in m.weights) for k in range(10)]
        assert weighed(text) == pytest.approx(want, abs=1e-9)


def test_suggest_shared_is_unchanged_by_the_screen():
    text = "Publish the ethnicity pay gap and close it"
    assert suggest_shared(text).hia[0].hia == 3
    assert 3 in contenders(text, None, 0.8).hia


def test_what_listed_names_every_suggestion_that_lists_any_lists():
    sure = 0
    for text, measure in [
        *pairs(),
        *((t, None) for t in texts()[:1000]),
        *((None, t) for t in texts()[:300]),
    ]:
        s, c = suggest(text, measure), listed(text, measure)
        if s.hia:
            assert c.hia <= {h.hia for h in s.hia}, (text, measure, c, s)
        if s.psed:
            assert c.psed <= {a.aim for a in s.psed}, (text, measure, c, s)
        sure += bool(len(c.hia) > 1 or len(c.psed) > 1)  # the top one and another
    assert sure > len(pairs()) // 10  # it rules out rows contenders cannot


def test_listed_of_blank_texts_is_empty():
    assert listed(None, None) == listed("  ", "") == (frozenset(), frozenset())


def test_an_aim_ranked_below_one_without_evidence_is_not_surely_listed():
    """model.score stops at the first aim that fails: the aims after it are never listed."""
    z = [0.0] * 7 + [2.0, 1.0, 0.5]  # (a), then (b), then (c)
    assert _in_turn(z, {7, 8, 9}) == {"a", "b", "c"}
    assert _in_turn(z, {7, 9}) == {"a"}
    assert _in_turn(z, {8, 9}) == frozenset()
    assert _in_turn([0.0] * 7 + [1.0, 1.0, 0.5], {7}) == frozenset()  # (b) may rank first
