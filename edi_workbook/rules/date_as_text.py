"""A date typed as text in a workbook: Python reads it, Excel's formulas do not.

The template's RAG and Days-to-due formulas only see numbers in date cells (``ISNUMBER``), so
``28/02/2027`` stored as text leaves the row Grey in Excel while ``edi-workbook rag`` reads the
date and rates it. Excel's date check in the template only warns, so this happens (new-user
trial). Only sheets whose RAG or Days-to-due cells are formulas are checked: elsewhere (a CSV,
someone's own layout typed as text throughout) nothing in the file reads the date differently.
"""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.plan import DATE_KEYS
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import parsed, quote, raw

CODE = "date-stored-as-text"


@rule(
    CODE,
    Severity.WARNING,
    "Date stored as text",
    explanation="The cell holds a date typed as text. edi-workbook reads it, but the workbook's own "
    "formulas treat it as blank, so Excel shows the row Grey while reports rate it. Retype it "
    "as a date (or use Data > Text to Columns).",
    example='Due date of A2 is the text "28/02/2027" rather than a date.',
)
def date_stored_as_text(ctx: RuleContext) -> Iterator[Finding]:
    plan = ctx.plan
    if plan.format not in ("xlsx", "xlsm") or not {"rag", "days_to_due"} & plan.formula_columns:
        return  # no formulas in the sheet to disagree with (a CSV, or someone's own layout)
    for key in DATE_KEYS:
        hits = [
            (
                i,
                f"The date {quote(r)} is stored as text, so the workbook's formulas ignore it. "
                "Retype it as a date.",
            )
            for i, (r, p) in enumerate(zip(raw(ctx, key), parsed(ctx, key), strict=True))
            if isinstance(r, str) and r.strip() and p is not None
        ]
        yield from ctx.findings_at(CODE, key, hits)
