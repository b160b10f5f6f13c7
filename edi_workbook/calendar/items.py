"""What goes into a calendar: a plan's deadlines as format-free calendar items.

Both writers (``ics`` for RFC 5545 ``.ics``, ``outlook_csv`` for Outlook's CSV import)
start from the same list of :class:`Item` values, so the two formats never disagree.

- One ``due`` item per open action with a due date (Complete and Cancelled actions give none,
  unless ``include_complete`` asks for Complete ones), all day on the due date.
- Reminders fire at ``REMINDER_HOUR`` local time on the days of ``ReminderDays`` before the due
  date; a reminder day on a weekend or an England and Wales bank holiday moves to the previous
  working day (issue 5, ``workdays.previous_working_day``). The earliest reminder rides on the
  ``due`` item; every further one is its own all-day ``reminder`` item (Outlook keeps only one
  alarm per event, [MS-OXCICAL] 2.1.3.1.1.20.62: "Number of Instances Allowed: 0, 1").
- Optional ``start`` items (start dates), a ``review`` item (the plan's review date) and
  ``national`` items: the national deadlines of the 12 months from the as-of date, each
  instance of the EDI reporting cycle and each HIA milestone (``deadlines.entries``).

Every item has a stable key (organisation, action id, kind) from which the UID is derived, so
the same action gets the same UID on every export whatever its row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from edi_workbook import reference, workdays
from edi_workbook.findings import cell_ref
from edi_workbook.limits import MAX_REMINDER_DAY, MAX_REMINDERS

if TYPE_CHECKING:
    from edi_workbook.plan import Plan

__all__ = ["REMINDER_HOUR", "Item", "build_items", "clean_text", "reminder_days_for", "short_text"]

REMINDER_HOUR = 9
"""Reminders ring at 09:00 local time on their day."""
UID_DOMAIN = "edi-workbook"
_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "edi-workbook.invalid")
_SHORT_CHARS = 48
_OPEN_EXCLUDED = ("Complete", "Cancelled")
_KIND_ORDER = {"national": 0, "review": 1, "start": 2, "reminder": 3, "due": 4}
# Line breaks of every flavour become "\n"; other control characters are dropped, because
# RFC 5545 3.3.11 TEXT allows no CONTROL characters other than HTAB (and escaped newlines).
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


@dataclass(frozen=True)
class Item:
    """One calendar entry, all day on ``day``, with at most one reminder (``alarm``)."""

    key: str
    kind: str
    day: dt.date
    summary: str
    description: str
    categories: tuple[str, ...] = ()
    alarm: dt.date | None = None
    owner: str | None = None
    action_id: str | None = None
    source: str = ""
    """The workbook's file name, shown on the description's ``From:`` line. A file's name says
    where the plan is kept, not what the event is: a renamed workbook changes no event."""
    where: str = ""
    """The cell the item comes from (``'Action Plan'!A5``), after the file name."""

    @property
    def uid(self) -> str:
        """The stable UID (RFC 5545 3.8.4.7): a name-based UUID of the key, ``@edi-workbook``."""
        return f"{uuid.uuid5(_UID_NAMESPACE, self.key)}@{UID_DOMAIN}"

    @property
    def sort_key(self) -> tuple[dt.date, int, str]:
        return (self.day, _KIND_ORDER[self.kind], self.key)

    @property
    def full_description(self) -> str:
        """The description with its ``From:`` line (file name and cell), as calendars show it."""
        origin = ", ".join(p for p in (self.source, self.where) if p)
        return f"{self.description}\nFrom: {origin}" if origin else self.description


def clean_text(value: Any) -> str:
    """Text fit for a calendar: one newline convention, no control characters, outer spaces gone."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = _BREAKS.sub("\n", str(value))
    return _CONTROLS.sub("", text).strip()


def short_text(value: Any, limit: int = _SHORT_CHARS) -> str:
    """One line of at most ``limit`` characters, cut at a word and marked with an ellipsis."""
    line = " ".join(clean_text(value).split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] if " " in line[: limit - 1] else line[: limit - 1]
    return cut.rstrip(" ,;:.-") + "…"


def reminder_days_for(due: dt.date, days_before: Iterable[int]) -> list[tuple[int, dt.date]]:
    """(days before, reminder day) for each setting, earliest first, moved to working days.

    Two settings that land on the same working day give one reminder (the larger number wins).
    Only days from 0 to :data:`~edi_workbook.limits.MAX_REMINDER_DAY`, and at most
    :data:`~edi_workbook.limits.MAX_REMINDERS` of them (the first given), are used.
    """
    wanted = list(dict.fromkeys(int(n) for n in days_before if 0 <= int(n) <= MAX_REMINDER_DAY))
    out: dict[dt.date, int] = {}
    for n in sorted(wanted[:MAX_REMINDERS], reverse=True):
        day = workdays.previous_working_day(due - dt.timedelta(days=n))
        out.setdefault(day, n)
    return sorted(((n, day) for day, n in out.items()), key=lambda t: t[1])


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _action_keys(plan: Plan) -> list[str]:
    """A stable key per row: the action id, else a hash of the action text; repeats numbered."""
    seen: dict[str, int] = {}
    keys = []
    for i in range(len(plan)):
        aid = plan.action_id(i)
        base = f"id:{_norm(aid)}" if aid and _norm(aid) else ""
        if not base:
            text = _norm(_cell(plan, i, "action"))
            base = "text:" + hashlib.sha256(text.encode()).hexdigest()[:16]
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return keys


