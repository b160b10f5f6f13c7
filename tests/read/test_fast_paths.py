"""The reader's short cuts (issue 18, third round) give what the longer way gave.

Each short cut is held to the code it replaced, kept here as the reference, on generated input
(cells written in Excel's attribute order and in others, with and without a namespace prefix,
formulas, error values, stray text), and the sheet scanners to openpyxl on the test fixtures.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import InvalidFileException

from edi_workbook import limits
from edi_workbook.errors import PlanReadError
from edi_workbook.plan import column_letter
from edi_workbook.read import read_plan
from edi_workbook.read.grid import _column, _Rows, _typed
from edi_workbook.read.parts import read_workbook
from edi_workbook.read.styles import (
    _is_percent,
    number_rows,
    percent_cells,
    percent_styles,
    shows_as_percentage,
)
from edi_workbook.read.workbook import scan_sheet_xml
from tests.paths import ROOT, TESTS

# ------------------------------------------------------------------ the code replaced (reference)

_STYLE_RE = re.compile(rb'\bs="(\d+)"')
_CELL_START = re.compile(rb"<(?:\w+:)?c\s")
_REF_RE = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_F_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ROOT_RE = re.compile(rb"<(\w+:)?worksheet\b")


def percent_cells_before(xml: bytes, column: str, styles: frozenset[int], among: Any = None) -> set[int]:
    if not styles:
        return set()
    rows: set[int] = set()
    rfind, find = xml.rfind, xml.find
    for m in re.finditer(b'r="' + column.encode() + rb'(\d+)"', xml):
        if among is not None and len(m[1]) <= 4000 and int(m[1]) not in among:
            continue
        if not xml[m.start() - 1 : m.start()].isspace():
            continue
        start, end = rfind(b"<", 0, m.start()), find(b">", m.end())
        s = _STYLE_RE.search(xml, start, end)
        if s and int(s[1]) in styles and _CELL_START.match(xml, start):
            rows.add(int(m[1]))
    return rows


def formulas_before(xml: bytes) -> set[tuple[int, int]]:
    formulas: set[tuple[int, int]] = set()
    prefix = _ROOT_RE.search(xml, 0, 4096)
    if prefix is None:
        tag_f, tag_c = _F_RE, b"c "
    else:
        p = prefix[1] or b""
        tag_f, tag_c = re.compile(b"<" + re.escape(p) + rb"f[\s>/]"), b"<" + p + b"c"
    for m in tag_f.finditer(xml):
        at = m.start()
        start = (
            xml.rfind(tag_c, 0, at) if prefix is not None else xml.rfind(b"<", 0, xml.rfind(tag_c, 0, at) + 1)
        )
        ref = _REF_RE.search(xml, start, at)
        if ref:
            n = 0
            for ch in ref[1]:
                n = n * 26 + ch - 64
            formulas.add((int(ref[2]), n - 1))
    return formulas


def implicit_before(xml: bytes) -> bool:
    root = _ROOT_RE.search(xml, 0, 4096)
    prefix = root[1] or b"" if root else b""
    tail = rb'(?:>|/>|\s(?!r="))'
    cell = re.compile(b"<" + re.escape(prefix) + b"c" + tail)
    row = re.compile(b"<" + re.escape(prefix) + b"row" + tail)
    return cell.search(xml) is not None or row.search(xml) is not None


def typed_before(g: Any, rows: _Rows, cols: dict[str, int], columns: dict[str, list[Any]]) -> list[bool]:
    in_formula: dict[int, set[int]] = {}
    for r, c in g.formula_cells:
        in_formula.setdefault(c, set()).add(r - 1)
    keep = [False] * len(rows.actions)
    for key, j in cols.items():
        formula_rows = in_formula.get(j)
        if formula_rows is None:
            keep = [k or v is not None for k, v in zip(keep, columns[key], strict=True)]
        else:
            keep = [
                k or (v is not None and i not in formula_rows)
                for k, v, i in zip(keep, columns[key], rows.actions, strict=True)
            ]
    return keep


def column_before(values: list[Any]) -> list[Any]:
    return [
        None
        if v is None or (v.__class__ is str and not v.strip()) or (v.__class__ is float and v != v)
        else v
        for v in values
    ]


# ------------------------------------------------------------------ generated sheets

_refs = st.builds(
    lambda c, r: f"{column_letter(c)}{r}", st.sampled_from([1, 2, 11, 13, 27]), st.integers(1, 30)
)
_attrs = st.lists(
    st.sampled_from(['s="3"', 's="21"', 's="1"', 't="e"', 't="n"', 't="s"', 'x:y="1"', 'r="K9"']), max_size=3
)
_children = st.sampled_from(
    ["", "<v>1.5</v>", "<v>#N/A</v>", "<f>A1+1</f><v>2</v>", '<f t="shared" si="0"/><v>3</v>', "<f>1/0</f>",
     "<v>0</v><f>B2</f>", "<is><t> r=\"K4\" s=\"3\" t=\"e\"</t></is>"]
)  # fmt: skip
_spaces = st.sampled_from([" ", " ", " ", "  ", "\n", "\t"])


@st.composite
def _cell(draw: st.DrawFn, prefix: str) -> str:
    attrs = draw(_attrs)
    if draw(st.booleans()) or not attrs:  # Excel's order: the reference first
        attrs = [f'r="{draw(_refs)}"', *attrs]
    else:
        attrs.insert(draw(st.integers(0, len(attrs))), f'r="{draw(_refs)}"')
    body = draw(_children)
    head = f"<{prefix}c" + "".join(draw(_spaces) + a for a in attrs)
    return head + (f">{body}</{prefix}c>" if body or draw(st.booleans()) else "/>")


@st.composite
def sheets(draw: st.DrawFn) -> bytes:
    prefix = draw(st.sampled_from(["", "", "x:"]))
    rows = []
    for r in range(1, draw(st.integers(1, 6)) + 1):
        cells = "".join(draw(st.lists(_cell(prefix), max_size=6)))
        head = draw(
            st.sampled_from(
                [f'<{prefix}row r="{r}">', f"<{prefix}row>", f'<{prefix}row spans="1:3" r="{r}">']
            )
        )
        rows.append(f"{head}{cells}</{prefix}row>")
    ns = f' xmlns:{prefix[:-1]}="urn:x"' if prefix else ""
    data = f"<{prefix}sheetData>{''.join(rows)}</{prefix}sheetData>"
    return f"<{prefix}worksheet{ns}>{data}</{prefix}worksheet>".encode()


@settings(max_examples=300, deadline=None)
@given(
    sheets(), st.sampled_from(["K", "A", "M", "AA"]), st.sampled_from([None, {1, 2, 3, 9}, set(range(1, 31))])
)
def test_sheet_scans_give_what_the_longer_scans_gave(xml: bytes, column: str, among: Any):
    for styles in (frozenset({3}), frozenset({3, 21})):
        assert percent_cells(xml, column, styles, among) == percent_cells_before(xml, column, styles, among)
    assert scan_sheet_xml(xml)[0] == formulas_before(xml)
    # since the fast pass's holes (a tab or line break before r, a prefixed tag) it sends more sheets
    # to the exact pass, never fewer; tests/read/test_hostile.py holds the extent to lxml's reading
    if implicit_before(xml):
        assert limits._irregular(xml)


def test_the_generated_sheets_hold_every_case():
    """The generator above reaches each branch: cells in Excel's order and not, prefixed, formulas."""
    xml = (
        b'<worksheet><sheetData><row r="1"><c r="K1" s="3"><v>1</v></c><c t="n" r="K2" s="3"/>'
        b'<c r="K3" t="n" s="3"/><c\tr="K4" s="3"/><c r="M1"><f>A1</f></c><c s="1" r="M2"><f>B1</f></c>'
        b'</row><row><c r="K5" s="3"/></row></sheetData></worksheet>'
    )
    assert (
        percent_cells(xml, "K", frozenset({3}))
        == percent_cells_before(xml, "K", frozenset({3}))
        == {1, 2, 3, 4, 5}
    )
    assert scan_sheet_xml(xml)[0] == formulas_before(xml) == {(1, 12), (2, 12)}
    assert limits._irregular(xml)  # the <row> without r
    assert implicit_before(xml)


