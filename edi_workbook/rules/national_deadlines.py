"""Plan-level: the plan's last action for an HIA lands after one of that HIA's national deadlines.

One finding per national deadline (reference ``national_deadlines``), from
:func:`edi_workbook.deadlines.plan_vs_national`. The HIA's *latest* deadline is left to the
per-action rule ``due-after-national-deadline`` (``rules/hia_deadline.py``), which already points
at each action due after it, so the two never say the same thing twice. A deadline already passed
on the as-of date is reported as info (it is a record, not something the plan can still change);
one still ahead is a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.reference import load
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import fmt_date

CODE = "after-national-deadline"


@rule(
    CODE,
    Severity.WARNING,
    "Plan finishes an HIA after one of its national deadlines",
    explanation="NHS England set dated national deadlines within each High Impact Action. The plan's "
    "last action for the HIA lands after an earlier one of them, so the plan does not show that "
    "deadline being met. Info when the deadline had already passed on the as-of date. The HIA's "
    "latest deadline is checked action by action (due-after-national-deadline).",
    example="HIA 2's talent management plan was due by June 2024; the plan's last HIA 2 action "
    "(A4) is due 31 March 2025.",
)
def after_national_deadline(ctx: RuleContext) -> Iterator[Finding]:
    from edi_workbook.deadlines import PASSED, plan_vs_national

    ref = load()
    for c in plan_vs_national(ctx.plan, as_of=ctx.as_of):
        nd = c.deadline.deadline
        latest = ref.deadlines_for(nd.hia)[-1].date  # checked per action by due-after-national-deadline
        if not c.after or nd.date >= latest or c.last_date is None or c.last_index is None:
            continue
        who = ctx.plan.action_id(c.last_index) or f"row {ctx.plan.rows[c.last_index] or c.last_index + 1}"
        passed = c.deadline.status == PASSED
        yield ctx.finding(
            CODE,
            f"HIA {nd.hia} national deadline {nd.id} ({nd.wording}: {nd.action}) "
            f"{'passed' if passed else 'falls'} on {fmt_date(nd.date)}, but the plan's last HIA {nd.hia} "
            f"action ({who}) lands {fmt_date(c.last_date)}. Show which action meets this deadline, "
            "or record why it will be late.",
            severity=Severity.INFO if passed else None,
        )
