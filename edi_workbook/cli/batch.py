"""``edi-workbook batch PATH...``: validate many plans and roll them up into one picture.

Calls :func:`edi_workbook.batch.run.batch`. PATH is files, folders (searched recursively for
``.xlsx``, ``.xlsm`` and ``.csv``) or glob patterns. With ``-o OUT`` the results stream into one
output (``xlsx``, ``json``, ``csv``, ``html`` or ``junit``, from OUT's suffix or ``--format``);
without it a line per file is printed (or JSON with ``--format json``). A file that cannot be
read gets one line on stderr and the batch goes on. Exit codes as ``validate``: 0 no errors,
1 a plan has errors, 2 a file could not be read (or the command was misused).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from edi_workbook.cli.options import as_of_option, history_options, plural

if TYPE_CHECKING:
    from edi_workbook.batch import FileResult, Totals

_FORMATS = ("xlsx", "json", "csv", "html", "junit")


def file_line(r: FileResult) -> str:
    """One line per file: result word, file, organisation, counts, RAG."""
    if not r.readable:
        return f"UNREADABLE  {r.file}: {r.error}"
    word = "ERRORS" if r.errors else "OK"
    org = f" ({r.organisation})" if r.organisation else ""
    rag = ", ".join(f"{n} {k}" for k, n in r.rag.items() if n)
    return f"{word:<11} {r.file}{org}: {r.actions} actions, {r.errors} errors, {r.warnings} warnings" + (
        f"; {rag}" if rag else ""
    )


def summary_line(t: Totals) -> str:
    """The totals in one line."""
    return (
        f"{plural(t.files, 'file')}: {t.ok} OK, {t.with_errors} with errors, {t.unreadable} unreadable; "
        f"{plural(t.actions, 'action')}, {plural(t.errors, 'error')}, {plural(t.warnings, 'warning')}, "
        f"{t.overdue} overdue."
    )


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the roll-up here (.xlsx, .json, .csv, .html or .xml for JUnit).",
)
@click.option(
    "--format", "fmt", type=click.Choice(_FORMATS), help="Output format (default: from OUT's suffix)."
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Processes to use (default: one per CPU core)."
)
@as_of_option
@history_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no per-file lines.")
def batch(
    paths: tuple[str, ...],
    out: Path | None,
    fmt: str | None,
    jobs: int | None,
    as_of: dt.date | None,
    history: bool,
    period: str | None,
    quiet: bool,
) -> int:
    """Validate many plans and roll them up: files, folders or glob patterns."""
    from edi_workbook.batch import batch as run_batch

    if history or period:
        from edi_workbook.cli.history import batch_over_time

        return batch_over_time(paths, out=out, fmt=fmt, jobs=jobs, as_of=as_of, period=period, quiet=quiet)

    if out is None and fmt not in (None, "json"):
        raise click.UsageError(f"--format {fmt} writes a file: add -o OUT")
    if out is None and fmt is None:
        return _lines(paths, jobs=jobs, as_of=as_of, quiet=quiet)
    result = run_batch(paths, jobs=jobs, as_of=as_of, progress=not quiet, out=out, fmt=fmt if out else None)
    for r in result.files:
        if not r.readable:
            click.echo(f"edi-workbook: {r.file}: {r.error}", err=True)
    if out is None:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False, default=str))
        return result.exit_code
    extra = "".join(f", {p}" for p in result.extra_outputs)
    click.echo(f"Wrote {out}{extra}.", err=quiet)
    if not quiet:
        click.echo(summary_line(result.totals))
    return result.exit_code


def _lines(paths: tuple[str, ...], *, jobs: int | None, as_of: dt.date | None, quiet: bool) -> int:
    """No output file: a line per file as its result arrives (the lines are the progress), then the totals."""
    from edi_workbook.batch import discover, iter_batch
    from edi_workbook.batch.model import Totals, exit_code_of, need_for

    totals = Totals()
    for r in iter_batch(discover(paths), jobs=jobs, as_of=as_of, need=need_for("text")):
        totals.add(r)
        if not r.readable:
            click.echo(f"edi-workbook: {r.file}: {r.error}", err=True)
        if not quiet:
            click.echo(file_line(r))
    click.echo(summary_line(totals))
    return exit_code_of(totals)
