"""The .ics export, read back by two independent parsers (icalendar and vobject), and golden files."""

from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from pathlib import Path

import icalendar
import pytest
import vobject

from edi_workbook import calendar
from edi_workbook.calendar import ics as reminders
from edi_workbook.errors import UsageError
from tests.calendar.support import AS_OF, RECORDS, STAMP, sample_plan
from tests.paths import ROOT, TESTS

GOLDEN = TESTS / "golden" / "calendar"
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))


def _ics(**kw: object) -> bytes:
    kw.setdefault("as_of", AS_OF)
    kw.setdefault("dtstamp", STAMP)
    return reminders.to_ics(kw.pop("plan", None) or sample_plan(), **kw)  # type: ignore[arg-type]


def _events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def _kinds(data: bytes) -> dict[tuple[str, str], icalendar.Event]:
    """(action id from the summary, kind) -> event."""
    out = {}
    for e in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        m = re.search(r"\b(A\d)\b", str(e["summary"]))
        out[(m.group(1) if m else str(e["summary"]), str(e["x-edi-workbook-kind"]))] = e
    return out


def test_calendar_properties_and_line_format() -> None:
    data = _ics()
    cal = icalendar.Calendar.from_ical(data)
    got = {k: str(cal[k]) for k in ("version", "prodid", "method", "calscale", "x-wr-calname")}
    assert got == {
        "version": "2.0",
        "prodid": reminders.PRODID,
        "method": "PUBLISH",
        "calscale": "GREGORIAN",
        "x-wr-calname": "EDI action plan – Example NHS Trust",
    }
    assert not cal.walk("VTIMEZONE")
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75  # RFC 5545 3.1: lines of at most 75 octets
    assert any(line.startswith(b" ") for line in lines)  # long ones were folded


def test_every_event_is_all_day_with_exclusive_end_and_outlook_habits() -> None:
    events = _events(_ics(national=True, include_starts=True))
    assert len(events) > 10
    for e in events.values():
        start, end = e.decoded("dtstart"), e.decoded("dtend")
        assert type(start) is dt.date
        assert type(end) is dt.date
        assert end - start == dt.timedelta(days=1)
        assert e["dtstart"].params.get("VALUE") == "DATE"
        assert e.decoded("dtstamp") == STAMP
        props = {
            k: str(e[k]) for k in ("transp", "x-microsoft-cdo-alldayevent", "x-microsoft-cdo-busystatus")
        }
        assert props == {"transp": "TRANSPARENT", "x-microsoft-cdo-alldayevent": "TRUE",
                         "x-microsoft-cdo-busystatus": "FREE"}  # fmt: skip
        assert len(e.walk("VALARM")) <= 1  # Outlook keeps one


def _raw(event: icalendar.Event) -> bytes:
    """The event's lines exactly as written in the export (not as icalendar would rewrite them)."""
    data = _ics()
    start = data.index(b"UID:" + str(event["uid"]).encode())
    return data[data.rindex(b"BEGIN:VEVENT", 0, start) : data.index(b"END:VEVENT", start)]


def _ring_time(event: icalendar.Event) -> dt.datetime:
    """When the event's alarm rings, in UTC, computed from what the file says."""
    (alarm,) = event.walk("VALARM")
    trigger = alarm.decoded("trigger")
    if isinstance(trigger, dt.timedelta):  # exact hours from 00:00 London time (RFC 5545 3.3.6)
        london = zoneinfo.ZoneInfo("Europe/London")
        start = dt.datetime.combine(event.decoded("dtstart"), dt.time(), tzinfo=london)
        return start.astimezone(dt.UTC) + trigger
    return trigger.astimezone(dt.UTC)


def test_alarms_ring_at_nine_local_time_on_the_right_working_day() -> None:
    by = _kinds(_ics())
    london = zoneinfo.ZoneInfo("Europe/London")
    want = {
        ("A1", "due"): dt.date(2025, 3, 17),  # 14 days before Mon 31 March
        ("A1", "reminder"): dt.date(2025, 3, 28),  # Sun 30 March -> Fri 28 (GMT)
        ("A3", "due"): dt.date(2025, 4, 22),
        ("A3", "reminder"): dt.date(2025, 5, 2),  # Mon 5 May bank holiday -> Fri 2 May (BST)
    }
    for key, day in want.items():
        assert _ring_time(by[key]) == dt.datetime.combine(day, dt.time(9), tzinfo=london).astimezone(dt.UTC)
    assert b"TRIGGER:-PT326H\r\n" in _raw(by[("A1", "due")])  # 14 days less 9 hours, less BST's hour
    assert b"TRIGGER:-PT327H\r\n" in _raw(by[("A3", "due")])  # no clock change in between
    (alarm,) = by[("A1", "due")].walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert str(alarm["description"])
    (alarm,) = by[("A3", "reminder")].walk("VALARM")
    assert alarm["trigger"].params["VALUE"] == "DATE-TIME"
    assert not by[("A7", "due")].walk("VALARM")  # overdue: no alarm that would ring at once


