"""Actions below the plan sheet's print area: they do not print (issue 17).

The template's Action Plan has a print area (the blank template's first 20 rows: one landscape
page; the example's 34 actions), so printing gives pages of actions rather than pages of empty
formula rows. A plan that grows past it prints without its last actions unless the area is
widened, and nothing on screen says so: this rule does.
"""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.rules import RuleContext, rule

CODE = "rows-not-printed"


@rule(
    CODE,
    Severity.WARNING,
    "Actions outside the print area",
    explanation="The sheet has a print area and some actions are below it, so a printout or PDF "
    "of the plan leaves them out. Select the rows to print, then Page Layout > Print Area > Set "
    "Print Area (or Clear Print Area to print the whole table).",
    example="The print area ends at row 24; the actions in rows 25 to 31 do not print.",
)
def rows_not_printed(ctx: RuleContext) -> Iterator[Finding]:
    last = ctx.plan.print_last_row
    if last is None or ctx.plan.format not in ("xlsx", "xlsm"):
        return
    below = [(i, r) for i, r in enumerate(ctx.plan.rows) if r is not None and r > last]
    if not below:
        return
    first, first_row = below[0]
    rows = f"row {first_row}" if len(below) == 1 else f"rows {first_row} to {below[-1][1]}"
    count = "1 action" if len(below) == 1 else f"{len(below)} actions"
    yield ctx.finding(
        CODE,
        f"The print area ends at row {last}, so {count} in {rows} will not print. Select the rows "
        "to print, then Page Layout > Print Area > Set Print Area.",
        first,
        "action_id",
    )
