"""edi-workbook: validate, map, RAG-rate and export NHS EDI action plans kept in Excel.

The public API is re-exported here lazily, so ``import edi_workbook`` stays fast: nothing heavy
(pandas, openpyxl) is imported until a function that needs it is used.

>>> import edi_workbook
>>> edi_workbook.__version__
'0.1.0'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # plan model and reading
    "Plan": "edi_workbook.plan",
    "PlanDetails": "edi_workbook.plan",
    "Settings": "edi_workbook.plan",
    "read_plan": "edi_workbook.read",
    "read_eds": "edi_workbook.read",
    # findings and validation
    "Finding": "edi_workbook.findings",
    "Severity": "edi_workbook.findings",
    "validate": "edi_workbook.validation",
    "ValidationReport": "edi_workbook.validation",
    "write_back": "edi_workbook.writeback",
    # mapping
    "suggest": "edi_workbook.mapping",
    "coverage": "edi_workbook.mapping",
    # RAG and national deadlines
    "rag": "edi_workbook.rag_rating",
    "national_deadlines": "edi_workbook.deadlines",
    # returns over time
    "diff": "edi_workbook.changes",
    "national": "edi_workbook.deadlines",
    # calendar
    "to_ics": "edi_workbook.calendar",
    "to_outlook_csv": "edi_workbook.calendar",
    # the template
    "new_workbook": "edi_workbook.template",
    # reference data
    "reference": "edi_workbook.reference",
    # errors
    "EdiWorkbookError": "edi_workbook.errors",
    "PlanReadError": "edi_workbook.errors",
    "WriteBackError": "edi_workbook.errors",
    "UsageError": "edi_workbook.errors",
}

# exported names that are modules; no other export may share its name with a submodule, or
# importing that submodule would replace the function on the package (tests/test_package.py)
_MODULES = frozenset({"reference"})

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'edi_workbook' has no attribute {name!r}")
    mod = importlib.import_module(module)
    value = mod if name in _MODULES else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from edi_workbook import reference as reference
    from edi_workbook.changes import diff as diff
    from edi_workbook.errors import EdiWorkbookError as EdiWorkbookError
    from edi_workbook.errors import PlanReadError as PlanReadError
    from edi_workbook.errors import UsageError as UsageError
    from edi_workbook.errors import WriteBackError as WriteBackError
    from edi_workbook.findings import Finding as Finding
    from edi_workbook.findings import Severity as Severity
    from edi_workbook.plan import Plan as Plan
    from edi_workbook.plan import PlanDetails as PlanDetails
    from edi_workbook.plan import Settings as Settings
