"""National deadlines: the recurring EDI reporting year and the HIA milestones, against as-of.

Two kinds, both from ``data/reference.yaml``:

- ``annual``: the obligations of the reporting year (``reporting_cycle``: gender pay gap, PSED,
  WDES, WRES, EDS 2022, Staff Survey...), rules that :func:`national` turns into dated instances;
- ``hia``: the dated milestones of NHS England's EDI improvement plan (``national_deadlines``),
  one-off, so by now mostly history. A year- or month-only deadline is resolved there to the end
  of the period (a year: 31 March, the NHS financial year end), the published wording kept.

:func:`entries` lists both as :class:`Entry` values, the shape every output uses (``deadlines``,
the calendar, the report, the roll-up); :func:`plan_vs_cycle` says which of a plan's actions feed
each obligation that applies to its organisation type.

Status against as-of: ``Passed`` (the date is before as-of), ``Due soon`` (within AmberDays, the
same window that turns an action Amber), else ``Upcoming``. A deadline on a weekend or an England
and Wales bank holiday is flagged with the day's name, and ``previous_working_day`` says when a
reminder should fire instead (``edi_workbook.workdays``).

>>> import datetime as dt
>>> [(d.deadline.id, d.status, d.days_remaining, d.non_working_day)
...  for d in national_deadlines(dt.date(2024, 3, 1)) if d.deadline.hia == 1]
[('1a', 'Due soon', 30, 'Sunday'), ('1c', 'Due soon', 30, 'Sunday'), ('1b', 'Upcoming', 395, None)]
>>> [(i.id, i.date.isoformat()) for i in national(dt.date(2026, 11, 28), applies_to="public-body")]
[('gender-pay-gap-2027', '2027-03-30'), ('psed-equality-information-2027', '2027-03-30'), \
('workforce-snapshot-2027', '2027-03-31')]
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from edi_workbook import reference, workdays
from edi_workbook.rag_rating import CANCELLED, COMPLETE

if TYPE_CHECKING:
    from collections.abc import Sequence

    from edi_workbook.plan import Plan

__all__ = [
    "ANNUAL",
    "DUE_SOON",
    "HIA",
    "PASSED",
    "REPORT_DAYS",
    "UPCOMING",
    "DeadlineStatus",
    "Entry",
    "Instance",
    "PlanDeadlineCheck",
    "actions_by_hia",
    "entries",
    "last_dated",
    "latest_by_hia",
    "national",
    "national_deadlines",
    "next_instance",
    "plan_vs_national",
    "span_end",
]

PASSED, DUE_SOON, UPCOMING = "Passed", "Due soon", "Upcoming"
ANNUAL, HIA = "annual", "hia"
"""The two kinds of national deadline: an instance of a recurring obligation, an HIA milestone."""
REPORT_DAYS = 90
"""The board report and the batch roll-up list the national deadlines due within this many days."""


@dataclass(frozen=True)
class Instance:
    """One dated occurrence of a recurring obligation (``opens``: the day its window opens)."""

    obligation: reference.Obligation
    date: dt.date
    opens: dt.date | None = None

    @property
    def id(self) -> str:
        """``gender-pay-gap-2027``: stable, one per obligation and year (calendar UIDs use it)."""
        return f"{self.obligation.id}-{self.date.year}"


def span_end(as_of: dt.date, years: int = 1) -> dt.date:
    """The first day after ``years`` years from ``as_of``: the same day and month (29 Feb: 1 March).

    The template's formula is ``DATE(YEAR(as_of)+years, MONTH(as_of), DAY(as_of))``, which rolls
    29 February over to 1 March in the same way.
    """
    try:
        return as_of.replace(year=as_of.year + years)
    except ValueError:
        return dt.date(as_of.year + years, 3, 1)


def _order() -> dict[str, int]:
    return {o.id: i for i, o in enumerate(reference.load().obligations)}


def national(
    as_of: dt.date | None = None, *, years: int = 1, applies_to: str | None = None
) -> list[Instance]:
    """Every dated instance of the reporting cycle from ``as_of`` (included) for ``years`` years.

    Earliest first; on one day, in the order of ``reporting_cycle``. ``applies_to`` keeps only the
    obligations of one organisation type (``trust``, ``icb``, ``primary-care``, ``public-body``).
    Obligations with no fixed national date give none.
    """
    as_of = as_of or dt.date.today()
    end = span_end(as_of, years)
    order = _order()
    out = []
    for ob in reference.load().obligations:
        if applies_to is not None and applies_to not in ob.applies_to:
            continue
        for year in range(as_of.year, end.year + 1):
            day = ob.rule.on(year)
            if day is not None and as_of <= day < end:
                out.append(Instance(ob, day, ob.rule.opening(day)))
    return sorted(out, key=lambda i: (i.date, order[i.obligation.id]))


@functools.lru_cache(maxsize=1024)
def next_instance(ob: reference.Obligation, day: dt.date) -> Instance | None:
    """The obligation's first instance on or after ``day`` (None: no fixed date)."""
    for year in range(day.year, day.year + ob.rule.every + 2):
        due = ob.rule.on(year)
        if due is not None and due >= day:
            return Instance(ob, due, ob.rule.opening(due))
    return None


