"""RAG and Days to due written into a plan's own workbook: ``rag --write-back``.

The values come from :func:`edi_workbook.rag_rating.rag`; the writing goes through
:func:`edi_workbook.writeback.commit.write_back`, with its backup and atomic replace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from edi_workbook.errors import WriteBackError
from edi_workbook.rag_rating import plain_value
from edi_workbook.writeback.commit import WriteBackResult, check_format, write_back
from edi_workbook.writeback.marks import CellMark

if TYPE_CHECKING:
    from edi_workbook.plan import Plan
    from edi_workbook.rag_rating import RagResult

__all__ = ["write_rag"]


def write_rag(plan: Plan, result: RagResult, *, backup: bool = True) -> WriteBackResult | None:
    """Write RAG values (template colours) and Days to due into ``plan``'s workbook.

    Only where the sheet has no formulas in those columns (a template's formulas keep themselves
    current); a missing column is added right of the plan with its canonical header. Goes through
    :func:`edi_workbook.writeback.commit.write_back` (backup, temporary file, ``os.replace``), scope
    ``rag``. Returns None when both columns are formulas (nothing to write). Raises
    :class:`~edi_workbook.errors.WriteBackError` for a CSV or a file that cannot be written.
    """

    if plan.source is None:
        raise WriteBackError("plan", "the plan was not read from a file, so there is nothing to write back")
    check_format(plan.source)
    if plan.sheet is None:
        raise WriteBackError(plan.source, "the plan was not read from a workbook sheet")
    keys = [k for k in ("rag", "days_to_due") if k not in plan.formula_columns]
    if not keys:
        return None
    letters = dict(plan.column_letters)
    marks = _new_column_marks(plan, [k for k in keys if k not in letters], letters)
    marks += _value_marks(plan, result, keys, letters)
    return write_back(plan.source, marks, backup=backup, scope="rag")


def _new_column_marks(plan: Plan, missing: list[str], letters: dict[str, str]) -> list[CellMark]:
    """Headers for columns the plan lacks, in the first free columns right of its header row."""
    from edi_workbook import reference
    from edi_workbook.plan import column_letter

    if not missing:
        return []
    row = plan.header_row or 1
    free = _last_header_column(plan) + 1
    marks = []
    for n, key in enumerate(missing):
        letters[key] = column_letter(free + n)
        marks.append(CellMark(str(plan.sheet), f"{letters[key]}{row}", value=reference.load().header_of(key)))
    return marks


def _last_header_column(plan: Plan) -> int:
    """1-based index of the last non-blank cell of the plan's header row."""
    import openpyxl

    wb = openpyxl.load_workbook(plan.source, read_only=True)
    try:
        ws = wb[str(plan.sheet)]
        row = plan.header_row or 1
        cells = next(ws.iter_rows(min_row=row, max_row=row, values_only=True), ())
        used = [j for j, v in enumerate(cells, start=1) if v is not None and str(v).strip()]
        return max(used, default=0)
    finally:
        wb.close()


def _value_marks(plan: Plan, result: RagResult, keys: list[str], letters: dict[str, str]) -> list[CellMark]:
    from edi_workbook import reference

    ref = reference.load()
    sheet = str(plan.sheet)
    marks = []
    frame = result.frame
    for i, row in enumerate(plan.rows):
        if row is None:
            continue
        if "rag" in keys:
            value = ref.rag(str(frame["rag"].iat[i]))
            marks.append(CellMark(sheet, f"{letters['rag']}{row}", value.name, value.fill, value.font))
        if "days_to_due" in keys:
            days = frame["days_to_due"].iat[i]
            value_ = plain_value(days)
            marks.append(CellMark(sheet, f"{letters['days_to_due']}{row}", value_))
    return marks