def _cell(plan: Plan, i: int, key: str) -> Any:
    """The parsed value of row ``i``, column ``key``."""
    return plan.frame[key].iat[i]


def _labels(plan: Plan, i: int) -> tuple[list[str], list[str]]:
    """HIA labels (``HIA 2``) and PSED aim labels of row ``i``."""
    ref = reference.load()
    hias = _cell(plan, i, "hia") or ()
    aims = _cell(plan, i, "psed_aim") or ()
    return [ref.hia_label(int(h)) for h in hias], [ref.aim_label(a) for a in aims]


def _title(head: str, action: Any, owner: str | None) -> str:
    """``A3: Publish the pay gap report (Jo Bloggs)``: reads well in a month view."""
    tail = f" ({short_text(owner, 30)})" if owner else ""
    lead = f"{head}: " if head else ""
    return f"{lead}{short_text(action) or 'Action'}{tail}"


def _description(
    plan: Plan, i: int, rag: tuple[str | None, str | None], due: dt.date, as_of: dt.date | None
) -> str:
    _, aims = _labels(plan, i)
    ref = reference.load()
    hia_text = "; ".join(ref.hia_label(int(h), titled=True) for h in _cell(plan, i, "hia") or ())
    status = clean_text(_cell(plan, i, "status") or plan.raw["status"].iat[i]) or "not given"
    pct = _cell(plan, i, "pct_complete")
    if pct is not None and not math.isnan(pct):
        status += f" ({round(pct * 100)}% complete)"
    rag_text = " – ".join(p for p in rag if p) or "not rated"
    if rag[0] and as_of is not None:
        rag_text += f" (as of {as_of:%d %b %Y})"
    lines = [
        ("Action", clean_text(_cell(plan, i, "action"))),
        ("Success measure", clean_text(_cell(plan, i, "success_measure"))),
        ("Owner", clean_text(_cell(plan, i, "owner"))),
        ("Due", f"{due:%a %d %b %Y}"),
        ("HIAs", hia_text),
        ("PSED aims", "; ".join(aims)),
        ("Status", status),
        ("RAG", rag_text),
    ]
    return "\n".join(f"{k}: {v or '-'}" for k, v in lines)


def _where(plan: Plan, i: int) -> str:
    """The cell of row ``i``'s action id (else its action), ``'Action Plan'!A5``; "" without a sheet."""
    at = cell_ref(plan.sheet, plan.cell(i, "action_id") or plan.cell(i, "action"))
    return at if plan.sheet and at else ""


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value.date() if isinstance(value, dt.datetime) else value if isinstance(value, dt.date) else None


@dataclass(frozen=True)
class _Options:
    """What the caller asked for, shared by every row."""

    org: str
    days_before: tuple[int, ...]
    as_of: dt.date | None = None
    single_alarm: bool = False
    include_starts: bool = False
    include_complete: bool = False


def _start_item(plan: Plan, i: int, base: Item, opts: _Options, desc: str) -> list[Item]:
    """The start-date item of row ``i`` (``--starts``), if it has a start before its due date."""
    start, due = _date(_cell(plan, i, "start_date")), _date(_cell(plan, i, "due_date"))
    if not opts.include_starts or start is None or (due is not None and start >= due):
        return []
    title = _title(f"Start {short_text(base.action_id, 20)}".strip(), _cell(plan, i, "action"), base.owner)
    return [replace(base, key=f"{base.key}|start", kind="start", day=start, summary=title, description=desc)]


def _action_items(
    plan: Plan, i: int, key: str, rag: tuple[str | None, str | None], opts: _Options
) -> list[Item]:
    """The items of one action row: due date, further reminders, start date."""
    status = _cell(plan, i, "status")
    if status == "Cancelled" or (status == "Complete" and not opts.include_complete):
        return []
    aid, owner, action = (
        plan.action_id(i),
        clean_text(_cell(plan, i, "owner")) or None,
        _cell(plan, i, "action"),
    )
    base = Item(key=f"{opts.org}|{key}", kind="due", day=dt.date.min, summary="", description="", owner=owner,
                action_id=aid, source=clean_text(plan.name) or "-", where=_where(plan, i))  # fmt: skip
    due = _date(_cell(plan, i, "due_date"))
    if due is None:  # a start item alone says only the action, as before it had a due date
        return _start_item(plan, i, replace(base, source="", where=""), opts, clean_text(action))
    desc = _description(plan, i, rag, due, opts.as_of)
    items = _start_item(plan, i, base, opts, desc)
    ref = short_text(aid, 20)
    cats = (*_labels(plan, i)[0], *((f"RAG {rag[0]}",) if rag[0] else ()))
    reminders = [] if status == "Complete" else reminder_days_for(due, opts.days_before)
    done = "Done " if status == "Complete" else ""
    items.append(
        replace(base, key=f"{base.key}|due", day=due, summary=_title(f"{done}{ref}".strip(), action, owner),
                description=desc, categories=cats, alarm=reminders[0][1] if reminders else None)
    )  # fmt: skip
    for n, day in [] if opts.single_alarm else reminders[1:]:
        when = "today" if day == due else "tomorrow" if (due - day).days == 1 else f"{due:%a %d %b}"
        items.append(
            replace(base, key=f"{base.key}|reminder-{n}", kind="reminder", day=day,
                    summary=_title(f"Reminder: {ref or 'action'} due {when}", action, owner),
                    description=desc, categories=cats, alarm=day)
        )  # fmt: skip
    return items


