"""A column the plan needs is missing altogether (a foreign layout without, say, an Owner column).

Per-row checks of a missing column (``missing-owner``...) are skipped: one finding per column says it.
"""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.reference import load
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import has_column, raw

REQUIRED = ("action", "owner", "due_date")
"""Without these a plan cannot be checked or followed up."""
EXPECTED = ("hia", "psed_aim", "status")
"""The plan should have these too."""


def _missing(ctx: RuleContext, code: str, keys: tuple[str, ...]) -> Iterator[Finding]:
    if len(ctx.plan) == 0 and not ctx.plan.column_map:
        return
    for key in keys:
        if not has_column(ctx, key):
            if key == "due_date" and ctx.plan.due_from_text:
                continue
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
    explanation="The plan has no column for something every action needs: Action, Owner or Due date "
    "(a plan without a Due date column whose actions say their dates, '... (March 2026)', has them). "
    "Per-row checks of that column are skipped.",
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


@rule(
    "ids-from-rows",
    Severity.WARNING,
    "Actions named by their row",
    explanation="The plan has no Action ID column, or some actions have no ID, so those actions are "
    "named by their sheet row (R12) in every finding, report and reminder. Rows move when lines are "
    "added, so give each action a short unique ID that stays with it.",
    example="A published WDES plan with columns Action, Lead, Timescale: its actions are R5, R6...",
)
def ids_from_rows(ctx: RuleContext) -> Iterator[Finding]:
    plan = ctx.plan
    if not plan.ids_from_rows or len(plan) == 0:
        return
    if not has_column(ctx, "action_id"):
        yield ctx.finding(
            "ids-from-rows",
            "The plan has no Action ID column, so its actions are named by their row (R12). Add an "
            "'Action ID' column with a short unique ID for each action.",
        )
        return
    blanks = sum(
        1 for v in raw(ctx, "action_id") if isinstance(v, str) and v.startswith("R") and v[1:].isdigit()
    )
    yield ctx.finding(
        "ids-from-rows",
        f"{blanks} action{'' if blanks == 1 else 's'} ha{'s' if blanks == 1 else 've'} no Action ID, so "
        "they are named by their row (R12). Give each a short unique ID.",
    )
