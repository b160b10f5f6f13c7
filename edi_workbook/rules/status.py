"""The status is one the plan understands (or a common synonym of one)."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.reference import load
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import quote, raw, unreadable_rows


@rule(
    "unknown-status",
    Severity.ERROR,
    "Unknown status",
    explanation="Status must be one of the plan's statuses (Not started, In progress, Complete, On hold, "
    "Cancelled). Common words such as Done, Ongoing or Delayed are understood.",
    example='Action A2\'s status is "Nearly there".',
)
def unknown_status(ctx: RuleContext) -> Iterator[Finding]:
    allowed = ", ".join(load().status_names)
    typed = raw(ctx, "status")
    for i in unreadable_rows(ctx, "status"):
        yield ctx.finding(
            "unknown-status",
            f"Status {quote(typed[i])} is not recognised. Use one of: {allowed}.",
            i,
            "status",
        )
