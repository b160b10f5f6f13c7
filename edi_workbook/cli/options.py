"""Options shared by several commands, so each is declared (and parsed) once."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from edi_workbook import collector

__all__ = ["as_of_option", "format_option", "history_options", "parse_as_of", "plural", "setting_up"]

F = TypeVar("F", bound=Callable[..., Any])


def parse_as_of(
    ctx: click.Context | None, param: click.Parameter | None, value: str | None
) -> dt.date | None:
    """Click callback: ``YYYY-MM-DD`` (or ``today``) as a date; a clear usage error otherwise."""
    if value is None or value == "":
        return None
    if value.lower() == "today":
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-31") from None
    from edi_workbook.arguments import out_of_years

    if (problem := out_of_years(day)) is not None:
        raise click.BadParameter(problem)
    return day


@contextlib.contextmanager
def setting_up(*modules: str) -> Iterator[None]:
    """Import ``modules`` (and run the block: more imports, one-off set-up) with Python's cyclic
    garbage collector paused, then freeze what exists so that later collections skip it.

    Importing our rules (and pandas, for a command that uses it) makes a few hundred thousand
    objects that live as long as the process; the collector walked them again and again while
    they were being made: about 40 ms of the 0.45 s that ``validate`` of the example plan took
    (issue 18), every button press in Excel.
    The freeze is once per process and kept (see :mod:`edi_workbook.collector`): a command's
    process ends with the command, and a host that runs commands again keeps its garbage
    collectable.
    """
    with collector.paused(freeze=True):
        for name in modules:
            importlib.import_module(name)
        yield


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``: counts in the commands' summary lines.

    >>> plural(1, "file"), plural(3, "warning")
    ('1 file', '3 warnings')
    """
    return f"{count} {noun}{'' if count == 1 else 's'}"


def as_of_option(fn: F) -> F:
    """``--as-of YYYY-MM-DD``: judge deadlines as on this date (default: the plan's AsOfDate or title's
    "as at" date, else today)."""
    return click.option(
        "--as-of",
        "as_of",
        callback=parse_as_of,
        metavar="YYYY-MM-DD",
        help="Judge deadlines as on this date (default: the plan's AsOfDate or its title's "
        "'Position as at' date, else today).",
    )(fn)


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """``--format`` with the given choices."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Output format.",
    )


def history_options(fn: F) -> F:
    """``--history`` and ``--period auto|REGEX``: several returns per organisation, followed over time."""
    fn = click.option(
        "--period",
        metavar="auto|REGEX",
        help="Date each return by the period in its file name ('auto': Q3 2026-27, 2026-09-30, "
        "Sep 2026...; or a regular expression); implies --history.",
    )(fn)
    return click.option(
        "--history",
        is_flag=True,
        help="The files are returns over time: group them by organisation, judge each at its own "
        "date, and add trends, movement and slippage.",
    )(fn)
