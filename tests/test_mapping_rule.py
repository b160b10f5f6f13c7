"""The info findings where a plan's HIA / PSED aim and its action text disagree."""

from __future__ import annotations

import datetime as dt

from edi_workbook.findings import REGISTRY, Severity
from edi_workbook.plan import Plan
from edi_workbook.rules import all_rules
from edi_workbook.validation import validate

CODES = ("hia-differs-from-text", "psed-differs-from-text")


def found(records):
    plan = Plan.from_records(records)
    report = validate(plan, as_of=dt.date(2025, 1, 1), select=list(CODES))
    return [(f.code, f.severity, f.sheet, f.cell, f.action_id) for f in report.findings]


def test_codes_are_registered_as_info():
    all_rules()  # imports every rule module, which registers its codes
    assert [REGISTRY[c].severity for c in CODES] == [Severity.INFO, Severity.INFO]


def test_clear_disagreement_is_an_info_finding_on_the_hia_cell():
    rows = [{"Action ID": "A1", "Action": "Publish the ethnicity pay gap and close it", "HIA": "HIA 5"}]
    assert found(rows) == [("hia-differs-from-text", Severity.INFO, "Action Plan", "D2", "A1")]


def test_message_names_both_hias():
    plan = Plan.from_records([{"Action": "Publish the ethnicity pay gap and close it", "HIA": "HIA 5"}])
    (f,) = validate(plan, as_of=dt.date(2025, 1, 1), select=["hia-differs-from-text"]).findings
    assert f.message.startswith("text suggests HIA 3; plan says HIA 5")


def test_no_finding_when_the_plan_names_any_suggested_hia():
    rows = [{"Action": "Pay gap and bullying of disabled staff", "HIA": "HIA 6", "PSED aim": "a"}]
    assert found(rows) == []


def test_no_finding_when_the_text_is_unclear_or_the_cell_empty():
    rows = [
        {"Action": "Update the intranet page", "HIA": "HIA 2"},  # nothing fits
        {"Action": "Review the career offer", "HIA": "HIA 6"},  # weak evidence
        {"Action": "Close the ethnicity pay gap", "HIA": None},  # missing-hia's job
    ]
    assert found(rows) == []


def test_psed_disagreement_on_the_aim_cell():
    rows = [
        {"Action ID": "A2", "Action": "Stop harassment and discrimination", "HIA": "HIA 6", "PSED aim": "c"}
    ]
    assert found(rows) == [("psed-differs-from-text", Severity.INFO, "Action Plan", "E2", "A2")]
