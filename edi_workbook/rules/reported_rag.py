"""The plan's own RAG beside the rule's: optimism is worth a word (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule

_HOPEFUL = ("Green", "Blue")
_WORRYING = ("Red", "Amber")


@rule(
    "rag-disagrees",
    Severity.WARNING,
    "Reported RAG looks optimistic",
    explanation="The plan's own RAG column says Green or Blue, but the RAG rule (overdue, due within "
    "AmberDays, on hold, or behind its schedule) says Red or Amber. Check the action and update one or "
    "the other; a board reading the plan sees the reported colour.",
    example="Action R14 is reported Green but its due date passed 20 days ago (rule: Red, overdue).",
)
def rag_disagrees(ctx: RuleContext) -> Iterator[Finding]:
    reported = ctx.plan.reported_rag
    if not any(r in _HOPEFUL for r in reported):
        return
    from edi_workbook.rag_rating import rule_rag

    rated, reasons = rule_rag(ctx.plan, ctx.as_of, ctx.settings)
    for i, (said, rule_says, why) in enumerate(zip(reported, rated, reasons, strict=True)):
        if said in _HOPEFUL and rule_says in _WORRYING:
            yield ctx.finding(
                "rag-disagrees",
                f"The plan reports {said}, but by its due date and progress it is {rule_says} ({why}). "
                "Update the RAG, or the dates and progress behind it.",
                i,
                "rag",
            )
