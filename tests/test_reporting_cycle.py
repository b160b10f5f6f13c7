"""Issue 16: the EDI reporting year as rules, its dated instances, and the facts the check fixed.

The expected dates below are written from the sources named in reference.yaml (GOV.UK "when to
report", SI 2017/353 reg. 4, NHS England's WDES pages, the EDS publication date...), not from the
code: ``national(2026-11-28)`` must list exactly these.
"""

from __future__ import annotations

import datetime as dt

import pytest

from edi_workbook import reference
from edi_workbook.deadlines import ANNUAL, HIA, entries, national, next_instance, span_end

REF = reference.load()
D = dt.date

NEXT_12_MONTHS_FROM_2026_11_28 = [  # (obligation, date, verified)
    ("staff-survey-fieldwork", D(2026, 11, 30), False),
    ("eds-publication", D(2027, 2, 28), True),
    ("gender-pay-gap", D(2027, 3, 30), True),
    ("ethnicity-disability-pay-gap", D(2027, 3, 30), False),
    ("psed-equality-information", D(2027, 3, 30), True),
    ("workforce-snapshot", D(2027, 3, 31), True),
    ("staff-survey-results", D(2027, 3, 31), True),
    ("wdes-data", D(2027, 5, 31), True),
    ("wdes-report", D(2027, 10, 31), True),
    ("wres-report", D(2027, 10, 31), False),
]


def test_every_recurring_deadline_of_the_next_12_months():
    got = [(i.obligation.id, i.date, i.obligation.verified) for i in national(D(2026, 11, 28))]
    assert got == NEXT_12_MONTHS_FROM_2026_11_28
    assert sum(1 for _, _, verified in got if verified) >= 7


def test_at_least_eight_recurring_obligations_each_sourced_and_checked():
    assert len(REF.obligations) >= 8
    for o in REF.obligations:
        assert o.source.strip(), o.id
        assert isinstance(o.checked, dt.date), o.id
    dated = [o for o in REF.obligations if o.rule.month is not None]
    assert len(dated) >= 8


@pytest.mark.parametrize(
    ("as_of", "obligation", "expected"),
    [
        (D(2027, 3, 30), "gender-pay-gap", D(2027, 3, 30)),  # due today counts
        (D(2027, 3, 31), "gender-pay-gap", D(2028, 3, 30)),  # a day late: next year's
        (D(2026, 12, 31), "eds-publication", D(2027, 2, 28)),  # across 1 January
        (D(2028, 2, 29), "eds-publication", D(2029, 2, 28)),  # leap day as-of
        (D(2026, 6, 1), "wdes-data", D(2027, 5, 31)),  # window closed: next year's
        (D(2025, 6, 1), "psed-equality-objectives", D(2026, 3, 30)),  # four-yearly from 2018
        (D(2026, 3, 31), "psed-equality-objectives", D(2030, 3, 30)),
        (D(2026, 11, 28), "staff-survey-results", D(2027, 3, 31)),  # month only: its last day
    ],
)
def test_next_instance_across_boundaries(as_of, obligation, expected):
    assert next_instance(REF.obligation(obligation), as_of).date == expected


def test_window_opening_and_undated_obligations():
    wdes = next_instance(REF.obligation("wdes-data"), D(2027, 1, 1))
    assert (wdes.opens, wdes.date, wdes.id) == (D(2027, 5, 1), D(2027, 5, 31), "wdes-data-2027")
    survey = next_instance(REF.obligation("staff-survey-fieldwork"), D(2026, 1, 1))
    assert (survey.opens, survey.date) == (D(2026, 10, 1), D(2026, 11, 30))
    for oid in ("wres-data", "board-edi-appraisal", "wellbeing-conversations", "annual-report-edi"):
        assert next_instance(REF.obligation(oid), D(2026, 1, 1)) is None
        assert REF.obligation(oid).rule.words.startswith("No fixed national date")


def test_span_is_a_year_and_a_leap_day_rolls_to_1_march():
    assert span_end(D(2026, 11, 28)) == D(2027, 11, 28)
    assert span_end(D(2028, 2, 29)) == D(2029, 3, 1)
    two = national(D(2026, 11, 28), years=2)
    assert sum(i.obligation.id == "gender-pay-gap" for i in two) == 2
    assert len({i.id for i in two}) == len(two)  # one id per obligation and year


