"""RAG status against deadlines: the template's rule, with a reason for every action.

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
from edi_workbook.rag_rating import rule
from edi_workbook.rag_rating.rule import (
    AMBER,
    BLUE,
    CANCELLED,
    COMPLETE,
    GREEN,
    GREY,
    LAG_DECIMALS,
    ON_HOLD,
    RED,
)

if TYPE_CHECKING:
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
    j = rule.judged(rule.plan_inputs(plan), effective, plan.settings)
    return RagColumns(
        as_of=effective,
        rag=_rag_names(j),
        reported_rag=plan.reported_rag,
        days_to_due=j.days,
        reason=rule.reasons(j, j.days, False),
    )


def rule_rag(plan: Plan, as_of: dt.date, settings: Settings) -> tuple[list[str], list[str]]:
    """The rule's RAG and reason for every action of ``plan`` with these settings, as lists:
    ``rag_frame(plan.frame, as_of, settings)``'s ``rag`` and ``reason``, without the frame."""
    j = rule.judged(rule.plan_inputs(plan), as_of, settings)
    return _rag_names(j), rule.reasons(j, j.days, False)


def _rag_names(j: rule.Judged) -> list[str]:
    names = rule.RAG_BY_RULE
    return [names[n] for n in j.rule]


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

    j = rule.judged(rule.frame_inputs(frame), as_of, settings)
    work_days, off_day = rule.working_days(j)
    reason = rule.reasons(j, work_days if working_days else j.days, working_days)
    due_col = rule.column(frame, "due_date")
    columns: dict[str, Any] = {
        "action_id": rule.column(frame, "action_id").to_numpy(dtype=object),
        "rag": np.array(_rag_names(j), dtype=object),
    }
    if reported is not None:
        columns["reported_rag"] = reported
    return pd.DataFrame(
        {
            **columns,
            "reason": np.array(reason, dtype=object),
            "due_date": (
                due_col.to_numpy()
                if due_col.dtype == "datetime64[ns]"
                else pd.to_datetime(due_col, errors="coerce").to_numpy()
            ),
            "status": rule.column(frame, "status").to_numpy(dtype=object),
            "days_to_due": rule.blank_where(j.days),
            "working_days_to_due": rule.blank_where(work_days),
            "due_on_non_working_day": np.array(off_day, dtype=bool),
            "rule": np.array(j.rule, dtype=np.int8),
        },
        index=frame.index,
    )


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
