"""Each validation rule, by (code, sheet, cell) tuples: on a fixture and on small plans built in code."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from edi_workbook import read_plan, validate
from edi_workbook.findings import REGISTRY
from edi_workbook.plan import Plan
from edi_workbook.rules import all_rules

OK = Path(__file__).parent / "fixtures" / "read" / "ok"
AS_OF = dt.date(2025, 6, 1)
S = "Action Plan"

GOOD = {
    "Action ID": "A1",
    "Action": "Train 12 recruiting managers in inclusive recruitment by March 2026",
    "Success measure": "12 managers trained",
    "HIA": "HIA 3",
    "PSED aim": "b",
    "Owner": "Practice Manager",
    "Start date": "01/04/2025",
    "Due date": "31/03/2026",
    "Status": "In progress",
    "% complete": "10%",
}


def tuples(report, codes=None):
    return {(f.code, f.sheet, f.cell) for f in report.findings if codes is None or f.code in codes}


def check(rows, code, as_of=AS_OF):
    plan = Plan.from_records([{**GOOD, **r} for r in rows])
    return sorted((f.code, f.cell) for f in validate(plan, as_of=as_of, select=[code]).findings)


MINE = {
    "missing-column",
    "missing-recommended-column",
    "missing-action-id",
    "missing-action",
    "missing-owner",
    "duplicate-action-id",
    "missing-due-date",
    "unreadable-due-date",
    "no-fixed-due-date",
    "completed-date-in-future",
    "complete-without-completed-date",
    "pct-out-of-range",
    "complete-below-100",
    "pct-100-not-complete",
    "due-before-start",
    "unknown-status",
    "hia-out-of-range",
    "missing-hia",
    "unknown-psed-aim",
    "missing-psed-aim",
    "unreadable-value",
    "cell-error-value",
    "formula-like-text",
    "overdue",
    "due-after-national-deadline",
    "measure-not-measurable",
    "action-not-smart",
    "empty-plan",
    "hia-without-action",
    "psed-aim-without-action",
    "formula-values-used",
}


def test_codes_are_registered_kebab_case_and_documented():
    codes = {r.code for r in all_rules()}
    assert codes >= MINE
    for code in MINE:
        info = REGISTRY[code]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code)
        assert all((info.title, info.explanation, info.example))


def test_template_fixture_findings():
    report = validate(read_plan(OK / "template_filled.xlsx"), as_of=AS_OF)
    assert tuples(report, MINE - {"action-not-smart", "measure-not-measurable", "hia-without-action"}) == {
        ("overdue", S, "I6"),
        ("missing-owner", S, "G7"),
        ("no-fixed-due-date", S, "I7"),
        ("missing-psed-aim", S, "E7"),
        ("duplicate-action-id", S, "A8"),
        ("due-before-start", S, "I8"),
        ("hia-out-of-range", S, "D9"),
        ("unknown-psed-aim", S, "E9"),
        ("complete-below-100", S, "K9"),
        ("complete-without-completed-date", S, "L9"),
        ("completed-date-in-future", S, "L10"),
        ("unknown-status", S, "J10"),
        ("pct-out-of-range", S, "K10"),
        ("due-after-national-deadline", S, "I10"),
        ("missing-action-id", S, "A11"),
        ("unreadable-value", S, "K11"),
        ("formula-like-text", S, "O11"),
        ("cell-error-value", S, "G12"),
        ("missing-hia", S, "D12"),
        ("missing-psed-aim", S, "E12"),
    }


def test_foreign_layout_findings():
    report = validate(read_plan(OK / "title_block.xlsx"), as_of=AS_OF)
    sheet = "EDI plan 2025-26"
    assert tuples(report, {"missing-owner", "no-fixed-due-date", "missing-hia", "overdue"}) == {
        ("missing-owner", sheet, "D9"),
        ("no-fixed-due-date", sheet, "E9"),
        ("missing-hia", sheet, "B9"),
        ("overdue", sheet, "E6"),
    }
    assert ("hia-without-action", sheet, None) in tuples(report)


def test_csv_findings_have_cells_but_no_sheet():
    report = validate(read_plan(OK / "export_cp1252.csv"), as_of=AS_OF)
    assert tuples(report, {"no-fixed-due-date"}) == {("no-fixed-due-date", None, "D3")}


@pytest.mark.parametrize(
    ("code", "rows", "expected"),
    [
        ("missing-action-id", [{"Action ID": None}], [("missing-action-id", "A2")]),
        ("missing-action", [{"Action": "  "}], [("missing-action", "B2")]),
        ("missing-owner", [{"Owner": None}, {}], [("missing-owner", "G2")]),
        ("duplicate-action-id", [{}, {"Action ID": "a1 "}], [("duplicate-action-id", "A3")]),
        ("missing-due-date", [{"Due date": None}], [("missing-due-date", "I2")]),
        (
            "unreadable-due-date",
            [{"Due date": "After the restructure"}, {"Due date": "Q4 2025/26"}, {"Due date": "TBC"}],
            [("unreadable-due-date", "I2")],
        ),
        (
            "no-fixed-due-date",
            [
                {"Due date": "TBC"},
                {"Due date": "Ongoing"},
                {"Due date": "Quarterly"},
                {"Due date": "Q4 2025/26"},
            ],
            [("no-fixed-due-date", "I2"), ("no-fixed-due-date", "I3"), ("no-fixed-due-date", "I4")],
        ),
        (
            "completed-date-in-future",
            [{"Completed date": "02/06/2025"}, {"Completed date": "01/06/2025"}],
            [("completed-date-in-future", "L2")],
        ),
        (
            "complete-without-completed-date",
            [{"Status": "Done"}, {"Status": "Done", "Completed date": "1/5/25"}],
            [("complete-without-completed-date", "L2")],
        ),
        (
            "pct-out-of-range",
            [{"% complete": "150%"}, {"% complete": -5}, {"% complete": "100"}],
            [("pct-out-of-range", "K2"), ("pct-out-of-range", "K3")],
        ),
        ("complete-below-100", [{"Status": "Complete", "% complete": 0.6}], [("complete-below-100", "K2")]),
        (
            "pct-100-not-complete",
            [{"% complete": "100%"}, {"% complete": 1, "Status": "Cancelled"}],
            [("pct-100-not-complete", "J2")],
        ),
        ("due-before-start", [{"Start date": "01/05/2026"}], [("due-before-start", "I2")]),
        ("unknown-status", [{"Status": "Nearly"}, {"Status": "on track"}], [("unknown-status", "J2")]),
        ("hia-out-of-range", [{"HIA": "HIA 1 & 7"}, {"HIA": "6"}], [("hia-out-of-range", "D2")]),
        ("missing-hia", [{"HIA": None}, {"HIA": "n/a"}], [("missing-hia", "D2"), ("missing-hia", "D3")]),
        ("unknown-psed-aim", [{"PSED aim": "a; z"}], [("unknown-psed-aim", "E2")]),
        ("missing-psed-aim", [{"PSED aim": None}], [("missing-psed-aim", "E2")]),
        (
            "unreadable-value",
            [{"Start date": "soon", "% complete": "half", "HIA": "leadership"}],
            [("unreadable-value", "D2"), ("unreadable-value", "H2"), ("unreadable-value", "K2")],
        ),
        (
            "cell-error-value",
            [{"Owner": "#REF!", "Due date": "#N/A"}],
            [("cell-error-value", "G2"), ("cell-error-value", "I2")],
        ),
        ("formula-like-text", [{"Action": "=1+1"}, {"Action": "- a bullet"}], [("formula-like-text", "B2")]),
        (
            "overdue",
            [{"Due date": "31/05/2025"}, {"Due date": "31/05/2025", "Status": "Done"}],
            [("overdue", "I2")],
        ),
        (
            "due-after-national-deadline",
            # HIA 3's last national deadline (end of 2026) is still ahead; HIA 1's (March 2025) passed
            [{"HIA": "HIA 3", "Due date": "31/01/2027"}, {"HIA": "HIA 1", "Due date": "30/06/2025"}],
            [("due-after-national-deadline", "I2")],
        ),
        (
            "measure-not-measurable",
            [{"Success measure": "Better culture"}],
            [("measure-not-measurable", "C2")],
        ),
        (
            "action-not-smart",
            [{"Action": "Promote inclusion", "Success measure": None, "Due date": None}],
            [("action-not-smart", "B2")],
        ),
    ],
)
def test_rule(code, rows, expected):
    assert check(rows, code) == sorted(expected)


def test_good_row_has_no_row_findings():
    report = validate(Plan.from_records([GOOD]), as_of=AS_OF)
    assert {f.code for f in report.findings if f.row is not None and f.code in MINE} == set()


def test_due_after_national_deadline_names_the_deadline():
    from edi_workbook.reference import load

    plan = Plan.from_records([{**GOOD, "HIA": "HIA 3", "Due date": "31/01/2027"}])
    (f,) = validate(plan, as_of=AS_OF, select="due-after-national-deadline").findings
    assert load().deadlines_for(3)[-1].wording in f.message


def test_unreadable_due_date_quotes_what_was_typed():
    plan = Plan.from_records([{**GOOD, "Due date": "After the restructure"}])
    (f,) = validate(plan, as_of=AS_OF, select="unreadable-due-date").findings
    assert '"After the restructure"' in f.message


def test_no_fixed_due_date_is_a_warning_and_grey():
    """Issue 12: Ongoing, TBC, Annually... are no error: a warning, and RAG Grey."""
    from edi_workbook import rag

    plan = Plan.from_records([{**GOOD, "Due date": "TBC"}])
    findings = validate(plan, as_of=AS_OF).findings
    (f,) = [x for x in findings if x.code == "no-fixed-due-date"]
    assert f.severity.value == "warning"
    assert '"TBC"' in f.message
    assert [x.code for x in findings if x.severity.value == "error"] == []
    assert rag(plan, as_of=AS_OF).frame["rag"].tolist() == ["Grey"]


def test_unknown_status_names_the_allowed_ones():
    from edi_workbook.reference import load

    (f,) = validate(
        Plan.from_records([{**GOOD, "Status": "Meh"}]), as_of=AS_OF, select="unknown-status"
    ).findings
    assert all(name in f.message for name in load().status_names)


def test_plan_level_rules():
    plan = Plan.from_records([{**GOOD, "HIA": "HIA 1; HIA 2", "PSED aim": "a, b", "Due date": "1/3/2025"}])
    got = {(f.code, f.cell) for f in validate(plan, as_of=AS_OF).findings if f.row is None and f.code in MINE}
    assert got == {
        ("hia-without-action", None),
        ("psed-aim-without-action", None),
    }
    hias = [f.message for f in validate(plan, as_of=AS_OF, select="hia-without-action").findings]
    assert [m.split("(")[0] for m in hias] == [f"No action addresses HIA {n} " for n in (3, 4, 5, 6)]
    empty = validate(Plan.from_records([]), as_of=AS_OF)
    assert [(f.code, f.severity.value) for f in empty.findings] == [("empty-plan", "error")]


def test_missing_columns_of_a_foreign_plan():
    import pandas as pd

    raw = pd.DataFrame({"action_id": ["X1"], "action": ["Train 5 people by May 2026"]})
    plan = Plan.from_raw(
        raw,
        rows=[2],
        column_letters={"action_id": "A", "action": "B"},
        sheet="S",
        column_map={"action_id": "Ref", "action": "Action"},
    )
    got = {(f.code, f.severity.value, f.column) for f in validate(plan, as_of=AS_OF).findings}
    assert ("missing-column", "error", None) in got
    assert not any(code in {"missing-owner", "missing-due-date", "missing-hia"} for code, _, _ in got)
    codes = ["missing-column", "missing-recommended-column"]
    found = [(f.code, f.message.split("'")[1]) for f in validate(plan, as_of=AS_OF, select=codes).findings]
    assert sorted(found) == [
        ("missing-column", "Due date"),
        ("missing-column", "Owner"),
        ("missing-recommended-column", "HIA"),
        ("missing-recommended-column", "PSED aim"),
        ("missing-recommended-column", "Status"),
    ]


def test_formula_columns_other_than_rag_are_reported_once_per_column():
    report = validate(read_plan(OK / "formulas_errors.xlsx"), as_of=AS_OF, select="formula-values-used")
    assert {(f.code, f.sheet, f.cell, f.column) for f in report.findings} == {
        ("formula-values-used", "Plan", None, "Action"),
        ("formula-values-used", "Plan", None, "Owner"),
        ("formula-values-used", "Plan", None, "% complete"),
    }
    template = validate(read_plan(OK / "template_filled.xlsx"), as_of=AS_OF, select="formula-values-used")
    assert template.findings == []  # RAG and Days to due are formulas by design