def test_applies_to_filter():
    primary = national(D(2026, 11, 28), applies_to="primary-care")
    assert primary == []  # primary care has only undated obligations (wellbeing conversations)
    public = {i.obligation.id for i in national(D(2026, 11, 28), applies_to="public-body")}
    assert public == {"gender-pay-gap", "psed-equality-information", "workforce-snapshot"}
    assert all(e.kind == ANNUAL for e in entries(D(2024, 1, 1), applies_to="primary-care"))


def test_entries_json_contract_sorted_and_sourced():
    items = entries(D(2024, 1, 15), history=True)
    assert [e.date for e in items] == sorted(e.date for e in items)
    assert {e.kind for e in items} == {ANNUAL, HIA}
    for e in items:
        d = e.to_dict()
        assert list(d) == [
            "id",
            "kind",
            "title",
            "date",
            "status",
            "days",
            "applies_to",
            "verified",
            "source",
        ]
        assert d["source"].strip()
        assert d["status"] in {"Passed", "Due soon", "Upcoming"}
        assert d["days"] == (e.date - D(2024, 1, 15)).days
    assert len([e for e in items if e.kind == HIA]) == len(REF.national_deadlines)
    ahead = entries(D(2024, 1, 15))
    assert all(e.days >= 0 for e in ahead)  # without history, passed milestones are left out


def test_within_days_keeps_the_report_horizon():
    items = entries(D(2025, 3, 31), within_days=90)
    assert items
    assert all(0 <= e.days <= 90 for e in items)
    assert {"1b", "3b-disability", "4b", "wdes-data-2025"} <= {e.id for e in items}


# --- the fact-check errors of issue 16, each with its source beside it in reference.yaml ---------


def test_year_only_deadlines_mean_31_march():
    assert REF.date_conventions["year_only"].startswith("31 March")
    by_id = {d.id: d for d in REF.national_deadlines}
    assert [by_id[i].date for i in ("3b-sex-race", "3b-disability", "3b-other")] == [
        D(2024, 3, 31),
        D(2025, 3, 31),
        D(2026, 3, 31),
    ]
    for i in ("3b-sex-race", "3b-disability", "3b-other"):
        assert by_id[i].status == "corrected"
        assert by_id[i].was == D(by_id[i].date.year, 12, 31)
        assert by_id[i].source.startswith("https://")


def test_psed_aims_b_and_c_say_relevant_and_leave_out_marriage():
    for aim in ("b", "c"):
        assert "share a relevant protected characteristic" in REF.aim(aim).text
        assert REF.aim(aim).excludes == ("Marriage and civil partnership",)
    assert REF.aim("a").excludes == ()
    assert REF.aims_covering("Marriage and civil partnership") == ("a",)
    assert REF.aims_covering("Race") == ("a", "b", "c")


def test_eds_outcomes_2a_and_3a_wording():
    by_id = {o.id: o for o in REF.eds_outcomes}
    assert "obesity, diabetes, asthma, COPD and mental health conditions" in by_id["2A"].text
    assert not by_id["2A"].verified  # recalled: shown as unverified
    assert by_id["3A"].text.startswith("Board members, system leaders (Band 9 and VSM) and those with line")
    assert by_id["3A"].verified
    assert by_id["3A"].source.startswith("https://")


def test_hia_deadlines_rechecked_and_6f_and_success_metrics_added():
    status = {d.id: d.status for d in REF.national_deadlines}
    assert status["4b"] == "confirmed"
    assert {i for i, s in status.items() if s == "unverified"} == {"4a", "5b", "5c", "5d", "6b", "6d", "6e"}
    assert [(u.id, u.verified) for u in REF.undated_actions] == [("6f", False)]
    assert [m.id for m in REF.success_metrics] == [
        "1a", "2a", "2b", "2c", "2d", "2e", "2f", "3a", "4a", "4b", "4c", "5a", "5b", "5c", "6a", "6b", "6c",
    ]  # fmt: skip
    assert all(m.source.startswith("https://") for m in REF.success_metrics)


def test_organisation_types_map_in_one_place():
    cases = {
        "NHS Foundation Trust": "trust",
        "Mental health trust": "trust",
        "Integrated Care Board": "icb",
        "North East ICS": "icb",
        "GP practice": "primary-care",
        "Primary care training hub": "primary-care",
        "PCN": "primary-care",
        "County council": "public-body",
    }
    assert {t: getattr(REF.org_type(t), "applies_to", None) for t in cases} == cases
    assert REF.org_type("") is None
    assert REF.org_type("A charity") is None
    assert {t.applies_to for t in REF.org_types} == {a for o in REF.obligations for a in o.applies_to}
