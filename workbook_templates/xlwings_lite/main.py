"""xlwings Lite: the EDI action-plan add-in (paste into the xlwings Lite editor's main.py).

Needs ``edi-workbook`` in the requirements.txt tab (see requirements.txt beside this file). The
scripts appear in the xlwings Lite task pane's Run dropdown; the functions are Excel formulas:
``=EDI_RAG(I5, J5, K5)``, ``=EDI_SUGGEST_HIA(B5)``, ``=EDI_SUGGEST_PSED(B5)``, ``=EDI_SMART(B5)``.
"""

import xlwings as xw
from xlwings import func, script

from edi_workbook.excel import addin
from edi_workbook.excel import functions as udfs


@script
def validate_plan(book: xw.Book):
    """Check the plan; list findings on the Validation sheet and mark the cells to fix."""
    addin.validate_plan(book)


@script
def refresh_rag(book: xw.Book):
    """Fill RAG and Days to due where the sheet has no formulas."""
    addin.refresh_rag(book)


@script
def suggest_mappings(book: xw.Book):
    """Fill empty HIA and PSED aim cells with suggestions (in italics, with a note)."""
    addin.suggest_mappings(book)


@script
def export_calendar(book: xw.Book):
    """Excel on the web cannot save files: says how to export the calendar instead."""
    addin.export_calendar(book)


@func
def edi_rag(due, status, pct, start=None, as_of=None):
    """RAG of one action (Blue, Green, Amber, Red or Grey) by the template's rule."""
    return udfs.EDI_RAG(due, status, pct, start, as_of)


@func
def edi_suggest_hia(text):
    """The top suggested High Impact Action for an action text."""
    return udfs.EDI_SUGGEST_HIA(text)


@func
def edi_suggest_psed(text):
    """The top suggested PSED aim for an action text."""
    return udfs.EDI_SUGGEST_PSED(text)


@func
def edi_smart(text):
    """SMART, or the reasons an action text is not SMART."""
    return udfs.EDI_SMART(text)