@dataclass(frozen=True)
class Entry:
    """A national deadline as the outputs list it: an obligation's instance or an HIA milestone."""

    id: str
    kind: str  # ANNUAL or HIA
    title: str
    date: dt.date
    status: str
    days: int
    applies_to: tuple[str, ...]
    verified: bool
    source: str
    detail: str  # annual: the rule in words; hia: the deadline as published
    ref_id: str  # the reference item: the obligation's id, or the HIA deadline's
    hia: int | None = None
    opens: dt.date | None = None
    non_working_day: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``deadlines --format json`` (docs/deadlines.md), nothing more."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "date": self.date.isoformat(),
            "status": self.status,
            "days": self.days,
            "applies_to": list(self.applies_to),
            "verified": self.verified,
            "source": self.source,
        }


def _status(days: int, soon: int) -> str:
    return PASSED if days < 0 else DUE_SOON if days <= soon else UPCOMING


def _annual_entry(i: Instance, as_of: dt.date, soon: int) -> Entry:
    ob, days = i.obligation, (i.date - as_of).days
    return Entry(i.id, ANNUAL, ob.title, i.date, _status(days, soon), days, ob.applies_to, ob.verified,
                 ob.source, ob.rule.words, ob.id, None, i.opens, _non_working(i.date))  # fmt: skip


def _hia_entry(s: DeadlineStatus) -> Entry:
    d, ref = s.deadline, reference.load()
    title = f"{ref.hia(d.hia).label}: {d.action}"
    return Entry(d.id, HIA, title, d.date, s.status, s.days_remaining, ref.plan_applies_to, d.verified,
                 d.source, d.wording, d.id, d.hia, None, s.non_working_day)  # fmt: skip


def entries(
    as_of: dt.date | None = None,
    *,
    years: int = 1,
    within_days: int | None = None,
    applies_to: str | None = None,
    history: bool = False,
    soon_days: int | None = None,
) -> list[Entry]:
    """The national deadlines from ``as_of``: the cycle's instances for ``years`` years and the HIA
    milestones not yet passed (``history``: the passed ones too), sorted by date.

    ``within_days`` keeps only those due within that many days (the report's "next 90 days");
    ``applies_to`` only those of one organisation type; ``soon_days`` (default: the AmberDays
    setting's default) is the window of ``Due soon``.
    """
    ref = reference.load()
    as_of = as_of or dt.date.today()
    soon = int(ref.setting_default("AmberDays")) if soon_days is None else soon_days
    out = [_annual_entry(i, as_of, soon) for i in national(as_of, years=years, applies_to=applies_to)]
    if applies_to is None or applies_to in ref.plan_applies_to:
        hia = national_deadlines(as_of, soon_days=soon)
        out += [_hia_entry(s) for s in hia if history or s.status != PASSED]
    if within_days is not None:
        out = [e for e in out if e.days <= within_days]
    return sorted(out, key=lambda e: (e.date, e.kind != ANNUAL))


