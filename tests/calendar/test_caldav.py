"""The export on a real CalDAV server (Radicale on 127.0.0.1): PUT each event, read them back, compare."""

from __future__ import annotations

import urllib.parse

import icalendar

from edi_workbook.calendar import ics as reminders
from tests.caldav_server import CalDAV, radicale_server, resources
from tests.calendar.support import AS_OF, RECORDS, STAMP, sample_plan

__all__ = ["radicale_server"]  # the fixture, imported so pytest finds it here


def _summary(ev: icalendar.Event) -> tuple[object, ...]:
    alarms = [a.decoded("trigger") for a in ev.walk("VALARM")]
    cats = ev.get("categories")
    return (
        str(ev["summary"]),
        str(ev["description"]),
        ev.decoded("dtstart"),
        ev.decoded("dtend"),
        tuple(cats.cats) if cats else (),
        str(ev["status"]),
        int(ev["sequence"]),
        tuple(alarms),
    )


def _publish(server: CalDAV, collection: str, data: bytes) -> dict[str, tuple[object, ...]]:
    sent = {}
    for uid, body in resources(data).items():
        status = server.put(collection + urllib.parse.quote(uid) + ".ics", body)
        assert status in (201, 204), (uid, status)
        sent[uid] = _summary(icalendar.Calendar.from_ical(body).walk("VEVENT")[0])
    return sent


def _read_back(server: CalDAV, collection: str) -> dict[str, tuple[object, ...]]:
    got = {}
    for text in server.report(collection):
        (ev,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
        got[str(ev["uid"])] = _summary(ev)
    return got


def test_every_event_stored_and_read_back_unchanged(radicale_server: CalDAV) -> None:
    data = reminders.to_ics(sample_plan(), as_of=AS_OF, dtstamp=STAMP, national=True, include_starts=True)
    collection = radicale_server.make_calendar("edi-plan")
    sent = _publish(radicale_server, collection, data)
    assert len(sent) == data.count(b"BEGIN:VEVENT") > 20
    assert _read_back(radicale_server, collection) == sent
    uid = sorted(sent)[0]
    (ev,) = icalendar.Calendar.from_ical(
        radicale_server.get(collection + urllib.parse.quote(uid) + ".ics")
    ).walk("VEVENT")
    assert _summary(ev) == sent[uid]


def test_updates_replace_resources_with_higher_sequence(radicale_server: CalDAV) -> None:
    collection = radicale_server.make_calendar("edi-updates")
    first = reminders.to_ics(sample_plan(), as_of=AS_OF, dtstamp=STAMP)
    _publish(radicale_server, collection, first)
    later = [dict(r) for r in RECORDS]
    later[0]["Status"] = "Complete"
    later[2]["Action"] = "Talent management plan, agreed by the board"
    second = reminders.to_ics(sample_plan(later), as_of=AS_OF, dtstamp=STAMP, previous=first)
    sent = _publish(radicale_server, collection, second)
    got = _read_back(radicale_server, collection)
    assert got == sent
    assert len(got) == first.count(b"BEGIN:VEVENT")
    states = {(s[0].split(":")[0] if not s[0].startswith("Reminder") else "R " + s[0].split()[1], s[5], s[6])
              for s in got.values()}  # fmt: skip
    assert ("Cancelled", "CANCELLED", 1) in states  # A1 completed
    assert ("A3", "CONFIRMED", 1) in states  # A3 text changed
    assert ("A8", "CONFIRMED", 0) in states  # unchanged


def test_whole_calendar_as_one_resource_is_refused(radicale_server: CalDAV) -> None:
    """Why each event is its own resource: a CalDAV server refuses several UIDs in one (RFC 4791 4.1)."""
    collection = radicale_server.make_calendar("edi-refused")
    data = reminders.to_ics(sample_plan(), as_of=AS_OF, dtstamp=STAMP)
    single = icalendar.Calendar.from_ical(data)
    del single["method"]
    assert radicale_server.put(collection + "all.ics", single.to_ical()) >= 400


def test_national_deadlines_import_one_event_per_instance(radicale_server: CalDAV) -> None:
    """Issue 16: ``--national`` as of 28 November 2026, stored on a real CalDAV server and read back."""
    import datetime as dt

    from edi_workbook.deadlines import entries, span_end

    as_of = dt.date(2026, 11, 28)
    data = reminders.to_ics(sample_plan(), as_of=as_of, dtstamp=STAMP, national=True, include_review=False)
    collection = radicale_server.make_calendar("edi-national")
    sent = _publish(radicale_server, collection, data)
    got = _read_back(radicale_server, collection)
    assert got == sent
    national = [s for s in got.values() if "National deadline" in s[4]]
    expected = [e for e in entries(as_of) if e.date < span_end(as_of)]
    assert len(expected) >= 10
    assert sorted(s[2] for s in national) == sorted(e.date for e in expected)  # one event each
    unverified = [s for s in national if s[0].endswith("(date not verified)")]
    assert len(unverified) == sum(not e.verified for e in expected) > 0
