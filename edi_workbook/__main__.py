"""``python -m edi_workbook``: the same as the ``edi-workbook`` command."""

from edi_workbook.cli import run

run()
