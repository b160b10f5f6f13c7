"""The parts of a saved workbook, written the way most readers expect (issue 17).

openpyxl writes valid packages that some readers still cannot open: ExcelJS 4.4 (which Node tools
use) looks for drawing elements by their conventional ``xdr:`` prefix, and for tables and drawings
by relationship targets relative to the sheet (``../tables/table1.xml``), while openpyxl writes
the drawing in a default namespace and every target as an absolute part name
(``/xl/tables/table1.xml``). Both forms mean the same (XML Namespaces 1.0: a prefix is only a
name for its namespace; ECMA-376 Part 2, 9.3: a relationship's target may be a relative
reference), so :func:`polish` rewrites each part in the form Excel itself writes.
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

__all__ = ["PREFIXES", "polish", "sheet_parts"]

PREFIXES = {
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
"""The prefixes Excel writes in a drawing part."""
_DRAWING = re.compile(r"xl/drawings/drawing\d+\.xml")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def polish(name: str, data: bytes) -> bytes:
    """Part ``name``'s bytes in Excel's own form: drawings with ``xdr:``/``a:``/``c:`` prefixes,
    relationship targets relative to their source part. Other parts are returned unchanged."""
    if _DRAWING.fullmatch(name):
        return _prefixed(data)
    if name.endswith(".rels"):
        return _relative_targets(name, data)
    return data


def _prefixed(data: bytes) -> bytes:
    """The same XML with Excel's prefixes declared on the root, so every element uses them."""
    old = etree.fromstring(data)

    def copy(el: etree._Element, parent: etree._Element | None) -> etree._Element:
        new = etree.Element(el.tag, nsmap=PREFIXES) if parent is None else etree.SubElement(parent, el.tag)
        for key, value in el.attrib.items():
            new.set(key, value)
        new.text, new.tail = el.text, el.tail
        for child in el:
            if isinstance(child.tag, str):
                copy(child, new)
        return new

    out: bytes = etree.tostring(copy(old, None), xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def _relative_targets(name: str, data: bytes) -> bytes:
    """A relationships part with internal targets relative to its source part's folder.

    ``xl/worksheets/_rels/sheet1.xml.rels`` belongs to ``xl/worksheets/sheet1.xml``, so
    ``/xl/tables/table1.xml`` becomes ``../tables/table1.xml``; ``_rels/.rels`` belongs to the
    package root.
    """
    root = etree.fromstring(data)
    base = posixpath.dirname(posixpath.dirname(name))  # the folder of the source part
    changed = False
    for rel in root:
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External" and target.startswith("/"):
            rel.set("Target", posixpath.relpath(target[1:], base or "."))
            changed = True
    if not changed:
        return data
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def sheet_parts(workbook_xml: bytes, workbook_rels: bytes) -> dict[str, str]:
    """``{part name: sheet name}`` from ``xl/workbook.xml`` and its relationships."""
    targets = {}
    for rel in etree.fromstring(workbook_rels):
        target = str(rel.get("Target", ""))
        targets[rel.get("Id")] = target[1:] if target.startswith("/") else posixpath.join("xl", target)
    return {
        targets[s.get(_RID)]: str(s.get("name"))
        for s in etree.fromstring(workbook_xml).iter(f"{_MAIN}sheet")
        if s.get(_RID) in targets
    }
