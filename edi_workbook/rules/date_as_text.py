"""Values Python reads but the workbook's own formulas do not: tool and Excel never disagree silently.

The template's RAG and Days-to-due formulas only see numbers in date, ``% complete`` and setting
cells (``ISNUMBER``, ``N``), so ``28/02/2027`` stored as text leaves a row Grey in Excel while
``edi-workbook rag`` reads the date and rates it; an ``AsOfDate`` typed as text is today to the
formulas; ``AmberDays`` typed as text compares as text. They compare a status with its words and
synonyms after ``TRIM`` (``formulas.status_is``), so ``Done`` is Complete to both, but ``Done.``
only to the tool. Excel's own checks only warn, so this happens (new-user trial; issue 17).

Each such cell gets a warning. Only workbooks whose RAG or Days-to-due cells are formulas are
checked: elsewhere (a CSV, someone's own layout) nothing in the file reads the value differently.
"""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook import values
from edi_workbook.findings import REGISTRY, Finding, Severity
from edi_workbook.plan import DATE_KEYS
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import parsed, quote, raw

CODE = "date-stored-as-text"
NUMBER = "number-stored-as-text"
STATUS = "status-not-read-by-formulas"
_FORMULA_STATUSES = ("Complete", "Cancelled", "On hold")  # the statuses the RAG formula tells apart


def _formulas_read(ctx: RuleContext) -> bool:
    """True when the plan's sheet has RAG or Days-to-due formulas that read its cells and settings."""
    plan = ctx.plan
    return plan.format in ("xlsx", "xlsm") and bool({"rag", "days_to_due"} & plan.formula_columns)


_READ_AS = {
    "AsOfDate": values.parse_date,
    "AmberDays": lambda v: n[0] if (n := values.parse_int_list(v)) and len(n) == 1 else None,
    "ProgressTolerance": values.parse_number,
}
"""How ``read.details.settings_from_names`` reads each setting the formulas use."""


def _setting(ctx: RuleContext, code: str, name: str, message: str) -> Iterator[Finding]:
    """A finding on the setting's own cell (``'Plan details'!B13``) when it is text the tool reads."""
    sheet, cell, value = ctx.plan.setting_cells.get(name, (None, None, None))
    if isinstance(value, str) and value.strip() and _READ_AS[name](value) is not None:
        row = int("".join(c for c in str(cell) if c.isdigit()) or 0) or None
        text = message.format(value=quote(value))
        yield Finding.new(code, REGISTRY[code].severity, text, sheet, cell, row, name, None)


@rule(
    CODE,
    Severity.WARNING,
    "Date stored as text",
    explanation="The cell holds a date typed as text. edi-workbook reads it, but the workbook's own "
    "formulas treat it as blank (a due date) or as today (AsOfDate), so Excel shows other RAG "
    "colours than reports. Retype it as a date (or use Data > Text to Columns).",
    example='Due date of A2 is the text "28/02/2027" rather than a date.',
)
def date_stored_as_text(ctx: RuleContext) -> Iterator[Finding]:
    if not _formulas_read(ctx):
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
    yield from _setting(
        ctx,
        CODE,
        "AsOfDate",
        "AsOfDate {value} is stored as text: edi-workbook judges RAG as of that date, but the "
        "workbook's formulas ignore it and use today. Retype it as a date.",
    )


@rule(
    NUMBER,
    Severity.WARNING,
    "Number stored as text",
    explanation="The cell holds a number typed as text. edi-workbook reads the number, but the "
    "workbook's own formulas do not: % complete counts as 0, and AmberDays or ProgressTolerance "
    "compare as text, so Excel shows other RAG colours than reports. Retype it as a number.",
    example='% complete of A2 is the text "50%" rather than the number 50%.',
)
def number_stored_as_text(ctx: RuleContext) -> Iterator[Finding]:
    if not _formulas_read(ctx):
        return
    shown = ctx.plan.percent_rows  # numbers the reader shows as "50%": not text in the workbook
    rows = ctx.plan.rows
    hits = [
        (
            i,
            f"% complete {quote(r)} is stored as text, so the workbook's formulas count it as 0%. "
            "Retype it as a number (50%).",
        )
        for i, (r, p) in enumerate(zip(raw(ctx, "pct_complete"), parsed(ctx, "pct_complete"), strict=True))
        if isinstance(r, str) and r.strip() and p is not None and rows[i] not in shown
    ]
    yield from ctx.findings_at(NUMBER, "pct_complete", hits)
    for name in ("AmberDays", "ProgressTolerance"):
        yield from _setting(
            ctx,
            NUMBER,
            name,
            f"{name} {{value}} is stored as text: edi-workbook reads the number, but the workbook's "
            "formulas compare it as text. Retype it as a number.",
        )


def _excel_trim(text: str) -> str:
    """What Excel's and LibreOffice's ``TRIM`` leave: no outer spaces, single spaces inside."""
    return " ".join(part for part in text.split(" ") if part)


@rule(
    STATUS,
    Severity.WARNING,
    "Status the workbook's formulas do not read",
    explanation="edi-workbook reads the status (after dropping punctuation, tabs or line breaks), "
    "but the workbook's RAG formula compares the cell with the statuses and their common words, "
    "so Excel rates the action as if it were in progress. Pick the status from the dropdown.",
    example='Action A2\'s status is "Done." (with a full stop).',
)
def status_not_read_by_formulas(ctx: RuleContext) -> Iterator[Finding]:
    if not _formulas_read(ctx):
        return
    words = {s: {w.casefold() for w in values.status_words(s)} for s in _FORMULA_STATUSES}
    hits = [
        (
            i,
            f"Status {quote(r)} means {s} to edi-workbook, but the workbook's RAG formula does not "
            f"recognise it. Pick {s} from the dropdown.",
        )
        for i, (r, s) in enumerate(zip(raw(ctx, "status"), parsed(ctx, "status"), strict=True))
        if s in words and isinstance(r, str) and _excel_trim(r).casefold() not in words[s]
    ]
    yield from ctx.findings_at(STATUS, "status", hits)
