"""Several returns per organisation, followed over time (``batch --history``, ``report --history``).

:func:`analyse_history` reads every file, dates each return (:mod:`edi_workbook.batch.periods`: the
period in its file name with ``--period``, else its own ``AsOfDate`` or its title's "as at" date,
else ``--as-of``, else today) and judges it **at its own date**, groups the returns by organisation,
and follows each organisation's actions from one return to the next with
:func:`edi_workbook.changes.track`. The result, :class:`History`, holds one :class:`ReturnLine` per
return (RAG mix, overdue, completion rate, and what changed since the previous return: slipped,
completed, new, removed, stalled), the same summed per period over all organisations, the most
slipped actions, and the movement of the headline figures since the previous returns.

Each organisation's latest return is the current picture: the batch's usual outputs show those,
and the Trend sheet or the report's "Progress over time" section shows the rest. Every return is
held in memory until its organisation's history is worked out.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook import reference
from edi_workbook.batch.model import FileResult
from edi_workbook.batch.periods import (
    compile_period,
    organisation_from_name,
    organisation_key,
    period_from_name,
)

if TYPE_CHECKING:
    from edi_workbook.plan import Plan

__all__ = ["History", "ReturnLine", "SlipLine", "analyse_history", "period_label"]

TOP_SLIPPED = 15
"""The report and the Trend sheet list this many of the most slipped actions."""


def period_label(day: dt.date) -> str:
    """The NHS financial-year quarter of a date: ``Q3 2026/27`` for 31 December 2026.

    >>> period_label(dt.date(2026, 12, 31)), period_label(dt.date(2027, 3, 31))
    ('Q3 2026/27', 'Q4 2026/27')
    """
    start = day.year if day.month >= 4 else day.year - 1
    quarter = (day.month - 4) % 12 // 3 + 1
    return f"Q{quarter} {start}/{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class ReturnLine:
    """One return of one organisation, with what changed since its previous return."""

    organisation: str
    period: str
    date: dt.date
    dated_by: str  # "file name", "AsOfDate", "as at" (its title's date), "--as-of" or "today"
    file: str
    actions: int
    rag: dict[str, int]
    overdue: int
    slipped: int | None = None  # None for an organisation's first return
    completed: int | None = None
    added: int | None = None
    removed: int | None = None
    stalled: int | None = None

    @property
    def completion(self) -> float:
        """Share of the return's actions that are complete (Blue), 0 to 1."""
        return self.rag.get("Blue", 0) / self.actions if self.actions else 0.0


@dataclass(frozen=True)
class SlipLine:
    """An action whose due date moved later in an organisation's returns."""

    organisation: str
    action_id: str | None
    action: str | None
    slips: int
    days: int
    first_due: dt.date | None
    due: dt.date | None
    status: str | None