# ------------------------------------------------------------------ the grid reader's columns

_VALUES = st.sampled_from([None, "", "  ", "x", 0.0, float("nan"), 3, True])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(_VALUES, min_size=3, max_size=3), max_size=12),
    st.sets(st.tuples(st.integers(1, 14), st.integers(0, 3)), max_size=12),
)  # fmt: skip
def test_typed_rows_and_columns_as_before(grid: list[list[Any]], formula_cells: set[tuple[int, int]]):
    rows = _Rows(actions=list(range(len(grid))), rows=dict(enumerate(grid)))
    cols = {"a": 0, "b": 1, "c": 2}
    columns = {key: _column(rows, j) for key, j in cols.items()}
    for key, j in cols.items():
        assert columns[key] == column_before([row[j] for row in grid]) or _nan_safe(columns[key], grid, j)
    g = SimpleNamespace(formula_cells=formula_cells)
    assert _typed(g, rows, cols, columns) == typed_before(g, rows, cols, columns)  # type: ignore[arg-type]


def _nan_safe(got: list[Any], grid: list[list[Any]], j: int) -> bool:
    """NaN never equals itself: compare the columns by what each cell is."""
    want = column_before([row[j] for row in grid])
    return [repr(v) for v in got] == [repr(v) for v in want]


