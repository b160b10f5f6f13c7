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
from typing import Any

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
            # [^>/]: a self-closing <c t="inlineStr"/> is one cell, not the start of the next one's
            for m in re.finditer(rb'<c r="([A-Z]+\d+)"[^>/]*t="(inlineStr|s)"[^>/]*(/>|>(.*?)</c>)', xml):
                body, kind = m.group(4) or b"", m.group(2)
                if b"<is>" not in body if kind == b"inlineStr" else b"<v>" not in body:
                    bad.append((name, part, m.group(1).decode()))
    assert bad == []


def test_parts_are_written_in_excels_own_form(written):
    """What lets ExcelJS open them (checked without node too): drawings with the ``xdr:`` prefix,
    relationship targets relative to their part, as Excel writes them."""
    for name in ("template", "example", "roll-up"):
        with zipfile.ZipFile(written[name]) as z:
            drawings = [n for n in z.namelist() if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)]
            assert drawings, name
            assert all(z.read(n).split(b"<", 2)[2].startswith(b"xdr:wsDr") for n in drawings), name
            targets = [
                t
                for n in z.namelist()
                if n.endswith(".rels")
                for t in re.findall(rb'Target="([^"]+)"', z.read(n))
            ]
            assert targets, name
            assert not [t for t in targets if t.startswith(b"/")], name


# ---------------------------------------------------------------- the readers

_TEMPLATE_LIKE = {
    "template",
    "example",
    "committed edi_action_plan.xlsx",
    "committed example_action_plan.xlsx",
    "committed edi_action_plan.xlsm",
    "validate --write-back",
    "map --write-back",
}


def _cells(name: str) -> list[tuple[str, str]]:
    """Cells every reader must agree on, with LibreOffice's recalculation, for each kind of workbook."""
    if name in _TEMPLATE_LIKE:
        rag = [("Action Plan", f"{col}{row}") for row in range(5, 39) for col in "MN"]  # RAG, Days to due
        dashboard = [("Dashboard", f"C{row}") for row in range(6, 12)]  # counts by RAG, and the total
        return rag if name == "map --write-back" else rag + dashboard  # map filled HIAs: counts move
    if name == "roll-up":
        from openpyxl.utils import get_column_letter

        from edi_workbook.batch.outputs import ALL_ACTION_COLUMNS

        wanted = ("Action ID", "Status", "% complete", "RAG", "Days to due")
        return [("Summary", f"{col}2") for col in "ABCDEFGHIJKLM"] + [
            ("All actions", f"{get_column_letter(ALL_ACTION_COLUMNS.index(h) + 1)}2") for h in wanted
        ]
    return [("Our plan", f"{col}{row}") for row in range(2, 5) for col in "AFG"]  # rag --write-back


def _plain(value: Any) -> Any:
    """One reader's value in a form all can be compared in: blank is None, whole numbers int."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@pytest.fixture(scope="module")
def recalculated(written, libreoffice, tmp_path_factory) -> dict[str, Path]:
    """Every workbook opened, recalculated and saved again by LibreOffice (one run for all)."""
    names = list(written)
    outs = libreoffice.convert_many([written[n] for n in names], tmp_path_factory.mktemp("lo"))
    return dict(zip(names, outs, strict=True))


def _openpyxl(path: Path, cells: list[tuple[str, str]]) -> tuple[list[str], dict[str, Any]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        return wb.sheetnames, {f"{s}!{c}": _plain(wb[s][c].value) for s, c in cells}
    finally:
        wb.close()


def _calamine(path: Path, cells: list[tuple[str, str]]) -> tuple[list[str], dict[str, Any]]:
    from openpyxl.utils.cell import coordinate_to_tuple
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    grids = {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
    values = {}
    for sheet, ref in cells:
        r, c = coordinate_to_tuple(ref)
        grid = grids[sheet]
        values[f"{sheet}!{ref}"] = _plain(
            grid[r - 1][c - 1] if r - 1 < len(grid) and c - 1 < len(grid[r - 1]) else None
        )
    return list(wb.sheet_names), values


def test_openpyxl_calamine_and_pandas_read_what_libreoffice_computes(written, recalculated):
    import pandas as pd

    for name, path in written.items():
        cells = _cells(name)
        sheets, expected = _openpyxl(recalculated[name], cells)
        assert any(v is not None for v in expected.values()), name  # the cells say something
        for reader in (_openpyxl, _calamine):
            got_sheets, got = reader(path, cells)
            assert got_sheets == sheets or set(got_sheets) - set(sheets) == {"_edi_writeback"}, (name, reader)
            assert got == expected, (name, reader.__name__)
        frames = pd.read_excel(path, sheet_name=None, engine="calamine")
        assert list(frames) == _calamine(path, [])[0], name


def _json_value(value: Any) -> Any:
    """A node reader's value: ExcelJS gives dates as ISO text in JSON; whole numbers as int."""
    return _plain(value)


def test_sheetjs_and_exceljs_open_every_workbook_and_read_its_values(
    written, recalculated, node_readers, tmp_path
):
    """Issue 17: ExcelJS 4.4 could open none of our workbooks (openpyxl's drawing without the xdr:
    prefix, then absolute relationship targets for tables and drawings)."""
    spec = {path: _cells(name) for name, path in written.items()}
    seen = node_readers.read(spec, tmp_path)
    failed = {
        (name, reader): result.get("error")
        for name, path in written.items()
        for reader, result in seen[str(path)].items()
        if not result["ok"]
    }
    assert failed == {}
    for name, path in written.items():
        sheets, expected = _openpyxl(recalculated[name], _cells(name))
        for reader, result in seen[str(path)].items():
            assert set(result["sheets"]) >= set(sheets), (name, reader)
            got = {k: _plain(v) for k, v in result["values"].items()}
            assert got == expected, (name, reader)
