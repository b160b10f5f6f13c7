"""Plan columns holding formulas where values are normally typed: their last calculated values are used.

The template computes only RAG and Days to due. A formula elsewhere (``=ROW()-4`` for the Action ID,
``=VLOOKUP(...)`` for the Owner) is read as the value Excel last calculated and saved; a file written
by a script and never opened in Excel has no such value, so the cell reads as blank.
"""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.plan import KEYS
from edi_workbook.rules import RuleContext, rule

COMPUTED = frozenset({"rag", "days_to_due"})
"""Columns the template fills with formulas on purpose."""


@rule(
    "formula-values-used",
    Severity.INFO,
    "Column holds formulas",
    explanation="A plan column that is normally typed holds formulas. Their last calculated values "
    "were used; if a value looks missing, open the file in Excel and save it so the formulas are "
    "calculated.",
    example="The Owner column holds =VLOOKUP(...) formulas.",
)
def formula_values_used(ctx: RuleContext) -> Iterator[Finding]:
    for key in KEYS:
        if key in ctx.plan.formula_columns and key not in COMPUTED:
            header = ctx.plan.column_map.get(key, key)
            yield ctx.finding(
                "formula-values-used",
                f"The '{header}' column holds formulas; their last calculated values were used. If a value "
                "looks missing, open the file in Excel and save it so the formulas are calculated.",
                None,
                key,
            )
