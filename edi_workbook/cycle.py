"""A plan against the EDI reporting cycle: which actions feed each obligation of its organisation.

An action *feeds* an obligation when its Action or Success measure names one of the obligation's
``plan_terms`` (``reporting_cycle`` in ``data/reference.yaml``: "pay gap", "WDES", "EDS"...), as a
whole word, any case, plural or not. Only obligations that apply to the plan's organisation type
count: the ``Organisation type`` of Plan details mapped by ``organisation_types`` (the one place
that mapping lives; :meth:`edi_workbook.reference.Reference.org_type`). A plan whose type is
blank or not recognised is not checked against the cycle.

>>> [o.id for o in feeds("Publish the WDES report and the gender pay gaps")]
['gender-pay-gap', 'wdes-data', 'wdes-report']
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from edi_workbook import reference
from edi_workbook.deadlines import Instance, next_instance

if TYPE_CHECKING:
    from edi_workbook.plan import Plan

__all__ = [
    "CycleCheck",
    "LateAction",
    "applies_to_of",
    "feeding",
    "feeds",
    "late_actions",
    "plan_vs_cycle",
]

_CANCELLED, _COMPLETE = "Cancelled", "Complete"


@functools.cache
def _matcher() -> tuple[re.Pattern[str], dict[str, tuple[reference.Obligation, ...]]]:
    """One pattern finding every term, overlapping ones included ("ethnicity pay gaps" names both
    "ethnicity pay gap" and "pay gap"), and the obligations of each term."""
    by_term: dict[str, tuple[reference.Obligation, ...]] = {}
    for ob in reference.load().obligations:
        for term in (t.lower() for t in ob.plan_terms):
            by_term[term] = (*by_term.get(term, ()), ob)
    alternatives = "|".join(re.escape(t) for t in sorted(by_term, key=len, reverse=True))
    pattern = re.compile(rf"(?<![a-z0-9])(?=({alternatives})(?:s|es)?(?![a-z0-9]))")
    return pattern, by_term


def feeds(text: Any) -> tuple[reference.Obligation, ...]:
    """The obligations (with ``plan_terms``) that ``text`` names, in reference order."""
    if not isinstance(text, str) or not text:
        return ()
    pattern, by_term = _matcher()
    found = {ob.id for m in pattern.finditer(" ".join(text.lower().split())) for ob in by_term[m.group(1)]}
    return tuple(ob for ob in reference.load().obligations if ob.id in found) if found else ()


def applies_to_of(plan: Plan) -> str | None:
    """The plan's organisation type as an ``applies_to`` value (None: blank or not recognised)."""
    kind = reference.load().org_type(plan.details.organisation_type)
    return kind.applies_to if kind else None


def feeding(plan: Plan) -> list[tuple[int, tuple[reference.Obligation, ...]]]:
    """(row, the obligations it feeds) for each action that is not cancelled and feeds one.

    Columns are read as lists once (pandas' per-value access would cost seconds on a large plan).
    """
    columns = zip(plan.column("action"), plan.column("success_measure"), plan.column("status"), strict=True)
    out = []
    for i, (action, measure, status) in enumerate(columns):
        if status == _CANCELLED:
            continue
        text = " ".join(t for t in (action, measure) if isinstance(t, str))
        if fed := feeds(text):
            out.append((i, fed))
    return out


@dataclass(frozen=True)
class CycleCheck:
    """One obligation of the plan's organisation type, its next date, and the actions feeding it."""

    instance: Instance  # the obligation's first instance on or after as-of
    indices: tuple[int, ...]  # rows of the actions that feed it (cancelled ones left out)
    action_ids: tuple[str | None, ...]


def plan_vs_cycle(
    plan: Plan,
    as_of: dt.date | None = None,
    *,
    applies_to: str | None = None,
    rows: list[tuple[int, tuple[reference.Obligation, ...]]] | None = None,
) -> list[CycleCheck]:
    """Each dated obligation with ``plan_terms`` that applies to the plan's organisation type
    (``applies_to`` overrides it), with the plan's actions that feed it; [] for an unknown type.
    ``rows`` is :func:`feeding`'s answer when the caller has it already."""
    as_of = as_of or plan.settings.effective_as_of()
    kind = applies_to or applies_to_of(plan)
    if kind is None:
        return []
    rows = feeding(plan) if rows is None else rows
    ids = [None if v is None else str(v) for v in plan.column("action_id")]  # as Plan.action_id
    rows_of: dict[str, list[int]] = {}
    for i, fed in rows:
        for ob in fed:
            rows_of.setdefault(ob.id, []).append(i)
    out = []
    for ob in reference.load().obligations:
        nxt = next_instance(ob, as_of) if ob.plan_terms and kind in ob.applies_to else None
        if nxt is not None:
            idx = tuple(rows_of.get(ob.id, ()))
            out.append(CycleCheck(nxt, idx, tuple(ids[i] for i in idx)))
    return sorted(out, key=lambda c: c.instance.date)


@dataclass(frozen=True)
class LateAction:
    """An open action due after the national date it feeds."""

    index: int
    due: dt.date
    instance: Instance  # the latest of the dates it feeds (from as-of, or its start date if later)


def late_actions(
    plan: Plan,
    as_of: dt.date | None = None,
    *,
    rows: list[tuple[int, tuple[reference.Obligation, ...]]] | None = None,
) -> list[LateAction]:
    """Open actions due after the national date they feed, for the plan's organisation type.

    The date an action feeds is its obligations' next instance on or after as-of, or after its
    start date when that is later (an action started after this year's date works for next
    year's). An action feeding several obligations is judged against the latest of them: one
    that both submits the WDES data (31 May) and publishes the WDES report (31 October) is late
    only after 31 October.
    """
    as_of = as_of or plan.settings.effective_as_of()
    kind = applies_to_of(plan)
    if kind is None:
        return []
    rows = feeding(plan) if rows is None else rows
    if not rows:
        return []
    dues, starts = plan.column("due_date"), plan.column("start_date")
    status = plan.column("status")
    out = []
    for i, fed in rows:
        due, start = dues[i], starts[i]
        if due is None or status[i] == _COMPLETE:
            continue
        since = max(as_of, start) if start else as_of
        dates = [n for ob in fed if kind in ob.applies_to and (n := next_instance(ob, since)) is not None]
        if dates:
            latest = max(dates, key=lambda n: n.date)
            if due > latest.date:
                out.append(LateAction(i, due, latest))
    return out
