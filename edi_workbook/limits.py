"""The limits on what this package reads and writes, in one place.

A workbook is a zip of XML parts; a hostile or broken one can claim gigabytes (a "zip bomb": 2 GB
of spaces compress to 2 MB), or hold one value at ``XFD1048576`` so that a reader allocating the
sheet's whole area needs 512 GiB. Every number here is checked *before* the expensive step: the zip
directory before any part is read, a sheet's extent from its XML before python-calamine loads it,
a file's size before it is opened. Anything over a limit is refused with one sentence (exit 2);
nothing is read, and nothing is written.

The limits are far above any real plan (the template's largest part is 250 KB; a 10,000-action
plan's sheet is 14 MB, compressed ten to one) and are listed, with these reasons, in
docs/writeback.md ("Limits") and the README.

>>> zip_problem_of([("xl/worksheets/sheet1.xml", 2_000_000_000, 2_000_000)]) is not None
True
>>> zip_problem_of([("xl/worksheets/sheet1.xml", 250_000, 25_000)]) is None
True
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "EXCEL_CELL_TEXT",
    "EXCEL_COLUMNS",
    "MAX_CELLS",
    "MAX_FILE_BYTES",
    "MAX_ICS_BYTES",
    "MAX_PARTS",
    "MAX_PART_BYTES",
    "MAX_RATIO",
    "MAX_REMINDERS",
    "MAX_REMINDER_DAY",
    "MAX_ROWS",
    "MAX_TOTAL_BYTES",
    "RATIO_FLOOR",
    "LimitError",
    "check_part_stream",
    "last_value_row",
    "read_part",
    "sheet_extent",
    "size_text",
    "zip_problem",
    "zip_problem_of",
]

MAX_FILE_BYTES = 128 * 2**20
"""Largest plan file (``.xlsx``, ``.xlsm`` or ``.csv``) read or written back: 128 MiB on disk."""
MAX_PART_BYTES = 256 * 2**20
"""Largest part of a workbook once unzipped (a sheet, the shared strings, an image): 256 MiB."""
MAX_TOTAL_BYTES = 1024 * 2**20
"""Largest total of all parts of a workbook once unzipped: 1 GiB."""
MAX_RATIO = 100
"""Largest unzipped-to-zipped ratio of a part over :data:`RATIO_FLOOR` (sheet XML zips about 10:1)."""
RATIO_FLOOR = 2**20
"""Parts smaller than this (1 MiB unzipped) may compress any amount: small repetitive XML does."""
MAX_PARTS = 10_000
"""Largest number of entries in a workbook's zip directory."""
MAX_CELLS = 10_000_000
"""Largest sheet area read (columns x rows, from A1 to the last cell the sheet's XML places)."""
MAX_ROWS = 50_000
"""Largest number of rows under a plan's header row."""
EXCEL_COLUMNS = 16_384
"""Columns of an Excel sheet (A to XFD): a cell further right is a damaged file, not a plan, and
nothing this package writes goes further."""
EXCEL_CELL_TEXT = 32_767
"""Characters an Excel cell holds: no text this package writes into a cell is longer."""
MAX_REMINDERS = 10
"""Most reminder days per action (``ReminderDays``, ``--alarm-days``); 14,1 is the default."""
MAX_REMINDER_DAY = 366
"""Latest reminder, in days before the due date."""
MAX_ICS_BYTES = 64 * 2**20
"""Largest calendar file read back (``--previous``, the files of a ``--by-owner`` folder)."""

_DEFLATE_MAX_RATIO = 1032  # zlib's most: no deflate stream unzips to more than this per byte


def size_text(n: int) -> str:
    """``1536`` -> ``'1.5 KB'``: sizes in messages, in the units a file manager shows.

    >>> size_text(500), size_text(3 * 2**30)
    ('500 bytes', '3.0 GB')
    """
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def zip_problem_of(entries: Iterable[tuple[str, int, int]]) -> str | None:
    """Why a zip directory of (name, unzipped size, zipped size) breaks a limit, or None.

    Only the sizes the directory declares are used: nothing is unzipped.
    """
    total = 0
    for count, (name, size, packed) in enumerate(entries, start=1):
        total += size
        if count > MAX_PARTS:
            return f"it has more than {MAX_PARTS:,} parts; no workbook has so many"
        if size > MAX_PART_BYTES:
            return (
                f"its part {name} unzips to {size_text(size)}, more than the {size_text(MAX_PART_BYTES)} "
                "this tool reads"
            )
        if size > RATIO_FLOOR and size > MAX_RATIO * max(packed, 1):
            return (
                f"its part {name} unzips to {size_text(size)} from {size_text(packed)} "
                f"(more than {MAX_RATIO} to 1): it is built to exhaust memory"
            )
    if total > MAX_TOTAL_BYTES:
        return f"it unzips to {size_text(total)}, more than the {size_text(MAX_TOTAL_BYTES)} this tool reads"
    return None


