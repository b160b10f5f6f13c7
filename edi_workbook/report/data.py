"""What the board report shows, gathered one file at a time with bounded memory.

:class:`ReportData` takes :class:`~edi_workbook.batch.model.FileResult` values and keeps only the
figures and the short lists the report prints (the most overdue actions, the next deadlines, the
commonest problems), so a report over thousands of plans costs little more than one over ten.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from edi_workbook import reference
from edi_workbook.batch.model import ROW_KEYS, FileResult, Totals

__all__ = ["HORIZONS", "ActionLine", "OrgLine", "ReportData"]

HORIZONS = (30, 60, 90)
"""Upcoming deadlines are counted within these many days of the as-of date."""
_CLOSED = ("Blue", "Grey")  # complete, or cancelled / no due date: nothing is coming due
_LIST_LIMIT = 25
_I = {k: i for i, k in enumerate(ROW_KEYS)}


@dataclass(frozen=True, order=True)
class ActionLine:
    """One action as the report lists it (overdue, or due soon)."""

    days_to_due: int
    organisation: str
    action_id: str
    action: str
    owner: str
    due_date: dt.date | None
    status: str
    rag: str
    file: str


@dataclass(frozen=True)
class OrgLine:
    """One plan's line in the report: its figures and coverage."""

    label: str
    file: str
    result: str
    actions: int
    errors: int
    warnings: int
    overdue: int
    rag: dict[str, int]
    hia_actions: dict[int, int]
    error: str | None


@dataclass
class ReportData:
    """Accumulates the report's content; see the module docstring."""

    as_of: dt.date
    totals: Totals = field(default_factory=Totals)
    orgs: list[OrgLine] = field(default_factory=list)
    upcoming_counts: Counter[int] = field(default_factory=Counter)
    code_files: Counter[str] = field(default_factory=Counter)
    code_example: dict[str, str] = field(default_factory=dict)
    objective_rag: dict[str, Counter[str]] = field(default_factory=dict)
    _overdue: list[tuple[int, int, ActionLine]] = field(default_factory=list)
    _upcoming: list[tuple[int, int, ActionLine]] = field(default_factory=list)
    _seq: int = 0

    def add(self, r: FileResult) -> None:
        """Count one file's result in."""
        from edi_workbook.batch.outputs import result_word

        self.totals.add(r)
        self.orgs.append(
            OrgLine(
                r.label,
                r.file,
                result_word(r),
                r.actions,
                r.errors,
                r.warnings,
                r.overdue,
                dict(r.rag),
                dict(r.hia_actions),
                r.error,
            )
        )
        for code in {f.code for f in r.findings}:
            self.code_files[code] += 1
        for f in r.findings:
            where = f.where
            self.code_example.setdefault(f.code, f"{r.label}: {where}" if where else r.label)
        for row in r.rows:
            self._add_action(r, row)

    def _add_action(self, r: FileResult, row: tuple[Any, ...]) -> None:
        rag, days = row[_I["rag"]], row[_I["days_to_due"]]
        theme = row[_I["objective"]]
        if theme and rag:
            self.objective_rag.setdefault(" ".join(str(theme).split()), Counter())[str(rag)] += 1
        if days is None or rag in _CLOSED:
            return
        line = ActionLine(
            days_to_due=int(days),
            organisation=r.label,
            action_id=str(row[_I["action_id"]] or ""),
            action=str(row[_I["action"]] or ""),
            owner=str(row[_I["owner"]] or ""),
            due_date=row[_I["due_date"]] if isinstance(row[_I["due_date"]], dt.date) else None,
            status=str(row[_I["status"]] or ""),
            rag=str(rag),
            file=r.file,
        )
        self._seq += 1
        if days < 0:  # most overdue first: keep the smallest days_to_due
            _keep(self._overdue, (-line.days_to_due, -self._seq, line))
        else:
            for h in HORIZONS:
                self.upcoming_counts[h] += days <= h
            if days <= HORIZONS[-1]:  # soonest first: keep the smallest days_to_due
                _keep(self._upcoming, (-line.days_to_due, -self._seq, line))

    @property
    def overdue(self) -> list[ActionLine]:
        """The most overdue open actions (at most 25), most overdue first."""
        return [t[2] for t in sorted(self._overdue, key=lambda t: (t[2].days_to_due, -t[1]))]

    @property
    def upcoming(self) -> list[ActionLine]:
        """The open actions due soonest within 90 days (at most 25), soonest first."""
        return [t[2] for t in sorted(self._upcoming, key=lambda t: (t[2].days_to_due, -t[1]))]

    def top_problems(self, n: int = 10) -> list[tuple[str, str, str, int, int, str]]:
        """The commonest finding codes: (code, severity, title, findings, plans, example cell)."""
        from edi_workbook.findings import REGISTRY
        from edi_workbook.rules import all_rules

        all_rules()  # the codes' titles and severities: a report of results made elsewhere (--history's
        # workers) has not imported the rules in this process

        out = []
        for code, count in self.totals.codes.most_common():
            info = REGISTRY.get(code)
            severity = info.severity.value if info else ""
            title = info.title if info else code
            out.append((code, severity, title, count, self.code_files[code], self.code_example.get(code, "")))
        order = {"error": 0, "warning": 1, "info": 2}
        out.sort(key=lambda t: (order.get(t[1], 3), -t[3], t[0]))
        return out[:n]

    def rag_by_objective(self, n: int = 15) -> list[tuple[str, dict[str, int]]]:
        """The plans' own objectives or themes (or section headings) with most actions, and their RAG."""
        names = reference.load().rag_names
        top = sorted(self.objective_rag.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:n]
        return [(theme, {name: counts.get(name, 0) for name in names}) for theme, counts in top]

    def rag_by_hia(self) -> list[tuple[str, dict[str, int]]]:
        """Rows for the RAG-by-HIA chart: each HIA (and ``No HIA`` if any) with counts per RAG."""
        ref = reference.load()
        rows = [
            (h.label, {k: self.totals.hia_rag.get((h.number, k), 0) for k in ref.rag_names}) for h in ref.hias
        ]
        none = {k: self.totals.hia_rag.get((0, k), 0) for k in ref.rag_names}
        if any(none.values()):
            rows.append(("No HIA", none))
        return rows


def _keep(heap: list[tuple[int, int, ActionLine]], item: tuple[int, int, ActionLine]) -> None:
    """Keep the ``_LIST_LIMIT`` items with the largest keys (a min-heap of the best so far)."""
    if len(heap) < _LIST_LIMIT:
        heapq.heappush(heap, item)
    elif item[:2] > heap[0][:2]:
        heapq.heapreplace(heap, item)
