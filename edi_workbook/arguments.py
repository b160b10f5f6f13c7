"""Checks of the arguments given to the public functions, with messages that say what to pass.

Bad *data* in a plan never raises (validation reports it), but calling a function with the wrong
kind of argument is a programming mistake, and it should fail at once with a plain
:class:`TypeError` or :class:`ValueError` naming the argument, not deep inside pandas with an
``AttributeError``, or worse, silently (``alarm_days="14"`` would be read as the days 1 and 4).

>>> as_of_date(dt.datetime(2025, 3, 31, 14, 0), "as_of")
datetime.date(2025, 3, 31)
>>> reminder_days("14", "alarm_days")
Traceback (most recent call last):
...
TypeError: alarm_days must be a list of whole days such as [14, 1], not the text '14'
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Iterable
from typing import Any

from edi_workbook.limits import MAX_REMINDER_DAY, MAX_REMINDERS

__all__ = ["as_of_date", "plan_argument", "reminder_days"]


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def plan_argument(plan: Any, function: str) -> Any:
    """``plan`` if it is a :class:`~edi_workbook.plan.Plan`; a TypeError that says how to get one."""
    from edi_workbook.plan import Plan

    if isinstance(plan, Plan):
        return plan
    hint = "read one with read_plan(path), or build one with Plan.from_records(rows)"
    kind = type(plan).__name__
    if kind == "DataFrame":
        hint = "build one from a DataFrame with Plan.from_records(frame.to_dict('records'))"
    elif isinstance(plan, (str, bytes)) or hasattr(plan, "__fspath__"):
        hint = "read the file first: read_plan(path)"
    raise TypeError(f"{function}() needs a Plan, not {'None' if plan is None else kind}; {hint}")


def as_of_date(value: Any, name: str = "as_of") -> dt.date | None:
    """``value`` as a date: a date, a datetime (its day), or None; a TypeError otherwise, and a
    ValueError for a date outside the years a plan's dates can hold (1900 to 2199)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if (problem := out_of_years(day)) is not None:
            raise ValueError(f"{name} {problem}")
        return day
    if isinstance(value, str):
        raise TypeError(
            f"{name} must be a datetime.date, not the text {_shown(value)}; "
            f"use datetime.date.fromisoformat({_shown(value)})"
        )
    raise TypeError(f"{name} must be a datetime.date or None, not {type(value).__name__} {_shown(value)}")


def out_of_years(day: dt.date) -> str | None:
    """What is wrong with judging a plan on ``day``: a date outside the years a plan's dates can
    hold (``values.DATE_MIN`` to ``DATE_MAX``; 9999 overflowed a year), else None."""
    from edi_workbook.values import DATE_MAX, DATE_MIN

    if DATE_MIN <= day <= DATE_MAX:
        return None
    return f"{day} is outside the years a plan can be judged in ({DATE_MIN.year} to {DATE_MAX.year})"


def reminder_days(value: Any, name: str = "alarm_days") -> tuple[int, ...] | None:
    """``value`` as reminder days (whole days before a due date), or None to use the plan's.

    At most :data:`~edi_workbook.limits.MAX_REMINDERS` values, each from 0 to
    :data:`~edi_workbook.limits.MAX_REMINDER_DAY`.
    """
    if value is None:
        return None
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a list of whole days such as [14, 1], not the text {_shown(value)}")
    if isinstance(value, numbers.Number) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list of whole days such as [14, 1], not {_shown(value)}")
    days = []
    for d in value:
        if isinstance(d, bool) or not isinstance(d, numbers.Integral):
            raise TypeError(f"{name} must hold whole numbers of days, not {_shown(d)}")
        if not 0 <= int(d) <= MAX_REMINDER_DAY:
            raise ValueError(f"{name}: {int(d)} is not a number of days from 0 to {MAX_REMINDER_DAY}")
        days.append(int(d))
    if len(set(days)) > MAX_REMINDERS:
        raise ValueError(f"{name}: {len(set(days))} reminder days; at most {MAX_REMINDERS} are allowed")
    return tuple(days)
