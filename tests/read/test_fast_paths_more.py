"""More reader short cuts (issue 18, fourth round) held to the code they replaced, kept here.

- :func:`edi_workbook.limits.sheet_extent` looks for a far reference by a plain search first and
  reads the references from the first one found on;
- a part that may unzip to more than its directory says is unzipped in one call, capped one byte
  past the declared size (:func:`edi_workbook.limits.read_part`);
- the rows sorted by :func:`edi_workbook.read.grid._sort_rows` reuse the filled cells found for the
  first rows when nothing was merged down and the plan starts in column A.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_workbook import limits
from edi_workbook.read import grid as grid_module
from edi_workbook.read.grid import GridPlan, _Rows, _sort_rows
from edi_workbook.read.headers import HeaderMatch
from tests.read.test_fast_paths import sheets

# ------------------------------------------------------------------ the code replaced (reference)


def sheet_extent_before(xml: bytes) -> tuple[int, int]:
    rows, cols = 9_999, 26
    for m in limits._FAR.finditer(xml):
        if m[1]:
            cols, rows = max(cols, limits._column(m[1])), max(rows, int(m[2]))
        else:
            cols, rows = max(cols, limits._column(m[3]) if m[3] else 0), max(rows, int(m[4]))
    if rows * cols <= limits.MAX_CELLS and not limits._irregular(xml):
        return rows, cols
    return limits._exact_extent(xml)


def sort_rows_before(g: GridPlan, start: int, stop: int) -> _Rows:
    m = grid_module
    banners = m._banners(g)
    filled, source = m._filled_down(g, start, stop)
    used = {j for i in range(start, min(stop, start + 50)) for j in m._filled(g.grid[i], 0)}
    action_col = g.first_col + g.header.columns["action"] if "action" in g.header.columns else None
    out = _Rows(source=source)
    marks = m._header_marks(g.header, g.first_col)
    section = None
    in_run = False
    for i, row in zip(range(start, stop), filled, strict=True):
        cells = m._filled(row, g.first_col)
        if not cells:
            in_run = False
            continue
        one_text = len(cells) == 1 and isinstance(row[cells[0]], str)
        heading = one_text and (cells[0] != action_col or m._is_heading(str(row[cells[0]])))
        if i in banners or (heading and (len(used) >= 2 or m._is_short_heading(str(row[cells[0]])))):
            if not in_run:
                section = " ".join(str(row[cells[0]]).split())
            in_run = True
            continue
        in_run = False
        if m._is_repeated_header(row, marks):
            continue
        out.rows[i] = row
        out.actions.append(i)
        out.sections.append(section)
        out.used.update(cells)
    return out


# ------------------------------------------------------------------ the sheet's extent

_FAR_REFS = [
    "A1",
    "Z9999",
    "AA1",
    "ab7",
    "B10000",
    "b123456",
    "XFD1048576",
    "XFE1",
    "ZZZZ2",
    "A99999",
    "",
    "7",
]


@st.composite
def far_sheets(draw: st.DrawFn) -> bytes:
    """The generated sheets of tests/read/test_fast_paths.py with far references put in: in cells,
    rows, other elements and text, so the search and the references read after it both count."""
    xml = draw(sheets())
    for _ in range(draw(st.integers(0, 3))):
        ref = draw(st.sampled_from(_FAR_REFS))
        piece = draw(
            st.sampled_from(
                [
                    f'<c r="{ref}"/>',
                    f'<c s="1" r="{ref}"><v>1</v></c>',
                    f'<x r="{ref}"/>',
                    f'<c r="A1"><is><t> r="{ref}"</t></is></c>',
                ]
            )
        )
        at = xml.find(b"</row>")
        if at < 0:
            break
        xml = xml[:at] + piece.encode() + xml[at:]
    return xml


@settings(max_examples=400, deadline=None)
@given(far_sheets())
def test_the_extent_is_what_the_reference_scan_gave(xml: bytes):
    assert limits.sheet_extent(xml) == sheet_extent_before(xml)


@pytest.mark.parametrize(
    "xml",
    [
        b'<row r="1"><c r="A1"/></row>',
        b'<row r="1"><c r="A1"/><c r="AB1"/></row><row r="10000"><c r="A10000"/></row>',
        b'<row r="3"><c r="B3"/></row><row r="1048576"><c r="XFD1048576"/></row>',
        b'<c r="A1"/><c r="b12345"/>',
    ],
)
def test_the_extent_of_sheets_with_and_without_far_references(xml: bytes):
    assert limits.sheet_extent(xml) == sheet_extent_before(xml)


# ------------------------------------------------------------------ a large part, unzipped once


def _deflated(tmp_path: Path, data: bytes) -> tuple[zipfile.ZipFile, Path, zipfile.ZipInfo]:
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", data)
    zf = zipfile.ZipFile(path)
    return zf, path, zf.getinfo("xl/worksheets/sheet1.xml")


def test_a_part_that_may_lie_is_read_as_the_zip_reader_reads_it(tmp_path: Path):
    rng = random.Random(7)
    data = "".join(f'<c r="A{i}"><v>{rng.random()}</v></c>' for i in range(60_000)).encode()
    zf, path, info = _deflated(tmp_path, data)
    with zf:
        assert limits._may_lie(info)  # read by the one-call path, not by zipfile
        assert limits.read_part(zf, path, info) == zf.read(info) == data
        assert limits.check_part_stream(path, info) is None


def test_a_part_longer_than_declared_is_refused_one_byte_past_it(tmp_path: Path):
    rng = random.Random(7)
    data = "".join(f"<v>{rng.random()}</v>" for _ in range(100_000)).encode()
    zf, path, info = _deflated(tmp_path, data)
    with zf:
        info.file_size = len(data) - 1  # a directory one byte short
        with pytest.raises(limits.LimitError, match="unzips to more than"):
            limits.read_part(zf, path, info)
        assert "unzips to more than" in (limits.check_part_stream(path, info) or "")
        info.file_size = len(data) + 1  # one byte long: the part is damaged (the zip readers' error)
        with pytest.raises(zipfile.BadZipFile):
            limits.read_part(zf, path, info)


# ------------------------------------------------------------------ sorting a sheet's rows

_CELL = st.sampled_from(
    [
        None,
        "",
        " ",
        "x",
        "Pay",
        "Section 2: Pay",
        "Ref",
        "Action",
        "Owner",
        1,
        2.5,
        float("nan"),
        "Review the policy and publish it",
        "Owner",
    ]
)


@st.composite
def grid_plans(draw: st.DrawFn) -> GridPlan:
    width = 4
    grid = [["Ref", "Action", "Owner", None]]
    grid += draw(st.lists(st.lists(_CELL, min_size=width, max_size=width), min_size=0, max_size=60))
    merged = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(grid)), st.integers(0, width - 1), st.integers(0, 3), st.integers(0, 2)
            ),
            max_size=3,
        )
    )
    header = HeaderMatch(
        row=0, columns={"action_id": 0, "action": 1, "owner": 2}, texts={0: "Ref", 1: "Action", 2: "Owner"}
    )
    return GridPlan(
        path=Path("plan.xlsx"),
        grid=grid,
        header=header,
        sheet="Plan",
        format="xlsx",
        first_col=draw(st.sampled_from([0, 0, 1])),
        merged=[((r, c), (r + dr, min(width - 1, c + dc))) for r, c, dr, dc in merged],
    )


@settings(max_examples=300, deadline=None)
@given(grid_plans())
def test_rows_are_sorted_as_before(g: GridPlan):
    start, stop = 1, len(g.grid)
    got, want = _sort_rows(g, start, stop), sort_rows_before(g, start, stop)
    assert (got.actions, got.sections, got.source, got.used) == (
        want.actions,
        want.sections,
        want.source,
        want.used,
    )
    assert {i: repr(r) for i, r in got.rows.items()} == {i: repr(r) for i, r in want.rows.items()}


def test_the_generated_grids_reach_both_ways(tmp_path: Path):
    """A plain grid reuses the first rows' cells; one with cells merged down, or starting in column B,
    finds them again: both give what the reference gave."""
    rows: list[list[Any]] = [
        ["Ref", "Action", "Owner", None],
        ["1", "Do it", "Me", None],
        [None, "Pay", None, None],
        ["2", "Review the policy", None, None],
    ]
    header = HeaderMatch(
        row=0, columns={"action_id": 0, "action": 1, "owner": 2}, texts={0: "Ref", 1: "Action", 2: "Owner"}
    )
    for first_col, merged in ((0, []), (0, [((1, 2), (3, 2))]), (1, [])):
        g = GridPlan(
            path=Path("p.xlsx"),
            grid=[list(r) for r in rows],
            header=header,
            sheet="S",
            format="xlsx",
            first_col=first_col,
            merged=merged,
        )
        got, want = _sort_rows(g, 1, 4), sort_rows_before(g, 1, 4)
        assert (got.actions, got.sections, got.source, got.used) == (
            want.actions,
            want.sections,
            want.source,
            want.used,
        )
        assert got.actions


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=60).map(lambda b: bytes(c % 4 + 60 for c in b)),  # '<', '=', '>', '?': many hits
    st.sampled_from([b"<", b">", b"<=", b"=>?"]),
    st.lists(st.integers(0, 70), max_size=12).map(sorted),
)
def test_the_shared_looks_give_what_rfind_and_find_give(data: bytes, needle: bytes, at: list[int]) -> None:
    """LastBefore and NextFrom (the sheet scans' looks back and on, each reading the bytes once in all)
    give what a fresh rfind and find give at each of a rising series of positions."""
    from edi_workbook.read.parts import LastBefore, NextFrom

    back, on = LastBefore(data, needle), NextFrom(data, needle)
    assert [(back(i), on(i)) for i in at] == [(data.rfind(needle, 0, i), data.find(needle, i)) for i in at]
