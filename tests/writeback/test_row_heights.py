"""Long messages on the Validation sheet get rows tall enough to read in LibreOffice too."""

from __future__ import annotations

import shutil

from openpyxl import load_workbook

from edi_workbook.findings import Finding, Severity
from edi_workbook.writeback import write_back
from tests.conftest import ROOT


def test_long_messages_get_taller_rows(tmp_path):
    target = tmp_path / "plan.xlsx"
    shutil.copyfile(ROOT / "workbook_templates" / "example_action_plan.xlsx", target)
    short = Finding("overdue", Severity.WARNING, "Overdue.", "Action Plan", "I6", 6, "Due date", "A1")
    text = "Add an owner. " * 40
    long = Finding("missing-owner", Severity.ERROR, text, "Action Plan", "G7", 7, "Owner", "A2")
    write_back(target, [], findings=[short, long])
    ws = load_workbook(target)["Validation"]
    heights = {r: ws.row_dimensions[r].height for r in (2, 3)}
    assert ws["C3"].value.startswith("Add an owner.")
    assert heights[2] is None
    assert heights[3] is not None
    assert heights[3] >= 15 * 5


def test_every_cell_of_a_finding_is_top_aligned(tmp_path):
    """Issue 17: the Validation sheet's messages were top-aligned, their labels bottom-aligned."""
    target = tmp_path / "plan.xlsx"
    shutil.copyfile(ROOT / "workbook_templates" / "example_action_plan.xlsx", target)
    findings = [
        Finding("missing-owner", Severity.ERROR, "Add an owner. " * 20, "Action Plan", "G7", 7, "Owner"),
        Finding("coverage-gap-hia", Severity.INFO, "No action addresses HIA 5."),
    ]
    write_back(target, [], findings=findings)
    ws = load_workbook(target)["Validation"]
    for row in (2, 3):
        for cell in ws[row][:8]:
            assert cell.alignment.vertical == "top", cell.coordinate
    assert ws["C2"].alignment.wrap_text
    assert ws["A2"].fill.fgColor.rgb.endswith("FFC7CE")  # the severity's fill is kept
