"""The RAG rule itself, over every action at once (numpy): its inputs, verdicts and reasons.

:mod:`edi_workbook.rag_rating` (the package) gives the rule's results as a frame
(:func:`~edi_workbook.rag_rating.rag`, :func:`~edi_workbook.rag_rating.rag_frame`) or as lists
(:func:`~edi_workbook.rag_rating.rag_columns`); this module is what they share: the words the rule
turns on (checked against the reference data when it loads), its inputs read from a frame
(:func:`frame_inputs`) or from a plan's lists (:func:`plan_inputs`), the verdict (:func:`judged`),
working days (:func:`working_days`) and the reasons (:func:`reasons`). The rule's table is in the
package's docstring.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from edi_workbook import reference

if TYPE_CHECKING:
    import numpy as np
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


@dataclass(frozen=True)
class Judged:
    """The rule's inputs and verdict for every action, as numpy arrays (see the module docstring)."""

    today: Any
    due: np.ndarray
    has_due: np.ndarray
    status: np.ndarray
    pct: np.ndarray
    used: np.ndarray
    schedulable: np.ndarray
    days: np.ndarray
    rule: np.ndarray


@dataclass(frozen=True)
class Inputs:
    """What the rule reads of each action: due and start dates as whole days since 1970-01-01 with
    masks of those given, statuses (objects) and fractions complete (a blank 0)."""

    due: np.ndarray
    has_due: np.ndarray
    start: np.ndarray
    has_start: np.ndarray
    status: np.ndarray
    pct: np.ndarray


def frame_inputs(frame: pd.DataFrame) -> Inputs:
    """The rule's inputs from a DataFrame of canonical keys (dates and numbers of any type)."""
    import numpy as np
    import pandas as pd

    due, has_due = _days(frame, "due_date")
    start, has_start = _days(frame, "start_date")
    status = column(frame, "status").to_numpy(dtype=object)
    pct_col = column(frame, "pct_complete")
    if pct_col.dtype == np.float64:  # a plan's own column: no conversion to make, only blanks to zero
        pct = pct_col.to_numpy()
        pct = np.where(np.isnan(pct), 0.0, pct)
    else:
        pct = pd.to_numeric(pct_col, errors="coerce").fillna(0.0).to_numpy(float)
    return Inputs(due, has_due, start, has_start, status, pct)


def plan_inputs(plan: Plan) -> Inputs:
    """The rule's inputs from the plan's lists (:meth:`Plan.column`): no pandas."""
    import numpy as np

    n = len(plan)
    status = np.empty(n, dtype=object)
    status[:] = plan.column("status")
    pct = np.array([0.0 if v is None else v for v in plan.column("pct_complete")], dtype=np.float64)
    return Inputs(*_list_days(plan.column("due_date")), *_list_days(plan.column("start_date")), status, pct)


