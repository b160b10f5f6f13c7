"""The RAG rule itself, written once, action by action: its inputs, verdicts and reasons.

:mod:`edi_workbook.rag_rating` (the package) gives the rule's results as a frame
(:func:`~edi_workbook.rag_rating.rag`, :func:`~edi_workbook.rag_rating.rag_frame`) or as lists
(:func:`~edi_workbook.rag_rating.rag_columns`); this module is what they share: the words the rule
turns on (checked against the reference data when it loads), its inputs read from a frame
(:func:`frame_inputs`) or from a plan's lists (:func:`plan_inputs`), the verdict (:func:`judged`),
working days (:func:`working_days`) and the reasons (:func:`reasons`). The rule's table is in the
package's docstring.

Plain Python over lists, one loop per plan: a plan has tens of actions, on which numpy's cost per
call was most of the rule's (0.3 ms per 50-action plan, now under 0.1), and importing numpy 54 ms
of every command that rates a plan (issue 18). Both ways in share this one definition; only the
frame's own columns (dates, nullable integers) are built with numpy, by the frame path.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from edi_workbook import reference

if TYPE_CHECKING:
    import pandas as pd

    from edi_workbook.plan import Plan, Settings

__all__ = [
    "AMBER",
    "BLUE",
    "CANCELLED",
    "COMPLETE",
    "GREEN",
    "GREY",
    "LAG_DECIMALS",
    "ON_HOLD",
    "RAG_BY_RULE",
    "RED",
    "Inputs",
    "Judged",
    "blank_where",
    "column",
    "frame_inputs",
    "judged",
    "plan_inputs",
    "reasons",
    "working_days",
]

LAG_DECIMALS = 9
"""Decimal places the rule-6 schedule lag is rounded to, in Excel and in Python alike."""


def _status(name: str) -> str:
    if name not in reference.load().status_names:
        raise KeyError(f"status {name!r} is not in the reference data")
    return name


def _rag(name: str) -> str:
    return reference.load().rag(name).name


# The words the rule turns on, checked against the reference data when this module loads.
COMPLETE, CANCELLED, ON_HOLD = _status("Complete"), _status("Cancelled"), _status("On hold")
BLUE, GREEN, AMBER, RED, GREY = (_rag(n) for n in ("Blue", "Green", "Amber", "Red", "Grey"))

RAG_BY_RULE = (  # rule number (index) -> RAG value; index 0 is unused
    "",
    BLUE,
    GREY,
    RED,
    AMBER,
    AMBER,
    AMBER,
    GREEN,
)
_HOLIDAY_WINDOW = 60  # years either side of as-of for which bank holidays are looked up
_UNIX_ORDINAL = dt.date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class Inputs:
    """What the rule reads of each action, one entry per action in plan order: due and start dates
    as whole days since 1970-01-01 (None where not given), statuses, fractions complete (a blank 0.0)."""

    due: list[int | None]
    start: list[int | None]
    status: list[Any]
    pct: list[float]


@dataclass(frozen=True)
class Judged:
    """The rule's verdict on every action (lists in plan order), with what its reasons are made of."""

    inputs: Inputs
    today: int
    """As-of, in whole days since 1970-01-01."""
    rule: list[int]
    """The rule that matched (1-7; :data:`RAG_BY_RULE` gives its RAG value)."""
    days: list[int | None]
    """Due date - as-of in days; None without a due date."""
    used: list[float | None]
    """Percentage of the time from start to due used by as-of, for actions rules 1-5 leave to rules
    6-7 that are on a schedule (a start on or before as-of, before the due date); else None."""


def frame_inputs(frame: pd.DataFrame) -> Inputs:
    """The rule's inputs from a DataFrame of canonical keys (dates and numbers of any type)."""
    import numpy as np
    import pandas as pd

    pct_col = column(frame, "pct_complete")
    if pct_col.dtype == np.float64:  # a plan's own column: no conversion to make, only blanks to zero
        pct = pct_col.to_numpy()
        pct = np.where(np.isnan(pct), 0.0, pct)
    else:
        pct = pd.to_numeric(pct_col, errors="coerce").fillna(0.0).to_numpy(float)
    return Inputs(
        _days(frame, "due_date"),
        _days(frame, "start_date"),
        column(frame, "status").to_numpy(dtype=object).tolist(),
        pct.tolist(),
    )


def plan_inputs(plan: Plan) -> Inputs:
    """The rule's inputs from the plan's lists (:meth:`Plan.column`): neither pandas nor numpy."""
    return Inputs(
        _list_days(plan.column("due_date")),
        _list_days(plan.column("start_date")),
        list(plan.column("status")),
        [0.0 if v is None else float(v) for v in plan.column("pct_complete")],
    )


def _list_days(dates: list[dt.date | None]) -> list[int | None]:
    """Whole days since 1970-01-01 of a list of dates (None blank)."""
    unix = _UNIX_ORDINAL
    return [None if d is None else d.toordinal() - unix for d in dates]


def judged(inputs: Inputs, as_of: dt.date, settings: Settings) -> Judged:
    """The rule (first match wins) over every action: the one definition both ways in use."""
    today = as_of.toordinal() - _UNIX_ORDINAL
    amber, tolerance = settings.amber_days, settings.progress_tolerance
    rules: list[int] = []
    days_out: list[int | None] = []
    used_out: list[float | None] = []
    for due, start, status, pct in zip(inputs.due, inputs.start, inputs.status, inputs.pct, strict=True):
        days = used = None
        if due is None:
            rule = 1 if status == COMPLETE else 2
        else:
            days = due - today
            if status == COMPLETE:
                rule = 1
            elif status == CANCELLED:
                rule = 2
            elif days < 0:
                rule = 3
            elif days <= amber:
                rule = 4
            elif status == ON_HOLD:
                rule = 5
            elif start is not None and start <= today and due > start:  # on a schedule: behind it?
                used = 100.0 * (today - start) / (due - start)
                rule = 6 if _lag(used - 100.0 * pct) > tolerance else 7
            else:
                rule = 7
        rules.append(rule)
        days_out.append(days)
        used_out.append(used)
    return Judged(inputs, today, rules, days_out, used_out)


