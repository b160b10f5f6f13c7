"""Plan-level: the plan's last action for an HIA lands after one of that HIA's national deadlines.

One finding per national deadline (reference ``national_deadlines``), from
:func:`edi_workbook.deadlines.plan_vs_national` (computed here from the columns validation has
read: :func:`edi_workbook.deadlines.actions_by_hia`). The HIA's *latest* deadline is left to the
per-action rule ``due-after-national-deadline`` (``rules/hia_deadline.py``), which already points
at each action due after it, so the two never say the same thing twice. Only deadlines still
ahead on the as-of date (or on it) are checked: a passed one is history that the plan cannot
change, and ``edi-workbook deadlines --plan PATH`` lists it with the plan's dates.
"""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import fmt_date, parsed, status_of

CODE = "after-national-deadline"


@rule(
    CODE,
    Severity.WARNING,
    "Plan finishes an HIA after one of its national deadlines",
    explanation="NHS England set dated national deadlines within each High Impact Action. The plan's "
    "last action for the HIA lands after an earlier one of them, so the plan does not show that "
    "deadline being met. Only deadlines not yet passed on the as-of date are checked; the HIA's "
    "latest deadline is checked action by action (due-after-national-deadline).",
    example="HIA 2's talent management plan was due by June 2024; the plan's last HIA 2 action "
    "(A4) is due 31 March 2025.",
)
def after_national_deadline(ctx: RuleContext) -> Iterator[Finding]:
    # plan_vs_national's answer, from the columns validation has already read
    from edi_workbook.deadlines import PASSED, actions_by_hia, last_dated, latest_by_hia, national_deadlines

    latest_of = latest_by_hia()
    by_hia = None
    for status in national_deadlines(ctx.as_of, soon_days=ctx.plan.settings.amber_days):
        nd = status.deadline
        if status.status == PASSED or nd.date >= latest_of[nd.hia].date:
            continue  # the HIA's latest deadline is checked per action by due-after-national-deadline
        if by_hia is None:
            columns = ("due_date", "completed_date", "hia")
            by_hia = actions_by_hia(status_of(ctx), *(parsed(ctx, k) for k in columns))
        last_date, last_index = last_dated(by_hia.get(nd.hia, ()))
        if last_date is None or last_index is None or last_date <= nd.date:
            continue
        ids = ctx.column("action_id")
        who = None if ids[last_index] is None else str(ids[last_index])
        who = who or f"row {ctx.plan.rows[last_index] or last_index + 1}"
        yield ctx.finding(
            CODE,
            f"HIA {nd.hia} national deadline {nd.id} ({nd.wording}: {nd.action}) falls on "
            f"{fmt_date(nd.date)}, but the plan's last HIA {nd.hia} action ({who}) is due "
            f"{fmt_date(last_date)}. Show which action meets this deadline, or record why "
            "it will be late.",
        )
