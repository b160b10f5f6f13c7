"""Working days in England and Wales: weekends and bank holidays.

Bank holidays come from the maintained ``holidays`` package (``GB``, subdivision ``ENG``, which
England and Wales share apart from Wales-only days that do not exist), never from a hand list.
The days it gives are cached on disk per installed release of the package (see :func:`_cache_file`;
``EDI_WORKBOOK_CACHE`` names another folder, or ``off``).

>>> import datetime as dt
>>> is_working_day(dt.date(2025, 12, 25)), is_working_day(dt.date(2025, 12, 24))
(False, True)
>>> previous_working_day(dt.date(2025, 12, 28))  # Sunday after Christmas and Boxing Day
datetime.date(2025, 12, 24)
>>> working_days_between(dt.date(2025, 12, 22), dt.date(2025, 12, 29))
3
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import json
from collections.abc import Iterable
from pathlib import Path

from edi_workbook import reference

__all__ = [
    "Calendar",
    "bank_holiday_name",
    "bank_holidays",
    "is_working_day",
    "previous_working_day",
    "working_days_between",
]

_SUBDIV = "ENG"
CACHE_ENV = reference.CACHE_ENV
"""Environment variable: the folder for the bank holiday cache, or ``off`` to keep none."""


@functools.cache
def _calendar(years: tuple[int, ...]) -> dict[dt.date, str]:
    known = _known()
    missing = [y for y in years if y not in known]
    if missing:
        import holidays

        found = holidays.country_holidays("GB", subdiv=_SUBDIV, years=missing)
        for year in missing:
            known[year] = {}
        for day, name in sorted(found.items()):
            if day.year in known and day.year in missing:
                known[day.year][day] = name
        cache = _cache_file()
        if cache is not None:
            _save(cache, known)
    return {day: name for y in years for day, name in known[y].items()}


@functools.cache
def _known() -> dict[int, dict[dt.date, str]]:
    """Bank holidays by year, as cached on disk (filled in by :func:`_calendar` as years are asked)."""
    cache = _cache_file()
    return _load(cache) if cache is not None else {}


def _cache_file() -> Path | None:
    """Where computed bank holidays are kept, named after the installed ``holidays`` release.

    Importing ``holidays`` loads every country it knows (about 0.1 s, at every start of the CLI,
    which each button press in Excel pays); the days it gave are kept and read back instead. The
    name changes whenever the package's files do, so an upgraded package is asked again.
    """
    import importlib.util

    folder = reference.cache_folder()
    if folder is None:
        return None
    spec = importlib.util.find_spec("holidays")  # finds the package without importing it
    if spec is None or spec.origin is None:
        return None
    try:
        package = Path(spec.origin).parent
        stamp = [(package / n).stat() for n in ("version.py", "countries/united_kingdom.py")]
    except OSError:
        return None
    key = "-".join(f"{s.st_mtime_ns:x}{s.st_size:x}" for s in stamp)
    return folder / f"bank-holidays-{_SUBDIV}-{key}.json"


def _load(path: Path) -> dict[int, dict[dt.date, str]]:
    """The cached years; nothing if the file is missing or unreadable (then it is rebuilt)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            int(year): {dt.date.fromisoformat(day): str(name) for day, name in days.items()}
            for year, days in data["years"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _save(path: Path, known: dict[int, dict[dt.date, str]]) -> None:
    """Write the cache through a temporary file, so a reader never sees half of it; best effort.

    Other releases' files are removed once stale (:func:`reference.remove_stale`), so upgrades do
    not pile them up.
    """
    years = {str(y): {d.isoformat(): n for d, n in sorted(days.items())} for y, days in known.items()}
    data = {"years": years}
    from edi_workbook.atomic import write_atomic
    from edi_workbook.errors import OutputError

    with contextlib.suppress(OSError, OutputError):  # a read-only home folder: work without the cache
        write_atomic(path, json.dumps(data, sort_keys=True).encode("utf-8"))
        reference.remove_stale(path, f"bank-holidays-{_SUBDIV}-*.json")  # earlier releases' files


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
    """Working days from ``start`` (included) to ``end`` (excluded); negative when end < start
    (:meth:`Calendar.count`)."""
    return Calendar.spanning(start, end).count(start, end)


class Calendar:
    """Working days counted against the bank holidays of ``years`` only (other years' days are
    all ordinary weekdays): what :func:`working_days_between` uses, and the RAG rule with its window
    of years (:func:`edi_workbook.rag_rating.rule.working_days`).

    Plain arithmetic: Monday to Friday by whole weeks, less the bank holidays that fall on them,
    found by bisection. It counts what ``numpy.busday_count`` counts with these holidays
    (tests/test_workdays.py holds the two equal), without importing numpy, 54 ms of every
    command that validates a plan (issue 18).

    >>> cal = Calendar.of(range(2025, 2027))
    >>> cal.count(dt.date(2025, 12, 22), dt.date(2025, 12, 29)), cal.is_working_day(dt.date(2025, 12, 25))
    (3, False)
    >>> eve, monday = dt.date(2025, 12, 24), dt.date(2025, 12, 29)
    >>> cal.after(eve, monday), cal.after(monday, eve)
    (1, -1)
    """

    __slots__ = ("_off", "_off_days")

    def __init__(self, years: Iterable[int]) -> None:
        days = bank_holidays(years)
        self._off = sorted(d.toordinal() for d in days if d.weekday() < 5)
        """Ordinals of the bank holidays that fall on a weekday, in order."""
        self._off_days = frozenset(self._off)

    @staticmethod
    @functools.lru_cache(maxsize=64)
    def of(years: range) -> Calendar:
        """The calendar of ``years``, made once per range (a batch asks for the same few again and again)."""
        return Calendar(years)

    @staticmethod
    def spanning(a: dt.date, b: dt.date) -> Calendar:
        """The calendar of the years from the earlier of two days to the later (:meth:`of`)."""
        return Calendar.of(range(min(a, b).year, max(a, b).year + 1))

    def count(self, start: dt.date, end: dt.date) -> int:
        """Working days from ``start`` (included) to ``end`` (excluded); when ``end`` is before ``start``,
        minus those after ``end`` up to and including ``start``, as ``numpy.busday_count`` counts."""
        a, b = start.toordinal(), end.toordinal()
        return self._count(a, b) if a <= b else -self._count(b + 1, a + 1)

    def after(self, as_of: dt.date, day: dt.date) -> int:
        """Working days after ``as_of`` up to and including ``day``; negative (the working days since)
        when ``day`` is before ``as_of``."""
        return self.after_ordinal(as_of.toordinal(), day.toordinal())

    def after_ordinal(self, a: int, d: int) -> int:
        """:meth:`after` of two days given as ordinals (``date.toordinal``), which may lie outside
        the years 1-9999 a ``date`` holds (a frame's ``datetime64`` dates can): weekday arithmetic."""
        return self._count(a + 1, d + 1) if d >= a else -self._count(d + 1, a + 1)

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday and not one of this calendar's bank holidays."""
        return self.is_working_ordinal(day.toordinal())

    def is_working_ordinal(self, n: int) -> bool:
        """:meth:`is_working_day` of a day given as an ordinal (any, as :meth:`after_ordinal`)."""
        return (n - 1) % 7 < 5 and n not in self._off_days  # ordinal 1, 1 January of year 1: a Monday

    def _count(self, a: int, b: int) -> int:
        """Working days from ordinal ``a`` (included) to ``b`` (excluded), ``a <= b``."""
        off = self._off
        holidays = bisect.bisect_left(off, b) - bisect.bisect_left(off, a)
        return _weekdays_before(b) - _weekdays_before(a) - holidays


def _weekdays_before(ordinal: int) -> int:
    """Days Monday to Friday before the day of this ordinal, from 1 January of year 1 (a Monday)."""
    weeks, rest = divmod(ordinal - 1, 7)
    return 5 * weeks + min(rest, 5)
