"""Hostile and broken files never hang, exhaust memory or kill the reader (issue 13).

Each test names the item it covers. Where the old behaviour was a hang or a process abort, the
file goes through the command line in a child process with a generous time limit, so a
regression fails the test instead of stopping the test run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_workbook import read_plan
from edi_workbook.errors import PlanReadError
from tests.paths import ROOT

EXAMPLE = ROOT / "workbook_templates" / "example_action_plan.xlsx"
PLAN_SHEET = "xl/worksheets/sheet3.xml"  # 'Action Plan' in the example workbook


def _copy_with(path: Path, part: str, change, *, compress: int = zipfile.ZIP_DEFLATED) -> Path:
    """The example workbook with one part changed (``change`` maps its bytes to new bytes)."""
    with zipfile.ZipFile(EXAMPLE) as zin, zipfile.ZipFile(path, "w", compress) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, change(data) if info.filename == part else data)
    return path


def _validate(path: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``edi-workbook validate PATH`` in a child process (a hang or an abort cannot stop the run)."""
    code = "import sys; from edi_workbook.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_forty_thousand_empty_error_cells_read_at_once(tmp_path: Path) -> None:
    """Item 11: 40,000 empty ``<c t="e"/>`` cells in a 110 KB file took minutes (a quadratic
    pattern); the scan is now linear."""
    cells = b"".join(b'<c r="P%d" t="e"/>' % r for r in range(5, 40_005))
    path = _copy_with(
        tmp_path / "errors.xlsx",
        PLAN_SHEET,
        lambda xml: xml.replace(b"</sheetData>", b'<row r="40010">' + cells + b"</row></sheetData>"),
    )
    assert path.stat().st_size < 400_000
    try:
        done = _validate(path, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("reading 40,000 empty error cells took more than 30 s")
    assert done.returncode in (0, 1), done.stderr


def test_error_values_are_still_read_between_empty_error_cells() -> None:
    """Item 11: the linear scan finds the same error values as before."""
    from edi_workbook.read.workbook import scan_sheet_xml

    xml = (
        b'<worksheet><sheetData><row r="2"><c r="A2" t="e"/><c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        b'<c r="C2" s="3" t="e"><v>#N/A</v></c><c r="D2" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    assert scan_sheet_xml(xml) == ({(2, 1)}, {(2, 1): "#DIV/0!", (2, 2): "#N/A"})


@pytest.mark.parametrize("part", [PLAN_SHEET, "xl/worksheets/sheet2.xml"])
def test_one_value_at_xfd1048576_is_refused_not_a_crash(tmp_path: Path, part: str) -> None:
    """Item 12: one value at XFD1048576 made python-calamine ask for 512 GiB and abort (exit 134)
    before the size check; the extent is now read from the sheet's XML first."""
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    path = _copy_with(tmp_path / "far.xlsx", part, lambda xml: xml.replace(b"</sheetData>", far))
    done = _validate(path)
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert done.stderr.count("\n") == 1
    assert "reaches column XFD and row 1,048,576" in done.stderr


def test_cells_without_references_count_towards_the_extent(tmp_path: Path) -> None:
    """Item 12: cells and rows written without ``r`` follow the one before; they are counted."""
    from edi_workbook.limits import sheet_extent

    xml = b'<sheetData><row r="1048575"><c r="XFD1048575"/></row><row><c/></row></sheetData>'
    assert sheet_extent(xml) == (1048576, 16384)
    wide = (
        b"<worksheet><sheetData><row>"
        + b"<c/>" * 20_000
        + b'</row><row r="600"><c/></row></sheetData></worksheet>'
    )
    assert sheet_extent(wide) == (600, 20_000)


def test_a_zip_bomb_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    """Item 13: 2 GB of whitespace in a 2 MB file took 27 s and 4 GB; now the directory's sizes
    are checked before any part is unzipped (here 300 MB of spaces in a 300 KB part)."""
    path = _copy_with(
        tmp_path / "bomb.xlsx",
        PLAN_SHEET,
        lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (300 * 2**20)),
    )
    assert path.stat().st_size < 2 * 2**20
    tracemalloc.start()
    try:
        with pytest.raises(PlanReadError, match=r"unzips to 300\.\d MB"):
            read_plan(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20


def test_a_part_that_unzips_to_more_than_its_directory_says_is_refused(tmp_path: Path) -> None:
    """Item 13: python-calamine does not stop where the zip directory says a part ends, so a
    lying directory entry is checked against the part's real size before calamine reads it."""
    path = _copy_with(
        tmp_path / "lying.xlsx",
        PLAN_SHEET,
        lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (270 * 2**20)),
    )
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(PLAN_SHEET)
    # set the declared unzipped size to 1 MB, in the central directory and the local header
    real = info.file_size.to_bytes(4, "little")
    small = (2**20).to_bytes(4, "little")
    data = bytearray(bytes(data).replace(real, small))
    path.write_bytes(bytes(data))
    with pytest.raises(PlanReadError, match=r"more than the 1\.0 MB its zip directory says"):
        read_plan(path)


def test_a_large_encrypted_file_is_named_without_reading_it_all(tmp_path: Path) -> None:
    """Item 16: a file that starts like an OLE2 compound file was read whole to look for
    ``EncryptionInfo``; now only its directory is read (a 100 MB file costs a few kilobytes)."""
    encrypted = (ROOT / "tests" / "fixtures" / "read" / "bad" / "encrypted.xlsx").read_bytes()
    path = tmp_path / "big.xlsx"
    with path.open("wb") as fh:
        fh.write(encrypted)
        fh.truncate(100 * 2**20)  # sparse: no disk used
    tracemalloc.start()
    try:
        with pytest.raises(PlanReadError, match=r"password-protected"):
            read_plan(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**20, peak


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX pipes")
def test_a_pipe_is_refused_not_read(tmp_path: Path) -> None:
    """Item 17: a pipe named like a plan hung the reader; anything not a regular file is refused."""
    fifo = tmp_path / "plan.csv"
    os.mkfifo(fifo)
    done = _validate(fifo, timeout=30)
    assert done.returncode == 2
    assert "not a regular file" in done.stderr


def _with_names(path: Path, names: dict[str, str]) -> Path:
    """The example workbook with its defined names replaced by ``names`` (name -> formula)."""
    xml = "".join(f'<definedName name="{n}">{f}</definedName>' for n, f in names.items())
    return _copy_with(
        path,
        "xl/workbook.xml",
        lambda wb: re.sub(
            rb"<definedNames>.*</definedNames>",
            b"<definedNames>" + xml.encode() + b"</definedNames>",
            wb,
            flags=re.S,
        ),
    )


def test_defined_names_to_a_missing_sheet_are_ignored(tmp_path: Path) -> None:
    """Item 22: a defined name pointing at a sheet that does not exist refused the whole workbook."""
    path = _with_names(
        tmp_path / "names.xlsx", {"OrgName": "'No such sheet'!$B$5", "AmberDays": "Gone!$B$14"}
    )
    plan = read_plan(path)
    assert len(plan) == 34
    assert plan.details.organisation is None


def test_defined_names_match_sheet_names_ignoring_case(tmp_path: Path) -> None:
    """Item 22: ``'PLAN DETAILS'!B5`` for a sheet called ``Plan details``: Excel ignores case."""
    path = _with_names(tmp_path / "names.xlsx", {"OrgName": "'PLAN DETAILS'!$B$5"})
    assert read_plan(path).details.organisation == read_plan(EXAMPLE).details.organisation


def test_random_bytes_are_not_called_a_workbook(tmp_path: Path) -> None:
    """Item 25: random bytes were "not a workbook, not an Excel workbook"."""
    path = tmp_path / "plan.xlsx"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(PlanReadError) as info:
        read_plan(path)
    assert (
        info.value.reason == "this is not an Excel workbook (its content is something else); check the file"
    )


def test_a_plan_file_larger_than_the_limit_is_not_opened(tmp_path: Path) -> None:
    """Item 13: a file's size is checked before it is opened (limits.MAX_FILE_BYTES)."""
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:
        fh.write(b"Action ID,Action\n")
        fh.truncate(200 * 2**20)
    with pytest.raises(PlanReadError, match=r"the file is 200\.0 MB, more than the 128\.0 MB"):
        read_plan(path)


def test_the_reader_opens_a_workbook_whose_name_is_not_utf8(tmp_path: Path) -> None:
    """Item 18: ``validate`` called a workbook with a non-UTF-8 name "damaged"."""
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse names that are not UTF-8")
    folder = os.fsencode(tmp_path)
    name = os.fsdecode(folder + b"/caf\xe9 plan.xlsx")
    Path(name).write_bytes(EXAMPLE.read_bytes())
    assert len(read_plan(name)) == 34


def test_workbook_limits_keep_real_workbooks() -> None:
    """The limits are far above real plans: the example and the committed templates pass."""
    from edi_workbook.limits import sheet_extent, zip_problem

    with zipfile.ZipFile(EXAMPLE) as zf:
        assert zip_problem(zf) is None
        assert sheet_extent(zf.read(PLAN_SHEET)) == (9999, 26)
    assert len(openpyxl.load_workbook(EXAMPLE, read_only=True).sheetnames) == 8


def test_a_sheet_listed_many_times_is_read_once(tmp_path: Path) -> None:
    """Found by the fuzz test: a workbook.xml naming the plan's sheet 2,000 times (Excel refuses
    such a file) was read as 2,000 sheets of one plan, 6,000 actions and 6 s."""
    path = tmp_path / "plan.xlsx"
    foreign = ROOT / "tests" / "fixtures" / "read" / "ok" / "title_block.xlsx"  # no ActionPlan table
    with zipfile.ZipFile(foreign) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                sheet = re.search(r'<sheet [^>]*name="EDI plan 2025-26"[^>]*/>', text)
                assert sheet is not None
                data = text.replace(sheet[0], sheet[0] * 200).encode("utf-8")
            dst.writestr(info, data)
    assert len(read_plan(path)) == len(read_plan(foreign)) == 6


_FAR_CELL = [
    b'<row\nr="1048576"><c\nr="XFD1048576"><v>1</v></c></row>',  # a line break before r
    b'<row\tr="1048576"><c\tr="XFD1048576"><v>1</v></c></row>',  # a tab
    b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",  # single quotes
    b'<row r = "1048576"><c r\n=\n"XFD1048576"><v>1</v></c></row>',  # white space around =
    # found by the review of the fix above (each made validate abort, exit 134):
    b'<row r="40"><x:c xmlns:x="urn:x" r=\'XFD1048576\'><v>1</v></x:c></row>',  # a prefix
    b'<row r="1048576"><c t="n" foo="a>b" r="XFD1048576"><v>1</v></c></row>',  # ">" in a value
    b'<row r="1048576"><c foo=" r=\'A1\'" r="XFD1048576"><v>1</v></c></row>',  # "r=" in a value
    # a second r (not well-formed XML; python-calamine takes the later), found in the fourth round
    # (each made validate abort, exit 134): after a tab, spaced, single-quoted, with no space before
    b'<row r="60"><c r="A60"\tr="XFD1048576"><v>1</v></c></row>',
    b'<row r="60"><c r="A60" r = "XFD1048576"><v>1</v></c></row>',
    b'<row r="60"><c r="A60" r=\'XFD1048576\'><v>1</v></c></row>',
    b'<row r="60"><c r="A60" s="1"r="XFD1048576"><v>1</v></c></row>',
]


@pytest.mark.parametrize(
    "far",
    _FAR_CELL,
    ids=[
        "newline",
        "tab",
        "single-quotes",
        "spaced-equals",
        "prefix",
        "gt-in-value",
        "r-in-value",
        "second-r-tab",
        "second-r-spaced",
        "second-r-quoted",
        "second-r-unspaced",
    ],
)
def test_a_far_cell_written_with_other_white_space_or_quotes_counts(far: bytes) -> None:
    """XML lets an attribute follow any white space and take either quote; python-calamine reads
    all of these as XFD1048576. The fast pass looked only for `` r="`` and gave (9999, 26) for the
    first, so calamine would have laid out 17 billion cells; the exact pass missed the others."""
    from edi_workbook.limits import sheet_extent

    xml = b'<worksheet><sheetData><row r="3"><c r="B3"/></row>' + far + b"</sheetData></worksheet>"
    assert sheet_extent(xml) == (1048576, 16384)


@pytest.mark.parametrize(
    "far", [_FAR_CELL[0], _FAR_CELL[4], _FAR_CELL[9]], ids=["newline", "prefix", "second-r-quoted"]
)
def test_a_far_cell_written_oddly_is_refused_in_one_line(tmp_path: Path, far: bytes) -> None:
    """The same through the command line: refused before calamine allocates anything."""
    far += b"</sheetData>"
    path = _copy_with(tmp_path / "far.xlsx", PLAN_SHEET, lambda xml: xml.replace(b"</sheetData>", far))
    done = _validate(path)
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert done.stderr.count("\n") == 1
    assert "reaches column XFD and row 1,048,576" in done.stderr


_SPACE = st.sampled_from([" ", "  ", "\t", "\n", "\r\n", " \n "])
_QUOTE = st.sampled_from(['"', "'"])
_LETTERS = st.sampled_from(["A", "Z", "AB", "XFD"])
_END = st.sampled_from(["", " ", "\n"])
_DECOY = st.sampled_from(['foo="a>b"', "bar=\" r='A1'\"", "baz=' r=\"B2\"'", 'x:r="C3"'])


@st.composite
def _written_sheets(draw: st.DrawFn) -> tuple[bytes, tuple[int, int]]:
    """Sheet XML whose row and cell tags are written in any way XML allows (white space, quotes,
    attribute order, ``r`` left out), with the extent an independent parser (lxml) gives it."""
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        cells = []
        for _ in range(draw(st.integers(0, 3))):
            ref = draw(
                st.one_of(
                    st.none(), st.tuples(st.sampled_from(["A", "Z", "AB", "XFD"]), st.integers(1, 1048576))
                )
            )
            c = draw(st.sampled_from(["c", "x:c"]))
            cells.append(_tag(c, None if ref is None else f"{ref[0]}{ref[1]}", draw) + f"<v>1</v></{c}>")
        row = draw(st.one_of(st.none(), st.integers(1, 1048576)))
        rows.append(_tag("row", None if row is None else str(row), draw) + "".join(cells) + "</row>")
    xml = f'<worksheet xmlns:x="urn:x"><sheetData>{"".join(rows)}</sheetData></worksheet>'.encode()
    return xml, _lxml_extent(xml)


def _tag(name: str, ref: str | None, draw: st.DrawFn) -> str:
    """A start tag (its end tag is ``</name>``): maybe prefixed, maybe with attributes whose values
    hold ``>`` or a decoy ``r=``."""
    attrs = [f'{draw(_SPACE)}s="1"'] if draw(st.booleans()) else []
    attrs += [f"{draw(_SPACE)}{d}" for d in draw(st.lists(_DECOY, max_size=2, unique=True))]
    if ref is not None:
        q = draw(_QUOTE)
        eq = draw(st.sampled_from(["=", " = ", "\n=\t"]))
        attrs.insert(draw(st.integers(0, len(attrs))), f"{draw(_SPACE)}r{eq}{q}{ref}{q}")
    return f"<{name}{''.join(attrs)}{draw(_END)}>"


def _lxml_extent(xml: bytes) -> tuple[int, int]:
    """Rows and columns reached, read with lxml: an element without ``r`` follows the one before."""
    from lxml import etree

    row = col = last_row = last_col = 0
    for el in etree.fromstring(xml).iter():
        ref, name = el.get("r"), etree.QName(el).localname
        if name not in ("row", "c"):
            continue
        if name == "row":
            row, col = (int(ref) if ref else row + 1), 0
        else:
            letters = re.match(r"[A-Z]*", ref).group() if ref else ""
            col = sum(26**i * (ord(ch) - 64) for i, ch in enumerate(reversed(letters))) if ref else col + 1
            row = int(ref[len(letters) :]) if ref else row
            last_col = max(last_col, col)
        last_row = max(last_row, row)
    return last_row, last_col


@settings(max_examples=400, deadline=None)
@given(_written_sheets())
def test_the_extent_is_never_less_than_the_sheet_reaches(sheet: tuple[bytes, tuple[int, int]]) -> None:
    """However the tags are written, the extent the reader checks covers what the sheet reaches."""
    from edi_workbook.limits import sheet_extent

    xml, (rows, cols) = sheet
    found = sheet_extent(xml)
    assert found[0] >= rows, (xml, found, rows)
    assert found[1] >= cols, (xml, found, cols)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["", " ", "\t", "\n", " \r\n"]),
    st.sampled_from(["=", " = ", "\n=\t"]),
    _QUOTE,
    st.sampled_from(['s="1"', "", "t='n'"]),
    st.sampled_from(["c", "x:c"]),
)
def test_a_second_r_however_written_counts(space: str, eq: str, q: str, other: str, c: str) -> None:
    """A cell with two ``r`` attributes (not well-formed, so lxml cannot be the judge here):
    python-calamine places it at the later one, so the extent must reach it however it is written."""
    from edi_workbook.limits import sheet_extent

    first = f'<{c} r="A60"' + (f" {other}" if other else "")
    if not space and not first.endswith(('"', "'")):
        space = " "  # no space is possible only after a quoted value
    tag = f"{first}{space}r{eq}{q}XFD1048576{q}><v>1</v></{c}>"
    xml = f'<worksheet xmlns:x="urn:x"><sheetData><row r="60">{tag}</row></sheetData></worksheet>'.encode()
    assert sheet_extent(xml) == (1048576, 16384), xml


