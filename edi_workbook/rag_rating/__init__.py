"""RAG status against deadlines: the template's rule, vectorised, with a reason for every action.

The rule (issue 2, "Default rule"; the same as the template's formulas in
:mod:`edi_workbook.template.formulas`, which has the details that keep the two equal). First match wins:

==== ===================================================================== ======
rule when                                                                  RAG
==== ===================================================================== ======
1    Status Complete                                                       Blue
2    Status Cancelled, or no due date                                      Grey
3    due < as-of                                                           Red
4    due - as-of <= AmberDays                                              Amber
5    Status On hold                                                        Amber
6    start <= as-of and 100 (as-of - start) / (due - start) - 100 pct
     > ProgressTolerance (percentage points behind a straight-line plan)   Amber
7    otherwise                                                             Green
==== ===================================================================== ======

Dates are whole days; a blank ``% complete`` counts as 0. ``days_to_due`` is due - as-of in calendar
days; ``working_days_to_due`` counts England and Wales working days (``edi_workbook.workdays``)
after as-of up to and including the due date (negative when overdue). A due date on a weekend or
bank holiday is flagged in ``due_on_non_working_day``.

>>> import datetime as dt
>>> from edi_workbook.plan import Plan
>>> plan = Plan.from_records([
...     {"Action ID": "A1", "Status": "In progress", "Due date": "2025-03-01"},
...     {"Action ID": "A2", "Status": "In progress", "Start date": "2024-12-01",
...      "Due date": "2025-12-31", "% complete": "5%"},
... ])
>>> result = rag(plan, as_of=dt.date(2025, 3, 13))
>>> result.frame[["action_id", "rag", "reason"]].values.tolist()
[['A1', 'Red', 'overdue by 12 days'], ['A2', 'Amber', '5% done, 26% of time used']]
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from edi_workbook import reference
from edi_workbook.plan import Settings

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from edi_workbook.plan import Plan

__all__ = [
    "AMBER",
    "BLUE",
    "CANCELLED",
    "COMPLETE",
    "GREEN",
    "GREY",
    "LAG_DECIMALS",
    "ON_HOLD",
    "OUTPUT_COLUMNS",
    "RED",
    "RESULT_COLUMNS",
    "RagColumns",
    "RagResult",
    "plain_value",
    "rag",
    "rag_columns",
    "rag_frame",
    "rule_rag",
]

OUTPUT_COLUMNS = (
    "action_id",
    "rag",
    "reason",
    "due_date",
    "status",
    "days_to_due",
    "working_days_to_due",
    "due_on_non_working_day",
    "rule",
)
"""Columns of :func:`rag_frame`'s result, in order."""
RESULT_COLUMNS = (*OUTPUT_COLUMNS[:2], "reported_rag", *OUTPUT_COLUMNS[2:])
"""Columns of :attr:`RagResult.frame`: the rule's, with the plan's own RAG (``reported_rag``) beside it."""

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

