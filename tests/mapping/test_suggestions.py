"""HIA / PSED-aim suggestions: shape, evidence, matching rules, and the plan helpers."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from edi_workbook.mapping import coverage, suggest, suggest_many, suggest_plan
from edi_workbook.plan import Plan


def hias(text: str, measure: str | None = None) -> list[int]:
    return [h.hia for h in suggest(text, measure).hia]


def aims(text: str) -> list[str]:
    return [a.aim for a in suggest(text).psed]


def test_public_api_is_exported():
    import edi_workbook

    assert edi_workbook.suggest is suggest
    assert edi_workbook.coverage is coverage


def test_to_dict_has_exactly_the_json_shape_of_the_issue():
    d = suggest("Set reduction targets for bullying and harassment of disabled staff").to_dict()
    assert set(d) == {"text", "hia", "psed"}
    assert [set(h) for h in d["hia"]] == [{"hia", "score", "evidence"}]
    assert all(set(a) == {"aim", "score", "evidence"} for a in d["psed"])
    assert d["hia"][0]["hia"] == 6
    assert d["psed"][0]["aim"] == "a"
    json.dumps(d)  # JSON-ready


@pytest.mark.parametrize(
    "text",
    [
        "Publish the annual report on the website",
        "Hold the steering group every quarter and circulate the minutes",
        "Refresh the intranet page with the latest contacts",
        "Report progress and raise risks to the Board",
        "Reduce health inequalities among patients through screening",
        "No action required on this metric this year",
    ],
)
def test_no_hia_fits_admin_patient_and_negated_actions(text):
    # docs/mapping.md rubric: governance and admin, patient-facing actions and negations are no HIA;
    # an aim may still fit (governance serves aim (b)), always with words of the text as evidence
    s = suggest(text)
    assert s.hia == []
    assert all(a.aim == "b" and all(e in text for e in a.evidence) for a in s.psed)


@pytest.mark.parametrize("text", ["", "   ", "2025/26", "-"])
def test_blank_or_wordless_text_gets_nothing(text):
    s = suggest(text)
    assert (s.hia, s.psed) == ([], [])


def test_none_text_is_an_empty_suggestion():
    assert suggest(None).to_dict() == {"text": "", "hia": [], "psed": []}


def test_scores_are_in_0_1_and_sorted_highest_first():
    s = suggest(
        "Board to review the BAF entry on the talent management plan and the ethnicity pay gap, "
        "and tackle bullying reported by internationally recruited nurses"
    )
    for items in (s.hia, s.psed):
        scores = [x.score for x in items]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < x <= 1 for x in scores)
    assert s.hia
    assert s.psed


def test_two_hias_are_listed_when_both_are_clear():
    s = suggest("Publish the ethnicity pay gap and tackle bullying and harassment")
    assert {h.hia for h in s.hia} == {3, 6}
    s = suggest(
        "Provide pastoral support for internationally recruited nurses and reduce bullying they report"
    )
    assert [h.hia for h in s.hia] == [5, 6]


def test_evidence_is_words_of_the_text_strongest_first():
    text = "Provide OSCE preparation and pastoral support for overseas nurses"
    (h,) = suggest(text).hia
    assert h.hia == 5
    assert all(e in text for e in h.evidence)
    assert h.evidence[0] in {"OSCE", "overseas"}


@pytest.mark.parametrize(
    ("text", "hia"),
    [
        ("recruiting managers to complete training", 2),
        ("a new recruitment process", 2),
        ("we recruit locally", 2),
        ("bullied staff get support", 6),
        ("harassed colleagues", 6),
    ],
)
def test_stemming_matches_other_forms_of_a_word(text, hia):
    assert hias(text)[:1] == [hia]


def test_longest_phrase_wins_across_hias():
    # "internationally recruited" is HIA 5; it must not also count as "recruited" (HIA 2)
    assert hias("Welcome pack for internationally recruited nurses") == [5]


def test_ignore_phrases_point_nowhere():
    # "civil partnership" is a protected characteristic, not civility (HIA 6)
    assert hias("Include marriage and civil partnership in the monitoring form") == []


def test_exact_words_do_not_match_by_stem():
    assert hias("Track progress against the plan at each meeting") == []
    assert 2 in hias("Monitor career progression of disabled staff")


def test_negative_cues_keep_patient_health_out_of_hia_4():
    assert 4 in hias("Reduce health inequalities in our workforce through wellbeing checks")
    assert hias("Reduce health inequalities among patients through screening") == []


def test_success_measure_counts_but_less_than_the_text():
    measure = "Appointment from shortlisting ratio (WRES indicator 2) below 1.25"
    assert hias("Take the agreed actions for the year") == []
    assert hias("Take the agreed actions for the year", measure) == [2]
    weak = suggest("Take the agreed actions for the year", measure).hia[0].score
    assert weak < suggest(measure).hia[0].score


def test_psed_aims_follow_the_equality_act_categories():
    assert aims("Celebrate Black History Month with the staff networks")[:1] == ["c"]
    assert aims("Provide interpreters and easy read letters")[:1] == ["b"]
    assert aims("Eliminate harassment and victimisation")[:1] == ["a"]


def test_an_hia_implies_its_aim_with_the_hia_evidence():
    s = suggest("Publish the gender pay gap")
    assert [a.aim for a in s.psed] == ["b"]
    assert s.hia[0].evidence[0] in s.psed[0].evidence
    s = suggest("Tackle bullying")
    assert [a.aim for a in s.psed][:1] == ["a"]


def test_suggest_many_keeps_input_order():
    out = suggest_many(["Tackle bullying", "Close the ethnicity pay gap"], ["", None])
    assert [s.hia[0].hia for s in out] == [6, 3]


def _plan() -> Plan:
    return Plan.from_records(
        [
            {"Action ID": "A1", "Action": "Close the gender pay gap", "HIA": "HIA 3", "PSED aim": "b"},
            {"Action ID": "A2", "Action": "Diverse interview panels for band 8a", "HIA": None},
            {"Action ID": "A3", "Action": "Update the intranet page", "HIA": None, "PSED aim": None},
            {
                "Action ID": "A4",
                "Action": "Zero tolerance of violence and aggression",
                "HIA": "HIA 6",
                "Protected characteristics": "Race; Disability",
            },
        ]
    )


def test_suggest_plan_fills_only_empty_cells():
    cells = [(c.action_id, c.key, c.cell, c.value) for c in suggest_plan(_plan())]
    assert cells == [
        ("A2", "hia", "D3", "HIA 2"),
        ("A2", "psed_aim", "E3", "(b) Advance equality of opportunity"),
        ("A3", "psed_aim", "E4", "(b) Advance equality of opportunity"),  # governance serves (b)
        ("A4", "psed_aim", "E5", "(a) Eliminate discrimination"),
    ]


def test_coverage_counts_and_names_the_gaps():
    cov = coverage(_plan())
    assert cov.hia == {1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 1}
    assert cov.psed == {"a": 0, "b": 1, "c": 0}
    assert (cov.characteristics["Race"], cov.characteristics["Sex"]) == (1, 0)
    assert (cov.actions, cov.unmapped) == (4, 2)
    assert len(cov.gaps) == 4 + 2
    assert any("HIA 5" in g for g in cov.gaps)
    assert len(cov.characteristic_gaps) == 7
    frame = cov.to_frame()
    assert list(frame.columns) == ["dimension", "key", "label", "actions"]
    assert len(frame) == 6 + 3 + 9
    assert json.loads(json.dumps(cov.to_dict()))["hia"]["3"] == 1


def test_coverage_can_count_suggestions_for_empty_cells():
    cov = coverage(_plan(), include_suggestions=True)
    assert (cov.hia[2], cov.psed["a"], cov.unmapped) == (1, 1, 1)


def test_coverage_without_characteristics_counts_none():
    plan = Plan.from_records([{"Action": "Tackle bullying", "HIA": "HIA 6"}])
    cov = coverage(plan)
    assert (cov.characteristics, cov.characteristic_gaps) == ({}, [])


def test_marriage_gap_is_asked_under_aim_a_only():
    """Issue 16: PSED aims (b) and (c) do not cover marriage and civil partnership (s.149(7))."""
    named_under_b = Plan.from_records(
        [
            {
                "Action": "Review leave policy",
                "PSED aim": "(b)",
                "Protected characteristics": "Marriage and civil partnership",
            }
        ]
    )
    gaps = coverage(named_under_b).characteristic_gaps
    marriage = [g for g in gaps if "Marriage" in g]
    assert marriage == [
        "No action under PSED aim (a) Eliminate discrimination names the protected characteristic "
        "Marriage and civil partnership (aims (b) and (c) do not cover it)"
    ]
    named_under_a = Plan.from_records(
        [
            {
                "Action": "Review leave policy",
                "PSED aim": "(a)",
                "Protected characteristics": "Marriage and civil partnership",
            }
        ]
    )
    assert not [g for g in coverage(named_under_a).characteristic_gaps if "Marriage" in g]
    race_only = Plan.from_records(
        [{"Action": "Race network", "PSED aim": "(c)", "Protected characteristics": "Race"}]
    )
    assert "No action names the protected characteristic Sex" in coverage(race_only).characteristic_gaps


def test_vocabulary_and_model_are_loaded_once():
    from edi_workbook.mapping import model, words

    assert words.vocabulary() is words.vocabulary()
    assert model.load() is model.load()


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=200),
    st.one_of(st.none(), st.text(max_size=80)),
    st.lists(
        st.sampled_from(["bullying", "pay gap", "IEN", "board", "wellbeing", "shortlisting"]), max_size=3
    ),
)
@example("\u0130\u0130\u0130 Stop harassment", None, [])  # lower() makes each \u0130 two characters
def test_any_text_gives_bounded_scores_and_evidence_taken_from_the_text(text, measure, words):
    text = " ".join([text, *words])
    s = suggest(text, measure)
    source = text + " " + (measure or "")
    for item in [*s.hia, *s.psed]:
        assert 0 < item.score <= 1
        assert item.evidence
        assert all(e in source for e in item.evidence)
    assert len({h.hia for h in s.hia}) == len(s.hia)
