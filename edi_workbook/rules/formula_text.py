"""Text that starts like a formula (``=``, ``+``, ``@``): a risk when pasted into a spreadsheet.

Cells read from a CSV are never evaluated, but text such as ``=HYPERLINK(...)`` becomes a live
formula if someone pastes it into Excel (CSV injection, OWASP). Writers in this package always
write such text as text; this warns the plan's owner.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from edi_workbook import values
from edi_workbook.findings import Finding, Severity
from edi_workbook.plan import KEYS
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import by_value, flagged, quote, raw, texts

_STARTS = ("=", "+", "@")


@rule(
    "formula-like-text",
    Severity.WARNING,
    "Text that looks like a formula",
    explanation="Text starting with =, + or @ can turn into a live formula when copied into Excel. "
    "It is always read and written as text here.",
    example='Action A4\'s notes are "=HYPERLINK(\\"http://example.com\\")".',
)
def formula_like_text(ctx: RuleContext) -> Iterator[Finding]:
    for key in KEYS:
        column = texts(ctx, key)
        if not any(c in column for c in _STARTS):
            continue
        yield from ctx.findings_at("formula-like-text", key, _formula_like(raw(ctx, key)))


def _formula_like(column: list[Any]) -> list[tuple[int, str]]:
    try:  # one judgement per text: the same note is often pasted down a column
        return flagged(by_value(column, _judge))
    except TypeError:  # a value that cannot be a dict key (a list in records): one by one
        return flagged([_judge(v) for v in column])


def _judge(v: Any) -> str | None:
    if isinstance(v, str) and v.lstrip().startswith(_STARTS) and not values.is_excel_error(v):
        return f"The text {quote(v)} starts like a formula. Remove the leading '{v.lstrip()[0]}'."
    return None
