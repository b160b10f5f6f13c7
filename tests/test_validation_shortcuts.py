"""The shortcuts that make validation fast give the same answers as the plain paths they replace.

Validation judges each distinct wording once, caches suggestions by what a success measure
matched, builds findings in bulk and reads columns as lists; each test here pins one shortcut
to the slower, obvious computation.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_workbook import mapping, smart
from edi_workbook.deadlines import national_deadlines, plan_vs_national
from edi_workbook.findings import Finding, Severity
from edi_workbook.plan import Plan
from edi_workbook.rules import RuleContext, all_rules
from edi_workbook.rules._common import blank, by_value, parsed
from edi_workbook.validation import validate

EVAL = Path(__file__).parent / "data" / "mapping_eval.csv"
AS_OF = dt.date(2025, 6, 1)
NOTES = "Evidence / notes"


def _eval_texts() -> list[str]:
    with EVAL.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows] + [r["success_measure"] for r in rows if r["success_measure"]]


TEXTS = _eval_texts()
MEASURES = [
    None,
    "",
    "Pay gap reduced by 5% by 31/03/2026",
    "Pay gap reduced by 12% by 30/06/2027",
    "Better engagement",
    "WRES indicator 2 improves by 4 points",
    "Staff network members report fewer incidents of harassment",
    *TEXTS[:20],
]


def test_finding_new_is_the_same_value_as_the_constructor():
    args = ("missing-owner", Severity.ERROR, "No owner.", "Action Plan", "G5", 5, "Owner", "A4")
    fast, plain = Finding.new(*args), Finding(*args)
    assert (fast == plain, hash(fast) == hash(plain), fast.to_dict() == plain.to_dict()) == (True, True, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.code = "other"  # type: ignore[misc]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(TEXTS), st.sampled_from(MEASURES))
def test_suggest_shared_equals_suggest(text, measure):
    shared = mapping.suggest_shared(text, mapping.phrases(measure))
    assert shared.to_dict() == mapping.suggest(text, measure).to_dict()


def test_measures_matching_the_same_phrases_share_one_value():
    a = mapping.phrases("Pay gap reduced by 5% by 31/03/2026")
    b = mapping.phrases("Pay gap reduced by 12% by 30/06/2027")
    c = mapping.phrases("31/03/2026")  # nothing the mapper reads
    assert (a is b, a == c, c is mapping.phrases(None)) == (True, False, True)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([*TEXTS, "Raise awareness of EDI", "Promote inclusion"]),
    st.sampled_from(MEASURES),
    st.booleans(),
)
def test_check_smart_reads_the_measure_only_through_has_measure(text, measure, due):
    plain = smart.check_smart(text, has_due_date=due, measure=measure)
    counts = smart.check_smart(text, has_due_date=due, measure_counts=smart.has_measure(measure))
    assert counts == plain


def test_has_measure_of_an_excel_serial_is_a_date_not_a_type_error():
    assert (smart.has_measure(45747.0), smart.has_measure("Better engagement")) == (True, False)


def test_by_value_judges_each_distinct_value_once_in_input_order():
    seen: list[object] = []

    def judge(v: object) -> str:
        seen.append(v)
        return f"<{v}>"

    assert by_value(["b", "a", "b", None, "a"], judge) == ["<b>", "<a>", "<b>", "<None>", "<a>"]
    assert seen == ["b", "a", None]


def _plan() -> Plan:
    rows = [
        {
            "Action ID": "A1",
            "Action": "Close the ethnicity pay gap",
            "HIA": "HIA 5",
            "Due date": "31/03/2025",
        },
        {
            "Action ID": "A2",
            "Action": "Close the ethnicity pay gap",
            "HIA": "HIA 5",
            "Due date": "31/03/2025",
        },
        {"Action ID": "A3", "Action": "Promote inclusion", "Owner": " ", "Due date": "TBC", NOTES: "=1+1"},
        {"Action ID": None, "Action": None, "Owner": "EDI lead", "% complete": "about half"},
    ]
    return Plan.from_records(rows)


def test_bulk_findings_equal_one_by_one_findings():
    all_rules()  # registers the codes
    plan = _plan()
    ctx = RuleContext(plan=plan, as_of=AS_OF, settings=plan.settings)
    items = [(0, "m0"), (2, "m2"), (3, "m3")]
    bulk = list(ctx.findings_at("missing-owner", "owner", items))
    one = [ctx.finding("missing-owner", m, i, "owner") for i, m in items]
    assert bulk == one
    assert [(f.cell, f.row, f.action_id) for f in bulk] == [("G2", 2, "A1"), ("G4", 4, "A3"), ("G5", 5, None)]


def test_column_lists_equal_pandas_values():
    plan = _plan()
    ctx = RuleContext(plan=plan, as_of=AS_OF, settings=plan.settings)
    assert blank(ctx, "owner") == [True, True, True, False]
    assert parsed(ctx, "due_date") == [dt.date(2025, 3, 31), dt.date(2025, 3, 31), None, None]
    assert parsed(ctx, "pct_complete") == [None, None, None, None]
    assert ctx.column("owner", "raw") == plan.raw["owner"].tolist()
    assert ctx.column("owner", "cells") == plan.cells["owner"].tolist()


def test_repeated_rows_get_the_same_findings_as_a_row_alone():
    """Judging each wording once must not lose or merge rows: row 2 repeats row 1 exactly."""
    report = validate(_plan(), as_of=AS_OF)
    per_row: dict[int | None, list[str]] = {}
    for f in report.findings:
        per_row.setdefault(f.row, []).append(f.code)
    assert per_row[2] == per_row[3]
    assert "hia-differs-from-text" in per_row[2]


def test_national_deadlines_is_a_fresh_list_each_time():
    first = national_deadlines(AS_OF)
    first.clear()
    assert national_deadlines(AS_OF) != []


def test_plan_vs_national_ids_are_plan_action_ids():
    plan = _plan()
    for check in plan_vs_national(plan, as_of=AS_OF):
        assert check.action_ids == tuple(plan.action_id(i) for i in check.indices)


@pytest.mark.parametrize("enabled", [True, False])
def test_validate_leaves_the_garbage_collector_as_it_found_it(enabled):
    import gc

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        validate(_plan(), as_of=AS_OF)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
