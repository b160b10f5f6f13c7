"""The date a plan is judged at, when it comes from its title ("Position as at 30 September 2026").

A plan in another layout has no ``AsOfDate`` setting; the reader takes its title's "as at" date
instead (``read.details.as_at_from_labels``), so a September return is judged as at September. That
changes every RAG and overdue count, so the plan is told where the date came from and how to judge
it on another day.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import fmt_date

CODE = "judged-as-at-title-date"


@rule(
    CODE,
    Severity.INFO,
    "Judged at the date in the title",
    explanation="The plan has no as-of date setting, and its title gives the date its position is "
    "at, so deadlines and RAG are judged at that date, not today. Give --as-of (or fill in the "
    "template's as-of date) to judge it on another day; if the title is left over from an earlier "
    "return, update it.",
    example="Judged as at 30 September 2026, the date in the title ('Position as at 30 September "
    "2026'), not today.",
)
def judged_as_at_title_date(ctx: RuleContext) -> Iterator[Finding]:
    title = ctx.plan.as_of_title
    if title is None or ctx.plan.settings.as_of != ctx.as_of:
        return
    sheet, cell, text = title
    row = re.sub(r"^[A-Z]+", "", cell)
    shown = " ".join(text.split())
    yield Finding(
        CODE,
        Severity.INFO,
        f"Judged as at {fmt_date(ctx.as_of)}, the date in the title ('{shown}'), not today. "
        "Give --as-of to judge it on another day; if the title is left over from an earlier return, "
        "update it.",
        sheet,
        cell,
        int(row) if row.isdigit() else None,
    )
