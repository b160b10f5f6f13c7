"""The due date: present, and a date; ``Ongoing``, ``TBC``, ``Quarterly`` say there is no fixed one."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook import values
from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import (
    CLOSED,
    blank,
    by_value,
    has_column,
    quote,
    raw,
    status_of,
    unreadable_rows,
)

_HOW = "Type a date such as 31/03/2026, or a month such as March 2026"


@rule(
    "missing-due-date",
    Severity.ERROR,
    "Missing due date",
    explanation="Without a due date an action cannot be RAG-rated, reminded or checked against the "
    "national deadlines.",
    example="Action A2's Due date cell is empty.",
)
def missing_due_date(ctx: RuleContext) -> Iterator[Finding]:
    if not has_column(ctx, "due_date"):
        return
    status = status_of(ctx)
    empty = [
        (i, f"No due date. {_HOW}.")
        for i, b in enumerate(blank(ctx, "due_date"))
        if b and status[i] not in CLOSED
    ]
    yield from ctx.findings_at("missing-due-date", "due_date", empty)


@rule(
    "unreadable-due-date",
    Severity.ERROR,
    "Due date is not a date",
    explanation="The Due date cell holds text that is not a date and does not say there is no fixed date. "
    "Dates, UK day-first dates, months (end of month), quarters, financial years and ranges are understood.",
    example='Action A5\'s due date is "After the restructure".',
)
def unreadable_due_date(ctx: RuleContext) -> Iterator[Finding]:
    if not has_column(ctx, "due_date"):
        return
    typed, vague = raw(ctx, "due_date"), _no_fixed(ctx)
    for i in unreadable_rows(ctx, "due_date"):
        if not vague[i]:
            yield ctx.finding(
                "unreadable-due-date", f"The due date {quote(typed[i])} is not a date. {_HOW}.", i, "due_date"
            )


@rule(
    "no-fixed-due-date",
    Severity.WARNING,
    "No fixed due date",
    explanation="The Due date cell says the work has no fixed date: Ongoing, TBC, Annually, Quarterly, "
    "Monthly, a season or a plan year. The action is rated Grey and gets no calendar reminder; the date "
    "of its next milestone would let both work.",
    example='Action A5\'s due date is "Ongoing".',
)
def no_fixed_due_date(ctx: RuleContext) -> Iterator[Finding]:
    if not has_column(ctx, "due_date"):
        return
    typed, vague = raw(ctx, "due_date"), _no_fixed(ctx)
    for i in unreadable_rows(ctx, "due_date"):
        if vague[i]:
            yield ctx.finding(
                "no-fixed-due-date",
                f"The due date {quote(typed[i])} is not a fixed date, so this action is Grey and gets no "
                f"reminder. If it has a next milestone, give its date ({_HOW[5:]}).",
                i,
                "due_date",
            )


def _no_fixed(ctx: RuleContext) -> list[bool]:
    if "no_fixed_date" not in ctx.cache:
        ctx.cache["no_fixed_date"] = by_value(raw(ctx, "due_date"), values.is_no_fixed_date)
    flags: list[bool] = ctx.cache["no_fixed_date"]
    return flags
