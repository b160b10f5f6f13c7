"""% complete: within 0-100%, and in step with the status."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import parsed, status_of


def _pct(v: float) -> str:
    return f"{v * 100:g}%"


@rule(
    "pct-out-of-range",
    Severity.ERROR,
    "% complete outside 0-100",
    explanation="% complete must be between 0% and 100%. 0.5, 50% and 50 all mean half done.",
    example="Action A6's % complete is 150%.",
)
def pct_out_of_range(ctx: RuleContext) -> Iterator[Finding]:
    for i, v in enumerate(parsed(ctx, "pct_complete")):
        if v is not None and not 0 <= v <= 1:
            yield ctx.finding(
                "pct-out-of-range",
                f"% complete is {_pct(v)}. It must be between 0% and 100%.",
                i,
                "pct_complete",
            )


@rule(
    "complete-below-100",
    Severity.WARNING,
    "Complete but % complete below 100",
    explanation="The status says the action is finished but % complete says it is not.",
    example="Action A8 is Complete with 60% complete.",
)
def complete_below_100(ctx: RuleContext) -> Iterator[Finding]:
    for i, (s, v) in enumerate(zip(status_of(ctx), parsed(ctx, "pct_complete"), strict=True)):
        if s == "Complete" and v is not None and 0 <= v < 1:
            yield ctx.finding(
                "complete-below-100",
                f"Marked Complete but % complete is {_pct(v)}. Set it to 100%, or change the status.",
                i,
                "pct_complete",
            )


@rule(
    "pct-100-not-complete",
    Severity.WARNING,
    "100% complete but status not Complete",
    explanation="% complete says the action is finished but the status says it is not.",
    example="Action A9 is 100% complete with status In progress.",
)
def pct_100_not_complete(ctx: RuleContext) -> Iterator[Finding]:
    for i, (s, v) in enumerate(zip(status_of(ctx), parsed(ctx, "pct_complete"), strict=True)):
        if v == 1 and s not in ("Complete", "Cancelled"):
            yield ctx.finding(
                "pct-100-not-complete",
                "% complete is 100% but the status is not Complete. Set the status to Complete and add the "
                "completed date, or lower the %.",
                i,
                "status",
            )
