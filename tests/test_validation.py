"""The validation report: counts, order, select/ignore, as-of, JSON and DataFrame forms."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_workbook import read_plan, validate
from edi_workbook.errors import UsageError
from edi_workbook.findings import Finding
from edi_workbook.plan import KEYS, Plan, Settings
from edi_workbook.values import is_blank, is_excel_error, is_no_fixed_date

OK = Path(__file__).parent / "fixtures" / "read" / "ok"
AS_OF = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def report():
    return validate(read_plan(OK / "template_filled.xlsx"), as_of=AS_OF)


def test_counts_and_ok(report):
    assert report.errors == sum(f.severity.value == "error" for f in report.findings) > 0
    assert report.warnings == sum(f.severity.value == "warning" for f in report.findings) > 0
    assert report.ok is False
    assert report.as_of == AS_OF


def test_findings_are_sorted(report):
    assert report.findings == sorted(report.findings, key=Finding.sort_key)
    rows = [f.row for f in report.findings]
    first_plan_level = rows.index(None)
    assert all(r is None for r in rows[first_plan_level:])


def test_to_dict_and_json(report):
    d = report.to_dict()
    assert (d["actions"], d["errors"], d["ok"]) == (8, report.errors, False)
    assert json.loads(report.to_json()) == d


def test_to_frame(report):
    df = report.to_frame()
    assert len(df) == len(report.findings)
    assert list(df.columns) == ["severity", "code", "message", "sheet", "cell", "row", "column", "action_id"]
    assert set(df.loc[df["code"] == "missing-owner", "cell"]) == {"G7"}


def test_empty_report_frame_has_columns():
    plan = Plan.from_records([])
    df = validate(plan, as_of=AS_OF, select="overdue").to_frame()
    assert df.empty
    assert "cell" in df.columns


def test_select_and_ignore(report):
    plan = report.plan
    only = validate(plan, as_of=AS_OF, select=["overdue", "missing-owner"])
    assert {f.code for f in only.findings} == {"overdue", "missing-owner"}
    without = validate(plan, as_of=AS_OF, ignore="overdue")
    assert "overdue" not in {f.code for f in without.findings}
    assert len(without.findings) == len(report.findings) - sum(f.code == "overdue" for f in report.findings)
    with pytest.raises(UsageError, match="bogus"):
        validate(plan, select=["bogus"])


def test_as_of_comes_from_the_plan_settings_when_not_given():
    plan = read_plan(OK / "template_filled.xlsx")
    assert validate(plan).as_of == dt.date(2025, 6, 1)  # the workbook's AsOfDate
    later = Plan.from_records([{"Action ID": "A1", "Due date": "01/01/2030"}], settings=Settings(as_of=None))
    assert validate(later).as_of == dt.date.today()


def test_overdue_depends_on_as_of():
    plan = Plan.from_records([{"Action ID": "A1", "Due date": "31/05/2025", "Status": "In progress"}])
    assert [f.cell for f in validate(plan, as_of=AS_OF, select="overdue").findings] == ["I2"]
    assert validate(plan, as_of=dt.date(2025, 5, 31), select="overdue").findings == []


def test_bad_data_never_raises():
    weird = [
        {
            "Action ID": 3.0,
            "Action": 12345,
            "HIA": True,
            "PSED aim": 7,
            "% complete": float("inf"),
            "Due date": -4,
            "Start date": dt.datetime(2025, 1, 1, 12),
            "Status": 0,
            "Owner": "=A1",
        },
    ]
    report = validate(Plan.from_records(weird), as_of=AS_OF)
    assert report.errors > 0


_CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
    st.sampled_from(["#REF!", "TBC", "=1+1", "HIA 9", "Q4 2024/25", "50%", "Done", "a; z", " "]),
)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.fixed_dictionaries(dict.fromkeys(KEYS, _CELL)), max_size=6))
def test_any_cell_values_give_findings_never_exceptions(records):
    """Whatever is typed, validation returns a report, and a non-blank date it cannot read is reported."""
    plan = Plan.from_records(records)
    report = validate(plan, as_of=AS_OF)
    flagged = {(f.code, f.cell) for f in report.findings}
    for i in range(len(plan)):
        raw, parsed = plan.raw.loc[i, "due_date"], plan.frame.loc[i, "due_date"]
        if not is_blank(raw) and parsed != parsed and not is_excel_error(raw):
            code = "no-fixed-due-date" if is_no_fixed_date(raw) else "unreadable-due-date"
            assert (code, plan.cell(i, "due_date")) in flagged
        if is_excel_error(raw):
            assert ("cell-error-value", plan.cell(i, "due_date")) in flagged


def test_finding_to_dict_is_asdict_with_the_severity_as_text(report):
    """Finding.to_dict is written out for speed (issue 18); it must say what asdict said, in order."""
    from dataclasses import asdict

    assert report.findings
    for f in report.findings:
        expected = asdict(f)
        expected["severity"] = f.severity.value
        assert f.to_dict() == expected
        assert list(f.to_dict()) == list(expected)
        assert type(f.to_dict()["severity"]) is str
