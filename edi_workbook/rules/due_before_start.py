"""The due date comes before the start date."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import fmt_date, parsed


@rule(
    "due-before-start",
    Severity.ERROR,
    "Due date before start date",
    explanation="An action cannot be due before it starts; one of the two dates is wrong (often a "
    "month/day swap).",
    example="Action A3 starts on 1 September 2025 and is due on 30 June 2025.",
)
def due_before_start(ctx: RuleContext) -> Iterator[Finding]:
    for i, (s, d) in enumerate(zip(parsed(ctx, "start_date"), parsed(ctx, "due_date"), strict=True)):
        if s is not None and d is not None and d < s:
            yield ctx.finding(
                "due-before-start",
                f"Due {fmt_date(d)}, before it starts on {fmt_date(s)}. Correct one of the two dates.",
                i,
                "due_date",
            )
