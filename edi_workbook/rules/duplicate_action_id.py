"""Two actions share an Action ID: reported at the later one, naming the row of the first."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import has_column, parsed


@rule(
    "duplicate-action-id",
    Severity.ERROR,
    "Duplicate Action ID",
    explanation="Action IDs must be unique, or updates and reminders go to the wrong action. IDs are "
    "compared ignoring case and spaces; the later row is reported.",
    example="Rows 5 and 12 both have the Action ID A4: row 12 is reported.",
)
def duplicate_action_id(ctx: RuleContext) -> Iterator[Finding]:
    if not has_column(ctx, "action_id"):
        return
    first: dict[str, int] = {}
    for i, v in enumerate(parsed(ctx, "action_id")):
        if v is None:
            continue
        text = str(v)
        key = text.casefold() if text.isalnum() else "".join(text.split()).casefold()  # no spaces to drop
        if key in first:
            j = first[key]
            where = f"row {ctx.plan.rows[j]}" if ctx.plan.rows[j] is not None else f"action {j + 1}"
            yield ctx.finding(
                "duplicate-action-id",
                f"Action ID {v} is already used in {where}. Give each action its own ID.",
                i,
                "action_id",
            )
        else:
            first[key] = i
