"""The self-contained HTML board report for one plan or many.

Public API: :func:`report`. ``data`` gathers the figures from batch results; ``charts`` draws
them (matplotlib, embedded as images); ``render`` fills the Jinja2 template in
``edi_workbook/data/report/``. May import: the core and ``batch``.
"""

from edi_workbook.report.render import report

__all__ = ["report"]
