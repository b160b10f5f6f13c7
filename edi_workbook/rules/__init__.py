"""Validation rules: one small rule per module in this package, found through a registry.

A rule is a function of a :class:`RuleContext` that yields :class:`~edi_workbook.findings.Finding`
values. Declare it with :func:`rule`, which also registers its code's documentation::

    @rule("missing-owner", Severity.ERROR, "Missing owner",
          explanation="Every action needs a named owner so someone is accountable.",
          example="Row 7 has an action but the Owner cell is empty.")
    def missing_owner(ctx):
        for i, owner in enumerate(ctx.column("owner")):
            if owner is None:
                yield ctx.finding("missing-owner", "Add an owner for this action.", i, "owner")

A module may declare several rules. :func:`all_rules` imports every module of this package once
and returns the rules in a stable order (module name, then declaration order).
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from edi_workbook.findings import REGISTRY, Finding, Severity, register
from edi_workbook.plan.columns import DATE_KEYS, NUMBER_KEYS

if TYPE_CHECKING:
    from edi_workbook.plan import Plan, Settings

__all__ = ["Rule", "RuleContext", "all_rules", "rule"]

Check = Callable[["RuleContext"], Iterable[Finding]]

_TYPED = frozenset(DATE_KEYS + NUMBER_KEYS)
"""Columns that are ``datetime64`` and ``float64`` in :attr:`Plan.frame`."""


@dataclass(frozen=True)
class Rule:
    """A registered rule: its code, severity and the function that checks a plan."""

    code: str
    severity: Severity
    check: Check
    module: str


_RULES: list[Rule] = []
_LOADED = False


def rule(
    code: str, severity: Severity, title: str, *, explanation: str, example: str
) -> Callable[[Check], Check]:
    """Decorator: register ``code`` (documentation included) and the function that checks it."""
    register(code, severity, title, explanation, example)

    def decorate(fn: Check) -> Check:
        _RULES.append(Rule(code=code, severity=severity, check=fn, module=fn.__module__))
        return fn

    return decorate


def all_rules() -> list[Rule]:
    """Every rule of this package, imported once, in a stable order."""
    global _LOADED
    if not _LOADED:
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            if not info.name.startswith("_"):
                importlib.import_module(f"{__name__}.{info.name}")
        _LOADED = True
    return list(_RULES)


@dataclass
class RuleContext:
    """What a rule sees: the plan, the as-of date and the settings, plus helpers.

    Columns are read from the plan once per validation and kept as lists (``column``); rules
    keep further per-run results in ``cache``.
    """

    plan: Plan
    as_of: dt.date
    settings: Settings
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    _columns: dict[str, dict[str, list[Any]]] = field(default_factory=dict, repr=False)
    _headers: dict[str, str] = field(default_factory=dict, repr=False)
    _refs: dict[str, list[Any] | None] = field(default_factory=dict, repr=False)

    def indices(self) -> Iterator[int]:
        """Row positions 0..n-1 of the plan's actions."""
        return iter(range(len(self.plan)))

    def finding(
        self,
        code: str,
        message: str,
        index: int | None = None,
        key: str | None = None,
        *,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding for row position ``index`` and column ``key`` (either may be None).

        Sheet, A1 cell, sheet row, column header and action id are filled in from the plan.
        The severity is the code's registered one unless given.
        """
        plan = self.plan
        row = cell = action_id = column = None
        if index is not None:
            row = plan.rows[index]
            v = self.column("action_id")[index]
            action_id = None if v is None else str(v)
        if key is not None:
            column = self._headers.get(key) or self._header(key)
            if index is not None:
                refs = self._refs[key] if key in self._refs else self._cell_refs(key)
                ref = None if refs is None else refs[index]
                cell = None if ref is None or ref != ref else str(ref)
        sheet = plan.sheet if index is None else plan.sheet_of(index)
        return Finding.new(
            code, severity or REGISTRY[code].severity, message, sheet, cell, row, column, action_id
        )

    def findings_at(self, code: str, key: str, items: Iterable[tuple[int, str]]) -> Iterator[Finding]:
        """``finding(code, message, index, key)`` for each ``(index, message)``: for rules that find many.

        The code's severity, the header, the cell references and the action ids are looked up once.
        """
        plan = self.plan
        severity, sheet, rows = REGISTRY[code].severity, plan.sheet, plan.rows
        sheets = plan.row_sheets or None
        column = self._header(key)
        refs = self._refs[key] if key in self._refs else self._cell_refs(key)
        ids = self.column("action_id")
        new = Finding.new
        for i, message in items:
            ref = None if refs is None else refs[i]
            v = ids[i]
            cell = None if ref is None or ref != ref else str(ref)
            where = sheet if sheets is None else sheets[i]
            yield new(code, severity, message, where, cell, rows[i], column, None if v is None else str(v))

    def column(self, key: str, frame: str = "frame") -> list[Any]:
        """A column of the plan as a list, cached for this run: ``frame`` its parsed values
        (:meth:`Plan.column`), ``raw`` as read, ``cells`` the A1 references (None where unknown).

        The parsed dates and numbers are given as ``plan.frame[key].tolist()`` gives them
        (Timestamps, NaN), which builds the plan's DataFrame: rules read them with
        :func:`edi_workbook.rules._common.parsed` (dates, None) instead.
        """
        cols = self._columns.setdefault(frame, {})
        if key not in cols:
            plan = self.plan
            if frame == "raw":
                cols[key] = plan.raw_column(key)
            elif frame == "cells":
                cols[key] = plan.cell_column(key)
            elif frame != "frame":
                raise ValueError(f"no such plan columns: {frame!r} (frame, raw or cells)")
            elif key in _TYPED:
                cols[key] = list(plan.frame[key].tolist())
            else:
                cols[key] = plan.column(key)
        return cols[key]

    def _cell_refs(self, key: str) -> list[Any] | None:
        """The A1 references of a column (None each where the plan has no such column)."""
        self._refs[key] = self.column(key, "cells")
        return self._refs[key]

    def _header(self, key: str) -> str:
        """The column's header as in the plan, else the canonical one."""
        if key not in self._headers:
            from edi_workbook.reference import load

            mapped = self.plan.column_map
            self._headers[key] = mapped[key] if key in mapped else load().header_of(key)
        return self._headers[key]
