"""``edi-workbook calendar``: a plan's deadlines as calendar reminders (``.ics`` or Outlook CSV).

A thin wrapper over :func:`edi_workbook.calendar.ics.to_ics`,
:func:`~edi_workbook.calendar.ics.to_outlook_csv`
and :func:`~edi_workbook.calendar.by_owner`, with the same option names. Files are written
atomically (temporary file beside the target, then ``os.replace``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from edi_workbook.atomic import check_not_input, same_file, write_atomic
from edi_workbook.cli.options import as_of_option
from edi_workbook.errors import UsageError
from edi_workbook.limits import MAX_ICS_BYTES, MAX_REMINDER_DAY, MAX_REMINDERS, size_text

__all__ = ["calendar", "parse_alarm_days"]


def parse_alarm_days(
    ctx: click.Context | None, param: click.Parameter | None, value: str | None
) -> tuple[int, ...] | None:
    """Click callback: ``14,1`` as (14, 1); a clear usage error otherwise."""
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    try:
        days = tuple(int(p) for p in parts)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a list of whole days; use e.g. 14,1") from None
    if not days or any(d < 0 or d > MAX_REMINDER_DAY for d in days):
        raise click.BadParameter(f"{value!r}: give whole days from 0 to {MAX_REMINDER_DAY}, e.g. 14,1")
    if len(set(days)) > MAX_REMINDERS:
        raise click.BadParameter(f"{len(set(days))} reminder days; give at most {MAX_REMINDERS}, e.g. 14,1")
    return days


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The calendar file to write (default: PATH with .ics, or .csv for outlook-csv).",
)
@click.option(
    "--alarm-days",
    callback=parse_alarm_days,
    metavar="N,N",
    help="Days before each due date that reminders ring, at 09:00 (default: the plan's ReminderDays).",
)
@click.option("--single-alarm", is_flag=True, help="Only the earliest reminder, no extra reminder events.")
@click.option(
    "--by-owner",
    "by_owner_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also write one calendar per action owner into DIR.",
)
@click.option(
    "--national",
    is_flag=True,
    help="Add the national deadlines of the next 12 months (EDI reporting year, HIA milestones).",
)
@click.option("--starts", "include_starts", is_flag=True, help="Add an event on each action's start date.")
@click.option("--no-review", is_flag=True, help="Leave out the plan's review date.")
@click.option("--include-complete", is_flag=True, help="Keep events for completed actions.")
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="OLD.ics",
    help="The last export: unchanged events keep their SEQUENCE, gone ones are written as cancelled.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ics", "outlook-csv"]),
    default="ics",
    show_default=True,
    help="iCalendar, or CSV for Outlook's import.",
)
@as_of_option
def calendar(
    path: Path,
    out: Path | None,
    alarm_days: tuple[int, ...] | None,
    single_alarm: bool,
    by_owner_dir: Path | None,
    national: bool,
    include_starts: bool,
    no_review: bool,
    include_complete: bool,
    previous: Path | None,
    fmt: str,
    as_of: dt.date | None,
) -> int:
    """Export a plan's deadlines as calendar reminders Outlook can subscribe to or import.

    Subscribe to the published file (SharePoint, OneDrive, any web folder) so updates flow
    without duplicates; import a file once only for a first look.
    """
    from edi_workbook.calendar import by_owner, to_ics, to_outlook_csv
    from edi_workbook.read import read_plan

    plan = read_plan(path)
    kw: dict[str, Any] = {
        "as_of": as_of,
        "alarm_days": alarm_days,
        "single_alarm": single_alarm,
        "national": national,
        "include_starts": include_starts,
        "include_complete": include_complete,
        "include_review": not no_review,
    }
    target = out or path.with_suffix(".csv" if fmt == "outlook-csv" else ".ics")
    if same_file(target, path):
        raise click.BadParameter(
            "the output would replace the plan itself; choose another -o", param_hint="-o"
        )
    check_not_input(target, [path])  # the same file under another name (a link)
    if fmt == "outlook-csv":
        data = to_outlook_csv(plan, **kw).encode("utf-8")
    else:
        old = _read_previous(previous) if previous else None
        try:
            data = to_ics(plan, previous=old, **kw)
        except UsageError as exc:
            raise UsageError(f"{previous.name if previous else 'previous'}: {exc}") from None
    write_atomic(target, data)
    events = data.count(b"BEGIN:VEVENT") if fmt == "ics" else max(len(_csv_rows(data)) - 1, 0)
    click.echo(f"Wrote {target} ({events} events).")
    if by_owner_dir is not None:
        for written in by_owner(plan, by_owner_dir, fmt=fmt, **kw):
            click.echo(f"Wrote {written}")
    return 0


def _read_previous(previous: Path) -> bytes:
    """The last export's bytes; a pipe or a file too large to be a calendar is refused, not read."""
    if not previous.is_file():
        raise UsageError(f"{previous.name}: --previous must be a calendar file, not a pipe or a device")
    size = previous.stat().st_size
    if size > MAX_ICS_BYTES:
        most = size_text(MAX_ICS_BYTES)
        raise UsageError(f"{previous.name}: {size_text(size)} is too large for a calendar (at most {most})")
    return previous.read_bytes()


def _csv_rows(data: bytes) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