@dataclass(frozen=True)
class DeadlineStatus:
    """One national deadline judged on ``as_of``."""

    deadline: reference.NationalDeadline
    as_of: dt.date
    status: str
    days_remaining: int
    working_days_remaining: int
    non_working_day: str | None  # "Saturday", "Sunday" or the bank holiday's name
    previous_working_day: dt.date

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, flat: the deadline's fields then its status."""
        d = self.deadline
        return {
            "id": d.id,
            "hia": d.hia,
            "hia_title": reference.load().hia(d.hia).short_title,
            "date": d.date.isoformat(),
            "wording": d.wording,
            "action": d.action,
            "verified": d.verified,
            "source": d.source,
            "status": self.status,
            "days_remaining": self.days_remaining,
            "working_days_remaining": self.working_days_remaining,
            "non_working_day": self.non_working_day,
            "previous_working_day": self.previous_working_day.isoformat(),
        }


def _non_working(day: dt.date) -> str | None:
    name = workdays.bank_holiday_name(day)
    if name:
        return name
    return f"{day:%A}" if day.weekday() >= 5 else None


def _signed_working_days(as_of: dt.date, day: dt.date) -> int:
    """Working days after ``as_of`` up to and including ``day``; negative (days since) when passed."""
    return workdays.Calendar.spanning(as_of, day).after(as_of, day)


def national_deadlines(as_of: dt.date | None = None, *, soon_days: int | None = None) -> list[DeadlineStatus]:
    """Every national deadline (earliest first, then HIA and id) with its status on ``as_of``.

    ``as_of`` defaults to today, ``soon_days`` to the AmberDays setting's default.
    """
    from edi_workbook.arguments import as_of_date

    ref = reference.load()
    as_of = as_of_date(as_of) or dt.date.today()
    soon = int(ref.setting_default("AmberDays")) if soon_days is None else soon_days
    return list(_statuses(as_of, soon))


@functools.lru_cache(maxsize=64)
def _statuses(as_of: dt.date, soon: int) -> tuple[DeadlineStatus, ...]:
    """The statuses on one day (cached: a batch judges every plan on the same day)."""
    out = []
    for d in sorted(reference.load().national_deadlines, key=lambda x: (x.date, x.hia, x.id)):
        days = (d.date - as_of).days
        status = PASSED if days < 0 else DUE_SOON if days <= soon else UPCOMING
        out.append(
            DeadlineStatus(
                deadline=d,
                as_of=as_of,
                status=status,
                days_remaining=days,
                working_days_remaining=_signed_working_days(as_of, d.date),
                non_working_day=_non_working(d.date),
                previous_working_day=workdays.previous_working_day(d.date),
            )
        )
    return tuple(out)


@functools.cache
def latest_by_hia() -> dict[int, reference.NationalDeadline]:
    """Each HIA's latest national deadline (an HIA without any is left out). Do not change it."""
    ref = reference.load()
    return {h.number: ref.deadlines_for(h.number)[-1] for h in ref.hias if ref.deadlines_for(h.number)}


@dataclass(frozen=True)
class PlanDeadlineCheck:
    """A plan's actions for one national deadline's HIA, and whether the last one is later."""

    deadline: DeadlineStatus
    action_ids: tuple[str | None, ...]  # the plan's actions mapped to the HIA, not cancelled
    indices: tuple[int, ...]  # their row positions in the plan
    last_date: dt.date | None  # when the last of them is due (or was completed)
    last_index: int | None

    @property
    def after(self) -> bool:
        """True when the plan's last action for this HIA falls after the national deadline."""
        return self.last_date is not None and self.last_date > self.deadline.deadline.date

    @property
    def days_after(self) -> int | None:
        """Days from the deadline to the plan's last action (positive when later)."""
        return None if self.last_date is None else (self.last_date - self.deadline.deadline.date).days

    def to_dict(self) -> dict[str, Any]:
        return {
            "deadline": self.deadline.to_dict(),
            "action_ids": list(self.action_ids),
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "after": self.after,
            "days_after": self.days_after,
        }


