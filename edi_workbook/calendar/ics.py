"""Calendar reminders for a plan's deadlines: RFC 5545 ``.ics`` (through ``icalendar``), Outlook CSV.

What goes in is decided once, in :mod:`edi_workbook.calendar.items`; this module writes it as an
iCalendar stream that Outlook imports, subscribes to and updates cleanly:

- ``METHOD:PUBLISH`` (RFC 5546 3.2.1), ``X-WR-CALNAME``, ``PRODID``, ``VERSION``, and refresh hints
  for subscriptions (``REFRESH-INTERVAL``, RFC 7986 5.7, and Outlook's ``X-PUBLISHED-TTL``).
- All-day events: ``DTSTART;VALUE=DATE`` with an exclusive ``DTEND;VALUE=DATE`` always written
  (RFC 5545 3.6.1: "the "DTEND" property ... is non-inclusive"), ``TRANSP:TRANSPARENT`` and
  Outlook's ``X-MICROSOFT-CDO-ALLDAYEVENT:TRUE`` / ``X-MICROSOFT-CDO-BUSYSTATUS:FREE``.
- One ``VALARM`` per event ([MS-OXCICAL] 2.1.3.1.1.20.62 allows 0 or 1), ``ACTION:DISPLAY`` with
  a ``DESCRIPTION`` (RFC 5545 3.6.6), ringing at 09:00 Europe/London. An all-day event starts at
  00:00 local time, so a reminder ``k`` days earlier is ``k*24 - 9`` hours before the start
  (``TRIGGER:-PT327H`` for 14 days, one hour less or more when the clocks change in between):
  relative to the start (RFC 5545 3.8.6.3), so no timed value and no VTIMEZONE. A reminder on
  the event's own day cannot be relative (Outlook reads every duration as "before the start"), so
  it is an absolute UTC trigger (``VALUE=DATE-TIME``; RFC 5545 3.8.6.3 requires UTC), which
  needs no VTIMEZONE either.
- Stable UIDs (RFC 5545 3.8.4.7) from organisation + action id; ``SEQUENCE`` (3.8.7.4) goes up
  when an event's content changed since ``previous`` (a content hash is kept in
  ``X-EDI-WORKBOOK-HASH``); an event of ``previous`` that is gone now (completed, cancelled or
  removed action) is written again with ``STATUS:CANCELLED`` (3.8.1.11).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, replace
from typing import TYPE_CHECKING, Any

from edi_workbook import __version__, values
from edi_workbook.calendar.items import REMINDER_HOUR, UID_DOMAIN, Item, build_items, clean_text
from edi_workbook.errors import UsageError

if TYPE_CHECKING:
    from icalendar import Calendar, Component, Event

    from edi_workbook.plan import Plan

__all__ = ["PRODID", "items_to_ics", "plan_items", "read_previous", "to_ics", "to_outlook_csv"]

PRODID = f"-//edi-workbook//edi-workbook {__version__}//EN"
HASH_PROP = "X-EDI-WORKBOOK-HASH"
KIND_PROP = "X-EDI-WORKBOOK-KIND"
_LONDON = "Europe/London"
_REFRESH = dt.timedelta(hours=12)
_CANCELLED_HASH = "cancelled"


def _rag_by_row(plan: Plan, as_of: dt.date) -> list[tuple[str | None, str | None]]:
    """(RAG value, reason) per row, from the one RAG rule (``edi_workbook.rag``, issue 5)."""
    from edi_workbook.rag_rating import rag

    frame = rag(plan, as_of=as_of).frame

    def text(v: Any) -> str | None:
        return None if values.is_blank(v) else str(v)

    return [(text(r), text(why)) for r, why in zip(frame["rag"], frame["reason"], strict=True)]


def plan_items(
    plan: Plan,
    *,
    as_of: dt.date | None = None,
    alarm_days: Sequence[int] | None = None,
    single_alarm: bool = False,
    national: bool = False,
    include_starts: bool = False,
    include_complete: bool = False,
    include_review: bool = True,
) -> list[Item]:
    """The calendar items of ``plan`` as on ``as_of`` (default: the plan's AsOfDate, else today).

    Raises TypeError or ValueError for arguments of the wrong kind (see :mod:`edi_workbook.arguments`).
    """
    from edi_workbook.arguments import as_of_date, plan_argument, reminder_days

    plan, as_of = plan_argument(plan, "to_ics"), as_of_date(as_of)
    alarm_days = reminder_days(alarm_days, "alarm_days")
    day = as_of or plan.settings.effective_as_of()
    return build_items(
        plan,
        rag=_rag_by_row(plan, day),
        as_of=day,
        alarm_days=alarm_days,
        single_alarm=single_alarm,
        national=national,
        include_starts=include_starts,
        include_complete=include_complete,
        include_review=include_review,
    )


def default_calendar_name(plan: Plan, owner: str | None = None) -> str:
    org = clean_text(plan.details.organisation) or clean_text(plan.name) or "plan"
    return f"EDI action plan – {org}" + (f" – {owner}" if owner else "")


def _content_hash(item: Item) -> str:
    """A short hash of everything an item shows but its file name; a change of it raises SEQUENCE.

    The file name is left out: renaming or moving the workbook changes no event (issue 17).
    """
    fields = astuple(replace(item, source=""))
    data = repr(tuple(v.isoformat() if isinstance(v, dt.date) else v for v in fields))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


def _nine_am_utc(day: dt.date) -> dt.datetime:
    """09:00 Europe/London on ``day``, in UTC (GMT or BST from the tz database)."""
    local = dt.datetime.combine(day, dt.time(REMINDER_HOUR), tzinfo=zoneinfo.ZoneInfo(_LONDON))
    return local.astimezone(dt.UTC)


@functools.cache
def _text_class() -> type:
    from icalendar import vText

    class Escaped(vText):  # type: ignore[misc]
        """TEXT escaped as RFC 5545 3.3.11 says (backslash, semicolon, comma, newline), no controls."""

        def to_ical(self) -> bytes:
            text = clean_text(str(self)).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            return text.replace("\n", "\\n").encode("utf-8")

    return Escaped


def _text(value: str) -> Any:
    """A TEXT value that survives whatever it holds.

    icalendar's own escaping first turns a literal backslash-N (a path such as ``C:\\New folder``)
    into a line break; this value escapes by RFC 5545 3.3.11 alone.
    """
    return _text_class()(value)


@functools.cache
def _exact_class() -> type:
    from icalendar import vDuration

    class Exact(vDuration):  # type: ignore[misc]
        """A duration in hours and minutes only (``-PT326H``)."""

        def to_ical(self) -> bytes:
            minutes = int(abs(self.td).total_seconds()) // 60
            sign = "-" if self.td < dt.timedelta(0) else ""
            hours, rest = divmod(minutes, 60)
            return f"{sign}PT{hours}H{f'{rest}M' if rest else ''}".encode()

    return Exact


def _exact_trigger(before: dt.timedelta) -> Any:
    """A duration trigger in exact hours and minutes (``-PT326H``), never in days.

    RFC 5545 3.3.6: days in a duration are nominal (calendar days) but hours are exact; Outlook
    reads any duration as exact minutes before the start ([MS-OXCICAL] 2.1.3.1.1.20.62). Written
    in exact hours, both read the same instant, also across a clock change (``-P13DT15H`` would
    ring at 08:00 in Outlook when British Summer Time starts in between).
    """
    return _exact_class()(before)


def _alarm(item: Item) -> Any:
    """The item's one VALARM, ringing at 09:00 London time on ``item.alarm``.

    An all-day event starts at 00:00 local time on its day. When the reminder is on an earlier
    day the trigger is relative to that start (RFC 5545 3.8.6.3), so no timed value and no
    VTIMEZONE are needed; on the event's own day it is an absolute UTC time, since Outlook reads
    every duration as "before the start".
    """
    from icalendar import Alarm, vDatetime

    assert item.alarm is not None
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _text(item.summary))
    ring = _nine_am_utc(item.alarm)
    if item.alarm < item.day:
        start = dt.datetime.combine(item.day, dt.time(0), tzinfo=zoneinfo.ZoneInfo(_LONDON))
        alarm.add("trigger", _exact_trigger(ring - start.astimezone(dt.UTC)))
    else:
        alarm.add("trigger", vDatetime(ring), parameters={"VALUE": "DATE-TIME"})
    return alarm


def _event(item: Item, stamp: dt.datetime, sequence: int) -> Event:
    from icalendar import Event

    ev = Event()
    ev.add("uid", item.uid)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", item.day)
    ev.add("dtend", item.day + dt.timedelta(days=1))
    ev.add("summary", _text(item.summary))
    ev.add("description", _text(item.full_description))
    if item.categories:
        ev.add("categories", list(item.categories))
    ev.add("status", "CONFIRMED")
    ev.add("transp", "TRANSPARENT")
    ev.add("class", "PUBLIC")
    ev.add("sequence", sequence)
    ev.add("x-microsoft-cdo-alldayevent", "TRUE")
    ev.add("x-microsoft-cdo-busystatus", "FREE")
    ev.add(KIND_PROP, item.kind)
    ev.add(HASH_PROP, _content_hash(item))
    if item.alarm is not None:
        ev.add_component(_alarm(item))
    return ev


@dataclass(frozen=True)
class _Previous:
    sequence: int
    hash: str
    event: Component

    def stamp(self, default: dt.datetime) -> dt.datetime:
        """The event's DTSTAMP in the previous export (an unchanged event keeps it)."""
        value = self.event.decoded("dtstamp", default)
        return value if isinstance(value, dt.datetime) else default


def read_previous(data: bytes | None) -> dict[str, _Previous]:
    """This package's events in a previous export, by UID; foreign events are ignored.

    Raises :class:`~edi_workbook.errors.UsageError` (one sentence) if ``data`` is not a calendar.
    """
    if not data:
        return {}
    from icalendar import Calendar

    try:
        cal = Calendar.from_ical(data)
        return _events_of(cal)
    except (ValueError, IndexError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        reason = " ".join(str(exc).split())
        reason = reason if len(reason) <= 80 else reason[:79] + "…"
        raise UsageError(f"the previous calendar is not an iCalendar file ({reason})") from None


def _events_of(cal: Component) -> dict[str, _Previous]:
    out = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev.get("uid", ""))
        if uid.endswith("@" + UID_DOMAIN):
            out[uid] = _Previous(int(ev.get("sequence", 0)), str(ev.get(HASH_PROP, "")), ev)
    return out


def _cancelled(old: _Previous, stamp: dt.datetime) -> Event:
    """A previous event again, with STATUS:CANCELLED and no alarm (RFC 5545 3.8.1.11)."""
    from icalendar import Event

    ev = Event()
    for name, value in old.event.property_items(recursive=False):
        if name not in {"BEGIN", "END", "DTSTAMP", "SEQUENCE", "STATUS", HASH_PROP, "SUMMARY"}:
            ev.add(name, value)
    summary = str(old.event.get("summary", ""))
    ev.add("summary", _text(summary if summary.startswith("Cancelled: ") else f"Cancelled: {summary}"))
    ev.add("dtstamp", old.stamp(stamp) if old.hash == _CANCELLED_HASH else stamp)
    ev.add("status", "CANCELLED")
    ev.add("sequence", old.sequence + (old.hash != _CANCELLED_HASH))
    ev.add(HASH_PROP, _CANCELLED_HASH)
    return ev


def _passed_national(old: _Previous, as_of: dt.date | None) -> bool:
    """A national deadline of an earlier export whose day has passed: it left the 12 months ahead,
    it was not withdrawn, so it is written again as it was rather than cancelled."""
    if as_of is None or str(old.event.get(KIND_PROP, "")) != "national":
        return False
    day = old.event.decoded("dtstart", None)
    return isinstance(day, dt.date) and day < as_of


def items_to_ics(
    items: Sequence[Item],
    *,
    name: str,
    previous: bytes | None = None,
    dtstamp: dt.datetime | None = None,
    as_of: dt.date | None = None,
    extra: dict[str, str] | None = None,
) -> bytes:
    """Write items as one VCALENDAR; ``previous`` (an earlier export) sets SEQUENCE and cancellations.

    A previous national deadline dated before ``as_of`` stays as it was (see :func:`_passed_national`).
    ``extra`` adds calendar properties (``X-`` names, plain ASCII values) after the standard ones.
    """
    from icalendar import Calendar, vDuration

    stamp = (dtstamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    old = read_previous(previous)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _text(name))
    cal.add("refresh-interval", _REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(_REFRESH))
    for key, value in (extra or {}).items():
        cal.add(key, value)

    def events() -> Iterator[Component]:
        for item in items:
            prev = old.pop(item.uid, None)
            changed = prev is None or prev.hash != _content_hash(item)
            seq = 0 if prev is None else prev.sequence + changed
            when = stamp if prev is None or changed else prev.stamp(stamp)
            yield _event(item, when, seq)
        for uid in sorted(old):
            passed = _passed_national(old[uid], as_of)
            yield old[uid].event if passed else _cancelled(old[uid], stamp)

    return _bytes(cal, events())


_END = b"END:VCALENDAR\r\n"


def _bytes(cal: Calendar, events: Iterable[Component]) -> bytes:
    """The calendar with ``events`` inside, as icalendar writes it: each event is written as it
    is made and then let go, so memory holds the file's bytes, not every event's objects (a
    20,000-action plan's calendar took 900 MB, now about a tenth)."""
    head: bytes = cal.to_ical()
    if not head.endswith(_END):  # icalendar wrote something else: ours to fix, never a broken file
        raise RuntimeError("icalendar ended a calendar other than with END:VCALENDAR")
    return b"".join([head[: -len(_END)], *(ev.to_ical() for ev in events), _END])


def to_ics(
    plan: Plan,
    *,
    as_of: dt.date | None = None,
    alarm_days: Sequence[int] | None = None,
    single_alarm: bool = False,
    national: bool = False,
    include_starts: bool = False,
    include_complete: bool = False,
    include_review: bool = True,
    previous: bytes | None = None,
    dtstamp: dt.datetime | None = None,
    calendar_name: str | None = None,
) -> bytes:
    """The plan's deadlines and reminders as an iCalendar file (bytes, CRLF, folded at 75 octets).

    ``alarm_days`` overrides the plan's ReminderDays; ``single_alarm`` keeps only the earliest
    reminder; ``previous`` is the last export's bytes (for SEQUENCE and cancellations);
    ``dtstamp`` fixes DTSTAMP (default: now, UTC).
    """
    if previous is not None and not isinstance(previous, (bytes, bytearray)):
        kind = type(previous).__name__
        raise TypeError(f"previous must be the bytes of the last export (path.read_bytes()), not {kind}")
    if dtstamp is not None and not isinstance(dtstamp, dt.datetime):
        raise TypeError(f"dtstamp must be a datetime.datetime, not {type(dtstamp).__name__}")
    items = plan_items(
        plan,
        as_of=as_of,
        alarm_days=alarm_days,
        single_alarm=single_alarm,
        national=national,
        include_starts=include_starts,
        include_complete=include_complete,
        include_review=include_review,
    )
    name = calendar_name or default_calendar_name(plan)
    day = as_of or plan.settings.effective_as_of()
    return items_to_ics(items, name=name, previous=previous, dtstamp=dtstamp, as_of=day)


def to_outlook_csv(plan: Plan, **kw: Any) -> str:
    """The same events as :func:`to_ics`, as CSV for Outlook's import (see ``outlook_csv``)."""
    from edi_workbook.calendar.outlook_csv import items_to_csv

    kw.pop("previous", None)
    kw.pop("dtstamp", None)
    kw.pop("calendar_name", None)
    return items_to_csv(plan_items(plan, **kw))