# found by the fourth round's review: each sent the exact pass astray, and validate aborted (exit 134)
_HIDDEN = {
    "comment": b'<row r="2"><!--<c a="--><c r="XFD1048576"><v>1</v></c><!--"/>--></row>',
    "cdata": b'<row r="2"><![CDATA[<c a="]]><c r="XFD1048576"><v>1</v></c><![CDATA["/>]]></row>',
    "processing-instruction": b'<row r="2"><?x <c a="?><c r="XFD1048576"><v>1</v></c><?x "/>?></row>',
    "non-ascii-prefix": '<row r="2"><é:c xmlns:é="urn:x" r="XFD1048576"><v>1</v></é:c></row>'.encode(),
    "row-with-letters": b'<row r="A1048576"><c><v>1</v></c></row><row r="9"><c r="XFD9"/></row>',
    "second-r-row-only": b'<row r="2"><c r="XFD1" r=\'A1048576\'><v>1</v></c></row>',
}


@pytest.mark.parametrize("hidden", _HIDDEN.values(), ids=_HIDDEN.keys())
def test_a_far_cell_hidden_from_the_exact_pass_counts(hidden: bytes) -> None:
    """A comment, CDATA section or processing instruction holding a quote had the exact pass read the
    real tags after it as one attribute value; a prefix of non-ASCII letters, a row reference with
    letters (python-calamine reads its digits) and a second ``r`` reaching further in rows only were
    missed too. python-calamine places each of these cells at XFD1048576 (or row 1,048,576)."""
    from edi_workbook.limits import sheet_extent

    xml = (
        b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        + hidden
        + b"</sheetData></worksheet>"
    )
    assert sheet_extent(xml) == (1048576, 16384)


