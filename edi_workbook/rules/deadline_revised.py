"""A due date that a revised deadline replaced ("Original deadline" and "Revised deadline" columns).

The reader rates such an action against its revised date (``read.grid._revise_due_dates``), so the
plan is told which deadline it is judged at and how far it moved: a board asks what slipped.
"""

from __future__ import annotations

from collections.abc import Iterator

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
