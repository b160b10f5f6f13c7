"""``edi-workbook diff OLD NEW``: what changed between two returns of a plan.

Calls :func:`edi_workbook.diff` (or :func:`edi_workbook.changes.series` when more than two returns
are given, oldest first: the changes are between the last two, and each slipped due date says how
many times it has slipped across them all). ``--write-back`` writes the changes into NEW as a
``Changes`` sheet with :func:`edi_workbook.writeback.write_sheet` (backup kept). Exit code 0
whatever changed; 2 if a file cannot be read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from edi_workbook.cli.options import as_of_option, format_option, parse_as_of

if TYPE_CHECKING:
    from edi_workbook.changes import Change, PlanDiff
    from edi_workbook.plan import Plan

CSV_COLUMNS = ("action_id", "kind", "old", "new", "days", "slips", "action", "match")
SHEET = "Changes"
SHEET_COLUMNS = ("Action ID", "Change", "Was", "Now", "Days", "Times slipped", "Action", "Matched")
_WIDTHS = (10, 14, 30, 30, 7, 8, 60, 40)
LABELS = {
    "added": "New action",
    "removed": "Removed",
    "reworded": "Reworded",
    "owner": "Owner",
    "due_date": "Due date",
    "status": "Status",
    "pct_complete": "% complete",
    "rag": "RAG",
    "hia": "HIA",
    "psed_aim": "PSED aim",
    "stalled": "Stalled",
}


_NAMES = {
    "due_date": "due date",
    "pct_complete": "% complete",
    "hia": "HIA",
    "psed_aim": "PSED aim",
    "rag": "RAG",
}


def shown(value: Any, kind: str) -> str:
    """A value as a person reads it: dates dd/mm/yyyy, HIAs as ``HIA 1; HIA 3``, percentages with %."""
    if value is None:
        return "(blank)"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, tuple):
        if kind == "hia":
            return "; ".join(f"HIA {n}" for n in value) or "(none)"
        return "; ".join(str(v) for v in value) or "(none)"
    if kind == "pct_complete" and isinstance(value, (int, float)):
        return f"{value:g}%"
    return str(value)


def describe(c: Change) -> str:
    """One change in words: ``due date 31/03/2027 -> 30/06/2027 (slipped 91 days; 2nd time)``."""
    if c.kind == "added":
        return "new action"
    if c.kind == "removed":
        if c.was_complete:
            return "removed (it was complete)"
        if c.was_status == "Cancelled":
            return "removed (it was cancelled)"
        return f"removed while still open ({c.was_status or 'no status'})"
    if c.kind == "stalled":
        return f"stalled: open, and nothing about it changed in {c.days} days"
    label = _NAMES.get(c.kind, c.kind)
    text = f"{label}: {shown(c.old, c.kind)} -> {shown(c.new, c.kind)}"
    if c.kind == "due_date" and c.days:
        word = "slipped" if c.days > 0 else "brought forward"
        times = f"; slipped {c.slips} times in all" if c.slips and c.slips > 1 else ""
        text += f" ({word} {abs(c.days)} days{times})"
    return text


def text_report(result: PlanDiff, old: str, new: str) -> str:
    """The person's summary first, then how reworded actions were paired, then each action's changes."""
    lines = [
        f"{old} (as of {result.old_as_of:%d/%m/%Y}) -> {new} (as of {result.new_as_of:%d/%m/%Y}): "
        f"{result.headline()}"
    ]
    for old_id, new_id, score in result.text_matches():
        lines.append(
            f"  matched by text: {old_id or '(no ID)'} -> {new_id or '(no ID)'} (similarity {score:.2f})"
        )
    current: tuple[str, int | None] | None = None
    for c in result.changes:
        key = ("old" if c.kind == "removed" else "new", c.row)
        if key != current:
            current = key
            title = textwrap.shorten(c.action or "(no action text)", 90, placeholder="...")
            lines.append(f"{c.action_id or '(no ID)':<10} {title}")
        lines.append(f"           {describe(c)}")
    return "\n".join(lines)


def _csv_value(value: Any) -> Any:
    from edi_workbook.safe_text import neutralise

    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value)
    return neutralise(value) if isinstance(value, str) else value


def csv_report(result: PlanDiff) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in result.changes:
        writer.writerow([_csv_value(getattr(c, k)) for k in CSV_COLUMNS])
    return buf.getvalue()


def sheet_rows(result: PlanDiff, old: str) -> list[list[Any]]:
    """The ``Changes`` sheet's rows (dates as dates, values as people read them)."""
    rows = []
    for c in result.changes:
        was = c.old if isinstance(c.old, dt.date) else (None if c.old is None else shown(c.old, c.kind))
        now = c.new if isinstance(c.new, dt.date) else (None if c.new is None else shown(c.new, c.kind))
        if c.kind in ("added", "removed"):
            was = now = None
        slips = c.slips if c.kind == "due_date" else None
        rows.append([c.action_id, LABELS[c.kind], was, now, c.days, slips, c.action, c.match])
    if not rows:
        rows.append([None, None, None, None, None, None, f"No changes since {old}."])
    return rows


