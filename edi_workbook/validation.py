"""Run every validation rule over a plan and collect the findings in a :class:`ValidationReport`.

Bad data never raises: a rule that finds a problem yields a finding. The rules live one per module
in :mod:`edi_workbook.rules`; ``select`` and ``ignore`` pick codes, as ruff and frictionless do.

>>> from edi_workbook.plan import Plan
>>> plan = Plan.from_records([{"Action ID": "A1", "Action": "Train 20 managers", "Due date": "Soon"}])
>>> report = validate(plan, as_of=dt.date(2025, 6, 1), select=["missing-owner", "unreadable-due-date"])
>>> [(f.code, f.cell) for f in report.findings], report.ok
([('missing-owner', 'G2'), ('unreadable-due-date', 'I2')], False)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from edi_workbook import collector
from edi_workbook.errors import UsageError
from edi_workbook.findings import REGISTRY, Finding, Severity

if TYPE_CHECKING:
    import pandas as pd

    from edi_workbook.plan import Plan

__all__ = ["REPORT_VERSION", "ValidationReport", "check_codes", "codes_markdown", "columns_read", "validate"]

REPORT_VERSION = 1
"""Version of the report's JSON shape."""


@dataclass
class ValidationReport:
    """What validation found in one plan: findings in a stable order, and counts."""

    plan: Plan
    as_of: dt.date
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        """How many findings are warnings."""
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        """The report as the CLI's JSON writes it for one file."""
        source = self.plan.source
        return {
            "file": str(source) if source is not None else self.plan.name,
            "ok": self.ok,
            "actions": len(self.plan),
            "errors": self.errors,
            "warnings": self.warnings,
            "columns": columns_read(self.plan),
            "sections": list(dict.fromkeys(s for s in self.plan.sections if s)),
            **({"sheets": list(dict.fromkeys(self.plan.row_sheets))} if self.plan.row_sheets else {}),
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON (one object, as in ``to_dict``)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_frame(self) -> pd.DataFrame:
        """Findings as a pandas DataFrame, one row per finding, columns as in the JSON."""
        import pandas as pd

        cols = ["severity", "code", "message", "sheet", "cell", "row", "column", "action_id"]
        return pd.DataFrame([f.to_dict() for f in self.findings], columns=cols)


def columns_read(plan: Plan) -> dict[str, str]:
    """Our canonical header -> the plan's own header text, for every field read, in our order.

    A due date read from the action text says so: ``"Due date": "Action (dates in the text)"``.

    >>> from edi_workbook.plan import Plan
    >>> plan = Plan.from_records([{"Action ID": "A1"}], column_map={"action_id": "Ref", "owner": "Lead"})
    >>> columns_read(plan)
    {'Action ID': 'Ref', 'Owner': 'Lead'}
    """
    from edi_workbook.reference import load

    ref = load()
    found = {ref.header_of(k): plan.column_map[k] for k in ref.column_keys if k in plan.column_map}
    if plan.due_from_text and "Due date" not in found:
        found["Due date"] = f"{plan.column_map.get('action', 'Action')} (dates in the text)"
    return found


def check_codes(*groups: Iterable[str] | str | None) -> None:
    """Raise :class:`UsageError` if any code in the groups is not a registered finding code."""
    from edi_workbook.rules import all_rules

    all_rules()
    for group in groups:
        _codes(group)


def _codes(value: Iterable[str] | str | None) -> set[str] | None:
    if value is None:
        return None
    codes = {value} if isinstance(value, str) else set(value)
    unknown = sorted(codes - set(REGISTRY))
    if unknown:
        raise UsageError(f"unknown finding code(s): {', '.join(unknown)} (see docs/validation.md)")
    return codes


def validate(
    plan: Plan,
    as_of: dt.date | None = None,
    *,
    select: Collection[str] | str | None = None,
    ignore: Collection[str] | str | None = None,
) -> ValidationReport:
    """Check ``plan`` with every rule and return the report.

    ``as_of`` is the date deadlines are judged on: the argument, else the plan's AsOfDate setting,
    else today. ``select`` keeps only these codes; ``ignore`` drops these codes.
    """
    from edi_workbook.arguments import as_of_date, plan_argument
    from edi_workbook.rules import RuleContext, all_rules

    plan, as_of = plan_argument(plan, "validate"), as_of_date(as_of)
    rules = all_rules()
    chosen, dropped = _codes(select), _codes(ignore) or set()
    when = plan.settings.effective_as_of(as_of) if as_of is None else as_of
    ctx = RuleContext(plan=plan, as_of=when, settings=plan.settings)
    findings: list[Finding] = []
    # the rules make tens of thousands of small objects on a large plan (findings, column lists,
    # tuples), none of them cyclic garbage: each automatic collection would walk every object of
    # the process, the plan included, and that cost about a sixth of validating 10,000 actions
    with collector.paused():
        for r in rules:
            if (chosen is not None and r.code not in chosen) or r.code in dropped:
                continue
            found = r.check(ctx)
            if chosen is not None or dropped:
                found = (f for f in found if f.code not in dropped and (chosen is None or f.code in chosen))
            findings.extend(found)
        findings.sort(key=Finding.sort_key)
    return ValidationReport(plan=plan, as_of=when, findings=findings)


def codes_markdown() -> str:
    """The table of finding codes for docs/validation.md, generated from the registry of rules.

    Every code of :func:`edi_workbook.rules.all_rules`, errors first, then warnings, then info.
    """
    from edi_workbook.rules import all_rules

    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    infos = sorted({REGISTRY[r.code] for r in all_rules()}, key=lambda i: (order[i.severity], i.code))
    lines = ["| code | severity | what it means | example |", "| --- | --- | --- | --- |"]
    for i in infos:
        cells = [f"`{i.code}`", i.severity.value, f"**{i.title}.** {i.explanation}", i.example]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"
