"""The due date: present, and a date (``TBC`` and ``Ongoing`` are not)."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook import values
from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import has_column, parsed, quote, raw

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
    for i, v in enumerate(raw(ctx, "due_date")):
        if values.is_blank(v):
            yield ctx.finding("missing-due-date", f"No due date. {_HOW}.", i, "due_date")


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
    for i, (r, p) in enumerate(zip(raw(ctx, "due_date"), parsed(ctx, "due_date"), strict=True)):
        if not values.is_blank(r) and p is None and not values.is_excel_error(r):
            yield ctx.finding(
                "unreadable-due-date", f"The due date {quote(r)} is not a date. {_HOW}.", i, "due_date"
            )
