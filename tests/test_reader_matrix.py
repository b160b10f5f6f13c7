"""Every workbook this package writes, opened by independent readers (issue 17).

The workbooks (tests/written.py): the blank template and the example as ``edi-workbook new``
writes them and as committed, the macro-enabled template, the batch roll-up, and workbooks after
``validate``, ``map`` and ``rag`` write-back. Readers: openpyxl, python-calamine (and pandas over
it), LibreOffice (headless, recalculating), and, through node, SheetJS and ExcelJS
(tests/node_readers.py).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from tests.written import write_all


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("written"))


def _sheet_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)}


def test_every_kind_is_written(written):
    assert list(written) == [
        "template",
        "example",
        "committed edi_action_plan.xlsx",
        "committed example_action_plan.xlsx",
        "committed edi_action_plan.xlsm",
        "roll-up",
        "validate --write-back",
        "map --write-back",
        "rag --write-back",
    ]


def test_no_text_cell_without_its_text(written):
    """Issue 17: empty text cells were written as ``<c t="inlineStr"></c>``, with no ``<is>``
    (the example's 'Action Plan'!D35, the roll-up's Summary!N2); some readers stop at them."""
    bad = []
    for name, path in written.items():
        for part, xml in _sheet_parts(path).items():
            for m in re.finditer(rb'<c r="([A-Z]+\d+)"[^>]*t="(inlineStr|s)"[^>]*(/>|>(.*?)</c>)', xml):
                body, kind = m.group(4) or b"", m.group(2)
                if b"<is>" not in body if kind == b"inlineStr" else b"<v>" not in body:
                    bad.append((name, part, m.group(1).decode()))
    assert bad == []
