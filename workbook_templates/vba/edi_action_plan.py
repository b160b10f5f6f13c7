"""Run by edi_action_plan.xlsm's macro: RunPython imports the module named like the workbook."""

from edi_workbook.excel.addin import main, run  # noqa: F401
