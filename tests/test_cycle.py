"""Issue 16, item 4: a plan against the reporting year (``edi_workbook.cycle`` and its two rules)."""

from __future__ import annotations

import datetime as dt

import pytest

from edi_workbook.cycle import applies_to_of, feeds, late_actions, plan_vs_cycle
from edi_workbook.plan import Plan, PlanDetails, Settings
from edi_workbook.validation import validate

AS_OF = dt.date(2026, 11, 22)
CODES = ["obligation-without-action", "due-after-obligation"]


def _plan(rows, org_type="NHS Foundation Trust") -> Plan:
    records = [
        {"Action ID": aid, "Action": text, "Due date": due, "Status": status, "Start date": start}
        for aid, text, due, status, start in rows
    ]
    return Plan.from_records(
        records, settings=Settings(as_of=AS_OF), details=PlanDetails(organisation_type=org_type)
    )


def _found(plan: Plan) -> list[tuple[str, str | None, str | None]]:
    return sorted((f.code, f.cell, f.action_id) for f in validate(plan, select=CODES).findings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Publish the gender pay gap report", {"gender-pay-gap"}),
        ("Analyse our PAY GAPS by ethnicity", {"gender-pay-gap"}),
        (
            "Report the ethnicity pay gap and the disability pay gap",
            {"gender-pay-gap", "ethnicity-disability-pay-gap"},
        ),
        ("Submit the WDES return", {"wdes-data", "wdes-report"}),
        ("Workforce Race Equality Standard action plan", {"wres-report"}),
        ("Run the EDS 2022 review with patients", {"eds-publication"}),
        ("Agree new equality objectives", {"psed-equality-objectives"}),
        ("Publish our PSED equality information", {"psed-equality-information"}),
        ("Meet the needs of patients", set()),  # "needs" is not EDS
        ("Wrestling with the rota", set()),  # nor is "wrestling" WRES
        (None, set()),
    ],
)
def test_feeds_matches_whole_words(text, expected):
    assert {o.id for o in feeds(text)} == expected


def test_no_action_for_an_obligation_of_the_type():
    plan = _plan([("A1", "Publish the gender pay gap report", dt.date(2027, 3, 1), "In progress", None)])
    checks = {c.instance.obligation.id: c for c in plan_vs_cycle(plan)}
    assert applies_to_of(plan) == "trust"
    assert checks["gender-pay-gap"].action_ids == ("A1",)
    assert checks["wdes-report"].action_ids == ()
    assert "staff-survey-results" not in checks  # nothing a plan does: no plan_terms
    got = list(validate(plan, select=CODES[:1]).findings)
    names = {f.message.split("'")[1] for f in got}
    assert "Gender pay gap published" not in names
    assert {"WDES annual report and action plan published", "EDS 2022 review published"} <= names
    wres = next(f for f in got if "WRES" in f.message)
    assert "date unverified" in wres.message  # the 31 October WRES date was not seen in a source
    assert all(f.cell is None and f.severity.value == "warning" for f in got)


def test_a_cancelled_action_does_not_feed():
    plan = _plan([("A1", "Publish the gender pay gap report", dt.date(2027, 3, 1), "Cancelled", None)])
    assert next(c for c in plan_vs_cycle(plan) if c.instance.obligation.id == "gender-pay-gap").indices == ()


def test_action_due_after_the_date_it_feeds():
    plan = _plan(
        [
            ("A1", "Publish the gender pay gap report", dt.date(2027, 4, 15), "In progress", None),  # late
            (
                "A2",
                "Publish the gender pay gap report",
                dt.date(2027, 3, 30),
                "In progress",
                None,
            ),  # on the day
            ("A3", "Submit and publish the WDES data and report", dt.date(2027, 6, 30), "Not started", None),
            ("A4", "Publish the WDES report", dt.date(2027, 11, 30), "Not started", None),  # after 31 Oct
            ("A5", "Gender pay gap report 2028", dt.date(2028, 3, 1), "Not started", dt.date(2027, 4, 1)),
            ("A6", "Publish the gender pay gap report", dt.date(2027, 5, 1), "Complete", None),  # done
            ("A7", "Publish the gender pay gap report", None, "In progress", None),  # no due date
        ]
    )
    late = {plan.action_id(x.index): (x.due, x.instance.id) for x in late_actions(plan)}
    assert late == {
        "A1": (dt.date(2027, 4, 15), "gender-pay-gap-2027"),
        "A4": (dt.date(2027, 11, 30), "wdes-report-2027"),
    }  # A3 feeds both WDES dates: judged on the later one; A5 starts after this year's date
    assert [(c, cell, a) for c, cell, a in _found(plan) if c == "due-after-obligation"] == [
        ("due-after-obligation", "I2", "A1"),
        ("due-after-obligation", "I5", "A4"),
    ]
    msg = next(f.message for f in validate(plan, select=CODES[1:]).findings if f.action_id == "A1")
    assert msg.startswith(
        "Due 15 April 2027, after the national date it feeds: 'Gender pay gap published', 30 March 2027"
    )


@pytest.mark.parametrize("org_type", ["", None, "A charity"])
def test_unknown_organisation_type_is_not_checked(org_type):
    plan = _plan(
        [("A1", "Publish the gender pay gap report", dt.date(2028, 1, 1), "In progress", None)], org_type
    )
    assert applies_to_of(plan) is None
    assert _found(plan) == []


def test_primary_care_has_no_dated_obligation_to_miss():
    plan = _plan(
        [("A1", "Publish the gender pay gap report", dt.date(2028, 1, 1), "In progress", None)], "GP practice"
    )
    assert applies_to_of(plan) == "primary-care"
    assert _found(plan) == []  # the gender pay gap does not bind a GP practice under this rule set


def test_icb_gets_its_own_obligations_only():
    plan = _plan([("A1", "Board EDI objectives", dt.date(2027, 1, 1), "In progress", None)], "ICB")
    ids = {c.instance.obligation.id for c in plan_vs_cycle(plan)}
    assert "wdes-report" not in ids  # WDES binds trusts
    assert {"gender-pay-gap", "eds-publication", "wres-report"} <= ids