def zip_problem(zf: zipfile.ZipFile) -> str | None:
    """:func:`zip_problem_of` for an open zip file (its central directory only), and a part marked
    as zip-encrypted (APPNOTE 4.4.4 bit 0), which Excel never writes and Python's zip reader stops on.
    """
    infos = zf.infolist()
    locked = next((i.filename for i in infos if i.flag_bits & 0x1), None)
    if locked is not None:
        return f"its part {locked} is marked as encrypted, which no Excel workbook is: the file is damaged"
    return zip_problem_of((i.filename, i.file_size, i.compress_size) for i in infos)


class LimitError(ValueError):
    """A file breaks one of these limits; the message says which, in one sentence."""


def check_part_stream(path: Path, info: zipfile.ZipInfo) -> str | None:
    """Why the part ``info`` of the zip at ``path`` really unzips to more than it declares, or None.

    Python's zip reader stops at the declared size; python-calamine's does not. A part that could
    not exceed :data:`MAX_PART_BYTES` even at deflate's highest ratio is not unzipped at all; the
    others are unzipped here in chunks (nothing kept) up to the declared size plus one chunk.
    """
    try:
        _inflate(path, info, keep=False)
    except LimitError as exc:
        return str(exc)
    return None


def read_part(zf: zipfile.ZipFile, path: Path, info: zipfile.ZipInfo) -> bytes:
    """A part's bytes, checked as :func:`check_part_stream` checks it, unzipped once.

    Raises :class:`LimitError` if it unzips to more than it declares, ``zipfile.BadZipFile`` if it
    is damaged (shorter than declared, or its CRC-32 differs).
    """
    if not _may_lie(info):
        return zf.read(info)
    data = _inflate(path, info, keep=True)
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile(f"bad part {info.filename}")
    return data


def _may_lie(info: zipfile.ZipInfo) -> bool:
    """Whether a part could unzip to more than :data:`MAX_PART_BYTES` whatever its directory says."""
    return (
        info.compress_type == zipfile.ZIP_DEFLATED
        and info.compress_size * _DEFLATE_MAX_RATIO > MAX_PART_BYTES
    )


def _inflate(path: Path, info: zipfile.ZipInfo, *, keep: bool) -> bytes:
    """The part unzipped (``keep``: in one call, its output capped one byte past the declared size,
    so a 10,000-action sheet's 18 MB are not joined from chunks), else only checked, in chunks."""
    if not _may_lie(info):
        return b""  # stored parts are their own size; other methods python-calamine refuses itself
    with path.open("rb") as fh:
        fh.seek(info.header_offset)
        head = fh.read(30)  # the local file header (APPNOTE 4.3.7), then the name and extra field
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            return b""  # a broken local header: the zip readers refuse it themselves
        name_len = int.from_bytes(head[26:28], "little")
        extra_len = int.from_bytes(head[28:30], "little")
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        if keep:
            out = inflate.decompress(fh.read(info.compress_size), info.file_size + 1)
            if len(out) > info.file_size:
                raise _lying(info)
            return out
        left, seen, chunk = info.compress_size, 0, 2**20
        while left > 0 and not inflate.eof:
            data = fh.read(min(chunk, left))
            if not data:
                break
            left -= len(data)
            while data and not inflate.eof:
                seen += len(inflate.decompress(data, chunk))
                if seen > info.file_size:
                    raise _lying(info)
                data = inflate.unconsumed_tail
    return b""


def _lying(info: zipfile.ZipInfo) -> LimitError:
    return LimitError(
        f"its part {info.filename} unzips to more than the {size_text(info.file_size)} "
        "its zip directory says: the file is damaged or built to exhaust memory"
    )


