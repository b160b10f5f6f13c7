"""The High Impact Action(s) of each action: present and between 1 and 6.

The six HIAs are those of NHS England's EDI improvement plan (2023); see reference ``hias``.
"""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.reference import load
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import blank, by_value, flagged, has_column, parsed


@rule(
    "hia-out-of-range",
    Severity.ERROR,
    "HIA not in 1-6",
    explanation="NHS England's EDI improvement plan has six High Impact Actions, numbered 1 to 6.",
    example="Action A4's HIA is HIA 7.",
)
def hia_out_of_range(ctx: RuleContext) -> Iterator[Finding]:
    known = {h.number for h in load().hias}
    lo, hi = min(known), max(known)

    def judge(hias: tuple[int, ...] | None) -> str | None:
        bad = [n for n in hias or () if n not in known]
        if not bad:
            return None
        names = ", ".join(f"HIA {n}" for n in bad)
        return f"{names} does not exist. Use HIA {lo} to HIA {hi}; several can be typed as 'HIA 2; HIA 6'."

    messages = by_value(parsed(ctx, "hia"), judge)
    yield from ctx.findings_at("hia-out-of-range", "hia", flagged(messages))


@rule(
    "missing-hia",
    Severity.WARNING,
    "No HIA",
    explanation="Linking each action to a High Impact Action shows how the plan covers the six HIAs. "
    "`edi-workbook map` suggests one from the action text.",
    example="Action A10's HIA cell is empty.",
)
def missing_hia(ctx: RuleContext) -> Iterator[Finding]:
    if not has_column(ctx, "hia"):
        return
    message = (
        "No High Impact Action. Link this action to one of HIA 1-6, or note why none applies "
        "(edi-workbook map suggests one when the text points to an HIA)."
    )
    rows = zip(blank(ctx, "hia"), parsed(ctx, "hia"), strict=True)
    empty = [(i, message) for i, (b, p) in enumerate(rows) if b or p == ()]
    yield from ctx.findings_at("missing-hia", "hia", empty)
