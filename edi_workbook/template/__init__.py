"""The template and the example workbook, written with openpyxl; the RAG rule as Excel formulas.

Public API: :func:`new_workbook`, :func:`build_workbook`, :func:`save_deterministic`,
:func:`formula_values`, and :func:`carry_over` (next year's plan from this year's, ``carry_over``).
``workbook`` assembles the sheets (``start``, ``action_plan``, ``dashboard``, ``sheets`` for the rest
and the shared styles); ``formulas`` writes the RAG rule of :mod:`edi_workbook.rag_rating` as
formulas; ``cached`` (with ``cached_year`` for National deadlines and EDS 2022) works out their
results, which the saved file carries for readers that do not recalculate. May import: the core,
and ``writeback`` (to refuse a workbook that is open in Excel).
"""

from edi_workbook.template.cached import formula_values
from edi_workbook.template.carry_over import CarryOverResult, carry_over, next_period
from edi_workbook.template.workbook import (
    SHEETS,
    build_workbook,
    example_plan,
    new_workbook,
    save_deterministic,
)

__all__ = [
    "SHEETS",
    "CarryOverResult",
    "build_workbook",
    "carry_over",
    "example_plan",
    "formula_values",
    "new_workbook",
    "next_period",
    "save_deterministic",
]
