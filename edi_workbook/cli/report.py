"""``edi-workbook report PATH... -o OUT.html``: a board-ready HTML report for one plan or many.

Calls :func:`edi_workbook.report.report`. The file is self-contained (no network needed to open
it) and prints well. Exit code 0 when written, 2 if a file could not be read (it is listed in the
report and on stderr; the report is still written) or the command was misused.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from edi_workbook.cli.options import as_of_option, history_options
from edi_workbook.errors import EXIT_OK, EXIT_UNREADABLE, UsageError


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write.",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Processes to use (default: one per CPU core)."
)
@as_of_option
@history_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def report(
    paths: tuple[str, ...],
    out: Path,
    jobs: int | None,
    as_of: dt.date | None,
    history: bool,
    period: str | None,
    quiet: bool,
) -> int:
    """Write a board-ready HTML report for one plan or many."""
    from edi_workbook.report import report as write_report

    if out.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"the report is an HTML page: name it with .html, not {out.name}")
    if history or period:
        from edi_workbook.cli.history import report_over_time

        return report_over_time(paths, out, jobs=jobs, as_of=as_of, period=period, quiet=quiet)
    data = write_report(list(paths), out, as_of=as_of, jobs=jobs, progress=not quiet)
    for o in data.orgs:
        if o.error is not None:
            click.echo(f"edi-workbook: {o.file}: {o.error}", err=True)
    t = data.totals
    if not quiet:
        read = t.files - t.unreadable
        plans = f"{read} plan" if read == 1 else f"{read} plans"
        if t.unreadable:
            plans += f" ({t.unreadable} file{'' if t.unreadable == 1 else 's'} could not be read)"
        click.echo(f"Wrote {out}: {plans}, {t.actions} actions, {t.overdue} overdue, as of {data.as_of}.")
    return EXIT_UNREADABLE if t.unreadable else EXIT_OK