@dataclass
class History:
    """Every organisation's returns over time; see the module docstring."""

    lines: list[ReturnLine] = field(default_factory=list)  # by organisation, then date
    latest: list[FileResult] = field(default_factory=list)  # each organisation's latest return
    earlier: list[FileResult] = field(default_factory=list)
    unreadable: list[FileResult] = field(default_factory=list)
    slipped: list[SlipLine] = field(default_factory=list)
    same_date: list[tuple[str, str]] = field(default_factory=list)  # (file left out, file kept)

    @property
    def organisations(self) -> list[str]:
        return list(dict.fromkeys(line.organisation for line in self.lines))

    @property
    def periods(self) -> list[str]:
        """Period labels in date order."""
        firsts: dict[str, dt.date] = {}
        for line in self.lines:
            firsts[line.period] = min(firsts.get(line.period, line.date), line.date)
        return sorted(firsts, key=lambda p: firsts[p])

    def by_organisation(self) -> dict[str, list[ReturnLine]]:
        out: dict[str, list[ReturnLine]] = {}
        for line in self.lines:
            out.setdefault(line.organisation, []).append(line)
        return out

    def overall(self) -> list[ReturnLine]:
        """Per period, every organisation's latest return in it, summed (``organisation`` is ``All``)."""
        names = reference.load().rag_names
        out = []
        for period in self.periods:
            latest: dict[str, ReturnLine] = {}
            for line in self.lines:
                if line.period == period:
                    latest[line.organisation] = line
            ls = list(latest.values())

            def total(attr: str, lines: list[ReturnLine] = ls) -> int | None:
                got = [getattr(x, attr) for x in lines if getattr(x, attr) is not None]
                return sum(got) if got else None

            out.append(
                ReturnLine(
                    "All",
                    period,
                    max(x.date for x in ls),
                    "",
                    f"{len(ls)} returns",
                    sum(x.actions for x in ls),
                    {k: sum(x.rag.get(k, 0) for x in ls) for k in names},
                    sum(x.overdue for x in ls),
                    total("slipped"),
                    total("completed"),
                    total("added"),
                    total("removed"),
                    total("stalled"),
                )
            )
        return out

    def movement(self) -> tuple[dict[str, tuple[int, int]], str]:
        """Headline figures now and at the previous returns, over organisations with two or more;
        and the words for "since when" (``Q2 2026/27``, or ``the previous returns``)."""
        now: dict[str, int] = {}
        before: dict[str, int] = {}
        labels = set()
        for lines in self.by_organisation().values():
            if len(lines) < 2:
                continue
            labels.add(lines[-2].period)
            for side, line in ((now, lines[-1]), (before, lines[-2])):
                for key, value in _figures(line).items():
                    side[key] = side.get(key, 0) + value
        since = next(iter(labels)) if len(labels) == 1 else "the previous returns"
        return {k: (now[k], before[k]) for k in now}, since

    def to_dict(self) -> dict[str, Any]:
        def line(x: ReturnLine) -> dict[str, Any]:
            return {
                "organisation": x.organisation,
                "period": x.period,
                "as_of": x.date.isoformat(),
                "dated_by": x.dated_by,
                "file": x.file,
                "actions": x.actions,
                "rag": dict(x.rag),
                "overdue": x.overdue,
                "completion": round(x.completion, 4),
                "slipped": x.slipped,
                "completed": x.completed,
                "new": x.added,
                "removed": x.removed,
                "stalled": x.stalled,
            }

        moved, since = self.movement()
        return {
            "returns": [line(x) for x in self.lines],
            "overall": [line(x) for x in self.overall()],
            "movement": {"since": since, **{k: {"now": a, "before": b} for k, (a, b) in moved.items()}},
            "most_slipped": [
                {
                    "organisation": s.organisation,
                    "action_id": s.action_id,
                    "action": s.action,
                    "slips": s.slips,
                    "days": s.days,
                    "first_due": _iso(s.first_due),
                    "due": _iso(s.due),
                }
                for s in self.slipped
            ],
        }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _figures(line: ReturnLine) -> dict[str, int]:
    return {
        "actions": line.actions,
        "overdue": line.overdue,
        "complete": line.rag.get("Blue", 0),
        "amber": line.rag.get("Amber", 0),
        "green": line.rag.get("Green", 0),
    }


# ---------------------------------------------------------------- reading and dating the returns


@dataclass
class _Return:
    path: Path
    result: FileResult
    plan: Plan | None
    date: dt.date
    dated_by: str
    organisation: str


def _analyse_one(
    path: Path, pattern: re.Pattern[str] | None, use_name: bool, as_of: dt.date | None
) -> _Return:
    """Read, date and analyse one return; an unreadable file gives a result with ``error``."""
    from edi_workbook.batch.run import analyse_file, analyse_plan
    from edi_workbook.read import read_plan

    named = period_from_name(path, pattern) if use_name else None
    try:
        plan = read_plan(path)
    except Exception:  # noqa: BLE001 - as batch: a file that cannot be read is listed with the reason
        return _Return(path, analyse_file(path, as_of), None, dt.date.min, "", "")
    if named is not None:
        date, dated_by = named[0], "file name"
    elif plan.settings.as_of is not None:
        date, dated_by = plan.settings.as_of, "AsOfDate" if "AsOfDate" in plan.setting_cells else "as at"
    else:
        date, dated_by = (as_of, "--as-of") if as_of else (dt.date.today(), "today")
    try:
        result = analyse_plan(plan, as_of=date, file=str(path))
    except Exception as exc:  # noqa: BLE001 - a bug on one plan is reported on that plan only
        error = f"internal error while checking it ({type(exc).__name__}: {exc}); please report it"
        return _Return(path, FileResult(file=str(path), error=error), None, date, dated_by, "")
    org = plan.details.organisation
    if not org:  # named by its file: the outputs show that name too
        org = organisation_from_name(
            path, named[1] if named else (period_from_name(path, None) or (None, ""))[1]
        )
        result = replace(result, organisation=org)
    return _Return(path, result, plan, date, dated_by, org)


