"""Reading a plan from a file (``.xlsx``, ``.xlsm``, ``.csv``): our template's table, or any layout.

Public API: :func:`read_plan` (and :class:`PlanBuildError`, a bug met building a plan from a
file that was read). ``dispatch`` tells what a file really is and picks the reader;
``xlsx`` reads workbooks (values through python-calamine, tables, names and formats through
``parts`` and ``styles``); ``delimited`` reads CSV exports; ``headers`` finds the header row and
matches its texts to our columns; ``grid`` turns a grid of cells into a :class:`~edi_workbook.plan.Plan`;
``details`` reads Plan details and settings; ``eds`` reads the EDS 2022 assessment
(:func:`read_eds`). May import: the core.
"""

from edi_workbook.read.dispatch import read_plan
from edi_workbook.read.eds import read_eds
from edi_workbook.read.workbook import PlanBuildError

__all__ = ["PlanBuildError", "read_eds", "read_plan"]
