"""The plan against the EDI reporting year: obligations with no action, actions due too late.

Both rules judge only the obligations that apply to the plan's organisation type (Plan details,
``Organisation type``, mapped by ``organisation_types`` in the reference data) and say nothing
when that type is blank or not recognised. Which action feeds which obligation, and the dates,
come from :mod:`edi_workbook.cycle`; the obligations and their sources from ``reporting_cycle``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import fmt_date

if TYPE_CHECKING:
    from edi_workbook.obligations import Obligation

WITHOUT = "obligation-without-action"
LATE = "due-after-obligation"


def _feeding(ctx: RuleContext) -> list[tuple[int, tuple[Obligation, ...]]]:
    """Which rows feed which obligations: worked out once per validation, shared by both rules."""
    from edi_workbook.cycle import applies_to_of, feeding

    if "cycle_rows" not in ctx.cache:
        ctx.cache["cycle_rows"] = feeding(ctx.plan) if applies_to_of(ctx.plan) else []
    rows: list[tuple[int, tuple[Obligation, ...]]] = ctx.cache["cycle_rows"]
    return rows


def _when(ob_verified: bool, day_words: str) -> str:
    return day_words if ob_verified else f"{day_words}; date unverified"


@rule(
    WITHOUT,
    Severity.WARNING,
    "A national obligation of the reporting year has no action",
    explanation="A recurring national obligation that applies to the organisation's type (from "
    "Organisation type on Plan details: gender pay gap, PSED equality information and objectives, "
    "WRES, WDES, EDS 2022) falls due in the 12 months from the as-of date and no action in the plan "
    "names it. Cancelled actions do not count. "
    "Dates marked unverified were not found in a source (docs/deadlines.md).",
    example="An NHS trust's plan has no action about the pay gap; the gender pay gap must be "
    "published by 30 March 2027.",
)
def obligation_without_action(ctx: RuleContext) -> Iterator[Finding]:
    from edi_workbook.cycle import plan_vs_cycle
    from edi_workbook.deadlines import span_end

    end = span_end(ctx.as_of)
    for c in plan_vs_cycle(ctx.plan, ctx.as_of, rows=_feeding(ctx)):
        if c.indices or c.instance.date >= end:  # only the year ahead: not a 2030 objective today
            continue
        ob = c.instance.obligation
        rule = ob.rule.words[:1].lower() + ob.rule.words[1:]
        yield ctx.finding(
            WITHOUT,
            f"No action feeds '{ob.title}' ({_when(ob.verified, rule)}), next due "
            f"{fmt_date(c.instance.date)}. Add an action for it, naming it (for example "
            f"'{ob.plan_terms[0]}'), or record why it does not apply.",
        )


@rule(
    LATE,
    Severity.WARNING,
    "Due after the national date it feeds",
    explanation="The action names a recurring national obligation of the organisation's type (its "
    "Action or Success measure mentions, say, the pay gap or WDES) and is due after that "
    "obligation's next date, so it will not be ready in time. An action feeding several "
    "obligations is judged against the latest of their dates; one starting later feeds the next "
    "year's date.",
    example="As of 22 November 2026, an NHS trust's action 'Publish the WDES report' is due "
    "30 November 2027; the WDES report is due 31 October 2027.",
)
def due_after_obligation(ctx: RuleContext) -> Iterator[Finding]:
    from edi_workbook.cycle import late_actions

    items = []
    for late in late_actions(ctx.plan, ctx.as_of, rows=_feeding(ctx)):
        ob = late.instance.obligation
        mark = "" if ob.verified else " (date unverified)"
        message = (
            f"Due {fmt_date(late.due)}, after the national date it feeds: '{ob.title}', "
            f"{fmt_date(late.instance.date)}{mark}. Bring it forward, or record why it will be later."
        )
        items.append((late.index, message))
    yield from ctx.findings_at(LATE, "due_date", items)
