"""Validation rules: one small rule per module in this package, found through a registry.

A rule is a function of a :class:`RuleContext` that yields :class:`~edi_workbook.findings.Finding`
values. Declare it with :func:`rule`, which also registers its code's documentation::

    @rule("missing-owner", Severity.ERROR, "Missing owner",
          explanation="Every action needs a named owner so someone is accountable.",
          example="Row 7 has an action but the Owner cell is empty.")
    def missing_owner(ctx):
        for i in ctx.indices():
            if ctx.plan.frame["owner"].iat[i] is None:
                yield ctx.finding("missing-owner", "Add an owner for this action.", i, "owner")

A module may declare several rules. :func:`all_rules` imports every module of this package once
and returns the rules in a stable order (module name, then declaration order).
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from edi_workbook.findings import Finding, Severity, register

if TYPE_CHECKING:
    from edi_workbook.plan import Plan, Settings

__all__ = ["Rule", "RuleContext", "all_rules", "rule"]

Check = Callable[["RuleContext"], Iterable[Finding]]


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
    """What a rule sees: the plan, the as-of date and the settings, plus helpers."""

    plan: Plan
    as_of: dt.date
    settings: Settings

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
        from edi_workbook.findings import REGISTRY

        plan = self.plan
        row = cell = action_id = column = None
        if index is not None:
            row = plan.rows[index]
            action_id = self._action_id(index)
        if key is not None:
            column = self._header(key)
            if index is not None:
                cell = self._cell(index, key)
        return Finding.new(
            code, severity or REGISTRY[code].severity, message, plan.sheet, cell, row, column, action_id
        )

    def column(self, key: str, frame: str = "frame") -> list[Any]:
        """A column of the plan (``frame``, ``raw`` or ``cells``) as a list, cached for this run.

        Rules read columns as lists: pandas' per-value access costs far more on a 10,000-row plan.
        """
        cache: dict[tuple[str, str], list[Any]] = self.__dict__.setdefault("_columns", {})
        if (frame, key) not in cache:
            cache[(frame, key)] = list(getattr(self.plan, frame)[key].tolist())
        return cache[(frame, key)]

    def _header(self, key: str) -> str:
        """The column's header as in the plan, else the canonical one."""
        headers: dict[str, str] = self.__dict__.setdefault("_headers", {})
        if key not in headers:
            from edi_workbook.reference import load

            mapped = self.plan.column_map
            headers[key] = mapped[key] if key in mapped else load().header_of(key)
        return headers[key]

    def _cell(self, index: int, key: str) -> str | None:
        if "_cell_keys" not in self.__dict__:
            self.__dict__["_cell_keys"] = frozenset(self.plan.cells.columns)
        if key not in self.__dict__["_cell_keys"]:
            return None
        ref = self.column(key, "cells")[index]
        return None if ref is None or ref != ref else str(ref)

    def _action_id(self, index: int) -> str | None:
        v = self.column("action_id")[index]
        return None if v is None else str(v)
