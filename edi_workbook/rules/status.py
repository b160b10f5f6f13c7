"""The status is one the plan understands (or a common synonym of one)."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook import values
from edi_workbook.findings import Finding, Severity
from edi_workbook.reference import load
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import parsed, quote, raw


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
    for i, (r, p) in enumerate(zip(raw(ctx, "status"), parsed(ctx, "status"), strict=True)):
        if not values.is_blank(r) and p is None and not values.is_excel_error(r):
            yield ctx.finding(
                "unknown-status", f"Status {quote(r)} is not recognised. Use one of: {allowed}.", i, "status"
            )