# rule number (index) -> RAG value; index 0 is unused.
_RAG_BY_RULE = (
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
class RagResult:
    """RAG of every action of a plan: ``frame`` (one row per action, in plan order) and totals."""

    frame: pd.DataFrame
    as_of: dt.date
    settings: Settings

    @property
    def totals(self) -> dict[str, int]:
        """Count of actions per RAG value, every value present, in the reference order."""

        counts = self.frame["rag"].value_counts()
        return {name: int(counts.get(name, 0)) for name in reference.load().rag_names}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"as_of", "settings", "actions": [...], "totals"}``."""
        return {
            "as_of": self.as_of.isoformat(),
            "settings": self.settings.to_dict(),
            "actions": _records(self.frame),
            "totals": self.totals,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (stable key order)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def rag(
    plan: Plan,
    as_of: dt.date | None = None,
    settings: Settings | None = None,
    *,
    working_days: bool = False,
) -> RagResult:
    """RAG, days to due and a one-line reason for every action of ``plan``.

    The frame also has ``reported_rag``: the colour the plan's own RAG column gives the action
    (Blue/Green/Amber/Red/Grey), None where it gives none or the column holds formulas.

    ``settings`` defaults to the plan's (its workbook's defined names); ``as_of`` to the argument,
    else ``settings.as_of``, else today. With ``working_days`` the reasons count working days.
    """
    from edi_workbook.arguments import as_of_date, plan_argument

    plan, as_of = plan_argument(plan, "rag"), as_of_date(as_of)
    if settings is not None and not isinstance(settings, Settings):
        raise TypeError(
            f"rag() settings must be a Settings (plan.settings.replace(...)), not {type(settings).__name__}"
        )
    chosen = settings if settings is not None else plan.settings
    effective = as_of or chosen.effective_as_of()
    chosen = chosen.replace(as_of=effective)
    frame = _rated(plan.frame, effective, chosen, working_days, plan.reported_rag)
    return RagResult(frame=frame, as_of=effective, settings=chosen)


@dataclass(frozen=True)
class RagColumns:
    """What a roll-up keeps of :func:`rag`: plain lists, one value per action, in plan order.

    The same values as :attr:`RagResult.frame`'s columns (blanks as None), without building the
    frame, which was a third of :func:`rag` on a 50-action plan (issue 18).
    """

    as_of: dt.date
    rag: list[str]
    reported_rag: list[str | None]
    days_to_due: list[int | None]
    reason: list[str]


def rag_columns(plan: Plan, as_of: dt.date | None = None) -> RagColumns:
    """:func:`rag` of ``plan`` with its own settings, as :class:`RagColumns`.

    >>> from edi_workbook.plan import Plan
    >>> plan = Plan.from_records([{"Action ID": "A1", "Status": "In progress", "Due date": "2025-03-01"}])
    >>> cols = rag_columns(plan, as_of=dt.date(2025, 3, 13))
    >>> cols.rag, cols.days_to_due, cols.reason
    (['Red'], [-12], ['overdue by 12 days'])
    """
    from edi_workbook.arguments import as_of_date, plan_argument

    plan, as_of = plan_argument(plan, "rag"), as_of_date(as_of)
    effective = as_of or plan.settings.effective_as_of()
    j = _judged(_plan_inputs(plan), effective, plan.settings)
    return RagColumns(
        as_of=effective,
        rag=_rag_names(j),
        reported_rag=plan.reported_rag,
        days_to_due=[d if ok else None for d, ok in zip(j.days.tolist(), j.has_due.tolist(), strict=True)],
        reason=_reason_texts(j),
    )


def rule_rag(plan: Plan, as_of: dt.date, settings: Settings) -> tuple[list[str], list[str]]:
    """The rule's RAG and reason for every action of ``plan`` with these settings, as lists:
    ``rag_frame(plan.frame, as_of, settings)``'s ``rag`` and ``reason``, without the frame."""
    j = _judged(_plan_inputs(plan), as_of, settings)
    return _rag_names(j), _reason_texts(j)


def _rag_names(j: _Judged) -> list[str]:
    import numpy as np

    return list(np.asarray(_RAG_BY_RULE, dtype=object)[j.rule].tolist())


def _reason_texts(j: _Judged) -> list[str]:
    reason = _reasons(j.rule, j.status, j.has_due, j.days, j.pct, j.used, j.schedulable, False)
    return [str(r) for r in reason.tolist()]


def rag_frame(
    frame: pd.DataFrame,
    as_of: dt.date,
    settings: Settings | None = None,
    *,
    working_days: bool = False,
) -> pd.DataFrame:
    """The RAG rule over a bare DataFrame of canonical keys; columns :data:`OUTPUT_COLUMNS`.

    Needs only ``status``, ``due_date``, ``start_date`` and ``pct_complete`` (missing ones count as
    blank); ``action_id`` is carried through. The result keeps ``frame``'s index.
    """
    return _rated(frame, as_of, settings or Settings(), working_days, None)


def _rated(
    frame: pd.DataFrame, as_of: dt.date, settings: Settings, working_days: bool, reported: list[Any] | None
) -> pd.DataFrame:
    """:func:`rag_frame`, with ``reported_rag`` (:data:`RESULT_COLUMNS`) when ``reported`` is given:
    one frame built at once (inserting the column afterwards cost 10% of :func:`rag`)."""
    import numpy as np
    import pandas as pd

    j = _judged(_frame_inputs(frame), as_of, settings)
    work_days, off_day = _working_days(j.due, j.has_due, j.today)
    shown = work_days if working_days else j.days
    reason = _reasons(j.rule, j.status, j.has_due, shown, j.pct, j.used, j.schedulable, working_days)
    due_col = _column(frame, "due_date")
    columns: dict[str, Any] = {
        "action_id": _column(frame, "action_id").to_numpy(dtype=object),
        "rag": np.asarray(_RAG_BY_RULE, dtype=object)[j.rule],
    }
    if reported is not None:
        columns["reported_rag"] = reported
    out = pd.DataFrame(
        {
            **columns,
            "reason": reason,
            "due_date": (
                due_col.to_numpy()
                if due_col.dtype == "datetime64[ns]"
                else pd.to_datetime(due_col, errors="coerce").to_numpy()
            ),
            "status": j.status,
            "days_to_due": _blank_where(np.where(j.has_due, j.days, 0), ~j.has_due),
            "working_days_to_due": _blank_where(work_days, ~j.has_due),
            "due_on_non_working_day": off_day,
            "rule": j.rule,
        },
        index=frame.index,
    )
    return out


