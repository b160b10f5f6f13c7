"""An open action whose due date has passed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import CLOSED, fmt_date, parsed, status_of


@rule(
    "overdue",
    Severity.WARNING,
    "Overdue",
    explanation="The due date is before the as-of date (by default today) and the action is not Complete "
    "or Cancelled.",
    example="On 1 June 2025, action A5 was due on 31 March 2025 and is In progress.",
)
def overdue(ctx: RuleContext) -> Iterator[Finding]:
    yield from ctx.findings_at("overdue", "due_date", _overdue(ctx))


def _overdue(ctx: RuleContext) -> Iterator[tuple[int, str]]:
    said: dict[dt.date, str] = {}  # one message per due date: a large plan shares them
    as_of = ctx.as_of
    for i, (d, s) in enumerate(zip(parsed(ctx, "due_date"), status_of(ctx), strict=True)):
        if d is not None and d < as_of and s not in CLOSED:
            message = said.get(d)
            if message is None:
                days = (as_of - d).days
                message = said[d] = (
                    f"Due {fmt_date(d)} ({days} day{'s' if days != 1 else ''} ago) and not complete. "
                    "Update the status, or agree a new due date."
                )
            yield i, message
