"""What goes into a calendar: items, reminder days, stable keys (edi_workbook.calendar.items)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from edi_workbook import workdays
from edi_workbook.calendar.ics import plan_items
from edi_workbook.calendar.items import clean_text, reminder_days_for, short_text
from tests.calendar.support import AS_OF, RECORDS, sample_plan


def _by(items: list[Any]) -> dict[tuple[str | None, str], Any]:
    return {(it.action_id, it.kind): it for it in items}


def test_reminder_days_move_to_previous_working_day() -> None:
    due = dt.date(2025, 5, 6)
    got = reminder_days_for(due, (14, 1))
    assert got == [(14, dt.date(2025, 4, 22)), (1, dt.date(2025, 5, 2))]
    assert all(workdays.is_working_day(day) for _, day in got)
    # 14 days before 2025-04-04 is 2025-03-21, a Friday: unchanged. Two settings, one day: one reminder.
    assert reminder_days_for(dt.date(2025, 4, 4), (14,)) == [(14, dt.date(2025, 3, 21))]
    assert reminder_days_for(dt.date(2025, 5, 6), (2, 3, 4)) == [(4, dt.date(2025, 5, 2))]


def test_open_actions_with_due_dates_get_events_others_none() -> None:
    items = plan_items(sample_plan(), as_of=AS_OF)
    due = {it.action_id for it in items if it.kind == "due"}
    assert due == {"A1", "A3", "A4", "A7", "A8"}  # not Complete A2, Cancelled A5, undated A6
    assert {it.kind for it in items} == {"due", "reminder", "review"}


def test_earliest_reminder_on_event_further_ones_as_reminder_events() -> None:
    by = _by(plan_items(sample_plan(), as_of=AS_OF))
    assert by[("A1", "due")].alarm == dt.date(2025, 3, 17)
    assert (by[("A1", "reminder")].day, by[("A1", "reminder")].alarm) == (dt.date(2025, 3, 28),) * 2
    assert (by[("A3", "reminder")].day, by[("A3", "due")].alarm) == (
        dt.date(2025, 5, 2),
        dt.date(2025, 4, 22),
    )
    single = _by(plan_items(sample_plan(), as_of=AS_OF, single_alarm=True))
    assert ("A1", "reminder") not in single
    assert single[("A1", "due")].alarm == dt.date(2025, 3, 17)


def test_alarms_before_as_of_are_dropped_but_items_stay() -> None:
    by = _by(plan_items(sample_plan(), as_of=AS_OF))
    assert by[("A7", "due")].alarm is None  # overdue: its reminders have passed
    assert by[("A8", "due")].alarm is None  # 14 days before 20 Jan is before 15 Jan
    assert by[("A8", "reminder")].alarm == dt.date(2025, 1, 17)  # Sunday 19th -> Friday 17th


def test_uids_stable_across_row_order_and_exports() -> None:
    a = {(it.action_id, it.kind): it.uid for it in plan_items(sample_plan(), as_of=AS_OF)}
    b = {(it.action_id, it.kind): it.uid for it in plan_items(sample_plan(RECORDS[::-1]), as_of=AS_OF)}
    later = {(it.action_id, it.kind): it.uid for it in plan_items(sample_plan(), as_of=dt.date(2025, 3, 1))}
    assert a == b
    assert {k: later[k] for k in later if k in a} == {k: a[k] for k in later if k in a}
    assert len(set(a.values())) == len(a)
    other = {
        (it.action_id, it.kind): it.uid for it in plan_items(sample_plan(org="Other Trust"), as_of=AS_OF)
    }
    assert not set(other.values()) & set(a.values())


def test_repeated_and_missing_action_ids_still_get_distinct_uids() -> None:
    recs = [
        {"Action ID": "X1", "Action": "one", "Due date": "2025-03-03"},
        {"Action ID": "X1", "Action": "two", "Due date": "2025-03-04"},
        {"Action": "no id", "Due date": "2025-03-05"},
    ]
    items = [it for it in plan_items(sample_plan(recs), as_of=AS_OF, alarm_days=()) if it.kind == "due"]
    assert len({it.uid for it in items}) == 3


def test_include_complete_and_starts_and_national() -> None:
    by = _by(
        plan_items(sample_plan(), as_of=AS_OF, include_complete=True, include_starts=True, national=True)
    )
    assert by[("A2", "due")].alarm is None
    assert by[("A2", "due")].summary.startswith("Done A2")
    assert by[("A1", "start")].day == dt.date(2025, 1, 1)
    national = [it for it in plan_items(sample_plan(), as_of=AS_OF, national=True) if it.kind == "national"]
    from edi_workbook.deadlines import entries, span_end

    expected = [e for e in entries(AS_OF) if e.date < span_end(AS_OF)]
    assert sorted(it.day for it in national) == sorted(e.date for e in expected)
    assert {e.kind for e in expected} == {"annual", "hia"}  # January 2025: both kinds ahead
    unverified = sum(not e.verified for e in expected)
    assert sum("not verified" in it.summary for it in national) == unverified > 0


def test_national_items_one_per_instance_with_stable_uids() -> None:
    """Issue 16: one event per instance of the next 12 months; the same instance keeps its UID."""
    import datetime as dt

    def national(as_of: dt.date) -> dict[str, tuple[dt.date, str]]:
        items = plan_items(sample_plan(), as_of=as_of, national=True, include_review=False)
        return {it.key.split("|")[-1]: (it.day, it.uid) for it in items if it.kind == "national"}

    nov, jan = national(dt.date(2026, 11, 28)), national(dt.date(2027, 1, 10))
    assert "gender-pay-gap-2027" in nov
    assert nov["gender-pay-gap-2027"] == jan["gender-pay-gap-2027"]  # same day, same UID
    assert "staff-survey-fieldwork-2026" in nov
    assert "staff-survey-fieldwork-2026" not in jan  # passed
    assert len({uid for _, uid in nov.values()}) == len(nov)
    assert all(dt.date(2026, 11, 28) <= day < dt.date(2027, 11, 28) for day, _ in nov.values())
    desc = next(
        it.description
        for it in plan_items(sample_plan(), as_of=dt.date(2026, 11, 28), national=True)
        if it.key.endswith("|wres-report-2027")
    )
    assert desc.startswith("WRES report and action plan published (date not verified).")
    assert "Source: https://" in desc


def test_titles_read_well_in_a_month_view() -> None:
    by = _by(plan_items(sample_plan(), as_of=AS_OF))
    assert by[("A1", "due")].summary == "A1: Publish the gender pay gap report, with… (Jo Bloggs)"
    assert by[("A1", "reminder")].summary.startswith("Reminder: A1 due Mon 31 Mar: ")
    assert by[("A8", "reminder")].summary.startswith("Reminder: A8 due Mon 20 Jan: ")
    assert "\n" not in by[("A4", "due")].summary
    assert by[("A1", "due")].categories == ("HIA 3", by[("A1", "due")].categories[-1])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("short", "short"),
        ("a\r\nb\rc\u2028d", "a b c d"),
        ("word " * 20, "word word word word word word word word word…"),
        ("x" * 60, "x" * 47 + "…"),
    ],
)
def test_short_text(text: str, expected: str) -> None:
    assert short_text(text) == expected


def test_clean_text_keeps_newlines_drops_controls() -> None:
    assert clean_text("a\r\nb\x00c\x1bd\u2029e\t") == "a\nbcd\ne"
    assert clean_text(None) == ""
    assert clean_text(float("nan")) == ""
