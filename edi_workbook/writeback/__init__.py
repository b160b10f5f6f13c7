"""Safe write-back into a user's workbook: a backup, a temporary file, ``os.replace``, minimal OOXML patches.

Public API: :func:`write_back` (any :class:`CellMark`), :func:`write_findings` (a validation
report), :func:`write_rag` (``rag --write-back``), :func:`write_sheet` (a list sheet such as
``diff --write-back``'s ``Changes``), :func:`check_format`, :func:`locked_reason`.
``commit`` is the safe write; ``patch`` applies marks to the package; ``package``, ``cells``,
``styles``, ``notes`` and ``sheets`` edit its XML parts; ``marks`` says what changes in a cell.
May import: the core.
"""

from edi_workbook.writeback.commit import (
    WriteBackResult,
    check_format,
    locked_reason,
    write_back,
    write_findings,
    write_sheet,
)
from edi_workbook.writeback.marks import KEEP, CellMark, Dropdown, marks_for_findings
from edi_workbook.writeback.new_columns import new_columns
from edi_workbook.writeback.rag_columns import write_rag

__all__ = [
    "KEEP",
    "CellMark",
    "Dropdown",
    "WriteBackResult",
    "check_format",
    "locked_reason",
    "marks_for_findings",
    "new_columns",
    "write_back",
    "write_findings",
    "write_rag",
    "write_sheet",
]
