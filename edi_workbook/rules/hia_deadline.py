"""An action due later than the latest national deadline of its HIA (reference ``national_deadlines``).

Only a deadline still ahead on the as-of date counts: once the HIA's last national deadline has
passed, every action a 2026/27 plan keeps for that HIA would be "after" it, and a warning on each
would bury the findings that matter. ``edi-workbook deadlines --plan PATH`` still lists passed
deadlines beside the plan's dates. The RAG module has plan-level checks per national deadline
(``rules/national_deadlines.py``); this one looks at each action's own due date.
"""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import CLOSED, fmt_date, parsed, status_of


@rule(
    "due-after-national-deadline",
    Severity.WARNING,
    "Due after the national deadline for its HIA",
    explanation="The action is due after the latest national deadline NHS England set for its High "
    "Impact Action, and that deadline has not passed yet, so the organisation will not meet it "
    "through this action. Deadlines already passed on the as-of date are not checked.",
    example="As of 1 January 2025, action A1 (HIA 1) is due on 30 June 2025; HIA 1's last national "
    "deadline is March 2025.",
)
def due_after_national_deadline(ctx: RuleContext) -> Iterator[Finding]:
    from edi_workbook.deadlines import latest_by_hia

    latest = latest_by_hia()
    rows = zip(parsed(ctx, "due_date"), parsed(ctx, "hia"), status_of(ctx), strict=True)
    for i, (due, hias, status) in enumerate(rows):
        if due is None or status in CLOSED:
            continue
        for n in hias or ():
            nd = latest.get(n)
            if nd is not None and nd.date >= ctx.as_of and due > nd.date:
                yield ctx.finding(
                    "due-after-national-deadline",
                    f"Due {fmt_date(due)}, after HIA {n}'s national deadline ({nd.wording}: {nd.action}). "
                    "Bring it forward, or record why it will be later.",
                    i,
                    "due_date",
                )
