"""A column the plan needs is missing altogether (a foreign layout without, say, an Owner column)."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.reference import load
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import has_column

REQUIRED = ("action_id", "action", "owner", "due_date")
"""Without these a plan cannot be checked or followed up: an error when absent."""
EXPECTED = ("hia", "psed_aim", "status")
"""The plan should have these too: a warning when absent."""


@rule(
    "missing-column",
    Severity.ERROR,
    "A plan column is missing",
    explanation="The plan has no column for something every action needs (Action ID, Action, Owner, "
    "Due date: an error; HIA, PSED aim, Status: a warning). Per-row checks of that column are skipped.",
    example="A plan with columns Ref, Action, Deadline but no Owner or Lead column.",
)
def missing_column(ctx: RuleContext) -> Iterator[Finding]:
    if len(ctx.plan) == 0 and not ctx.plan.column_map:
        return
    for key in (*REQUIRED, *EXPECTED):
        if has_column(ctx, key):
            continue
        header = load().header_of(key)
        yield ctx.finding(
            "missing-column",
            f"The plan has no '{header}' column. Add a column headed '{header}' and fill it in "
            "for each action.",
            severity=Severity.ERROR if key in REQUIRED else Severity.WARNING,
        )
