"""Cells showing an Excel error value (``#REF!``, ``#VALUE!``...), typed or from a broken formula."""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook import values
from edi_workbook.findings import Finding, Severity
from edi_workbook.plan import KEYS
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import raw, texts

_MARKS = frozenset(e[0] for e in values.EXCEL_ERRORS)
"""How Excel's error values start (``#``): a column without one has no error value."""


@rule(
    "cell-error-value",
    Severity.ERROR,
    "Excel error in a cell",
    explanation="The cell shows an Excel error such as #REF! or #VALUE!, usually a formula whose "
    "references were deleted. The value cannot be used until the formula is fixed.",
    example="Action A2's RAG cell shows #REF!.",
)
def cell_error_value(ctx: RuleContext) -> Iterator[Finding]:
    for key in KEYS:
        column = texts(ctx, key)
        if not any(mark in column for mark in _MARKS):
            continue
        for i, v in enumerate(raw(ctx, key)):
            if values.is_excel_error(v):
                yield ctx.finding(
                    "cell-error-value",
                    f"The cell shows the Excel error {v.strip()}. Fix the formula or type the value again.",
                    i,
                    key,
                )
