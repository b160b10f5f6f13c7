"""Many plans at once: read, validate and RAG-rate each (in parallel), streamed into one output.

Public API: :func:`batch`, :func:`iter_batch`, :func:`discover`, :func:`analyse_file`,
:func:`analyse_plan` and the result values. ``run`` finds and analyses the plans, in the worker
processes of ``pool`` (a file that crashes its reader is reported, not fatal), forked once ``warm``
has warmed up the main process (``warm`` also shows the progress bar); ``model`` holds the small
picklable results; ``rows`` turns a plan into roll-up rows and ``render`` those rows into an
output's text, in the worker; ``outputs`` writes json, csv and html, ``workbook`` the roll-up
workbook and ``junit`` JUnit XML. May import: the core, ``read`` and ``template`` (the
deterministic save).
"""

from edi_workbook.batch.model import FileResult, Need, Totals
from edi_workbook.batch.run import BatchResult, analyse_file, analyse_plan, batch, discover, iter_batch

__all__ = [
    "BatchResult",
    "FileResult",
    "Need",
    "Totals",
    "analyse_file",
    "analyse_plan",
    "batch",
    "discover",
    "iter_batch",
]
