"""The action text is too vague to check (see :mod:`edi_workbook.smart`)."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import measured, parsed
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


def _vague(ctx: RuleContext) -> Iterator[tuple[int, str]]:
    measures = parsed(ctx, "success_measure")
    rows = zip(parsed(ctx, "action"), parsed(ctx, "due_date"), measured(ctx), strict=True)
    # check_smart reads the measure only through has_measure(measure): rows that share the text,
    # whether there is a due date and whether the measure counts share the verdict
    said: dict[tuple[str, bool, bool], str | None] = {}
    for i, (text, due, counts) in enumerate(rows):
        if text is None:
            continue
        key = (text, due is not None, counts)
        if key not in said:
            result = check_smart(text, has_due_date=key[1], measure=measures[i])
            said[key] = (
                None
                if result.ok
                else (
                    f"Too vague to check ({'; '.join(result.reasons)}). Say what will change, by how much and "
                    "by when."
                )
            )
        message = said[key]
        if message is not None:
            yield i, message
