"""The completed date: not in the future, and present once an action is Complete."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import blank, fmt_date, has_column, parsed, status_of


@rule(
    "completed-date-in-future",
    Severity.ERROR,
    "Completed date in the future",
    explanation="An action cannot have been completed after the date the plan is checked on (the "
    "as-of date, by default today).",
    example="On 1 June 2025, action A4 says it was completed on 30 September 2025.",
)
def completed_date_in_future(ctx: RuleContext) -> Iterator[Finding]:
    for i, d in enumerate(parsed(ctx, "completed_date")):
        if d is not None and d > ctx.as_of:
            yield ctx.finding(
                "completed-date-in-future",
                f"The completed date {fmt_date(d)} is after {fmt_date(ctx.as_of)}. Correct it, or clear it "
                "until the action is done.",
                i,
                "completed_date",
            )


@rule(
    "complete-without-completed-date",
    Severity.ERROR,
    "Complete but no completed date",
    explanation="A Complete action needs the date it was finished, for the audit trail and the report.",
    example="Action A1's status is Done but its Completed date cell is empty.",
)
def complete_without_completed_date(ctx: RuleContext) -> Iterator[Finding]:
    if not has_column(ctx, "completed_date"):
        return
    for i, (s, b) in enumerate(zip(status_of(ctx), blank(ctx, "completed_date"), strict=True)):
        if b and s == "Complete":
            yield ctx.finding(
                "complete-without-completed-date",
                "Marked Complete but there is no completed date. Add the date it was finished.",
                i,
                "completed_date",
            )
