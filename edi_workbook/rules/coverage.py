"""Plan-level gaps: an HIA or a PSED aim that no action addresses, and a plan with no actions."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.reference import load
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import has_column, parsed


@rule(
    "empty-plan",
    Severity.ERROR,
    "Empty plan",
    explanation="The plan table was found but has no actions in it.",
    example="A copy of the blank template with no rows filled in.",
)
def empty_plan(ctx: RuleContext) -> Iterator[Finding]:
    if len(ctx.plan) == 0:
        yield ctx.finding(
            "empty-plan", "The plan has no actions. Fill in at least one row under the headers."
        )


@rule(
    "hia-without-action",
    Severity.WARNING,
    "HIA with no action",
    explanation="NHS England expects every organisation to act on all six High Impact Actions; this HIA "
    "has no action in the plan.",
    example="No action is linked to HIA 5 (Internationally recruited staff).",
)
def hia_without_action(ctx: RuleContext) -> Iterator[Finding]:
    if len(ctx.plan) == 0 or not has_column(ctx, "hia"):
        return
    covered = {n for hias in parsed(ctx, "hia") for n in hias or ()}
    for h in load().hias:
        if h.number not in covered:
            yield ctx.finding(
                "hia-without-action",
                f"No action addresses HIA {h.number} ({h.short_title}). Add at least one action for it.",
            )


@rule(
    "psed-aim-without-action",
    Severity.WARNING,
    "PSED aim with no action",
    explanation="The general equality duty has three aims (Equality Act 2010 s.149(1)); this aim has no "
    "action in the plan.",
    example="No action serves aim (c) Foster good relations.",
)
def psed_aim_without_action(ctx: RuleContext) -> Iterator[Finding]:
    if len(ctx.plan) == 0 or not has_column(ctx, "psed_aim"):
        return
    covered = {a for aims in parsed(ctx, "psed_aim") for a in aims or ()}
    for a in load().psed_aims:
        if a.aim not in covered:
            yield ctx.finding(
                "psed-aim-without-action",
                f"No action serves PSED aim {a.label}. Add at least one action for it.",
            )
