"""``edi-workbook deadlines``: the national HIA deadlines and where each stands.

Calls :func:`edi_workbook.deadlines.national_deadlines`; with ``--plan PATH`` also
:func:`edi_workbook.deadlines.plan_vs_national`, which says when the plan's last action for each
deadline's HIA lands.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from edi_workbook.cli.options import as_of_option, format_option

if TYPE_CHECKING:
    from edi_workbook.deadlines import DeadlineStatus, PlanDeadlineCheck

_STATUS_COLOUR = {"Passed": "bright_black", "Due soon": "yellow", "Upcoming": "green"}


def _text(items: list[DeadlineStatus], checks: dict[str, PlanDeadlineCheck] | None) -> str:
    as_of = items[0].as_of if items else dt.date.today()
    lines = [f"National HIA deadlines as of {as_of:%d %B %Y}"]
    lines.append(f"{'ID':<14}{'HIA':<5}{'Date':<12}{'Status':<10}{'Days':>6}  Deadline")
    notes = False
    for d in items:
        nd = d.deadline
        flag = "" if nd.verified else " (unverified)"
        if d.non_working_day:
            flag += f" [{d.non_working_day}: remind on {d.previous_working_day:%d/%m/%Y}]"
            notes = True
        status = click.style(f"{d.status:<10}", fg=_STATUS_COLOUR.get(d.status))
        lines.append(
            f"{nd.id:<14}{nd.hia:<5}{nd.date:%d/%m/%Y}  {status}{d.days_remaining:>6}  "
            f"{nd.wording}: {nd.action}{flag}"
        )
        if checks is not None:
            lines.append(f"{'':<19}plan: {_plan_line(checks[nd.id])}")
    if notes:
        lines.append("[...] the deadline is not a working day in England and Wales; reminders move earlier.")
    return "\n".join(lines)


def _plan_line(c: PlanDeadlineCheck) -> str:
    if not c.action_ids:
        return "no action for this HIA"
    n = len(c.action_ids)
    if c.last_date is None:
        return f"{n} action(s), none dated"
    when = f"last due {c.last_date:%d/%m/%Y}"
    if c.after:
        return click.style(f"{n} action(s), {when}: {c.days_after} days after the deadline", fg="red")
    return f"{n} action(s), {when}: in time"


@click.command()
@as_of_option
@format_option("text", "json")
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Also show when this plan's last action for each deadline's HIA is due.",
)
def deadlines(as_of: dt.date | None, fmt: str, plan_path: Path | None) -> int:
    """The national HIA deadlines and their status (Passed, Due soon, Upcoming)."""
    from edi_workbook.deadlines import national_deadlines, plan_vs_national

    checks = None
    soon = None
    if plan_path is not None:
        from edi_workbook.read import read_plan

        plan = read_plan(plan_path)
        as_of = as_of or plan.settings.effective_as_of()
        soon = plan.settings.amber_days
        checks = {c.deadline.deadline.id: c for c in plan_vs_national(plan, as_of=as_of)}
    items = national_deadlines(as_of, soon_days=soon)
    if fmt == "json":
        data: dict[str, object] = {
            "as_of": items[0].as_of.isoformat() if items else None,
            "deadlines": [d.to_dict() for d in items],
        }
        if checks is not None:
            data["plan"] = [checks[d.deadline.id].to_dict() | {"deadline": d.deadline.id} for d in items]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(_text(items, checks))
    return 0
