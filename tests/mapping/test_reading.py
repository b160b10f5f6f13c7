"""``reading.weighed_reading`` held to what it stands in for: ``features.read``'s weighed features.

Suggestions read texts through it (``suggestions.phrases`` and the text of ``suggest_shared``): any
difference from ``features.read``, the reader the model is trained on, would change a suggestion.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from edi_workbook.mapping import features, model, phrases, suggest
from edi_workbook.mapping.reading import weighed_reading
from tests.mapping.test_screen import ODD, WORDS, pairs, texts


def weighed_features(text: str) -> features.Reading:
    known = model.load().weights
    return tuple(f for f in features.read(text) if f[0] in known)


def test_it_reads_what_features_read_reads_with_a_weight():
    found = 0
    for text in texts():
        got = weighed_reading(text)
        assert got == weighed_features(text), text
        found += any(len(evidence) > 1 for _, _, evidence in got)
    assert found > 100  # features read in several places are in the corpus


@pytest.mark.parametrize("text", [*ODD, "Pay gap, PAY GAP and pay-gap", "Board report; report to the board"])
def test_it_reads_odd_texts_alike(text):
    assert weighed_reading(text) == weighed_features(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*WORDS, "Pay", "GAP", "Staff,", "(patients)", "Board."]), max_size=25).map(
        " ".join
    )
)
@example("patients patients residents board report board")
def test_it_reads_made_up_texts_alike(text):
    assert weighed_reading(text) == weighed_features(text)


def test_phrases_are_the_weighed_reading():
    text = "Publish the ethnicity pay gap and report it to the Board"
    assert phrases(text) == weighed_features(text) != ()
    assert phrases("   ") == phrases(None) == ()


def test_suggestions_keep_their_evidence_as_the_text_has_it():
    s = suggest("Publish the Ethnicity Pay Gap and close it", "Pay gap down 5%")
    assert s.hia[0].hia == 3
    assert "Ethnicity Pay Gap" in s.hia[0].evidence
    assert pairs()  # the corpus the other tests read is there


def test_suggestions_are_what_the_model_scores_on_features_read():
    """The suggestion path end to end against the reading the model is trained on."""
    m = model.load()
    for text, measure in pairs()[:1500]:
        found = features.combine(
            features.read(text), weighed_features(measure) if measure else (), m.measure_factor
        )
        hias, aims = model.score(found, m)
        s = suggest(text, measure)
        assert [(str(h.hia), h.score, tuple(h.evidence)) for h in s.hia] == [
            (h, round(p, 3), ev) for h, p, ev in hias
        ]
        assert [(a.aim, a.score, tuple(a.evidence)) for a in s.psed] == [
            (a, round(p, 3), ev) for a, p, ev in aims
        ]


def test_a_features_lead_is_its_weight_over_its_mean_weight():
    """``Model.leads`` (model.score's evidence, the screen's ``listed``): computed once per model."""
    m = model.load()
    for name, w in m.weights.items():
        hia_mean, aim_mean = sum(w[:7]) / 7, sum(w[7:]) / 3
        assert m.leads[name] == (*(x - hia_mean for x in w[:7]), *(x - aim_mean for x in w[7:])), name
    other = dataclasses.replace(m, weights={"w:x": (1.0,) * 7 + (0.0, 3.0, 0.0)})
    assert other.leads == {"w:x": (0.0,) * 7 + (-1.0, 2.0, -1.0)}
    assert m.leads is m.leads
