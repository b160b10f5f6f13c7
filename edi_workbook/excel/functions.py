"""Worksheet functions (UDFs): ``EDI_RAG``, ``EDI_SUGGEST_HIA``, ``EDI_SUGGEST_PSED``, ``EDI_SMART``.

Each is a plain Python function over what Excel hands a function: numbers (dates as serial
numbers such as ``45747.0``), ``datetime`` objects, text, booleans, and ``None`` for an empty
cell. They call only the library (``rag``, ``mapping``, ``smart``) and return text or a number,
so they are tested as plain functions.

The xlwings decorators make them importable by every route:

- classic xlwings on Windows: ``xw.func`` registers them with xlwings' COM UDF server (add
  ``edi_workbook.excel.functions`` to ``UDF Modules`` in the ``xlwings.conf`` sheet, then *Import Functions*);
- xlwings Server / xlwings Lite (``XLWINGS_ON_SERVER=true`` or Pyodide): ``xw.func`` records
  ``__xlfunc__`` metadata that ``xlwings.server.custom_functions_meta`` turns into the Office.js
  function list; ``workbook_templates/xlwings_lite/main.py`` re-exports them;
- anywhere else (Linux, macOS without Excel): ``xw.func`` and ``xw.arg`` return the function
  unchanged, so importing this module needs no Excel.

>>> EDI_RAG(45747.0, "In progress", 0.5, None, 45730.0)   # due 2025-03-31, as of 2025-03-14
'Amber'
>>> EDI_RAG(None, "In progress", None)
'Grey'
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import xlwings as xw

__all__ = ["EDI_RAG", "EDI_SMART", "EDI_SUGGEST_HIA", "EDI_SUGGEST_PSED"]

SEPARATOR = "; "
"""How the reasons of ``EDI_SMART`` are joined."""


def _scalar(value: Any) -> Any:
    """A single cell's value: a 1x1 range given as ``[[v]]`` or ``[v]`` becomes ``v``."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    return value


def _text(value: Any) -> str:
    from edi_workbook import values

    return values.parse_text(_scalar(value)) or ""


@xw.func
@xw.arg("due", doc="Due date (an Excel date)")
@xw.arg("status", doc="Status: Not started, In progress, Complete, On hold or Cancelled")
@xw.arg("pct", doc="% complete (0.4, 40% or 40)")
@xw.arg("start", doc="Optional start date; enables the behind-schedule check")
@xw.arg("as_of", doc="Optional as-of date; blank means today")
def EDI_RAG(due: Any, status: Any, pct: Any, start: Any = None, as_of: Any = None) -> str:
    """RAG of one action (Blue, Green, Amber, Red or Grey) by the template's rule.

    AmberDays and ProgressTolerance are the defaults of ``reference.load()``; the sheet's
    formulas use the workbook's settings names instead.
    """
    from edi_workbook import rag_rating as rag_module
    from edi_workbook import values
    from edi_workbook.plan import Plan

    record = {
        "due_date": _scalar(due),
        "status": _scalar(status),
        "pct_complete": _scalar(pct),
        "start_date": _scalar(start),
    }
    plan = Plan.from_records([record])
    when = values.parse_date(_scalar(as_of)) or dt.date.today()
    frame = rag_module.rag_frame(plan.frame, when)
    return str(frame["rag"].iat[0])


@xw.func
@xw.arg("text", doc="The action text")
def EDI_SUGGEST_HIA(text: Any) -> str:
    """The top suggested High Impact Action for an action text (``HIA 2``), blank if none fits."""
    from edi_workbook import mapping, reference

    words = _text(text)
    if not words:
        return ""
    ref = reference.load()
    found = mapping.suggest(words).hia
    return ref.hia(found[0].hia).label if found else ""


@xw.func
@xw.arg("text", doc="The action text")
def EDI_SUGGEST_PSED(text: Any) -> str:
    """The top suggested PSED aim (Equality Act 2010 s.149(1)) as its dropdown label, blank if none."""
    from edi_workbook import mapping, reference

    words = _text(text)
    if not words:
        return ""
    ref = reference.load()
    found = mapping.suggest(words).psed
    return ref.aim(found[0].aim).label if found else ""


@xw.func
@xw.arg("text", doc="The action text")
def EDI_SMART(text: Any) -> str:
    """``SMART`` if the action text is specific, measurable and time-bound, else the reasons."""
    from edi_workbook import smart

    words = _text(text)
    if not words:
        return ""
    result = smart.check_smart(words)
    if result.ok:
        return "SMART"
    return "Not SMART: " + SEPARATOR.join(result.reasons)
