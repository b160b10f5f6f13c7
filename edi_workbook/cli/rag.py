"""``edi-workbook rag PATH``: RAG status of every action against its deadline.

Calls :func:`edi_workbook.read_plan` and :func:`edi_workbook.rag` with the same option names;
``--write-back`` calls :func:`edi_workbook.writeback.write_rag`. Text is a coloured table on a
terminal (the template's RAG colours) and plain when piped; ``json`` has the shape of
:meth:`RagResult.to_dict`; ``csv`` one row per action.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from edi_workbook.cli.options import as_of_option, format_option
from edi_workbook.rag_rating import RESULT_COLUMNS

if TYPE_CHECKING:
    from edi_workbook.rag_rating import RagResult

CSV_COLUMNS = tuple(c for c in RESULT_COLUMNS if c != "rule")
"""The result's columns (the plan's own RAG beside the rule's), less the internal number of the rule."""


def _rgb(hex_: str) -> tuple[int, int, int]:
    return int(hex_[0:2], 16), int(hex_[2:4], 16), int(hex_[4:6], 16)


def _badge(name: str, width: int) -> str:
    """The RAG word in the template's fill and font colours (stripped by click when piped)."""
    from edi_workbook import reference

    value = reference.load().rag(name)
    return click.style(f" {name:<{width}} ", bg=_rgb(value.fill), fg=_rgb(value.font))


def _text(result: RagResult, source: str, working: bool) -> str:
    s = result.settings
    actions = result.to_dict()["actions"]
    lines = [
        f"{source}: {len(actions)} actions as of {result.as_of:%d %B %Y} "
        f"(AmberDays {s.amber_days}, ProgressTolerance {s.progress_tolerance:g})",
    ]
    ids = [a["action_id"] or "" for a in actions]
    width = max([len("Action ID"), *map(len, ids)])
    days_key = "working_days_to_due" if working else "days_to_due"
    reported = any(a["reported_rag"] for a in actions)
    plan_col = f"  {'Plan says':<9}" if reported else ""
    lines.append(f"{'Action ID':<{width}}  {' RAG':<7}{plan_col}  {'Due':<11} {'Days':>6}  Reason")
    for aid, a in zip(ids, actions, strict=True):
        due = dt.date.fromisoformat(a["due_date"]).strftime("%d/%m/%Y") if a["due_date"] else ""
        mark = "*" if a["due_on_non_working_day"] else " "
        days = "" if a[days_key] is None else str(a[days_key])
        said = f"  {a['reported_rag'] or '':<9}" if reported else ""
        lines.append(f"{aid:<{width}}  {_badge(a['rag'], 5)}{said}  {due:<10}{mark} {days:>6}  {a['reason']}")
    totals = ", ".join(f"{n} {name}" for name, n in result.totals.items() if n)
    lines.append(f"Totals: {totals or 'no actions'}")
    if any(a["due_on_non_working_day"] for a in actions):
        lines.append("* due on a weekend or an England and Wales bank holiday")
    if working:
        lines.append("Days are working days (England and Wales).")
    if reported:
        lines.append(
            "Plan says: the colour in the plan's own RAG column (validate warns where it is rosier)."
        )
    return "\n".join(lines)


def _csv(result: RagResult) -> str:
    from edi_workbook.safe_text import neutralise

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rec in result.to_dict()["actions"]:
        writer.writerow([_cell(rec[k], neutralise) for k in CSV_COLUMNS])
    return buf.getvalue()


def _cell(value: Any, neutralise: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return neutralise(value) if isinstance(value, str) else value


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@as_of_option
@format_option("text", "json", "csv")
@click.option(
    "--amber-days",
    type=click.IntRange(min=0),
    default=None,
    help="An open action due within this many days is Amber (default: the plan's AmberDays, else 30).",
)
@click.option(
    "--progress-tolerance",
    type=click.FloatRange(min=0),
    default=None,
    help="Percentage points behind schedule that turn Green to Amber (default: the plan's, else 20).",
)
@click.option("--working-days", is_flag=True, help="Count days to due in England and Wales working days.")
@click.option(
    "--write-back",
    is_flag=True,
    help="Fill the RAG and Days to due values into the workbook where it has no formulas (backup kept).",
)
def rag(
    path: Path,
    as_of: dt.date | None,
    fmt: str,
    amber_days: int | None,
    progress_tolerance: float | None,
    working_days: bool,
    write_back: bool,
) -> int:
    """RAG status of every action against its deadline, with the reason.

    Blue complete, Grey cancelled or no due date, Red overdue, Amber due within AmberDays, on hold
    or behind schedule, else Green: the same rule as the template's formulas.
    """
    from edi_workbook.rag_rating import rag as run
    from edi_workbook.read import read_plan
    from edi_workbook.writeback import write_rag

    plan = read_plan(path)
    settings = plan.settings.replace(amber_days=amber_days, progress_tolerance=progress_tolerance)
    result = run(plan, as_of=as_of, settings=settings, working_days=working_days)
    if fmt == "json":
        click.echo(result.to_json())
    elif fmt == "csv":
        click.echo(_csv(result), nl=False)
    else:
        click.echo(_text(result, str(path), working_days))
    if write_back:
        done = write_rag(plan, result)
        if done is None:
            click.echo(
                f"{path}: RAG and Days to due are formulas here, so Excel keeps them; nothing written",
                err=True,
            )
        else:
            click.echo(f"{path}: {done.describe()}", err=True)
    return 0
