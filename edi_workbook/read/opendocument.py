"""Merged cells of an OpenDocument spreadsheet (``.ods``), which python-calamine does not report.

Values come from python-calamine, as for every workbook; only the spans are read here, from the
package's ``content.xml`` (ODF 1.2 Part 1, 9.1.4 ``table:table-cell``: ``table:number-rows-spanned``
and ``table:number-columns-spanned``; 9.1.3 ``table:number-rows-repeated``; 9.1.5
``table:covered-table-cell``), streamed so a large sheet is never held as a tree.
"""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree

__all__ = ["merged_ranges"]

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_T = f"{{{_TABLE}}}"
Merged = list[tuple[tuple[int, int], tuple[int, int]]]


def _int(el: ElementTree.Element, name: str) -> int:
    try:
        return max(1, int(el.get(_T + name, "1")))
    except ValueError:
        return 1


def merged_ranges(path: str) -> dict[str, Merged]:
    """Sheet name -> merged ranges as ((row, col), (row, col)), 0-based and inclusive."""
    out: dict[str, Merged] = {}
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        sheet, row, col = "", 0, 0
        for event, el in ElementTree.iterparse(fh, events=("start", "end")):  # noqa: S314 - ODF has no DTD
            tag = el.tag
            if event == "start":
                if tag == _T + "table":
                    sheet, row = el.get(_T + "name", ""), 0
                    out[sheet] = []
                elif tag == _T + "table-row":
                    col = 0
                elif tag == _T + "table-cell":
                    rows, cols = _int(el, "number-rows-spanned"), _int(el, "number-columns-spanned")
                    if rows > 1 or cols > 1:
                        out[sheet].append(((row, col), (row + rows - 1, col + cols - 1)))
                continue
            if tag in (_T + "table-cell", _T + "covered-table-cell"):
                col += _int(el, "number-columns-repeated")
            elif tag == _T + "table-row":
                row += _int(el, "number-rows-repeated")
            el.clear()
    return out
