"""``edi-workbook deadlines``: the national deadlines ahead, recurring and HIA, and where each stands.

Calls :func:`edi_workbook.deadlines.entries` (the reporting cycle's instances for the next 12
months and the HIA milestones not yet passed; ``--history`` adds the passed ones). With
``--plan PATH`` the as-of date, the Due-soon window and the organisation type come from the plan,
and each deadline shows the plan's actions for it (:func:`edi_workbook.deadlines.plan_vs_national`
for HIA milestones, :func:`edi_workbook.cycle.plan_vs_cycle` for recurring obligations). JSON is
``{"as_of", "deadlines": [{"id", "kind", "title", "date", "status", "days", "applies_to",
"verified", "source"}]}`` (docs/deadlines.md); CSV has the same columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from edi_workbook.cli.options import as_of_option, format_option

if TYPE_CHECKING:
    from edi_workbook.deadlines import Entry
    from edi_workbook.plan import Plan

__all__ = ["deadlines"]

_STATUS_COLOUR = {"Passed": "bright_black", "Due soon": "yellow", "Upcoming": "green"}
CSV_COLUMNS = ("id", "kind", "title", "date", "status", "days", "applies_to", "verified", "source")
APPLIES_TO = ("trust", "icb", "primary-care", "public-body")
"""The organisation types of ``organisation_types`` in the reference data (a test keeps them equal)."""


def _flag(e: Entry) -> str:
    from edi_workbook import workdays

    flag = "" if e.verified else " (unverified)"
    if e.non_working_day and e.days >= 0:
        flag += f" [{e.non_working_day}: remind on {workdays.previous_working_day(e.date):%d/%m/%Y}]"
    return flag


def _text(items: list[Entry], as_of: dt.date, scope: str, plan_lines: dict[str, str] | None) -> str:
    from edi_workbook import reference

    ref = reference.load()
    lines = [f"National deadlines as of {as_of.day} {as_of:%B %Y}: {scope}"]
    if not items:
        lines.append("Nothing falls due.")
    else:
        lines.append(f"{'Date':<12}{'Status':<10}{'Days':>6}  Deadline")
    pad = " " * 30
    for e in items:
        status = click.style(f"{e.status:<10}", fg=_STATUS_COLOUR.get(e.status))
        what = e.title if e.hia is None else f"{e.id}: {e.title}"
        lines.append(f"{e.date:%d/%m/%Y}  {status}{e.days:>6}  {what}{_flag(e)}")
        lines.append(f"{pad}{e.detail} - {ref.applies_to_words(e.applies_to)}")
        if plan_lines is not None:
            lines.append(f"{pad}plan: {plan_lines.get(e.id, 'not checked against plans')}")
    if any(not e.verified for e in items):
        lines.append("(unverified): a date not seen in a source; see docs/deadlines.md.")
    if any(e.non_working_day and e.days >= 0 for e in items):
        lines.append("[...] the date is not a working day in England and Wales; reminders move earlier.")
    return "\n".join(lines)


def _csv(items: list[Entry]) -> str:
    from edi_workbook.safe_text import neutralise

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for e in items:
        d = e.to_dict() | {"applies_to": "; ".join(e.applies_to)}
        w.writerow([neutralise(d[k]) if isinstance(d[k], str) else d[k] for k in CSV_COLUMNS])
    return buf.getvalue()


def _plan_checks(plan: Plan, as_of: dt.date, kind: str | None) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Per deadline id: one line of text, and the JSON records."""
    from edi_workbook.cycle import plan_vs_cycle
    from edi_workbook.deadlines import plan_vs_national

    text: dict[str, str] = {}
    records: list[dict[str, Any]] = []
    for c in plan_vs_national(plan, as_of=as_of):
        nd = c.deadline.deadline
        text[nd.id] = _hia_line(c.action_ids, c.last_date, c.after, c.days_after)
        records.append(c.to_dict() | {"deadline": nd.id, "kind": "hia"})
    for cc in plan_vs_cycle(plan, as_of, applies_to=kind) if kind else []:
        ids = [a or f"row {plan.rows[i]}" for a, i in zip(cc.action_ids, cc.indices, strict=True)]
        text[cc.instance.id] = (
            f"fed by {', '.join(ids)}" if ids else click.style("no action feeds it", fg="red")
        )
        records.append({"deadline": cc.instance.id, "kind": "annual", "action_ids": list(cc.action_ids)})
    return text, records


def _hia_line(ids: tuple[str | None, ...], last: dt.date | None, after: bool, days_after: int | None) -> str:
    if not ids:
        return "no action for this HIA"
    n = len(ids)
    if last is None:
        return f"{n} action(s), none dated"
    when = f"last due {last:%d/%m/%Y}"
    if after:
        return click.style(f"{n} action(s), {when}: {days_after} days after the deadline", fg="red")
    return f"{n} action(s), {when}: in time"


@click.command()
@as_of_option
@format_option("text", "json", "csv")
@click.option(
    "--applies-to",
    "applies_to",
    type=click.Choice(APPLIES_TO),
    default=None,
    help="Only the deadlines of this type of organisation (default: all; with --plan, the plan's).",
)
@click.option("--history", is_flag=True, help="Also list the HIA milestones that have passed.")
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Judge as of this plan's AsOfDate, for its organisation type, and show its actions for each.",
)
def deadlines(
    as_of: dt.date | None, fmt: str, applies_to: str | None, history: bool, plan_path: Path | None
) -> int:
    """National deadlines: the EDI reporting year's next 12 months and the HIA milestones ahead."""
    from edi_workbook import reference
    from edi_workbook.deadlines import entries

    soon, plan, note = None, None, ""
    if plan_path is not None:
        from edi_workbook.cycle import applies_to_of
        from edi_workbook.read import read_plan

        plan = read_plan(plan_path)
        as_of = as_of or plan.settings.effective_as_of()
        soon = plan.settings.amber_days
        if applies_to is None:
            applies_to = applies_to_of(plan)
            typed = plan.details.organisation_type
            if applies_to is None and typed:
                note = f" (the plan's organisation type {typed!r} is not one we know: every deadline shown)"
    as_of = as_of or dt.date.today()
    items = entries(as_of, applies_to=applies_to, history=history, soon_days=soon)
    if fmt == "json":
        data: dict[str, object] = {"as_of": as_of.isoformat(), "deadlines": [e.to_dict() for e in items]}
        if plan is not None:
            data["plan"] = _plan_checks(plan, as_of, applies_to)[1]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(_csv(items), nl=False)
    else:
        scope = "the next 12 months" + (", with the HIA milestones that have passed" if history else "")
        if applies_to:
            scope += f", for {reference.load().applies_to_words((applies_to,))}"
        lines = _plan_checks(plan, as_of, applies_to)[0] if plan is not None else None
        click.echo(_text(items, as_of, scope + note, lines))
        if not items and applies_to:
            first, *rest = (a for a in APPLIES_TO if a != applies_to)
            who = reference.load().applies_to_words((applies_to,))
            click.echo(f"No national deadline in the reference data applies to {who} in this window.")
            click.echo(f"Other organisations' deadlines: --applies-to {first} (or {', '.join(rest)}).")
    return 0