def test_a_cell_hidden_in_a_comment_is_refused_in_one_line(tmp_path: Path) -> None:
    """The same through the command line: refused, not an abort."""
    far = _HIDDEN["comment"] + b"</sheetData>"
    path = _copy_with(tmp_path / "far.xlsx", PLAN_SHEET, lambda xml: xml.replace(b"</sheetData>", far))
    done = _validate(path)
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert "reaches column XFD and row 1,048,576" in done.stderr


def test_an_empty_cell_closed_after_a_space_is_regular() -> None:
    """``<c r="A1" s="1" />`` (a space before ``/>``, as some writers put it) keeps the fast pass."""
    from edi_workbook import limits

    assert not limits._irregular(b'<row r="1"><c r="A1" s="1" /><c r="B1"><v>1</v></c></row>')


def test_tags_left_open_are_read_once_not_once_per_tag(tmp_path: Path) -> None:
    """A sheet cut off after 300,000 ``<c a="`` (1.8 MB, stored, so no compression ratio gives it
    away): each start the exact pass could not close made it search again from the next ``<c`` to the
    end, about half an hour of CPU before (found by the fourth round's review); now one reading, and
    a refusal."""
    junk = b'<c a="' * 300_000

    def cut(xml: bytes) -> bytes:
        return xml[: xml.index(b"<sheetData>") + len(b"<sheetData>")] + junk

    path = _copy_with(tmp_path / "open.xlsx", PLAN_SHEET, cut, compress=zipfile.ZIP_STORED)
    try:
        done = _validate(path, timeout=30)  # seconds the old reading would need: about 1,800
    except subprocess.TimeoutExpired:
        pytest.fail("validate hung on tags left open")
    assert done.returncode == 2, (done.returncode, done.stderr[-300:])
    assert done.stderr.count("\n") == 1


