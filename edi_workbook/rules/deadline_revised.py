"""Revised deadlines ("Original deadline" and "Revised deadline" columns): how far one moved, and
one that could not be read.

The reader rates such an action against its revised date (``read.grid._revise_due_dates``), so the
plan is told which deadline it is judged at and how far it moved: a board asks what slipped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from edi_workbook import values
from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import fmt_date, parsed

CODE = "due-date-revised"


@rule(
    CODE,
    Severity.INFO,
    "Due date revised",
    explanation="The plan keeps the deadline first agreed and a revised one side by side; the action "
    "is rated, reminded and carried over at its revised date, and the first one is kept with it. "
    "If the revision was not agreed, clear the revised date.",
    example="Revised from 31 October 2025 to 31 January 2026 (92 days later); rated at the revised date.",
)
def due_date_revised(ctx: RuleContext) -> Iterator[Finding]:
    plan = ctx.plan
    if plan.original_due_column is None:
        return
    due = parsed(ctx, "due_date")
    found = []
    for i, d in enumerate(due):
        first = plan.original_due(i)
        if first is None or d is None or first == d:
            continue
        days = (d - first).days
        moved = f"{days} day{'s' if days != 1 else ''} {'later' if days > 0 else 'earlier'}"
        found.append(
            (i, f"Revised from {fmt_date(first)} to {fmt_date(d)} ({moved}); rated at the revised date.")
        )
    yield from ctx.findings_at(CODE, "due_date", found)


NOT_UNDERSTOOD = "revised-date-not-understood"


@rule(
    NOT_UNDERSTOOD,
    Severity.WARNING,
    "Revised deadline not understood",
    explanation="A revised-deadline cell holds something that is not a date (TBC, a typo such as "
    "31/13/2026), so the action is still rated, reminded and carried over at the deadline before it. "
    "Type the revised date as a date, or clear the cell if the deadline was not revised.",
    example="The Revised deadline 'TBC' is not a date, so action 4 is still rated at its due date, "
    "15 December 2025. Type the revised date (31/03/2027), or clear the cell.",
)
def revised_date_not_understood(ctx: RuleContext) -> Iterator[Finding]:
    plan = ctx.plan
    if not plan.revised_due_columns:
        return
    due = parsed(ctx, "due_date")
    for header, letter in plan.revised_due_columns:
        for i, v in enumerate(plan.extra_columns.get(header) or ()):
            if values.is_blank(v) or plan.original_due(i) is not None or values.revised_date(v) is not None:
                continue  # revised (perhaps by a later column), or a date that stayed
            if isinstance(v, str) and values.parse_status(v) is not None and not values.is_no_fixed_date(v):
                continue  # "Completed": a status, read as one where the plan has no Status column
            shown = " ".join(values.shown_text(v).split())
            rated = f"its due date, {fmt_date(due[i])}" if due[i] is not None else "no due date"
            f = ctx.finding(
                NOT_UNDERSTOOD,
                f"The {header} '{shown}' is not a date, so the action is still rated at {rated}. "
                "Type the revised date (31/03/2027), or clear the cell.",
                i,
                "due_date",
            )
            row = plan.rows[i]
            yield f if row is None else dataclasses.replace(f, cell=f"{letter}{row}", column=header)