def _dates(
    paths: tuple[Path, ...], plans: list[Plan], period: str | None, given: Sequence[dt.date | None]
) -> list[dt.date | None]:
    """Each return's date: as given (``--old-as-of``, ``--as-of``), else with ``--period`` the period
    in its file name, as batch --period dates returns; None for neither (then its AsOfDate, else
    today). Says so when a name gives no date, and when the returns are not in date order."""
    from edi_workbook.batch.periods import compile_period, period_from_name

    if period is not None and not period.strip():
        raise click.BadParameter("give 'auto' or a regular expression", param_hint="--period")
    pattern = compile_period(period) if period else None
    out: list[dt.date | None] = []
    for path, plan, day in zip(paths, plans, given, strict=True):
        if day is None and period:
            found = period_from_name(path, pattern)
            day = found[0] if found else None
            if day is None and not plan.settings.as_of:
                click.echo(
                    f"edi-workbook: {path}: no date read from its file name; judged as of today", err=True
                )
        out.append(day)
    known = [(d or p.settings.as_of, path) for d, p, path in zip(out, plans, paths, strict=True)]
    for (a, a_path), (b, b_path) in itertools.pairwise(known):
        if a is not None and b is not None and a >= b:
            click.echo(
                f"edi-workbook: {a_path.name} is dated {a:%d/%m/%Y}, not before {b_path.name} "
                f"({b:%d/%m/%Y}): give the returns oldest first",
                err=True,
            )
    return out


@click.command()
@click.argument(
    "returns", nargs=-1, required=True, metavar="OLD NEW [NEWER]...", type=click.Path(path_type=Path)
)
@format_option("text", "json", "csv")
@as_of_option
@click.option(
    "--old-as-of",
    callback=parse_as_of,
    metavar="YYYY-MM-DD",
    help="Judge OLD as on this date (default: its AsOfDate, else today).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.05, 1.0),
    default=None,
    help="Text similarity (0-1) that pairs a reworded action with its old self (default 0.5).",
)
@click.option(
    "--period",
    metavar="auto|REGEX",
    help="Judge each return at the period in its file name ('auto': Q3 2026-27, 2026-09-30, "
    "Sep 2026...; or a regular expression), as batch --period does; else its AsOfDate.",
)
@click.option(
    "--write-back", is_flag=True, help="Write the changes into NEW as a 'Changes' sheet (backup kept)."
)
def diff(
    returns: tuple[Path, ...],
    fmt: str,
    as_of: dt.date | None,
    old_as_of: dt.date | None,
    threshold: float | None,
    period: str | None,
    write_back: bool,
) -> int:
    """What changed between two returns of a plan: slipped, completed, new, stalled...

    Give more returns, oldest first, to count how often each due date slipped across them; the
    changes listed are between the last two. Each return is judged at its own as-of date.
    """
    from edi_workbook.changes import diff as run_diff
    from edi_workbook.changes import series
    from edi_workbook.changes.matching import THRESHOLD
    from edi_workbook.read import read_plan
    from edi_workbook.writeback import check_format

    if len(returns) < 2:
        raise click.UsageError("give two returns of the plan: OLD NEW (or more, oldest first)")
    new_path, old_path = returns[-1], returns[-2]
    if write_back:
        check_format(new_path)
    plans = [read_plan(p) for p in returns]
    limit = threshold or THRESHOLD
    dates = _dates(returns, plans, period, [None] * (len(plans) - 2) + [old_as_of, as_of])
    if len(plans) == 2:
        result = run_diff(plans[0], plans[1], old_as_of=dates[0], new_as_of=dates[1], threshold=limit)
    else:
        result = series(plans, as_of=dates, threshold=limit)
    if fmt == "json":
        data = result.to_dict(str(old_path), str(new_path))
        if len(returns) > 2:
            data["returns"] = [str(p) for p in returns]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(csv_report(result), nl=False)
    else:
        click.echo(text_report(result, str(old_path), str(new_path)))
    if write_back:
        from edi_workbook.writeback import write_sheet

        done, name = write_sheet(
            new_path, SHEET, SHEET_COLUMNS, sheet_rows(result, old_path.name), widths=_WIDTHS
        )
        click.echo(f"{new_path}: {done.describe()}; the changes are on the '{name}' sheet", err=True)
    return 0
