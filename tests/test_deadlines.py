"""National HIA deadlines: status against as-of, working-day flags, the plan check and its rule."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from edi_workbook import reference, workdays
from edi_workbook.deadlines import DUE_SOON, PASSED, UPCOMING, national_deadlines, plan_vs_national
from edi_workbook.errors import EdiWorkbookError
from edi_workbook.plan import Plan, Settings
from edi_workbook.validation import validate

REF = reference.load()


def test_every_reference_deadline_once_in_date_order():
    out = national_deadlines(dt.date(2025, 1, 1))
    assert sorted(d.deadline.id for d in out) == sorted(d.id for d in REF.national_deadlines)
    dates = [d.deadline.date for d in out]
    assert dates == sorted(dates)


@pytest.mark.parametrize(
    ("offset", "status"),
    [(-1, PASSED), (0, DUE_SOON), (30, DUE_SOON), (31, UPCOMING)],
)
def test_status_boundaries(offset, status):
    target = REF.national_deadlines[0]
    as_of = target.date - dt.timedelta(days=offset)
    got = {d.deadline.id: d for d in national_deadlines(as_of)}[target.id]
    assert (got.status, got.days_remaining) == (status, offset)


def test_soon_window_can_be_changed():
    target = REF.national_deadlines[0]
    as_of = target.date - dt.timedelta(days=10)
    statuses = {d.deadline.id: d.status for d in national_deadlines(as_of, soon_days=5)}
    assert statuses[target.id] == UPCOMING


def test_weekend_and_bank_holiday_flags_match_workdays():
    for d in national_deadlines(dt.date(2024, 1, 1)):
        day = d.deadline.date
        assert (d.non_working_day is None) == workdays.is_working_day(day)
        assert d.previous_working_day == workdays.previous_working_day(day)
        assert d.previous_working_day <= day
    sunday = [d for d in national_deadlines(dt.date(2024, 1, 1)) if d.deadline.date == dt.date(2024, 3, 31)]
    assert sunday
    # 31 March 2024 was a Sunday and 29 March Good Friday, so reminders move to Thursday 28 March
    assert {(d.non_working_day, d.previous_working_day) for d in sunday} == {("Sunday", dt.date(2024, 3, 28))}


def test_working_days_remaining_sign_and_size():
    for d in national_deadlines(dt.date(2024, 6, 1)):
        assert abs(d.working_days_remaining) <= abs(d.days_remaining)
        assert d.working_days_remaining * d.days_remaining >= 0


def test_to_dict_is_flat_and_json_ready():
    d = national_deadlines(dt.date(2024, 6, 1))[0].to_dict()
    assert {"id", "hia", "date", "wording", "status", "days_remaining", "verified", "non_working_day"} <= set(
        d
    )
    assert isinstance(d["date"], str)


def _hia_deadlines(hia: int) -> tuple[reference.NationalDeadline, ...]:
    return REF.deadlines_for(hia)


def _plan(rows) -> Plan:
    return Plan.from_records(
        [
            {"Action ID": aid, "HIA": hia, "Due date": due, "Status": status, "Completed date": done}
            for aid, hia, due, status, done in rows
        ],
        settings=Settings(as_of=dt.date(2024, 1, 15)),
    )


def test_plan_vs_national_finds_the_last_action_per_hia():
    first, *_, last = _hia_deadlines(2)
    late = first.date + dt.timedelta(days=40)
    plan = _plan(
        [
            ("A1", "HIA 2", first.date - dt.timedelta(days=10), "In progress", None),
            ("A2", "HIA 2; HIA 6", late, "Not started", None),
            ("A3", "HIA 2", late + dt.timedelta(days=400), "Cancelled", None),  # cancelled: ignored
            ("A4", "HIA 1", None, "Complete", _hia_deadlines(1)[0].date - dt.timedelta(days=1)),
        ]
    )
    checks = {c.deadline.deadline.id: c for c in plan_vs_national(plan)}
    c = checks[first.id]
    assert (c.action_ids, c.last_date, c.after, c.days_after) == (("A1", "A2"), late, True, 40)
    assert checks[last.id].after is False
    hia1 = checks[_hia_deadlines(1)[0].id]
    assert (hia1.action_ids, hia1.after) == (("A4",), False)  # completed date counts when complete
    assert checks[_hia_deadlines(4)[0].id].action_ids == ()


def test_rule_reports_earlier_deadlines_once_each_and_leaves_the_latest_to_the_action_rule():
    hia2 = _hia_deadlines(2)
    after_all = hia2[-1].date + dt.timedelta(days=30)
    plan = _plan([("A1", "HIA 2", after_all, "In progress", None)])
    codes = ["after-national-deadline", "due-after-national-deadline"]
    before_all = hia2[0].date - dt.timedelta(days=5)
    got = sorted(
        (f.code, f.severity.value, f.cell) for f in validate(plan, as_of=before_all, select=codes).findings
    )
    assert got == [
        ("after-national-deadline", "warning", None),  # hia2[0]
        ("after-national-deadline", "warning", None),  # hia2[1]
        ("due-after-national-deadline", "warning", "I2"),  # hia2[-1], per action
    ]
    assert len(hia2) == 3
    # once the first deadline has passed it is history: only the second is still reported
    between = hia2[1].date - dt.timedelta(days=5)
    later = [f.code for f in validate(plan, as_of=between, select=codes[:1]).findings]
    assert later == ["after-national-deadline"]


def test_rule_is_silent_when_the_plan_finishes_in_time():
    first = _hia_deadlines(3)[0]
    plan = _plan([("A1", "HIA 3", first.date, "In progress", None)])
    report = validate(plan, as_of=dt.date(2024, 1, 1), select=["after-national-deadline"])
    assert report.findings == []


def _after_national_from_plan_vs_national(plan, as_of):
    """The rule ``after-national-deadline`` as it was written over plan_vs_national (the slow path)."""
    from edi_workbook.deadlines import latest_by_hia

    latest_of = latest_by_hia()
    out = []
    for c in plan_vs_national(plan, as_of=as_of):
        nd = c.deadline.deadline
        if c.deadline.status == PASSED or nd.date >= latest_of[nd.hia].date or not c.after:
            continue
        if c.last_index is None:
            continue
        who = plan.action_id(c.last_index) or f"row {plan.rows[c.last_index] or c.last_index + 1}"
        out.append((nd.id, who, c.last_date))
    return out


def _day(year: int, month: int, day: int, plus: int) -> str:
    return (dt.date(year, month, day) + dt.timedelta(days=plus)).isoformat()


def test_after_national_deadline_rule_is_plan_vs_national_on_many_plans_and_days():
    """The rule reads the columns validation already has (deadlines.actions_by_hia); it must say what
    plan_vs_national says, for every fixture and generated plans with mixed statuses and HIAs."""
    from edi_workbook.read import read_plan
    from tests.paths import ROOT

    plans = []
    for path in sorted((ROOT / "tests" / "fixtures" / "read" / "ok").iterdir()):
        with contextlib.suppress(EdiWorkbookError):
            plans.append(read_plan(path))
    statuses = ["In progress", "Complete", "Cancelled", "On hold", None]
    records = [
        {
            "Action ID": None if i % 7 == 0 else f"A{i}",
            "HIA": ["HIA 1", "HIA 2", "HIA 2, HIA 6", "HIA 3", None, "HIA 4", "HIA 5"][i % 7],
            "Status": statuses[i % 5],
            "Due date": (dt.date(2023, 1, 31) + dt.timedelta(days=37 * i)).isoformat() if i % 4 else None,
            "Completed date": (dt.date(2024, 1, 1) + dt.timedelta(days=29 * i)).isoformat()
            if i % 3
            else None,
        }
        for i in range(60)
    ]
    plans.append(Plan.from_records(records))
    seen = 0
    for plan in plans:
        for as_of in (dt.date(2023, 6, 1), dt.date(2024, 3, 1), dt.date(2025, 1, 15), dt.date(2026, 6, 1)):
            report = validate(plan, as_of=as_of, select=["after-national-deadline"])
            expected = _after_national_from_plan_vs_national(plan, as_of)
            assert len(report.findings) == len(expected)
            for f, (nd_id, who, last) in zip(report.findings, expected, strict=True):
                assert nd_id in f.message
                assert f"({who}) is due" in f.message
                assert f"{last.day} {last:%B %Y}." in f.message
            seen += len(expected)
    assert seen > 10