def _analyse_chunk(
    paths: Sequence[Path], pattern: re.Pattern[str] | None, use_name: bool, as_of: dt.date | None
) -> list[_Return]:
    return [_analyse_one(p, pattern, use_name, as_of) for p in paths]


def _crashed(path: Path) -> _Return:
    from edi_workbook.batch.pool import crashed_result

    return _Return(path, crashed_result(path), None, dt.date.min, "", "")


def _analyse_all(
    files: Sequence[Path], pattern: re.Pattern[str] | None, use_name: bool, as_of: dt.date | None, jobs: int
) -> list[_Return]:
    """Every return, analysed in worker processes as ``batch`` does (``pool.isolated``): a file
    that crashes its reader is listed as unreadable and the others go on."""
    import functools

    from edi_workbook.batch.pool import isolated, mp_context

    work = functools.partial(_analyse_chunk, pattern=pattern, use_name=use_name, as_of=as_of)
    return list(isolated(files, jobs, work, mp_context(), _crashed))


def analyse_history(
    paths: Iterable[str | os.PathLike[str]],
    *,
    as_of: dt.date | None = None,
    period: str | None = None,
    jobs: int | None = None,
    exclude: Iterable[Path] = (),
) -> History:
    """Read every return under ``paths`` and follow each organisation's returns over time.

    ``period`` is ``auto`` or a regular expression (:mod:`edi_workbook.batch.periods`): the period
    is then taken from each file name; otherwise from each plan's ``AsOfDate``. ``as_of`` dates a
    return that has neither. See the module docstring.
    """
    from edi_workbook.batch.pool import worker_count
    from edi_workbook.batch.run import discover

    files = discover(paths, exclude=exclude)
    pattern = compile_period(period) if period else None
    got = _analyse_all(files, pattern, period is not None, as_of, worker_count(jobs, len(files)))
    history = History()
    groups: dict[str, list[_Return]] = {}
    for r in got:
        if r.plan is None:
            history.unreadable.append(r.result)
        else:
            groups.setdefault(organisation_key(r.organisation), []).append(r)
    for group in sorted(groups.values(), key=lambda g: g[-1].organisation.casefold()):
        _follow(history, _dedupe(history, group))
    return history


def _dedupe(history: History, group: list[_Return]) -> list[_Return]:
    """Oldest first; of two returns with the same date, the later file (by name) is kept."""
    by_date: dict[dt.date, _Return] = {}
    for r in sorted(group, key=lambda r: (r.date, str(r.path))):
        if r.date in by_date:
            history.same_date.append((str(by_date[r.date].path), str(r.path)))
            history.earlier.append(by_date[r.date].result)
        by_date[r.date] = r
    return [by_date[d] for d in sorted(by_date)]


def _follow(history: History, returns: list[_Return]) -> None:
    """One organisation: its return lines, what changed between them, its slipped actions."""
    from edi_workbook.changes import track

    plans = [r.plan for r in returns if r.plan is not None]
    diffs, tracks = track(plans, as_of=[r.date for r in returns])
    label = returns[-1].organisation
    for k, r in enumerate(returns):
        d = diffs[k - 1] if k else None
        res = r.result
        history.lines.append(
            ReturnLine(
                label,
                period_label(r.date),
                r.date,
                r.dated_by,
                res.file,
                res.actions,
                dict(res.rag),
                res.overdue,
                slipped=d.slipped if d else None,
                completed=d.completed if d else None,
                added=d.count("added") if d else None,
                removed=d.count("removed") if d else None,
                stalled=d.count("stalled") if d else None,
            )
        )
    history.latest.append(returns[-1].result)
    history.earlier.extend(r.result for r in returns[:-1])
    slipped = [
        SlipLine(label, t.action_id, t.action, t.slips, t.days_slipped, t.first_due, t.due, t.status)
        for t in tracks
        if t.slips
    ]
    history.slipped = sorted(
        [*history.slipped, *slipped], key=lambda s: (-s.slips, -s.days, s.organisation, s.action_id or "")
    )[:TOP_SLIPPED]