# Cell and row references that can make a sheet big: a column from AA on, or a row from 10,000 on.
# Anything smaller is at most 26 columns x 9,999 rows, well under MAX_CELLS; only files with such
# references pay for the exact pass. The references are searched by their literal start (' r="'),
# which the regular-expression engine finds quickly. Columns past XFD (four letters and more) are
# not valid, but python-calamine still places a cell there, so they count too.
_FAR = re.compile(rb' r="(?:([A-Za-z]{2,})(\d+)|([A-Za-z]?)(\d{5,}))"')
_ANY_FAR = re.compile(rb' r="(?:[A-Za-z]{2}|[A-Za-z]?\d{5})')
"""Where :data:`_FAR` may match (its matches start so): searched first, it finds that a sheet has no
such reference about a fifth faster than :data:`_FAR`, which then reads on from the first only."""


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """(last row, last column), 1-based, that the sheet's cell and row references reach.

    A reader that lays the sheet out from A1 needs about rows x columns cells of memory; this is
    found from the references alone, before any reader allocates anything. Cells and rows written
    without a reference follow the one before (ECMA-376 Part 1, 18.3.1.4 and 18.3.1.73), so a sheet
    that has them is bounded by counting them.

    >>> sheet_extent(b'<row r="3"><c r="B3"/></row><row r="1048576"><c r="XFD1048576"/></row>')
    (1048576, 16384)
    >>> sheet_extent(b'<row r="2"><c r="A2"/><c r="C2"/></row>')
    (9999, 26)
    """
    rows, cols = 9_999, 26
    first = _ANY_FAR.search(xml)
    for m in _FAR.finditer(xml, first.start()) if first else ():
        if m[1]:
            cols, rows = max(cols, _column(m[1])), max(rows, int(m[2]))
        else:
            cols, rows = max(cols, _column(m[3]) if m[3] else 0), max(rows, int(m[4]))
    if rows * cols <= MAX_CELLS and not _irregular(xml):
        return rows, cols
    return _exact_extent(xml)


_ROOT = re.compile(rb"<(\w+:)?worksheet\b")


# A ``c`` or ``row`` start tag not written exactly as Excel writes one: `` r="A1"`` first, then only
# `` name="value"`` attributes (one space before each, double quotes, no ``<`` or ``>`` in a value)
# to its end. Unprefixed, and after any prefix (python-calamine matches elements by their local
# name), as two patterns with literal starts (one pattern with an optional prefix took twice as
# long). The second also matches text that merely looks like such a tag, which only sends the sheet
# to the exact pass. Everything these find goes to the exact (slower) pass, which reads it
# correctly: a tag without ``r``, ``r`` after another attribute, references the fast pass's literal
# `` r="`` would miss though XML allows them (a tab or a line break before ``r``, spaces around
# ``=``, single quotes), and a second ``r`` written so (not well-formed, but python-calamine takes
# the later: ``<c r="A60" r='XFD1048576'>`` made it abort). The whole tag is read, not its start
# only: 0.4 ms more on a template sheet of 317 KB (about 5% of reading it), as one pass.
_REGULAR = rb'(?=[\t\n\r />])(?! r="[A-Za-z]*+\d++"(?: [\w:.-]++="[^"<>]*+")*+\s*+/?>)'
_UNREFERENCED = re.compile(rb"<(?:c|row)" + _REGULAR)
_UNREFERENCED_PREFIXED = re.compile(rb":(?:c|row)" + _REGULAR)


def _irregular(xml: bytes) -> bool:
    """Whether a cell or row element may lack its ``r`` reference (its place then follows the one
    before) or write one other than `` r="``, so that only the exact pass reads the extent right."""
    return _UNREFERENCED.search(xml) is not None or _UNREFERENCED_PREFIXED.search(xml) is not None


