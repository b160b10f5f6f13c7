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
from edi_workbook.writeback.new_columns import new_columns

if TYPE_CHECKING:
    from edi_workbook.plan import Plan
    from edi_workbook.rag_rating import RagResult

__all__ = ["write_rag"]


def write_rag(plan: Plan, result: RagResult, *, backup: bool = True) -> WriteBackResult | None:
    """Write RAG values (template colours) and Days to due into ``plan``'s workbook.

    Only where the sheet has no formulas in those columns (a template's formulas keep themselves
    current); a missing column is added right of the plan with its canonical header
    (:func:`~edi_workbook.writeback.new_columns.new_columns`). Goes through
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
    letters, marks, dropdowns = new_columns(plan, keys)
    marks += _value_marks(plan, result, keys, letters)
    return write_back(plan.source, marks, backup=backup, scope="rag", dropdowns=dropdowns)


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
