"""Helpers shared by the rules: column lists, how to quote what was typed, dates in messages."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from edi_workbook import values

if TYPE_CHECKING:
    from edi_workbook.rules import RuleContext

__all__ = [
    "CLOSED",
    "blank",
    "by_value",
    "flagged",
    "fmt_date",
    "has_column",
    "measured",
    "parsed",
    "quote",
    "raw",
    "status_of",
    "texts",
    "unreadable",
    "unreadable_rows",
]

T = TypeVar("T")

CLOSED = ("Complete", "Cancelled")
"""Statuses for which deadlines no longer matter."""


def by_value(keys: Sequence[Hashable], judge: Callable[[Any], T]) -> list[T]:
    """``[judge(k) for k in keys]``, judging each distinct key once (a plan repeats its values).

    Keys that Python calls equal share one judgement (``1 == 1.0 == True``): use it where the
    judgement depends on nothing else, as with text, dates and tuples of them.
    """
    said: dict[Hashable, Any] = dict.fromkeys(keys)
    for k in said:
        said[k] = judge(k)
    return list(map(said.__getitem__, keys))


def flagged(messages: Sequence[str | None]) -> list[tuple[int, str]]:
    """``(row, message)`` for the rows that have a message, for :meth:`RuleContext.findings_at`."""
    return [(i, m) for i, m in enumerate(messages) if m is not None]


def has_column(ctx: RuleContext, key: str) -> bool:
    """True when the plan has a column for ``key`` (a foreign plan may lack some)."""
    return key in ctx.plan.column_letters or key in ctx.plan.column_map


def raw(ctx: RuleContext, key: str) -> list[Any]:
    """The column's values as read, one per action."""
    return ctx.column(key, "raw")


def parsed(ctx: RuleContext, key: str) -> list[Any]:
    """The column's parsed values, one per action; NaN/NaT become None, timestamps dates."""
    cache: dict[str, list[Any]] = ctx.cache.setdefault("parsed", {})
    if key not in cache:
        values_ = ctx.plan.column(key)  # dates as dates, numbers as floats, blanks as None
        if not set(map(type, values_)) <= _PLAIN:  # all text, tuples, dates and None: nothing to convert
            values_ = [_plain(v) for v in values_]
        cache[key] = values_
    return cache[key]


_PLAIN = frozenset({str, tuple, type(None), dt.date})
_FILLED = frozenset({int, dt.date, dt.datetime})
"""Types :func:`values.is_blank` never calls blank (NaT is not a ``dt.datetime`` exactly)."""


def _plain(v: Any) -> Any:
    if v is None or isinstance(v, (str, tuple)):
        return v
    if v != v:  # NaN, NaT
        return None
    if hasattr(v, "to_pydatetime"):
        return v.to_pydatetime().date()
    return v


def texts(ctx: RuleContext, key: str) -> str:
    """Every text cell of the column as read, joined: a quick test for a character anywhere in it.

    Rules that look for a rare character (``#`` of an Excel error, ``=`` of a formula) test this
    first and go value by value only through the columns that have it.
    """
    cache: dict[str, str] = ctx.cache.setdefault("texts", {})
    if key not in cache:
        column = raw(ctx, key)
        types = set(map(type, column))
        if types == {str}:
            cache[key] = "\n".join(column)  # a column of text only, at C speed
        elif types <= {str, type(None)}:
            cache[key] = "\n".join(filter(None, column))  # text and blanks, at C speed
        elif str in types and not any(issubclass(t, str) for t in types - {str}):
            cache[key] = "\n".join([v for v in column if v.__class__ is str])
        elif any(issubclass(t, str) for t in types):
            cache[key] = "\n".join([v for v in column if isinstance(v, str)])
        else:
            cache[key] = ""  # dates, numbers, blanks: no text at all
    return cache[key]


def status_of(ctx: RuleContext) -> list[str | None]:
    """Canonical status of each action (None when blank or unknown)."""
    return parsed(ctx, "status")


def measured(ctx: RuleContext) -> list[bool]:
    """Whether each action's success measure has something to count (:func:`smart.has_measure`)."""
    if "measured" not in ctx.cache:
        from edi_workbook.smart import has_measure

        ctx.cache["measured"] = by_value(
            parsed(ctx, "success_measure"), lambda m: m is not None and has_measure(m)
        )
    result: list[bool] = ctx.cache["measured"]
    return result


def blank(ctx: RuleContext, key: str) -> list[bool]:
    """Whether each cell of the column is blank as read (:func:`values.is_blank`), once per run."""
    cache: dict[str, list[bool]] = ctx.cache.setdefault("blank", {})
    if key not in cache:
        is_blank, filled, column = values.is_blank, _FILLED, raw(ctx, key)
        types = set(map(type, column))
        if types == {str}:  # text only: blank when nothing but spaces
            cache[key] = list(map(operator.not_, map(str.strip, column)))
            return cache[key]
        if types <= _FILLED | {type(None)}:  # dates and numbers are never blank; None always is
            cache[key] = [v is None for v in column]
            return cache[key]
        cache[key] = [
            v is None or (not v.strip() if v.__class__ is str else v.__class__ not in filled and is_blank(v))
            for v in column
        ]
    return cache[key]


def unreadable(raw_value: Any, parsed_value: Any) -> bool:
    """A cell that holds something (not an Excel error) that could not be understood."""
    return parsed_value is None and not values.is_blank(raw_value) and not values.is_excel_error(raw_value)


def unreadable_rows(ctx: RuleContext, key: str) -> list[int]:
    """Row positions of the column's cells that :func:`unreadable` says could not be understood."""
    r, b = raw(ctx, key), blank(ctx, key)
    return [
        i
        for i, p in enumerate(parsed(ctx, key))
        if p is None and not b[i] and not values.is_excel_error(r[i])
    ]


def quote(value: Any, limit: int = 40) -> str:
    """What was typed, for a message: ``"TBC"``, ``0.5``, ``2025-03-31``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip().replace("\n", " ")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"'


@functools.lru_cache(maxsize=4096)
def fmt_date(d: dt.date) -> str:
    """A date as a UK reader writes it: ``31 March 2026``."""
    return f"{d.day} {d:%B %Y}"