# a row or cell start tag, any prefix (of any characters but those that end a name: python-calamine
# matches elements by their local name), its attributes whole (a quoted value may hold ``>``), read
# as python-calamine's XML parser reads a tag; or a comment, CDATA section or processing instruction,
# which the parser reads as one piece whatever it holds (so a tag-like text inside one is no tag, and
# a quote inside one does not swallow the tags after it). Anything left open (a tag, a quote, a
# comment) runs to the end, as it does for the parser, which then fails: so every start is read
# once. Before, a tag left open failed to match and the search began again at the next ``<c``,
# reading to the end each time: 1.3 s for 48 KB of ``<c a="``, hours for a few MB (found by the
# fourth round's own review). Possessive (Python 3.11+), so nothing backtracks either: the
# backtracking form took minutes on a 2 KB sheet (found by the fuzz test).
_TAG = re.compile(
    rb"""<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<\?.*?(?:\?>|\Z)"""
    rb"""|<(?:[^\s/>:=<"']++:)?(row|c)\b((?:[^>"']++|"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z))*+)(?:>|\Z)""",
    re.S,
)
# one attribute, read in order from the tag's start (so an ``r=`` inside another's value is no
# attribute), with any white space around ``=`` and either quote, as XML allows; a name is tried
# only where one starts, and nothing backtracks, so a long run of junk is read once
_ATTRIBUTE = re.compile(rb"""(?<![\w:.-])([\w:.-]++)\s*+=\s*+(?:"([^"]*+)"|'([^']*+)')""")
_REFERENCE = re.compile(rb"([A-Za-z]*)(\d+)")


def _reference(attributes: bytes) -> tuple[bytes, int] | None:
    """The ``r`` attribute of a tag as (column letters, row); None without one. Of two (not
    well-formed, but python-calamine takes the later), the furthest column and the furthest row,
    each on its own: a bound, whichever the reader takes."""
    letters, row = None, 0
    for m in _ATTRIBUTE.finditer(attributes):
        ref = _REFERENCE.fullmatch(m[2] if m[2] is not None else m[3]) if m[1] == b"r" else None
        if ref:
            if letters is None or _column(ref[1]) > _column(letters):
                letters = ref[1]
            row = max(row, int(ref[2]))
    return None if letters is None else (letters, row)


def _exact_extent(xml: bytes) -> tuple[int, int]:
    """The extent from every row and cell element, placing unreferenced ones after the previous."""
    row = col = last_row = last_col = 0
    for m in _TAG.finditer(xml):
        if m[1] is None:
            continue  # a comment, CDATA section or processing instruction
        ref = _reference(m[2])
        if m[1] == b"row":
            row = ref[1] if ref else row + 1  # a row's letters are ignored: python-calamine reads the digits
            col = 0
        else:
            if ref and ref[0]:
                col, row = _column(ref[0]), max(ref[1], 1)
            else:
                col += 1
            last_col = max(last_col, col)
        last_row = max(last_row, row)
    return last_row, last_col


def last_value_row(xml: bytes) -> int | None:
    """The sheet row of the last cell holding a value, from the end of the sheet's XML; None if unsure.

    A reader lays the sheet out from A1 to this row, so a plan's row count is known before any
    cell is decoded, and a sheet far over :data:`MAX_ROWS` is refused without reading it (issue
    18). Only a non-empty ``<v>`` (18.3.1.96) or inline string with text (18.3.1.53 ``is``) counts,
    and its row element must carry its ``r`` reference; anything else gives None (read as usual).

    >>> last_value_row(b'<row r="2"><c r="A2"><v>1</v></c></row><row r="9"><c r="A9" s="1"/></row>')
    2
    >>> last_value_row(b'<row r="7"><c r="B7" t="inlineStr"><is><t>Due</t></is></c></row>')
    7
    >>> last_value_row(b'<row r="3"><c r="A3"><v></v></c></row>') is None
    True
    """
    root = _ROOT.search(xml, 0, 4096)
    prefix = (root[1] or b"") if root else b""
    v_end, is_end = xml.rfind(b"</" + prefix + b"v>"), xml.rfind(b"</" + prefix + b"is>")
    at = max(v_end, is_end)
    if at < 0:
        return None
    if at == v_end:
        if xml.endswith(b">", 0, at):  # <v></v>: no value
            return None
    else:
        start = xml.rfind(b"<" + prefix + b"is>", 0, at)
        if start < 0 or not _TEXT.search(xml, start, at):
            return None
    row = xml.rfind(b"<" + prefix + b"row", 0, at)
    found = _ROW_REF.match(xml, row + 1 + len(prefix)) if row >= 0 else None
    return int(found[1]) if found else None


_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>[^<]")
_ROW_REF = re.compile(rb'row\s(?:[^>]*?\s)?r="(\d+)"')
