"""The action text is too vague to check (see :mod:`edi_workbook.smart`)."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import parsed
from edi_workbook.smart import SmartResult, check_smart


@rule(
    "action-not-smart",
    Severity.WARNING,
    "Action not SMART",
    explanation="The action does not say what will change by how much and by when, taking the row's "
    "success measure and due date into account; or it leans on a vague verb such as 'raise awareness'.",
    example='Action A6 is "Promote inclusion" with no success measure and no due date.',
)
def action_not_smart(ctx: RuleContext) -> Iterator[Finding]:
    rows = zip(parsed(ctx, "action"), parsed(ctx, "success_measure"), parsed(ctx, "due_date"), strict=True)
    seen: dict[tuple[str, bool, str | None], SmartResult] = {}  # a plan repeats its wording
    for i, (text, measure, due) in enumerate(rows):
        if text is None:
            continue
        key = (text, due is not None, measure)
        result = seen.get(key)
        if result is None:
            result = seen[key] = check_smart(text, has_due_date=key[1], measure=measure)
        if not result.ok:
            yield ctx.finding(
                "action-not-smart",
                f"Too vague to check ({'; '.join(result.reasons)}). Say what will change, by how much and by "
                "when.",
                i,
                "action",
            )