def test_vobject_reads_the_same_calendar() -> None:
    data = _ics(national=True, include_starts=True)
    cal = vobject.readOne(data.decode("utf-8"))
    by_uid = _events(data)
    assert len(cal.vevent_list) == len(by_uid)
    for ev in cal.vevent_list:
        mine = by_uid[ev.uid.value]
        assert ev.summary.value == str(mine["summary"])
        assert ev.description.value == str(mine["description"])
        assert ev.dtstart.value == mine.decoded("dtstart")
        assert ev.dtend.value == mine.decoded("dtend")
        if hasattr(ev, "valarm"):
            assert ev.valarm.trigger.value == mine.walk("VALARM")[0].decoded("trigger")
    assert cal.method.value == "PUBLISH"


def test_hostile_text_survives_and_injects_nothing() -> None:
    data = _ics()
    cal = vobject.readOne(data.decode("utf-8"))
    (a4,) = [ev for ev in cal.vevent_list if ev.summary.value.startswith("A4")]
    assert a4.description.value.startswith(f"Action: {RECORDS[3]['Action']}\n")
    assert "Owner: @ Dr Zoë O'Neill" in a4.description.value
    assert not any("X-INJECTED" in line.upper().split(":")[0] for line in data.decode().split("\r\n"))
    assert [ev.name for ev in cal.getChildren()].count("VEVENT") == len(_events(data))


