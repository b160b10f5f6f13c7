"""What the write-back tests share: one mark, a plan workbook to write into, a folder's files."""

from __future__ import annotations

from pathlib import Path

from edi_workbook.writeback import CellMark

MARK = [CellMark("Action Plan", "C4", value="Jo Bloggs", fill="FFC7CE", note="Owner was missing")]


def files(folder: Path) -> set[str]:
    """The names in ``folder``: what a write-back left beside the workbook."""
    return {p.name for p in folder.iterdir()}
