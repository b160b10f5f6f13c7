"""The action text is too vague to check (see :mod:`edi_workbook.smart`)."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import by_value, flagged, measured, parsed
from edi_workbook.smart import check_smart


@rule(
    "action-not-smart",
    Severity.WARNING,
    "Action not SMART",
    explanation="The action does not say what will change by how much and by when, taking the row's "
    "success measure and due date into account; or it leans on a vague verb such as 'raise awareness'.",
    example='Action A6 is "Promote inclusion" with no success measure and no due date.',
)
def action_not_smart(ctx: RuleContext) -> Iterator[Finding]:
    yield from ctx.findings_at("action-not-smart", "action", _vague(ctx))


def _vague(ctx: RuleContext) -> list[tuple[int, str]]:
    # check_smart reads the measure only through has_measure(measure): rows that share the text,
    # whether there is a due date and whether the measure counts share the verdict
    dated = [d is not None for d in parsed(ctx, "due_date")]
    rows = list(zip(parsed(ctx, "action"), dated, measured(ctx), strict=True))
    return flagged(by_value(rows, _judge))


def _judge(row: tuple[str | None, bool, bool]) -> str | None:
    text, dated, counts = row
    if text is None:
        return None
    result = check_smart(text, has_due_date=dated, measure_counts=counts)
    if result.ok:
        return None
    return f"Too vague to check ({'; '.join(result.reasons)}). Say what will change, by how much and by when."
