"""Options shared by several commands, so each is declared (and parsed) once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = ["as_of_option", "format_option", "history_options", "parse_as_of", "plural"]

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
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-31") from None


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``: counts in the commands' summary lines.

    >>> plural(1, "file"), plural(3, "warning")
    ('1 file', '3 warnings')
    """
    return f"{count} {noun}{'' if count == 1 else 's'}"


def as_of_option(fn: F) -> F:
    """``--as-of YYYY-MM-DD``: judge deadlines as on this date (default: the plan's AsOfDate, else today)."""
    return click.option(
        "--as-of",
        "as_of",
        callback=parse_as_of,
        metavar="YYYY-MM-DD",
        help="Judge deadlines as on this date (default: the plan's AsOfDate, else today).",
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