@pytest.mark.parametrize(
    "values", [[0.5, "", "50%", None, float("nan"), True, 3, -2.0], ["x"] * 3, [1.0, 2, False]]
)
def test_number_rows_are_the_cells_shown_as_a_percentage(values: list[Any]):
    grid = [["a", v] for v in values] + [["short"]]
    assert number_rows(grid, 1) == {
        i + 1 for i, row in enumerate(grid) if len(row) > 1 and shows_as_percentage(row[1])
    }


# ------------------------------------------------------------------ the fixtures, against openpyxl


def _workbooks() -> list[Path]:
    found = sorted(p for p in (TESTS / "fixtures").rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm"))
    return [*found, *sorted((ROOT / "workbook_templates").glob("*.xlsx"))]


def _area(xml: bytes) -> int:
    rows, cols = limits.sheet_extent(xml)
    return rows * cols


def _openpyxl_sheets(path: Path) -> Any:
    try:
        with zipfile.ZipFile(path) as zf:
            if limits.zip_problem(zf) is not None or any(
                _area(zf.read(n)) > 1_000_000 for n in zf.namelist() if n.startswith("xl/worksheets/")
            ):
                return None  # hostile: the reader refuses it (tests/read/test_hostile.py)
        return openpyxl.load_workbook(path)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, SyntaxError):  # damaged
        return None


@pytest.mark.parametrize("path", _workbooks(), ids=lambda p: p.name)
def test_formulas_errors_and_percentages_are_those_openpyxl_reads(path: Path):
    wb = _openpyxl_sheets(path)
    if wb is None:  # damaged or hostile: nothing to compare, and the reader refuses it
        with pytest.raises(PlanReadError):
            read_plan(path)
        return
    with zipfile.ZipFile(path) as zf:
        parts, _ = read_workbook(zf)
        styles = percent_styles(zf)
        for ws in wb.worksheets:
            xml = zf.read(parts[ws.title])
            formulas, errors = scan_sheet_xml(xml)
            cells = [c for row in ws.iter_rows() for c in row]
            assert formulas == {(c.row, c.column - 1) for c in cells if c.data_type == "f"}
            assert errors == {(c.row, c.column - 1): c.value for c in cells if c.data_type == "e"}
            for col in {c.column for c in cells}:
                shown = {c.row for c in cells if c.column == col and _is_percent(c.number_format)}
                assert percent_cells(xml, column_letter(col), styles) == shown, (ws.title, col)
