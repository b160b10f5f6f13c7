"""The due date: present, and a date (``TBC`` and ``Ongoing`` are not)."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import blank, has_column, quote, raw, unreadable_rows

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
    empty = [(i, f"No due date. {_HOW}.") for i, b in enumerate(blank(ctx, "due_date")) if b]
    yield from ctx.findings_at("missing-due-date", "due_date", empty)


@rule(
    "unreadable-due-date",
    Severity.ERROR,
    "Due date is not a date",
    explanation="The Due date cell holds text that is not a date, such as TBC or Ongoing. Dates, UK "
    "day-first dates, months (end of month), quarters and financial years are understood.",
    example='Action A5\'s due date is "TBC".',
)
def unreadable_due_date(ctx: RuleContext) -> Iterator[Finding]:
    if not has_column(ctx, "due_date"):
        return
    typed = raw(ctx, "due_date")
    for i in unreadable_rows(ctx, "due_date"):
        yield ctx.finding(
            "unreadable-due-date", f"The due date {quote(typed[i])} is not a date. {_HOW}.", i, "due_date"
        )
