"""Any other cell that holds something that could not be understood: never silently dropped.

The due date, status and PSED aim have rules of their own; this covers the start and completed
dates, % complete and the HIA.
"""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook import values
from edi_workbook.findings import Finding, Severity
from edi_workbook.reference import load
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import quote, raw, unreadable_rows

_HINTS = {
    "start_date": "Type a date such as 01/04/2025",
    "completed_date": "Type the date it was finished, such as 15/01/2026",
    "pct_complete": "Type a percentage such as 50%",
    "hia": "Type the HIA number, such as HIA 2 (several as 'HIA 2; HIA 6')",
}


@rule(
    "unreadable-value",
    Severity.ERROR,
    "Value not understood",
    explanation="A start date, completed date, % complete or HIA cell holds something that is not a "
    "date, a percentage or an HIA number, so it cannot be used.",
    example='Action A3\'s % complete is "about half".',
)
def unreadable_value(ctx: RuleContext) -> Iterator[Finding]:
    for key, hint in _HINTS.items():
        header = ctx.plan.column_map.get(key, load().header_of(key))
        typed = raw(ctx, key)
        for i in unreadable_rows(ctx, key):
            if key == "completed_date" and values.parse_status(typed[i]) == "Complete":
                continue  # "Completed" where the date goes: done, date not kept (the status says so)
            yield ctx.finding(
                "unreadable-value", f"{header} {quote(typed[i])} was not understood. {hint}.", i, key
            )
