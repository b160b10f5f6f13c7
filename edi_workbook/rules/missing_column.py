"""A column the plan needs is missing altogether (a foreign layout without, say, an Owner column).

Per-row checks of a missing column (``missing-owner``...) are skipped: one finding per column says it.
"""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.reference import load
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import has_column

REQUIRED = ("action_id", "action", "owner", "due_date")
"""Without these a plan cannot be checked or followed up."""
EXPECTED = ("hia", "psed_aim", "status")
"""The plan should have these too."""


def _missing(ctx: RuleContext, code: str, keys: tuple[str, ...]) -> Iterator[Finding]:
    if len(ctx.plan) == 0 and not ctx.plan.column_map:
        return
    for key in keys:
        if not has_column(ctx, key):
            header = load().header_of(key)
            yield ctx.finding(
                code,
                f"The plan has no '{header}' column. Add a column headed '{header}' and fill it in "
                "for each action.",
            )


@rule(
    "missing-column",
    Severity.ERROR,
    "A required column is missing",
    explanation="The plan has no column for something every action needs: Action ID, Action, Owner or "
    "Due date. Per-row checks of that column are skipped.",
    example="A plan with columns Ref, Action, Deadline but no Owner or Lead column.",
)
def missing_column(ctx: RuleContext) -> Iterator[Finding]:
    yield from _missing(ctx, "missing-column", REQUIRED)


@rule(
    "missing-recommended-column",
    Severity.WARNING,
    "A recommended column is missing",
    explanation="The plan has no HIA, PSED aim or Status column, so coverage of the High Impact Actions "
    "and the equality duty, or progress, cannot be checked.",
    example="Last year's plan has no PSED aim column.",
)
def missing_recommended_column(ctx: RuleContext) -> Iterator[Finding]:
    yield from _missing(ctx, "missing-recommended-column", EXPECTED)
