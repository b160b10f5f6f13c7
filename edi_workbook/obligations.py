"""The EDI reporting year's obligations as rules: what recurs, when, for whom (``reporting_cycle``).

The data is ``reporting_cycle`` and ``organisation_types`` in ``data/reference.yaml``, read through
:func:`edi_workbook.reference.load` (``Reference.obligations``, ``Reference.org_types``); this
module holds their types and turns each YAML ``rule`` into a :class:`Rule`. Dated instances for a
span of time come from :func:`edi_workbook.deadlines.national`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

__all__ = ["Obligation", "OrgType", "Rule", "parse_obligations"]


@dataclass(frozen=True, slots=True)
class Rule:
    """When an obligation of the reporting cycle falls due, as ``reporting_cycle`` states it.

    Yearly on ``month``/``day`` (``day`` None: the month's last day), or every ``every`` years from
    ``first_year``; ``opens`` is the (month, day) a window opens. ``month`` None: the obligation
    recurs with no fixed national date. ``words`` says the rule in a sentence.

    >>> from edi_workbook.reference import load
    >>> r = load().obligation("gender-pay-gap").rule
    >>> r.on(2027)
    datetime.date(2027, 3, 30)
    >>> r.words
    'Every year, 12 months after the workforce equality data snapshot, less a day: 30 March'
    """

    month: int | None
    day: int | None
    every: int
    first_year: int | None
    opens: tuple[int, int] | None
    words: str

    def on(self, year: int) -> dt.date | None:
        """The date in ``year``; None when there is none that year (or no fixed date at all)."""
        if self.month is None:
            return None
        if self.first_year is not None and (year < self.first_year or (year - self.first_year) % self.every):
            return None
        last = calendar.monthrange(year, self.month)[1]
        return dt.date(year, self.month, min(self.day or last, last))

    def opening(self, due: dt.date) -> dt.date | None:
        """The day the window closing on ``due`` opens (None: not a window)."""
        if self.opens is None:
            return None
        month, day = self.opens
        return dt.date(due.year - (month > due.month), month, day)


@dataclass(frozen=True, slots=True)
class Obligation:
    """A recurring obligation of the EDI reporting year (publication, submission, assessment)."""

    id: str
    title: str
    what: str
    rule: Rule
    applies_to: tuple[str, ...]  # organisation types: trust, icb, primary-care, public-body
    hias: tuple[int, ...]
    plan_terms: tuple[str, ...]  # words showing an action feeds it; empty: not checked against plans
    verified: bool
    source: str
    quote: str | None
    note: str | None
    checked: dt.date


@dataclass(frozen=True, slots=True)
class OrgType:
    """An organisation type and the words of a plan's ``Organisation type`` that name it."""

    applies_to: str
    label: str
    plural: str  # for lists: "NHS trusts, ICBs"
    terms: tuple[str, ...]


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # fmt: skip


def _day_words(month: int, day: int | None) -> str:
    return f"the end of {_MONTHS[month - 1]}" if day is None else f"{day} {_MONTHS[month - 1]}"


def _rule(raw: dict[str, Any], rules: dict[str, dict[str, Any]], titles: dict[str, str]) -> Rule:
    """A ``rule`` of ``reporting_cycle`` (see the comment above it in reference.yaml) as a :class:`Rule`."""
    if "annual" in raw:
        month, day = int(raw["annual"]["month"]), raw["annual"].get("day")
        return Rule(month, day, 1, None, None, f"Every year by {_day_words(month, day)}")
    if "window" in raw:
        o, c = raw["window"]["opens"], raw["window"]["closes"]
        month, day = int(c["month"]), int(c["day"])
        words = f"Every year, {_day_words(o['month'], o['day'])} to {_day_words(month, day)}"
        return Rule(month, day, 1, None, (int(o["month"]), int(o["day"])), words)
    if "after" in raw:  # shifted from another obligation's yearly date (a non-leap year is used)
        base = _rule(rules[raw["after"]], rules, titles)
        if base.month is None:
            raise ValueError(f"rule after {raw['after']}: that obligation has no date")
        start = dt.date(2027, base.month, base.day or calendar.monthrange(2027, base.month)[1])
        months = base.month - 1 + int(raw.get("months", 0))
        moved = start.replace(year=2027 + months // 12, month=months % 12 + 1)
        due = moved + dt.timedelta(days=int(raw.get("days", 0)))
        less = {0: "", -1: ", less a day"}.get(int(raw.get("days", 0)), f", {raw.get('days')} days")
        words = (
            f"Every year, {raw.get('months', 0)} months after the {titles[raw['after']].lower()}{less}: "
            f"{_day_words(due.month, due.day)}"
        )
        return Rule(due.month, due.day, 1, None, None, words)
    if "every_years" in raw:
        first: dt.date = raw["first"]
        n = int(raw["every_years"])
        return Rule(
            first.month, first.day, n, first.year, None, f"At least every {n} years from {first:%-d %B %Y}"
        )
    return Rule(None, None, 1, None, None, f"No fixed national date: {str(raw['none']).rstrip('.')}")


def parse_obligations(items: list[dict[str, Any]]) -> tuple[Obligation, ...]:
    rules = {x["id"]: x["rule"] for x in items}
    titles = {x["id"]: x["title"] for x in items}
    return tuple(
        Obligation(
            id=x["id"],
            title=x["title"],
            what=x["what"],
            rule=_rule(x["rule"], rules, titles),
            applies_to=tuple(x["applies_to"]),
            hias=tuple(int(h) for h in x.get("hias") or ()),
            plan_terms=tuple(str(t) for t in x.get("plan_terms") or ()),
            verified=bool(x["verified"]),
            source=x["source"],
            quote=x.get("quote"),
            note=x.get("note"),
            checked=x["checked"],
        )
        for x in items
    )
