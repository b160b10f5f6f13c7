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
    """Headers for columns the plan lacks, in the first free columns right of its header row.

    A column is free only if its header and every cell of the plan's rows are empty: a column of
    someone's unlabelled notes or formulas beside the plan is never written over.
    """
    from edi_workbook import reference
    from edi_workbook.plan import column_letter

    if not missing:
        return []
    row = plan.header_row or 1
    last_header, used = _used_columns(plan)
    stop = last_header + len(used) + len(missing) + 2  # enough columns to hold every missing one
    free = [c for c in range(last_header + 1, stop) if c not in used]
    marks = []
    for key, col in zip(missing, free, strict=False):
        letters[key] = column_letter(col)
        marks.append(CellMark(str(plan.sheet), f"{letters[key]}{row}", value=reference.load().header_of(key)))
    return marks


def _used_columns(plan: Plan) -> tuple[int, set[int]]:
    """The last non-blank header column, and every column (1-based) holding anything (a value or a
    formula, whatever it shows) in the header row or any of the plan's rows."""
    import openpyxl

    top = plan.header_row or 1
    bottom = max([top, *(r for r in plan.rows if r is not None)])
    wb = openpyxl.load_workbook(plan.source, read_only=True)  # formulas come back as their text
    try:
        ws = wb[str(plan.sheet)]
        used: set[int] = set()
        last_header = 0
        for i, cells in enumerate(ws.iter_rows(min_row=top, max_row=bottom, values_only=True)):
            filled = {j for j, v in enumerate(cells, start=1) if v is not None and str(v).strip()}
            used |= filled
            if i == 0:
                last_header = max(filled, default=0)
        return last_header, used
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
