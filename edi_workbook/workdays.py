"""Working days in England and Wales: weekends and bank holidays.

Bank holidays come from the maintained ``holidays`` package (``GB``, subdivision ``ENG``, which
England and Wales share apart from Wales-only days that do not exist), never from a hand list.

>>> import datetime as dt
>>> is_working_day(dt.date(2025, 12, 25)), is_working_day(dt.date(2025, 12, 24))
(False, True)
>>> previous_working_day(dt.date(2025, 12, 28))  # Sunday after Christmas and Boxing Day
datetime.date(2025, 12, 24)
>>> working_days_between(dt.date(2025, 12, 22), dt.date(2025, 12, 29))
3
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

__all__ = [
    "bank_holiday_name",
    "bank_holidays",
    "is_working_day",
    "previous_working_day",
    "working_days_between",
]

_SUBDIV = "ENG"


@functools.cache
def _calendar(years: tuple[int, ...]) -> dict[dt.date, str]:
    import holidays

    return dict(holidays.country_holidays("GB", subdiv=_SUBDIV, years=list(years)).items())


def bank_holidays(years: Iterable[int]) -> dict[dt.date, str]:
    """England and Wales bank holidays in the given years: {date: name}."""
    return _calendar(tuple(sorted(set(years))))


def bank_holiday_name(day: dt.date) -> str | None:
    """The bank holiday's name if ``day`` is one in England and Wales, else None."""
    return _calendar((day.year,)).get(day)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    return day.weekday() < 5 and bank_holiday_name(day) is None


def previous_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from ``start`` (included) to ``end`` (excluded); negative when end < start."""
    import numpy as np

    years = range(min(start, end).year, max(start, end).year + 1)
    hols = np.array(sorted(bank_holidays(years)), dtype="datetime64[D]")
    return int(np.busday_count(np.datetime64(start, "D"), np.datetime64(end, "D"), holidays=hols))