def _review_item(plan: Plan, opts: _Options) -> list[Item]:
    """The plan's review date (``ReviewDate``), if it has one."""
    review = plan.details.review_date
    if review is None:
        return []
    reminders = reminder_days_for(review, opts.days_before)
    org_name = clean_text(plan.details.organisation) or "the organisation"
    owner = clean_text(plan.details.plan_owner) or None
    title = "EDI action plan review" + (f" ({short_text(owner, 30)})" if owner else "")
    return [
        Item(key=f"{opts.org}|review", kind="review", day=review, summary=title,
             description=f"Review of the EDI action plan of {org_name}.", source=clean_text(plan.name),
             owner=owner, alarm=reminders[0][1] if reminders else None)
    ]  # fmt: skip


def _national_items(org: str, days_before: Sequence[int], as_of: dt.date) -> list[Item]:
    """One item per national deadline of the 12 months from ``as_of``: each instance of the
    reporting cycle (:func:`edi_workbook.deadlines.entries`) and each HIA milestone, keyed by the
    instance's id (``gender-pay-gap-2027``) so its UID is stable; unverified dates marked."""
    from edi_workbook.deadlines import HIA, entries, span_end

    ref = reference.load()
    items = []
    end = span_end(as_of)
    for e in (e for e in entries(as_of) if e.date < end):
        mark = "" if e.verified else " (date not verified)"
        applies = ref.applies_to_words(e.applies_to)
        if e.kind == HIA and e.hia is not None:
            hia = ref.hia(e.hia)
            d = next(x for x in ref.national_deadlines if x.id == e.ref_id)
            summary = f"National {hia.label} ({d.id}): {short_text(d.action)}{mark}"
            desc = (f"National deadline {d.id} ({hia.label} {hia.short_title}), {d.wording}{mark}.\n"
                    f"{d.action}.\nApplies to: {applies}.\nSource: {d.source}")  # fmt: skip
            cats: tuple[str, ...] = (hia.label, "National deadline")
        else:
            ob = ref.obligation(e.ref_id)
            opens = f"\nWindow opens: {e.opens:%a %d %b %Y}." if e.opens else ""
            note = f"\n{ob.note}" if ob.note else ""
            summary = f"National: {short_text(ob.title)}{mark}"
            desc = (f"{ob.title}{mark}.\n{ob.what}\nWhen: {ob.rule.words}.{opens}\nApplies to: {applies}.\n"
                    f"Source: {ob.source} (checked {ob.checked:%d %b %Y}){note}")  # fmt: skip
            cats = ("National deadline", "EDI reporting year")
        reminders = reminder_days_for(e.date, days_before)
        items.append(
            Item(key=f"{org}|national|{e.id}", kind="national", day=e.date, summary=summary,
                 description=desc, categories=cats, alarm=reminders[0][1] if reminders else None)
        )  # fmt: skip
    return items


def build_items(
    plan: Plan,
    *,
    rag: Sequence[tuple[str | None, str | None]],
    alarm_days: Sequence[int] | None = None,
    single_alarm: bool = False,
    national: bool = False,
    include_starts: bool = False,
    include_complete: bool = False,
    include_review: bool = True,
    as_of: dt.date | None = None,
) -> list[Item]:
    """Every calendar item of ``plan``, in a stable order (day, kind, key).

    ``rag`` holds (RAG value, reason) per row. ``alarm_days`` overrides the plan's ReminderDays.
    A reminder whose day is before ``as_of`` is left out (Outlook would ring it at once on import);
    its item stays, so UIDs never depend on the export date.
    """
    days_before = tuple(plan.settings.reminder_days if alarm_days is None else alarm_days)
    opts = _Options(_norm(plan.details.organisation) or "plan", days_before, as_of, single_alarm,
                    include_starts, include_complete)  # fmt: skip
    items: list[Item] = []
    for i, key in enumerate(_action_keys(plan)):
        items += _action_items(plan, i, key, rag[i], opts)
    if include_review:
        items += _review_item(plan, opts)
    if national:
        items += _national_items(opts.org, days_before, as_of or plan.settings.effective_as_of())
    if as_of is not None:
        items = [it if it.alarm is None or it.alarm >= as_of else replace(it, alarm=None) for it in items]
    return sorted(items, key=lambda it: it.sort_key)
