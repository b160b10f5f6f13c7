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


def _full_rule(records, typed_key, judge):
    """The rule without its screen: every row's full suggestion, judged as the rule judges it."""
    from edi_workbook import values
    from edi_workbook.mapping import suggest

    parse = values.parse_hias if typed_key == "HIA" else values.parse_psed
    out = {}
    for r in records:
        typed = parse(r[typed_key])
        if r["Action"] and typed:
            message = judge(suggest(r["Action"], r["Success measure"]), typed)
            if message is not None:
                out[r["Action ID"]] = message
    return out


def test_the_screened_rules_find_what_the_full_suggestion_finds():
    """Over the labelled statements and the benchmark's actions, each with several typed values."""
    from benchmarks.generate import actions
    from edi_workbook.rules import mapping_disagrees as md
    from tests.mapping.test_screen import pairs

    typed = [("1", "a"), ("2", "b"), ("3", "c"), ("4", "a; b"), ("5", "b; c"), ("6", "a"), ("2 & 6", "c")]
    rows = [(t, m, *typed[k % 7]) for i, (t, m) in enumerate(pairs()) for k in (i, 3 * i + 1)]
    rows += [(a["action"], a["measure"], " & ".join(map(str, a["hias"])), a["psed"]) for a in actions(800, 3)]
    records = [
        {"Action ID": f"R{i}", "Action": t, "Success measure": m, "HIA": h or None, "PSED aim": p}
        for i, (t, m, h, p) in enumerate(rows)
    ]
    report = validate(Plan.from_records(records), as_of=dt.date(2025, 1, 1), select=list(CODES))
    got = {code: {} for code in CODES}
    for f in report.findings:
        got[f.code][f.action_id] = f.message
    assert got["hia-differs-from-text"] == _full_rule(records, "HIA", md._hia_message)
    assert got["psed-differs-from-text"] == _full_rule(records, "PSED aim", md._aim_message)
    assert 200 < len(got["hia-differs-from-text"]) < len(records) // 2  # both kinds of row are in
    assert 200 < len(got["psed-differs-from-text"]) < len(records) // 2
