"""The Excel add-in through xlwings: four buttons and four worksheet functions.

Public API (``addin``): :func:`validate_plan`, :func:`refresh_rag`, :func:`suggest_mappings`,
:func:`export_calendar`, and :func:`run` for a button's macro. ``book`` reads the plan from an
open ``xw.Book``; ``functions`` holds the worksheet functions (``EDI_RAG``...), imported by
xlwings on its own since it needs xlwings at import. May import: the core, ``template`` and
``calendar``.
"""

from edi_workbook.excel.addin import export_calendar, refresh_rag, run, suggest_mappings, validate_plan

__all__ = ["export_calendar", "refresh_rag", "run", "suggest_mappings", "validate_plan"]
