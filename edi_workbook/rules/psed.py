"""The PSED aim(s) of each action: present and one of (a), (b), (c) of Equality Act 2010 s.149(1)."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.reference import load
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import blank, by_value, flagged, has_column, parsed


@rule(
    "unknown-psed-aim",
    Severity.ERROR,
    "Unknown PSED aim",
    explanation="The Public Sector Equality Duty has three aims (Equality Act 2010 s.149(1)): (a) "
    "eliminate discrimination, (b) advance equality of opportunity, (c) foster good relations.",
    example='Action A2\'s PSED aim is "d".',
)
def unknown_psed_aim(ctx: RuleContext) -> Iterator[Finding]:
    aims = load().psed_aims
    letters = {a.aim for a in aims}
    allowed = ", ".join(a.label for a in aims)

    def judge(p: tuple[str, ...] | None) -> str | None:
        bad = [t for t in p or () if t not in letters]
        return (
            f"PSED aim {', '.join(repr(b) for b in bad)} is not recognised. Use {allowed}." if bad else None
        )

    messages = by_value(parsed(ctx, "psed_aim"), judge)
    yield from ctx.findings_at("unknown-psed-aim", "psed_aim", flagged(messages))


@rule(
    "missing-psed-aim",
    Severity.WARNING,
    "No PSED aim",
    explanation="Naming the PSED aim each action serves shows how the plan meets the general equality duty.",
    example="Action A11's PSED aim cell is empty.",
)
def missing_psed_aim(ctx: RuleContext) -> Iterator[Finding]:
    if not has_column(ctx, "psed_aim"):
        return
    message = "No PSED aim. Say which aim this action serves: (a), (b) or (c)."
    rows = zip(blank(ctx, "psed_aim"), parsed(ctx, "psed_aim"), strict=True)
    empty = [(i, message) for i, (b, p) in enumerate(rows) if b or p == ()]
    yield from ctx.findings_at("missing-psed-aim", "psed_aim", empty)
