"""A success measure should say how success will be counted: a number, a percentage, a count or a date."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import measured, parsed


@rule(
    "measure-not-measurable",
    Severity.WARNING,
    "Success measure has nothing to count",
    explanation="A success measure with no number, percentage, count or date cannot show whether the "
    "action worked.",
    example='Action A2\'s success measure is "Improved staff experience".',
)
def measure_not_measurable(ctx: RuleContext) -> Iterator[Finding]:
    message = (
        "The success measure has no number, percentage, count or date. Add a target, such as "
        "'80% of managers trained by March 2026'."
    )
    rows = parsed(ctx, "success_measure")
    vague = [(i, message) for i, ok in enumerate(measured(ctx)) if not ok and rows[i] is not None]
    yield from ctx.findings_at("measure-not-measurable", "success_measure", vague)