_MANY_IN_ONE = r"""
from edi_workbook.read.styles import percent_cells
from edi_workbook.read.workbook import scan_sheet_xml
n = 600_000
formulas, _ = scan_sheet_xml(b'<worksheet><sheetData><c r="A1">' + b"<f>" * n)
_, errors = scan_sheet_xml(b'<worksheet><c r="A1" x=\'' + b' t="e"' * n + b"'><v>#N/A</v></c>")
styled = percent_cells(b"<worksheet><c r='A1' x='" + b' r="K1" s="3"' * n + b"'/>", "K", frozenset({3}))
print(sorted(formulas), errors, sorted(styled))
"""


def test_many_formulas_errors_or_references_in_one_cell_are_read_once(tmp_path: Path) -> None:
    """600,000 ``<f>`` in one cell, ``t="e"`` or ``r="K1"`` in one tag (a hostile sheet's): each
    was looked for back to its tag and on from it, one reading each (``<f>``: 73 s for 80,000, an
    hour here; the other two minutes); now the looks start where the last ended (found by the fourth
    round's review of its own scans)."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _MANY_IN_ONE], capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail("a scan of the sheet XML took a minute")
    assert done.stdout.strip() == "[(1, 0)] {(1, 0): '#N/A'} [1]", done.stderr[-300:]


def test_long_text_in_date_cells_and_titles_is_read_at_once(tmp_path: Path) -> None:
    """A due-date cell of thousands of words (or of brackets) took a minute each to read as a date,
    since every split of it into a date and a rest was tried; a title cell of the same, after
    'Position as at', as long. In a child process with a time limit: a regression fails the test."""
    long = ["1 " * 16_000, "(" * 30_000, "[1 " * 10_000, "- a " * 8_000]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Position as at " + long[0]])
    ws.append(["Ref", "Action", "Lead", "Due date", "Status"])
    for i, text in enumerate(long):
        ws.append([f"R{i}", "Publish the WRES report", "EDI lead", text, "In progress"])
    ws.append(["R9", "Publish the pay gap report", "EDI lead", "(draft) 31/03/2027 (board)", "In progress"])
    path = tmp_path / "long.xlsx"
    wb.save(path)
    done = _validate(path, timeout=60)  # seconds the old reading needed: about 200
    assert done.returncode == 1, done.stderr
    assert done.stdout.count("unreadable-due-date") == len(long)
    assert "R9" not in "".join(line for line in done.stdout.splitlines() if "unreadable-due-date" in line)
