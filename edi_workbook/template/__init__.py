"""The template and the example workbook, written with openpyxl; the RAG rule as Excel formulas.

Public API: :func:`new_workbook`, :func:`build_workbook`, :func:`save_deterministic`,
:func:`formula_values`. ``workbook`` assembles the sheets (``start``, ``action_plan``,
``dashboard``, ``sheets`` for the rest and the shared styles); ``formulas`` writes the RAG rule of
:mod:`edi_workbook.rag_rating` as formulas; ``cached`` works out their results, which the saved
file carries for readers that do not recalculate.
May import: the core, and ``writeback`` (to refuse a workbook that is open in Excel).
"""

from edi_workbook.template.cached import formula_values
from edi_workbook.template.workbook import (
    SHEETS,
    build_workbook,
    example_plan,
    new_workbook,
    save_deterministic,
)

__all__ = ["SHEETS", "build_workbook", "example_plan", "formula_values", "new_workbook", "save_deterministic"]