@dataclass(frozen=True)
class _Judged:
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
class _Inputs:
    """What the rule reads of each action: due and start dates as whole days since 1970-01-01 with
    masks of those given, statuses (objects) and fractions complete (a blank 0)."""

    due: np.ndarray
    has_due: np.ndarray
    start: np.ndarray
    has_start: np.ndarray
    status: np.ndarray
    pct: np.ndarray


def _frame_inputs(frame: pd.DataFrame) -> _Inputs:
    """The rule's inputs from a DataFrame of canonical keys (dates and numbers of any type)."""
    import numpy as np
    import pandas as pd

    due, has_due = _days(frame, "due_date")
    start, has_start = _days(frame, "start_date")
    status = _column(frame, "status").to_numpy(dtype=object)
    pct_col = _column(frame, "pct_complete")
    if pct_col.dtype == np.float64:  # a plan's own column: no conversion to make, only blanks to zero
        pct = pct_col.to_numpy()
        pct = np.where(np.isnan(pct), 0.0, pct)
    else:
        pct = pd.to_numeric(pct_col, errors="coerce").fillna(0.0).to_numpy(float)
    return _Inputs(due, has_due, start, has_start, status, pct)


def _plan_inputs(plan: Plan) -> _Inputs:
    """The rule's inputs from the plan's lists (:meth:`Plan.column`): no pandas."""
    import numpy as np

    n = len(plan)
    status = np.empty(n, dtype=object)
    status[:] = plan.column("status")
    pct = np.array([0.0 if v is None else v for v in plan.column("pct_complete")], dtype=np.float64)
    return _Inputs(*_list_days(plan.column("due_date")), *_list_days(plan.column("start_date")), status, pct)


def _list_days(dates: list[dt.date | None]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_days` of a list of dates (None blank)."""
    import numpy as np

    days = [0 if d is None else d.toordinal() - _UNIX_ORDINAL for d in dates]
    return np.array(days, dtype=np.int64), np.array([d is not None for d in dates], dtype=bool)


_UNIX_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _judged(inputs: _Inputs, as_of: dt.date, settings: Settings) -> _Judged:
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
    return _Judged(today, due, has_due, status, pct, used, schedulable, days, rule)


def _blank_where(numbers: np.ndarray, blank: np.ndarray) -> Any:
    """Whole numbers as a nullable ``Int64`` array, ``<NA>`` where ``blank``.

    Built from the values and the mask in one step: setting ``pd.NA`` afterwards with ``.loc`` was
    40% of the rule's time on a 50-action plan (issue 18).
    """
    import numpy as np
    import pandas as pd

    return pd.arrays.IntegerArray(np.asarray(numbers, dtype=np.int64), np.array(blank, dtype=bool))


def _column(frame: pd.DataFrame, key: str) -> pd.Series:
    import pandas as pd

    if key in frame.columns:
        return frame[key]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _days(frame: pd.DataFrame, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Whole days since 1970-01-01 (int64) and a mask of the values that are dates."""
    import numpy as np
    import pandas as pd

    col = _column(frame, key)
    if not pd.api.types.is_datetime64_any_dtype(col):
        col = pd.to_datetime(col, errors="coerce")
    d = col.to_numpy(dtype="datetime64[D]")
    ok = ~np.isnat(d)
    return np.where(ok, d.astype("int64"), 0), ok


def _working_days(due: np.ndarray, has_due: np.ndarray, today: np.int64) -> tuple[np.ndarray, np.ndarray]:
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


def _reasons(
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


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The result frame as JSON-ready dicts (dates ISO, whole numbers int, missing values None)."""
    keys = [c for c in RESULT_COLUMNS if c != "rule"]
    columns = [[plain_value(v) for v in frame[k].tolist()] for k in keys]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]


def plain_value(value: Any) -> Any:
    """One cell of the result as a JSON value."""
    from edi_workbook import values

    if isinstance(value, bool | str):
        return value
    if values.is_blank(value):
        return None
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
