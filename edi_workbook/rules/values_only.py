"""A plan read from ``.xls``, ``.xlsb`` or ``.ods``: its values are checked, but not written back."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule

VALUES_ONLY = {"xls": "legacy Excel (.xls)", "xlsb": "Excel binary (.xlsb)", "ods": "OpenDocument (.ods)"}


@rule(
    "values-only-format",
    Severity.WARNING,
    "Read for its values only",
    explanation="The plan is a legacy Excel (.xls), Excel binary (.xlsb) or OpenDocument (.ods) file: its "
    "values were read and checked, but formulas and formats were not, and --write-back cannot change "
    "it. Save it as an Excel workbook (.xlsx) to use write-back.",
    example="plan.xls is validated; 'validate plan.xls --write-back' asks for an .xlsx copy.",
)
def values_only_format(ctx: RuleContext) -> Iterator[Finding]:
    kind = VALUES_ONLY.get(ctx.plan.format)
    if kind is not None:
        yield ctx.finding(
            "values-only-format",
            f"This is a {kind} file: its values were checked, but write-back needs an Excel workbook. "
            "Save it as .xlsx to have findings written into it.",
        )
