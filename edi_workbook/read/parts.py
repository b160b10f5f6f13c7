"""The small XML parts of an ``.xlsx`` package that say where things are, read without openpyxl.

The reader needs four facts besides cell values: which XML part holds each sheet, the workbook's
defined names, the Excel tables, and which cell formats are percentages. Each comes from a part of a
few kilobytes, parsed here with the standard library's ElementTree: loading openpyxl for them cost
about 0.4 s of import at start-up and 4-6 ms per file (docs/benchmarks.md).

Parts (ECMA-376 Part 1): the workbook (18.2.27 ``workbook``, 18.2.19 ``sheet``, 18.2.5
``definedName``), relationships (Part 2, 9.3: ``_rels/*.rels``), tables (18.5.1.2 ``table``), styles
(18.8.10 ``cellXfs``, 18.8.30 ``numFmt``). Elements and attributes are matched by local name, so
the transitional and strict namespaces both work.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar
from xml.etree import ElementTree

from edi_workbook.plan.columns import column_index

__all__ = [
    "LastBefore",
    "NextFrom",
    "TableInfo",
    "cell_bounds",
    "find_table",
    "kept_if_small",
    "number_formats",
    "read_workbook",
    "styles_part",
    "workbook_facts",
]

_CELL_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_NAME_RE = re.compile(r"(?:'((?:[^']|'')*)'|([^'!\s]+))!(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)")


T = TypeVar("T")

_CACHED = 2**16
"""Relationship and table parts up to this size are parsed once per distinct content (a batch's
plans from one template share them); a larger one, which no workbook has, is not kept."""
STYLES_CACHED = 2**20
"""The same for a styles part (a busy workbook's can pass 64 KB): at most 32 of them are kept, so a
batch of hostile files, whose styles part may unzip to :data:`~edi_workbook.limits.MAX_PART_BYTES`,
cannot hold gigabytes."""


def kept_if_small(cached: Callable[..., T], limit: int, data: bytes, *args: Any) -> T:
    """``cached(data, *args)``: through its ``lru_cache`` when ``data`` is at most ``limit`` bytes,
    else its plain function, so that a large part is read but never kept."""
    return (cached if len(data) <= limit else cached.__wrapped__)(data, *args)  # type: ignore[attr-defined]


class LastBefore:
    """Where ``needle`` last starts before each of a rising series of positions in ``data``
    (-1: nowhere). Each look starts where the last ended, so the bytes are read back once in all
    however many looks there are: the sheet scans' look back to a tag's start, which a hostile
    sheet's thousands of formulas or references in one cell once made quadratic (issue 18)."""

    __slots__ = ("_data", "_found", "_needle", "_read")

    def __init__(self, data: bytes, needle: bytes) -> None:
        self._data, self._needle, self._read, self._found = data, needle, 0, -1

    def __call__(self, at: int) -> int:
        # from a needle's length short of the last look, for one that straddles where it ended
        found = self._data.rfind(self._needle, max(0, self._read - len(self._needle) + 1), at)
        if found >= 0:
            self._found = found
        self._read = max(self._read, at)
        return self._found


class NextFrom:
    """Where ``needle`` first starts at or after each of a rising series of positions in ``data``
    (-1: nowhere); kept while it lies ahead, so the bytes are read on once in all (as
    :class:`LastBefore` reads them back)."""

    __slots__ = ("_data", "_found", "_needle")

    def __init__(self, data: bytes, needle: bytes) -> None:
        self._data, self._needle, self._found = data, needle, -2  # -2: not looked for yet

    def __call__(self, at: int) -> int:
        if self._found != -1 and self._found < at:
            self._found = self._data.find(self._needle, at)
        return self._found


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _attr(el: ElementTree.Element, name: str) -> str | None:
    """An attribute by local name, with or without a namespace (``r:id`` is ``id``)."""
    if name in el.attrib:
        return el.attrib[name]
    return next((v for k, v in el.attrib.items() if _local(k) == name), None)


def _children(el: ElementTree.Element, name: str) -> Iterator[ElementTree.Element]:
    return (c for c in el if _local(c.tag) == name)


def _bytes(zf: zipfile.ZipFile, part: str) -> bytes | None:
    try:
        return zf.read(part)
    except KeyError:
        return None


def _parse(data: bytes) -> ElementTree.Element:
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:  # never in OOXML; refuse entity tricks
        raise ValueError("an XML part with a document type declaration")
    return ElementTree.fromstring(data)  # noqa: S314 - no DTD, so no entity expansion (checked above)


def cell_bounds(ref: str) -> tuple[int, int, int, int]:
    """``A5:K40`` as 1-based, inclusive (first column, first row, last column, last row).

    >>> cell_bounds("A5:K40"), cell_bounds("$B$2")
    ((1, 5, 11, 40), (2, 2, 2, 2))
    """
    cells = [_CELL_RE.fullmatch(part) for part in ref.split(":")]
    if not 1 <= len(cells) <= 2 or any(m is None for m in cells):
        raise ValueError(f"not a cell range: {ref!r}")
    (c0, r0), (c1, r1) = ((column_index(m[1]), int(m[2])) for m in (cells[0], cells[-1]) if m)
    return c0, r0, c1, r1


def _relations(zf: zipfile.ZipFile, part: str) -> tuple[tuple[str, str, str], ...]:
    """(id, type, target part) of the relationships of ``part``; targets resolved against its folder."""
    folder, name = posixpath.split(part)
    data = _bytes(zf, posixpath.join(folder, "_rels", name + ".rels"))
    if data is None:
        return ()
    return kept_if_small(_relations_of, _CACHED, data, folder)


@functools.lru_cache(maxsize=256)
def _relations_of(data: bytes, folder: str) -> tuple[tuple[str, str, str], ...]:
    """:func:`_relations` of the part's bytes (cached: a batch's plans from one template share them)."""
    root = _parse(data)
    out = []
    for rel in _children(root, "Relationship"):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        resolved = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
        out.append((rel.get("Id") or "", rel.get("Type") or "", resolved))
    return tuple(out)


def workbook_part(zf: zipfile.ZipFile) -> str:
    """The workbook part: ``xl/workbook.xml`` in files from Excel, another name in a few others."""
    names = zf.namelist()
    return next((n for n in names if re.fullmatch(r"xl/workbook\d*\.xml", n)), "xl/workbook.xml")


def read_workbook(zf: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Sheet name -> XML part (workbook order, chart sheets included), and the defined names.

    Defined names are the workbook-level ones that point at cells: name -> (sheet, first cell such
    as ``C4``). Names local to one sheet, and names holding a formula or a constant, are left out.
    """
    parts, names, _rows = workbook_facts(zf)
    return parts, names


def workbook_facts(
    zf: zipfile.ZipFile,
) -> tuple[dict[str, str], dict[str, tuple[str, str]], dict[str, int]]:
    """:func:`read_workbook`, and sheet name -> the last row of its print area (``_xlnm.Print_Area``)
    for sheets that have one, from one read of the workbook part."""
    part = workbook_part(zf)
    data = _bytes(zf, part)
    if data is None:
        raise KeyError(part)
    folder, name = posixpath.split(part)
    rels = _bytes(zf, posixpath.join(folder, "_rels", name + ".rels"))
    parts, names, print_rows = _workbook_of(data, rels, folder)
    return dict(parts), dict(names), dict(print_rows)


@functools.lru_cache(maxsize=32)
def _workbook_of(
    data: bytes, rels: bytes | None, folder: str
) -> tuple[dict[str, str], dict[str, tuple[str, str]], dict[str, int]]:
    """:func:`workbook_facts` of the parts' bytes, parsed once: plans made from one template share
    them in a batch."""
    root = _parse(data)
    targets = {rid: t for rid, _k, t in _relations_of(rels, folder)} if rels is not None else {}
    return _sheet_parts(root, targets), _defined_names(root), _print_rows(root)


def _print_rows(root: ElementTree.Element) -> dict[str, int]:
    sheets = [s.get("name", "") for group in _children(root, "sheets") for s in _children(group, "sheet")]
    out: dict[str, int] = {}
    for group in _children(root, "definedNames"):
        for dn in _children(group, "definedName"):
            local = dn.get("localSheetId")
            if dn.get("name") != "_xlnm.Print_Area" or local is None or not local.isdigit():
                continue
            if int(local) >= len(sheets):
                continue
            rows = [int(r) for r in re.findall(r"\$?[A-Za-z]{1,3}\$?(\d+)(?:,|$|\s)", (dn.text or "") + " ")]
            if rows:
                out[sheets[int(local)]] = max(rows)
    return out


def _sheet_parts(root: ElementTree.Element, rels: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for sheets in _children(root, "sheets"):
        for sheet in _children(sheets, "sheet"):
            rid = _attr(sheet, "id")
            if rid in rels and sheet.get("name"):
                out[sheet.attrib["name"]] = rels[rid]
    return out


def _defined_names(root: ElementTree.Element) -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for group in _children(root, "definedNames"):
        for dn in _children(group, "definedName"):
            name, text = dn.get("name"), (dn.text or "").strip().lstrip("=")
            if not name or dn.get("localSheetId") is not None or name in names:
                continue
            m = _NAME_RE.match(text)
            if m and text[m.end() :][:1] in ("", ","):
                sheet = m[1].replace("''", "'") if m[1] is not None else m[2]
                names[name] = (sheet, m[3].replace("$", "").split(":")[0])
    return names


@dataclass(frozen=True)
class TableInfo:
    """An Excel table: its range and how many header and totals rows it has."""

    name: str
    ref: str
    header_rows: int = 1
    totals_rows: int = 0


def find_table(zf: zipfile.ZipFile, parts: dict[str, str], name: str) -> tuple[str, TableInfo] | None:
    """(sheet, table) of the Excel table called ``name`` (case-insensitive), if any.

    Table parts are found through each worksheet's relationships (ECMA-376 Part 1, 18.5), which
    reads a few small XML parts instead of every cell of the sheet.
    """
    for sheet, part in parts.items():
        for _rid, kind, target in _relations(zf, part):
            if not kind.endswith("/table"):
                continue
            data = _bytes(zf, target)
            table = None if data is None else kept_if_small(_table_of, _CACHED, data)
            if table is not None and table[0].lower() == name.lower() and table[1]:
                shown, ref, header_rows, totals_rows = table
                return sheet, TableInfo(
                    name=shown, ref=ref, header_rows=int(header_rows), totals_rows=int(totals_rows)
                )
    return None


@functools.lru_cache(maxsize=64)
def _table_of(data: bytes) -> tuple[str, str, str, str] | None:
    """A table part's name, range, header and totals row counts as written (None if it is no
    ``table``); cached by the part's bytes."""
    root = _parse(data)
    if _local(root.tag) != "table":
        return None
    shown = root.get("displayName") or root.get("name") or ""
    return shown, root.get("ref") or "", root.get("headerRowCount", "1"), root.get("totalsRowCount", "0")


def styles_part(zf: zipfile.ZipFile) -> bytes | None:
    """The styles part's bytes (``xl/styles.xml`` in files from Excel), or None if there is none."""
    part = next((n for n in zf.namelist() if n.endswith("styles.xml") and n.startswith("xl/")), None)
    return _bytes(zf, part) if part else None


def number_formats(zf: zipfile.ZipFile) -> tuple[list[int], dict[int, str]]:
    """The styles part's cell formats: ``numFmtId`` of each ``cellXfs`` entry, and custom format codes."""
    data = styles_part(zf)
    if data is None:
        return [], {}
    xfs, codes = formats_of(data)
    return list(xfs), dict(codes)


def formats_of(data: bytes) -> tuple[list[int], dict[int, str]]:
    """:func:`number_formats_of`, cached only for a styles part up to :data:`STYLES_CACHED`."""
    return kept_if_small(number_formats_of, STYLES_CACHED, data)


@functools.lru_cache(maxsize=32)
def number_formats_of(data: bytes) -> tuple[list[int], dict[int, str]]:
    """:func:`number_formats` of the styles part's bytes (cached: a batch's plans often share them)."""
    root = _parse(data)
    codes = {
        int(fmt.get("numFmtId", "-1")): fmt.get("formatCode") or ""
        for group in _children(root, "numFmts")
        for fmt in _children(group, "numFmt")
    }
    xfs = [
        int(x.get("numFmtId") or 0) for group in _children(root, "cellXfs") for x in _children(group, "xf")
    ]
    return xfs, codes