def plan_vs_national(plan: Plan, as_of: dt.date | None = None) -> list[PlanDeadlineCheck]:
    """For each national deadline, the plan's actions mapped to its HIA and when the last one lands.

    An action counts towards its HIAs unless it is Cancelled; its date is the completed date when
    it is Complete and has one, else its due date (actions without either are listed but undated).
    """
    from edi_workbook.arguments import as_of_date, plan_argument

    plan = plan_argument(plan, "plan_vs_national")
    as_of = as_of_date(as_of) or plan.settings.effective_as_of()
    by_hia = _actions_by_hia(plan)
    ids = [None if v is None else str(v) for v in plan.column("action_id")]  # Plan.action_id's
    per_hia: dict[int, tuple[tuple[str | None, ...], tuple[int, ...], dt.date | None, int | None]] = {}
    for hia, items in by_hia.items():
        last_date, last_index = last_dated(items)
        per_hia[hia] = (tuple(ids[i] for i, _ in items), tuple(i for i, _ in items), last_date, last_index)
    out = []
    for status in national_deadlines(as_of, soon_days=plan.settings.amber_days):
        action_ids, indices, last_date, last_index = per_hia.get(status.deadline.hia, ((), (), None, None))
        out.append(PlanDeadlineCheck(status, action_ids, indices, last_date, last_index))
    return out


def last_dated(items: Sequence[tuple[int, dt.date | None]]) -> tuple[dt.date | None, int | None]:
    """The latest date of ``items`` (one HIA's ``(row position, date)`` of :func:`actions_by_hia`)
    and its row (the later row on a tie); ``(None, None)`` when none is dated."""
    dated = [(when, i) for i, when in items if when is not None]
    return max(dated) if dated else (None, None)


def _actions_by_hia(plan: Plan) -> dict[int, list[tuple[int, dt.date | None]]]:
    """HIA number -> [(row position, date that counts)], in plan order."""
    return actions_by_hia(
        plan.column("status"), plan.column("due_date"), plan.column("completed_date"), plan.column("hia")
    )


def actions_by_hia(
    status: Sequence[Any], due: Sequence[dt.date | None], done: Sequence[dt.date | None], hia: Sequence[Any]
) -> dict[int, list[tuple[int, dt.date | None]]]:
    """HIA number -> [(row position, date that counts)], in plan order, from a plan's columns as
    lists (status, due and completed dates as dates or None, HIAs as tuples): validation has them
    already, and reading them from the frame again was a third of ``after-national-deadline``.

    An action counts towards its HIAs unless it is Cancelled; its date is the completed date when
    it is Complete and has one, else its due date.
    """
    whens = [d if s == COMPLETE and d is not None else u for s, d, u in zip(status, done, due, strict=True)]
    rows_of: dict[Any, list[int]] = {}  # the rows of each distinct HIA cell, such as (2,) or (2, 6)
    for i, (hias, s) in enumerate(zip(hia, status, strict=True)):
        if hias and s != CANCELLED:  # a cancelled action delivers nothing
            if hias in rows_of:
                rows_of[hias].append(i)
            else:
                rows_of[hias] = [i]
    merged: dict[int, list[int]] = {}
    for hias, rows in rows_of.items():
        for n in hias:
            merged.setdefault(int(n), []).extend(rows)
    out: dict[int, list[tuple[int, dt.date | None]]] = {}
    for n, rows in merged.items():
        rows.sort()  # plan order; stable, so a row listing an HIA twice stays twice, side by side
        out[n] = [(i, whens[i]) for i in rows]
    return out
