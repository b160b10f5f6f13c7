"""``batch --history`` and ``report --history``: the formatting of several returns over time.

Calls :func:`edi_workbook.batch.trend.batch_history` and :func:`edi_workbook.report.trends.report_history`.
Without ``-o``, ``batch --history`` prints one line per organisation: its returns, where the
headline figures moved since the previous return, and what changed.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from edi_workbook.cli.options import plural
from edi_workbook.errors import EXIT_OK, EXIT_UNREADABLE

if TYPE_CHECKING:
    from edi_workbook.batch.history import History


def organisation_lines(history: History) -> list[str]:
    """``Eastmoor PCN: 4 returns, Q1 2026/27 to Q4 2026/27; overdue 9, up 3 since Q3 2026/27; ...``."""
    from edi_workbook.report.trends import movement_words

    out = []
    for org, lines in history.by_organisation().items():
        last = lines[-1]
        span = last.period if len(lines) == 1 else f"{lines[0].period} to {last.period}"
        text = f"{org}: {plural(len(lines), 'return')}, {span}; "
        text += f"{last.actions} actions, overdue {last.overdue}"
        if len(lines) > 1:
            before = lines[-2]
            text += f", {movement_words(last.overdue, before.overdue, before.period)}"
            text += f"; complete {100 * last.completion:.0f}% (was {100 * before.completion:.0f}%)"
            text += f"; since {before.period}: {last.slipped} slipped, {last.completed} completed, "
            text += f"{last.added} new, {last.removed} removed, {last.stalled} stalled"
        out.append(text)
    return out


def _warnings(history: History, period: str | None) -> None:
    for r in history.unreadable:
        click.echo(f"edi-workbook: {r.file}: {r.error}", err=True)
    hint = (
        ""
        if period
        else " (to date each return, give --period auto, or set AsOfDate in the plans, or the date in "
        "their titles' 'Position as at ...')"
    )
    for left, kept in history.same_date:
        click.echo(f"edi-workbook: {left}: same organisation and date as {kept}; left out{hint}", err=True)


def batch_over_time(
    paths: tuple[str, ...],
    *,
    out: Path | None,
    fmt: str | None,
    jobs: int | None,
    as_of: dt.date | None,
    period: str | None,
    quiet: bool,
) -> int:
    from edi_workbook.batch.trend import batch_history

    if out is None and fmt == "json":  # on screen, the same document as ``-o FILE.json`` holds
        with tempfile.TemporaryDirectory(prefix="edi-workbook-") as tmp:
            target = Path(tmp) / "history.json"
            result = batch_history(paths, out=target, fmt="json", as_of=as_of, period=period, jobs=jobs)
            _warnings(result.history, period)
            click.echo(target.read_text(encoding="utf-8"), nl=False)
        return result.exit_code
    result = batch_history(paths, out=out, fmt=fmt if out else None, as_of=as_of, period=period, jobs=jobs)
    _warnings(result.history, period)
    if out is not None:
        click.echo(f"Wrote {out}.", err=quiet)
    if not quiet or out is None:
        for line in organisation_lines(result.history):
            click.echo(line)
        t = result.totals
        click.echo(
            f"Latest returns: {plural(t.files, 'file')}: {t.ok} OK, {t.with_errors} with errors, "
            f"{t.unreadable} unreadable; {plural(t.actions, 'action')}, {plural(t.errors, 'error')}, "
            f"{plural(t.warnings, 'warning')}, {t.overdue} overdue."
        )
    return result.exit_code


def report_over_time(
    paths: tuple[str, ...],
    out: Path,
    *,
    jobs: int | None,
    as_of: dt.date | None,
    period: str | None,
    quiet: bool,
) -> int:
    from edi_workbook.report.trends import report_history

    data, history = report_history(list(paths), out, as_of=as_of, period=period, jobs=jobs)
    _warnings(history, period)
    t = data.totals
    if not quiet:
        click.echo(
            f"Wrote {out}: {plural(len(history.lines), 'return')} of "
            f"{plural(len(history.by_organisation()), 'organisation')}, {', '.join(history.periods)}; "
            f"latest returns: {t.actions} actions, {t.overdue} overdue."
        )
    return EXIT_UNREADABLE if t.unreadable else EXIT_OK