def _list_days(dates: list[dt.date | None]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_days` of a list of dates (None blank)."""
    import numpy as np

    days = [0 if d is None else d.toordinal() - _UNIX_ORDINAL for d in dates]
    return np.array(days, dtype=np.int64), np.array([d is not None for d in dates], dtype=bool)


_UNIX_ORDINAL = dt.date(1970, 1, 1).toordinal()


def judged(inputs: Inputs, as_of: dt.date, settings: Settings) -> Judged:
    """The rule (first match wins) over every action at once."""
    import numpy as np

    today = np.int64(np.datetime64(as_of, "D").astype("int64"))
    due, has_due, start, has_start = inputs.due, inputs.has_due, inputs.start, inputs.has_start
    status, pct = inputs.status, inputs.pct

    days = due - today
    schedulable = has_due & has_start & (start <= today) & (due > start)
    span = np.where(schedulable, due - start, 1).astype(float)
    used = 100.0 * (today - start) / span
    lag = np.round(used - 100.0 * pct, LAG_DECIMALS)
    behind = schedulable & (lag > settings.progress_tolerance)

    conditions = [
        status == COMPLETE,
        (status == CANCELLED) | ~has_due,
        days < 0,
        days <= settings.amber_days,
        status == ON_HOLD,
        behind,
    ]
    rule = np.select(conditions, np.arange(1, 7, dtype=np.int8), default=np.int8(7)).astype(np.int8)
    return Judged(today, due, has_due, status, pct, used, schedulable, days, rule)


def blank_where(numbers: np.ndarray, blank: np.ndarray) -> Any:
    """Whole numbers as a nullable ``Int64`` array, ``<NA>`` where ``blank``.

    Built from the values and the mask in one step: setting ``pd.NA`` afterwards with ``.loc`` was
    40% of the rule's time on a 50-action plan (issue 18).
    """
    import numpy as np
    import pandas as pd

    return pd.arrays.IntegerArray(np.asarray(numbers, dtype=np.int64), np.array(blank, dtype=bool))


def column(frame: pd.DataFrame, key: str) -> pd.Series:
    import pandas as pd

    if key in frame.columns:
        return frame[key]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _days(frame: pd.DataFrame, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Whole days since 1970-01-01 (int64) and a mask of the values that are dates."""
    import numpy as np
    import pandas as pd

    col = column(frame, key)
    if not pd.api.types.is_datetime64_any_dtype(col):
        col = pd.to_datetime(col, errors="coerce")
    d = col.to_numpy(dtype="datetime64[D]")
    ok = ~np.isnat(d)
    return np.where(ok, d.astype("int64"), 0), ok


def working_days(due: np.ndarray, has_due: np.ndarray, today: np.int64) -> tuple[np.ndarray, np.ndarray]:
    """Working days after as-of up to the due date, and whether each due date is a working day."""
    import numpy as np

    from edi_workbook import workdays

    base = dt.date(1970, 1, 1) + dt.timedelta(days=int(today))
    lo = min(int(due[has_due].min()) if has_due.any() else int(today), int(today))
    hi = max(int(due[has_due].max()) if has_due.any() else int(today), int(today))
    first = max(_year(lo), base.year - _HOLIDAY_WINDOW)
    last = min(_year(hi), base.year + _HOLIDAY_WINDOW)
    hols = np.array(sorted(workdays.bank_holidays(range(first, last + 1))), dtype="datetime64[D]")
    cal = np.busdaycalendar(holidays=hols)
    d = np.where(has_due, due, today).astype("datetime64[D]")
    t = np.datetime64(base, "D")
    lo_d, hi_d = np.minimum(d, t), np.maximum(d, t)
    count = np.busday_count(lo_d + 1, hi_d + 1, busdaycal=cal)  # working days in (lo, hi]
    off = has_due & ~np.is_busday(d, busdaycal=cal)
    return np.where(d < t, -count, count).astype(np.int64), off


def _year(days: int) -> int:
    """Calendar year of a day number (days since 1970-01-01)."""
    import numpy as np

    return int(np.datetime64(days, "D").astype("datetime64[Y]").astype(np.int64)) + 1970


def reasons(
    rule: np.ndarray,
    status: np.ndarray,
    has_due: np.ndarray,
    days: np.ndarray,
    pct: np.ndarray,
    used: np.ndarray,
    schedulable: np.ndarray,
    working: bool,
) -> np.ndarray:
    """One line per action saying why it has its RAG value (built per reason, not per row)."""
    import numpy as np

    unit = " working day" if working else " day"
    out = np.full(len(rule), "", dtype=object)
    out[rule == 1] = "complete"
    out[(rule == 2) & (status == CANCELLED)] = "cancelled"
    out[(rule == 2) & (status != CANCELLED)] = "no due date"
    out[rule == 5] = "on hold"
    late = rule == 3
    out[late] = _counted("overdue by ", -days[late], unit)
    soon = ((rule == 4) | ((rule == 7) & ~schedulable)) & has_due
    out[soon] = _counted("due in ", days[soon], unit)
    if not working:
        out[soon & (days == 0)] = "due today"
    progress = (rule == 6) | ((rule == 7) & schedulable)
    done = _percent(100.0 * pct[progress])
    spent = _percent(used[progress])
    out[progress] = np.char.add(np.char.add(done, "% done, "), np.char.add(spent, "% of time used"))
    return out


def _counted(prefix: str, n: np.ndarray, unit: str) -> np.ndarray:
    """``prefix`` + ``n`` + ``unit`` with the plural where it is needed: "due in 1 day", "in 9 days"."""
    import numpy as np

    text = np.char.add(np.char.add(prefix, n.astype(str)), unit)
    return np.where(np.abs(n) == 1, text, np.char.add(text, "s"))


def _percent(x: np.ndarray) -> np.ndarray:
    """Whole percentages as text, halves rounded up (71.5 -> "72")."""
    import numpy as np

    return np.floor(x + 0.5).astype(np.int64).astype(str)
