"""Cells every action needs: Action ID, the action text and an owner."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import blank, has_column


def _blank(ctx: RuleContext, key: str) -> Iterator[int]:
    if has_column(ctx, key):
        yield from (i for i, b in enumerate(blank(ctx, key)) if b)


@rule(
    "missing-action-id",
    Severity.ERROR,
    "Missing Action ID",
    explanation="Every action needs a short unique reference so updates, reminders and reports can "
    "refer to it.",
    example="Row 9 has an action and an owner but the Action ID cell is empty.",
)
def missing_action_id(ctx: RuleContext) -> Iterator[Finding]:
    for i in _blank(ctx, "action_id"):
        yield ctx.finding(
            "missing-action-id",
            "This action has no Action ID. Give it a short unique reference such as A12.",
            i,
            "action_id",
        )


@rule(
    "missing-action",
    Severity.ERROR,
    "Missing action text",
    explanation="A row with an ID, owner or dates but no action text says nothing about what will be done.",
    example="Action A7 has an owner and a due date but the Action cell is empty.",
)
def missing_action(ctx: RuleContext) -> Iterator[Finding]:
    for i in _blank(ctx, "action"):
        yield ctx.finding(
            "missing-action", "There is no action text. Describe what will be done.", i, "action"
        )


@rule(
    "missing-owner",
    Severity.ERROR,
    "Missing owner",
    explanation="Every action needs a named owner (a person or a role) so someone is accountable for it.",
    example="Action A3 has no one in the Owner column.",
)
def missing_owner(ctx: RuleContext) -> Iterator[Finding]:
    for i in _blank(ctx, "owner"):
        yield ctx.finding(
            "missing-owner", "No owner. Name the person or role responsible for this action.", i, "owner"
        )
