"""An OOXML package (ECMA-376 Part 2, Open Packaging Conventions), opened for minimal edits.

The zip stays open while the package is edited (use it as a context manager). A part is read
from it only when an edit needs it, parsed with lxml only then, and only parts that were edited
are serialised again on save. Everything else (charts, images, ``vbaProject.bin``, custom XML,
printer settings...) is streamed back byte for byte, in the original order and with the original
zip entry metadata, a megabyte at a time: a large image costs no memory.

The zip directory is checked against :mod:`edi_workbook.limits` before anything is read
(:class:`LimitError`), and a workbook saved as Strict Open XML is told apart from a damaged one
(:class:`StrictError`).
"""

from __future__ import annotations

import posixpath
import shutil
import zipfile
from pathlib import Path
from types import TracebackType
from typing import IO

from lxml import etree

from edi_workbook import limits

__all__ = ["NS", "REL", "LimitError", "Package", "StrictError", "qn"]

NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REL = {
    "worksheet": _RT + "worksheet",
    "styles": _RT + "styles",
    "sharedStrings": _RT + "sharedStrings",
    "comments": _RT + "comments",
    "vmlDrawing": _RT + "vmlDrawing",
    "calcChain": _RT + "calcChain",
    "officeDocument": _RT + "officeDocument",
}
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
_STRICT_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
_XML_PARSER = etree.XMLParser(
    remove_blank_text=False, resolve_entities=False, no_network=True, huge_tree=True
)


def qn(prefix: str, local: str) -> str:
    """Clark-notation name: ``qn("main", "c")`` -> ``{...spreadsheetml/2006/main}c``."""
    return f"{{{NS[prefix]}}}{local}"


