"""``reading.weighed_reading`` held to what it stands in for: ``features.read``'s weighed features.

Suggestions read texts through it (``suggestions.phrases`` and the text of ``suggest_shared``): any
difference from ``features.read``, the reader the model is trained on, would change a suggestion.
"""

from __future__ import annotations

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