def test_backslashes_survive_icalendar_would_turn_backslash_n_into_a_newline() -> None:
    text = "Update C:\\New folder\\notes.docx and \\\\server\\Network\\; then \\n, \\, done"
    recs = [{"Action ID": "B1", "Action": text, "Owner": "IT", "Due date": "2025-03-05"}]
    data = _ics(plan=sample_plan(recs))
    assert b"C:\\\\New folder" in data
    ours = [str(e["description"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]
    theirs = [
        e.description.value for e in vobject.readOne(data.decode()).vevent_list if e.summary.value[0] == "B"
    ]
    for desc in [*ours[:1], *theirs]:
        assert desc.startswith(f"Action: {text}\nSuccess measure:")


def test_categories_carry_hias_and_rag() -> None:
    by = _kinds(_ics())
    cats = by[("A3", "due")]["categories"].cats
    assert cats[0] == "HIA 2"
    assert len(cats) == 2
    assert cats[1].startswith("RAG ")


def test_same_plan_same_bytes_and_uids_independent_of_row_order() -> None:
    assert _ics() == _ics()
    shuffled = _events(_ics(plan=sample_plan(RECORDS[::-1])))
    assert set(shuffled) == set(_events(_ics()))


def test_sequence_rises_only_for_changed_events() -> None:
    first = _ics()
    again = _events(_ics(previous=first))
    assert {int(e["sequence"]) for e in again.values()} == {0}
    changed = [dict(r) for r in RECORDS]
    changed[0]["Action"] = "Publish the gender pay gap report and the action plan"
    second = _ics(plan=sample_plan(changed), previous=first)
    seq = {(k, int(e["sequence"])) for k, e in _kinds(second).items()}
    assert (("A1", "due"), 1) in seq
    assert (("A1", "reminder"), 1) in seq
    assert (("A3", "due"), 0) in seq
    later = STAMP + dt.timedelta(days=1)
    third = _kinds(_ics(plan=sample_plan(changed), previous=second, dtstamp=later))
    assert int(third[("A1", "due")]["sequence"]) == 1
    assert {e.decoded("dtstamp") for e in third.values()} == {STAMP}  # unchanged: DTSTAMP kept
    fourth = _kinds(_ics(plan=sample_plan(RECORDS), previous=second, dtstamp=later))
    assert (fourth[("A1", "due")].decoded("dtstamp"), fourth[("A3", "due")].decoded("dtstamp")) == (
        later,
        STAMP,
    )


def test_completed_and_removed_actions_are_cancelled_with_previous() -> None:
    first = _ics()
    later = [dict(r) for r in RECORDS if r["Action ID"] != "A4"]  # A4 removed
    later[0]["Status"] = "Complete"  # A1 done
    second = _ics(plan=sample_plan(later), previous=first)
    before, after = _events(first), _events(second)
    assert set(after) == set(before)
    cancelled = {uid for uid, e in after.items() if str(e["status"]) == "CANCELLED"}
    gone = {uid for uid, e in before.items() if re.search(r"\bA[14]\b", str(e["summary"]))}
    assert cancelled == gone
    for uid in cancelled:
        assert int(after[uid]["sequence"]) == int(before[uid]["sequence"]) + 1
        assert not after[uid].walk("VALARM")
        assert after[uid].decoded("dtstart") == before[uid].decoded("dtstart")
    third = _events(_ics(plan=sample_plan(later), previous=second, dtstamp=STAMP + dt.timedelta(days=1)))
    assert {uid: int(third[uid]["sequence"]) for uid in cancelled} == dict.fromkeys(cancelled, 1)
    assert {third[uid].decoded("dtstamp") for uid in cancelled} == {STAMP}
    assert _events(_ics(plan=sample_plan(later)))  # without previous: no cancellations
    assert not {
        u for u, e in _events(_ics(plan=sample_plan(later))).items() if str(e["status"]) == "CANCELLED"
    }


def test_previous_from_elsewhere_is_ignored_and_garbage_refused() -> None:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x", "BEGIN:VEVENT", "UID:1@else", "DTSTART:20250101"]
    foreign = "\r\n".join([*lines, "END:VEVENT", "END:VCALENDAR", ""]).encode()
    assert "1@else" not in _events(_ics(previous=foreign))
    with pytest.raises(UsageError):
        _ics(previous=b"\x00\x01 not a calendar")


def test_single_alarm_has_no_reminder_events() -> None:
    kinds = {str(e["x-edi-workbook-kind"]) for e in _events(_ics(single_alarm=True)).values()}
    assert kinds == {"due", "review"}


def _golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        assert not os.environ.get("CI"), f"golden file {name} was missing under CI"
    assert data == path.read_bytes(), f"{name} changed; rerun with UPDATE_GOLDEN=1 if intended"


def test_golden_sample_plan() -> None:
    _golden("sample.ics", _ics(national=True, include_starts=True))


def test_golden_sample_plan_csv() -> None:
    csv_text = reminders.to_outlook_csv(sample_plan(), as_of=AS_OF)
    _golden("sample.csv", csv_text.encode("utf-8"))


def test_by_owner_writes_one_safe_file_per_owner(tmp_path: Path) -> None:
    paths = calendar.by_owner(sample_plan(), tmp_path, as_of=AS_OF, dtstamp=STAMP)
    names = [p.name for p in paths]
    assert names[-1] == "no-owner.ics"
    assert len(names) == len(set(names))
    assert set(names) == {"chief-people-officer.ics", "dr-zoe-o-neill.ics", "jo-bloggs.ics", "sam-smith.ics",
                          "no-owner.ics"}  # fmt: skip
    jo = icalendar.Calendar.from_ical((tmp_path / "jo-bloggs.ics").read_bytes())
    assert str(jo["x-wr-calname"]).endswith("– Jo Bloggs")
    assert {re.search(r"\bA\d\b", str(e["summary"])).group() for e in jo.walk("VEVENT")} == {"A1", "A3"}
    # a second run reads the files already there as the previous export
    later = [dict(r) for r in RECORDS if r["Action ID"] != "A3"]
    calendar.by_owner(sample_plan(later), tmp_path, as_of=AS_OF, dtstamp=STAMP)
    jo = icalendar.Calendar.from_ical((tmp_path / "jo-bloggs.ics").read_bytes())
    status = {re.search(r"\bA\d\b", str(e["summary"])).group(): str(e["status"]) for e in jo.walk("VEVENT")}
    assert status == {"A1": "CONFIRMED", "A3": "CANCELLED"}
    # an owner with no events left: their file is rewritten with every event cancelled
    (tmp_path / "notes.ics").write_bytes(b"BEGIN:VCALENDAR\r\nPRODID:someone else\r\nEND:VCALENDAR\r\n")
    gone = calendar.by_owner(sample_plan([r for r in later if r.get("Owner") != "Sam Smith"]), tmp_path,
                              as_of=AS_OF, dtstamp=STAMP)  # fmt: skip
    assert tmp_path / "sam-smith.ics" in gone
    sam = icalendar.Calendar.from_ical((tmp_path / "sam-smith.ics").read_bytes()).walk("VEVENT")
    assert sam
    assert {str(e["status"]) for e in sam} == {"CANCELLED"}
    assert (tmp_path / "notes.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\nPRODID:someone else")


EXAMPLE = ROOT / "workbook_templates" / "example_action_plan.xlsx"
EXAMPLE_AS_OF = dt.date(2026, 11, 22)
EXAMPLE_STAMP = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def test_golden_example_workbook() -> None:
    """The template's example plan, read from the workbook, at a fixed as-of and DTSTAMP."""
    from edi_workbook.read import read_plan

    plan = read_plan(EXAMPLE)
    data = reminders.to_ics(plan, as_of=EXAMPLE_AS_OF, dtstamp=EXAMPLE_STAMP, national=True)
    _golden("example_action_plan.ics", data)
    _golden("example_action_plan.csv", reminders.to_outlook_csv(plan, as_of=EXAMPLE_AS_OF).encode("utf-8"))
    open_due = plan.frame[
        ~plan.frame["status"].isin(["Complete", "Cancelled"]) & plan.frame["due_date"].notna()
    ]
    kinds = [str(e["x-edi-workbook-kind"]) for e in _events(data).values()]
    assert kinds.count("due") == len(open_due)
    assert kinds.count("review") == 1


def test_public_api_names() -> None:
    import edi_workbook

    assert (edi_workbook.to_ics, edi_workbook.to_outlook_csv) == (reminders.to_ics, reminders.to_outlook_csv)


def test_renamed_workbook_changes_no_event(tmp_path: Path) -> None:
    """Issue 17: --previous after renaming the workbook bumped SEQUENCE on 53 of 55 events."""
    import shutil

    from edi_workbook.read import read_plan

    first_path = shutil.copy(EXAMPLE, tmp_path / "EDI plan 2026.xlsx")
    renamed = shutil.copy(EXAMPLE, tmp_path / "EDI plan 2026 (final, v2).xlsx")
    kw = {"as_of": EXAMPLE_AS_OF, "dtstamp": EXAMPLE_STAMP, "national": True}
    first = reminders.to_ics(read_plan(first_path), **kw)
    later = EXAMPLE_STAMP + dt.timedelta(days=1)
    again = reminders.to_ics(read_plan(renamed), previous=first, **{**kw, "dtstamp": later})
    events = _events(again)
    assert len(events) > 50
    assert {int(e["sequence"]) for e in events.values()} == {0}
    assert {e.decoded("dtstamp") for e in events.values()} == {EXAMPLE_STAMP}
    # the description still says where the action lives, under the new name
    due = next(e for e in events.values() if str(e["x-edi-workbook-kind"]) == "due")
    assert "From: EDI plan 2026 (final, v2).xlsx, 'Action Plan'!A" in str(due["description"])
    # a real change still raises SEQUENCE
    changed = read_plan(renamed)
    changed.frame.loc[1, "action"] = "Something else entirely"  # EDI-02, open
    bumped = _events(reminders.to_ics(changed, previous=first, **{**kw, "dtstamp": later}))
    assert max(int(e["sequence"]) for e in bumped.values()) == 1


def test_passed_national_deadline_stays_as_it_was_not_cancelled():
    """Issue 16: a national instance leaves the export once its date passes; a subscriber's calendar
    keeps it as it was (the next export rewrites it unchanged) instead of showing it cancelled."""
    import datetime as dt

    first = reminders.to_ics(sample_plan(), as_of=dt.date(2026, 11, 28), dtstamp=STAMP, national=True)
    later = reminders.to_ics(
        sample_plan(), as_of=dt.date(2026, 12, 15), dtstamp=STAMP, national=True, previous=first
    )
    old, new = _events(first), _events(later)
    fieldwork = next(u for u, e in old.items() if "Staff Survey fieldwork" in str(e["summary"]))
    assert old[fieldwork].decoded("dtstart") == dt.date(2026, 11, 30)
    assert str(new[fieldwork]["status"]) == "CONFIRMED"
    assert int(new[fieldwork]["sequence"]) == int(old[fieldwork]["sequence"])
    assert str(new[fieldwork]["summary"]) == str(old[fieldwork]["summary"])
    assert not any(str(e["summary"]).startswith("Cancelled: National") for e in new.values())