def rels_name(part: str) -> str:
    """The relationships part of ``part``: ``xl/workbook.xml`` -> ``xl/_rels/workbook.xml.rels``."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


class LimitError(ValueError):
    """The package breaks one of :mod:`edi_workbook.limits` (its message says which)."""


class StrictError(ValueError):
    """The package is a Strict Open XML workbook (ECMA-376 Part 1, 2.1), which is not patched."""


class Package:
    """The parts of one .xlsx/.xlsm file; edit with :meth:`xml`/:meth:`put`, then :meth:`save`.

    Open while in use: ``with Package(path) as pkg: ...`` (or :meth:`close`).
    """

    def __init__(self, path: Path) -> None:
        self._zip = zipfile.ZipFile(path)
        try:
            problem = limits.zip_problem(self._zip)
            if problem is not None:
                raise LimitError(problem)
            self._infos = self._zip.infolist()
            self._stored = {i.filename for i in self._infos if not i.is_dir()}
            self._bytes: dict[str, bytes] = {}
            self._trees: dict[str, etree._Element] = {}
            self._peeked: dict[str, etree._Element] = {}  # parsed for reading; moves to _trees on edit
            self._dirty: set[str] = set()
            self._removed: set[str] = set()
            self.workbook = self._main_part()
        except BaseException:
            self._zip.close()
            raise

    def close(self) -> None:
        """Close the workbook's zip (parts not read by then can no longer be read or saved)."""
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- parts ---------------------------------------------------------------------------------
    def has(self, part: str) -> bool:
        return (part in self._bytes or part in self._stored) and part not in self._removed

    def raw(self, part: str) -> bytes:
        """The bytes of a part as stored (or as last put); read from the zip on first use."""
        if part not in self._bytes:
            if part not in self._stored:
                raise KeyError(part)
            self._bytes[part] = self._zip.read(part)
        return self._bytes[part]

    def xml(self, part: str) -> etree._Element:
        """The parsed root of an XML part; edits to it are saved (the part is marked changed)."""
        if part not in self._trees:
            peeked = self._peeked.pop(part, None)
            self._trees[part] = etree.fromstring(self.raw(part), _XML_PARSER) if peeked is None else peeked
        self._dirty.add(part)
        return self._trees[part]

    def peek(self, part: str) -> etree._Element:
        """The parsed root of an XML part for reading only (not marked changed)."""
        if part in self._trees:
            return self._trees[part]
        if part not in self._peeked:
            self._peeked[part] = etree.fromstring(self.raw(part), _XML_PARSER)
        return self._peeked[part]

    def put(self, part: str, data: bytes | etree._Element) -> None:
        """Add or replace a part with bytes or an XML root."""
        self._removed.discard(part)
        self._peeked.pop(part, None)
        if isinstance(data, bytes):
            self._trees.pop(part, None)
            self._bytes[part] = data
        else:
            self._trees[part] = data
            self._bytes.setdefault(part, b"")
        self._dirty.add(part)

    def remove(self, part: str) -> None:
        """Drop a part (and its relationships part) from the package."""
        for name in (part, rels_name(part)):
            if name in self._bytes or name in self._stored:
                self._removed.add(name)
                self._trees.pop(name, None)
                self._peeked.pop(name, None)
                self._dirty.discard(name)
        self.remove_override(part)

    def unused_name(self, pattern: str) -> str:
        """The first free part name for ``pattern`` (with ``{}`` for a number from 1)."""
        n = 1
        while self.has(pattern.format(n)):
            n += 1
        return pattern.format(n)

    # -- relationships --------------------------------------------------------------------------
    def rels(self, part: str) -> list[dict[str, str]]:
        """Relationships of a part as dicts with ``Id``, ``Type``, ``Target``, ``part`` (resolved)."""
        name = rels_name(part)
        if not self.has(name):
            return []
        out = []
        for el in self.peek(name).iter(qn("pr", "Relationship")):
            d = dict(el.attrib)
            if d.get("TargetMode") != "External":
                d["part"] = _resolve(part, d.get("Target", ""))
            out.append(d)
        return out

    def related(self, part: str, rel_type: str) -> str | None:
        """The first internal part related to ``part`` by ``rel_type``, if any."""
        for r in self.rels(part):
            if r["Type"] == rel_type and "part" in r:
                return r["part"]
        return None

    def add_rel(self, part: str, rel_type: str, target: str) -> str:
        """Relate ``part`` to the part ``target`` (a package path); returns the new ``rId``."""
        name = rels_name(part)
        if not self.has(name):
            self.put(name, etree.Element(qn("pr", "Relationships"), nsmap={None: NS["pr"]}))
        root = self.xml(name)
        ids = {el.get("Id") for el in root}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        rel = etree.SubElement(root, qn("pr", "Relationship"))
        rel.set("Id", f"rId{n}")
        rel.set("Type", rel_type)
        rel.set("Target", posixpath.relpath(target, posixpath.dirname(part) or "."))
        return f"rId{n}"

    def drop_rels(self, part: str, rel_type: str | None = None, rid: str | None = None) -> list[str]:
        """Remove ``part``'s relationships of ``rel_type`` (or the one with id ``rid``); returns ids."""
        name = rels_name(part)
        if not self.has(name):
            return []
        root = self.xml(name)
        gone = [el for el in root if el.get("Type") == rel_type or (rid is not None and el.get("Id") == rid)]
        for el in gone:
            root.remove(el)
        return [str(el.get("Id")) for el in gone]

    # -- content types -------------------------------------------------------------------------
    def add_override(self, part: str, content_type: str) -> None:
        root = self.xml("[Content_Types].xml")
        self.remove_override(part)
        el = etree.SubElement(root, qn("ct", "Override"))
        el.set("PartName", "/" + part)
        el.set("ContentType", content_type)

    def remove_override(self, part: str) -> None:
        def matches(root: etree._Element) -> list[etree._Element]:
            return [el for el in root.findall(qn("ct", "Override")) if el.get("PartName") == "/" + part]

        if matches(self.peek("[Content_Types].xml")):
            root = self.xml("[Content_Types].xml")
            for el in matches(root):
                root.remove(el)

    def add_default(self, extension: str, content_type: str) -> None:
        root = self.peek("[Content_Types].xml")
        if any(el.get("Extension", "").lower() == extension for el in root.findall(qn("ct", "Default"))):
            return
        el = etree.Element(qn("ct", "Default"))
        el.set("Extension", extension)
        el.set("ContentType", content_type)
        self.xml("[Content_Types].xml").insert(0, el)

    # -- the workbook's sheets ---------------------------------------------------------------
    def sheets(self) -> dict[str, str]:
        """Worksheet name -> part name, in workbook order (chartsheets are left out)."""
        targets = {r["Id"]: r.get("part") for r in self.rels(self.workbook) if r["Type"] == REL["worksheet"]}
        out: dict[str, str] = {}
        for el in self.peek(self.workbook).iter(qn("main", "sheet")):
            part = targets.get(el.get(qn("r", "id"), ""))
            if part:
                out[str(el.get("name"))] = part
        return out

    def sheet_named(self, name: str) -> tuple[str, str] | None:
        """(name as the workbook spells it, part) of the worksheet called ``name``, case ignored as
        Excel ignores it (``VALIDATION`` is ``Validation``); None if there is none."""
        sheets = self.sheets()
        if name in sheets:
            return name, sheets[name]
        folded = name.casefold()
        return next(((n, part) for n, part in sheets.items() if n.casefold() == folded), None)

    def add_sheet(self, name: str, root: etree._Element, state: str | None = None) -> str:
        """Append a worksheet named ``name`` (last, so sheet-scoped defined names keep their index).

        Raises ValueError if a sheet of that name, in any case, exists: Excel refuses such a file.
        """
        wb_names = {
            str(el.get("name", "")).casefold() for el in self.peek(self.workbook).iter(qn("main", "sheet"))
        }
        if name.casefold() in wb_names:
            raise ValueError(f"the workbook already has a sheet named {name!r}")
        part = self.unused_name("xl/worksheets/sheet{}.xml")
        self.put(part, root)
        self.add_override(part, CT_WORKSHEET)
        rid = self.add_rel(self.workbook, REL["worksheet"], part)
        wb = self.xml(self.workbook)
        sheets = wb.find(qn("main", "sheets"))
        if sheets is None:
            raise ValueError("the workbook part lists no sheets")
        ids = [int(el.get("sheetId", "0")) for el in sheets]
        el = etree.SubElement(sheets, qn("main", "sheet"), nsmap={"r": NS["r"]})
        el.set("name", name)
        el.set("sheetId", str(max(ids, default=0) + 1))
        if state:
            el.set("state", state)
        el.set(qn("r", "id"), rid)
        return part

    # -- saving --------------------------------------------------------------------------------
    def changed(self) -> set[str]:
        """Names of the parts that will be written from edits (not copied)."""
        return {p for p in self._dirty if p not in self._removed}

    def save(self, out: IO[bytes]) -> None:
        """Write the package: untouched parts byte for byte in their order, then new parts.

        Parts that were only read or never read are streamed from the original zip.
        """
        for part in self._dirty:
            if part in self._trees:
                self._bytes[part] = etree.tostring(
                    self._trees[part], xml_declaration=True, encoding="UTF-8", standalone=True
                )
        seen: set[str] = set()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for info in self._infos:
                name = info.filename
                if info.is_dir() or name in self._removed or name in seen:
                    continue
                seen.add(name)
                fresh = zipfile.ZipInfo(name, date_time=info.date_time)  # no flags or extras inherited
                fresh.external_attr = info.external_attr
                fresh.compress_type = info.compress_type
                if name in self._dirty or name in self._bytes:
                    zf.writestr(fresh, self._bytes[name], compress_type=info.compress_type)
                    continue
                fresh.file_size = info.file_size  # so the writer knows the size (zip64 or not) ahead
                with self._zip.open(info) as src, zf.open(fresh, "w") as dst:
                    shutil.copyfileobj(src, dst, 2**20)
            for name in sorted(set(self._bytes) - seen - self._removed):
                new = zipfile.ZipInfo(name, date_time=_EPOCH)  # no clock time: outputs are deterministic
                new.external_attr = 0o600 << 16
                zf.writestr(new, self._bytes[name], compress_type=zipfile.ZIP_DEFLATED)

    def _main_part(self) -> str:
        root = etree.fromstring(self.raw("_rels/.rels"), _XML_PARSER)
        for el in root.iter(qn("pr", "Relationship")):
            if el.get("Type") == REL["officeDocument"]:
                return _resolve("", el.get("Target", ""))
            if el.get("Type") == _STRICT_DOCUMENT:
                raise StrictError("a Strict Open XML workbook")
        raise KeyError("no officeDocument relationship")


def _resolve(source: str, target: str) -> str:
    """A relationship target as a package path (no leading slash)."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