def _lag(x: float) -> float:
    """``x`` rounded to :data:`LAG_DECIMALS` places as ``numpy.round`` rounds (and the rule always
    did): times 10**9, to the nearest whole number (halves to even), divided back."""
    y = x * 1e9
    return round(y) / 1e9 if math.isfinite(y) else y / 1e9


def blank_where(numbers: list[int | None]) -> Any:
    """Whole numbers as a nullable ``Int64`` array, ``<NA>`` for None.

    Built from the values and the mask in one step: setting ``pd.NA`` afterwards with ``.loc`` was
    40% of the rule's time on a 50-action plan (issue 18).
    """
    import numpy as np
    import pandas as pd

    values = np.array([0 if n is None else n for n in numbers], dtype=np.int64)
    return pd.arrays.IntegerArray(values, np.array([n is None for n in numbers], dtype=bool))


def column(frame: pd.DataFrame, key: str) -> pd.Series:
    import pandas as pd

    if key in frame.columns:
        return frame[key]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _days(frame: pd.DataFrame, key: str) -> list[int | None]:
    """Whole days since 1970-01-01 of a frame's column, None where it holds no date."""
    import numpy as np
    import pandas as pd

    col = column(frame, key)
    if not pd.api.types.is_datetime64_any_dtype(col):
        col = pd.to_datetime(col, errors="coerce")
    d = col.to_numpy(dtype="datetime64[D]")
    ok = ~np.isnat(d)
    days = np.where(ok, d.astype("int64"), 0).tolist()
    return [n if given else None for n, given in zip(days, ok.tolist(), strict=True)]


def working_days(j: Judged) -> tuple[list[int | None], list[bool]]:
    """Working days after as-of up to each due date (None without one), and whether each due date
    falls on a weekend or bank holiday; bank holidays of the years from the earliest date to the
    latest, as-of included, but at most :data:`_HOLIDAY_WINDOW` years either side of as-of."""
    from edi_workbook import workdays

    base = j.today + _UNIX_ORDINAL
    year = _year(j.today)
    given = [d for d in j.inputs.due if d is not None]
    lo, hi = min([*given, j.today]), max([*given, j.today])
    first = max(_year(lo), year - _HOLIDAY_WINDOW)
    last = min(_year(hi), year + _HOLIDAY_WINDOW)
    calendar = workdays.Calendar.of(range(first, last + 1))
    days = {n: n + _UNIX_ORDINAL for n in set(given)}  # due dates repeat: once each, as ordinals
    count = {n: calendar.after_ordinal(base, day) for n, day in days.items()}
    off = {n: not calendar.is_working_ordinal(day) for n, day in days.items()}
    due = j.inputs.due
    return [None if n is None else count[n] for n in due], [False if n is None else off[n] for n in due]


def _year(days: int) -> int:
    """Calendar year of a day number (days since 1970-01-01), held to the years 1-9999 a ``date``
    holds (a frame's ``datetime64`` dates may lie beyond them: no bank holidays are known there)."""
    return dt.date.fromordinal(min(max(days + _UNIX_ORDINAL, 1), _LAST_ORDINAL)).year


_LAST_ORDINAL = dt.date.max.toordinal()


def reasons(j: Judged, shown: list[int | None], working: bool) -> list[str]:
    """One line per action saying why it has its RAG value; ``shown`` are the days it counts
    (``j.days``, or the working days of :func:`working_days` when ``working``)."""
    unit = " working day" if working else " day"
    out = []
    for rule, status, n, pct, used in zip(j.rule, j.inputs.status, shown, j.inputs.pct, j.used, strict=True):
        if rule == 1:
            text = "complete"
        elif rule == 2:
            text = "cancelled" if status == CANCELLED else "no due date"
        elif rule == 5:
            text = "on hold"
        elif rule == 3:
            text = _counted("overdue by ", -n, unit)  # type: ignore[operator]
        elif used is None:  # rule 4, or rule 7 without a schedule
            text = "due today" if n == 0 and not working else _counted("due in ", n, unit)  # type: ignore[arg-type]
        else:  # rule 6, or rule 7 on schedule
            text = f"{_percent(100.0 * pct)}% done, {_percent(used)}% of time used"
        out.append(text)
    return out


def _counted(prefix: str, n: int, unit: str) -> str:
    """``prefix`` + ``n`` + ``unit`` with the plural where it is needed: "due in 1 day", "in 9 days"."""
    return f"{prefix}{n}{unit}" if abs(n) == 1 else f"{prefix}{n}{unit}s"


_INT64 = 2.0**63


def _percent(x: float) -> str:
    """A whole percentage as text, halves rounded up (71.5 -> "72").

    Beyond the 64-bit range (a % complete typed as a 300-digit number, or infinite) it is shown in
    short scientific form ("1e+302"). The numpy form of the rule cast such a value to the least
    64-bit integer and showed "-9223372036854775808% done", which no one could read.

    >>> _percent(71.5), _percent(-0.4), _percent(1e302)
    ('72', '0', '1e+302')
    """
    y = x + 0.5
    return str(math.floor(y)) if -_INT64 <= y < _INT64 else f"{x:.3g}"
