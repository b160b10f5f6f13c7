"""Cells of one worksheet part (ECMA-376 Part 1, 18.3.1.4 ``c``): find or create, set values, styles.

Text is written as an inline string (``t="inlineStr"``, 18.3.1.53 ``is``), so text that starts
with ``=``, ``+``, ``-`` or ``@`` is stored as text and never becomes a formula; numbers as
numbers, dates as serial numbers with a date format. When a value replaces a formula the caller
drops ``calcChain.xml`` (Excel rebuilds it) because Excel reports a calculation chain that names a
cell without a formula as damage.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from numbers import Real
from typing import Any

from lxml import etree

from edi_workbook.limits import EXCEL_CELL_TEXT
from edi_workbook.plan.columns import column_index
from edi_workbook.safe_text import xml_text
from edi_workbook.writeback.package import Package, qn
from edi_workbook.writeback.styles import StyleBook

__all__ = ["SheetEditor", "insert_in_order", "split_ref"]

# Child order of CT_Worksheet (18.3.1.99): new children go in their place in this sequence.
_ORDER_TEXT = (
    "sheetPr dimension sheetViews sheetFormatPr cols sheetData sheetCalcPr sheetProtection protectedRanges "
    "scenarios autoFilter sortState dataConsolidate customSheetViews mergeCells phoneticPr "
    "conditionalFormatting dataValidations hyperlinks printOptions pageMargins pageSetup headerFooter "
    "rowBreaks colBreaks customProperties cellWatches ignoredErrors smartTags drawing legacyDrawing "
    "legacyDrawingHF drawingHF picture oleObjects controls webPublishItems tableParts extLst"
)
WORKSHEET_ORDER = tuple(_ORDER_TEXT.split())
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")  # 22.9.2.19 ST_Xstring escapes a literal _xHHHH_
MAX_TEXT = EXCEL_CELL_TEXT  # Excel's limit on characters in a cell


def split_ref(ref: str) -> tuple[int, int]:
    """``"I7"`` -> (row 7, column 9); raises ValueError on anything but one A1 cell."""
    m = _REF.match(ref.strip().upper())
    if not m:
        raise ValueError(f"not a single A1 cell reference: {ref!r}")
    return int(m.group(2)), column_index(m.group(1))


def col_letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def insert_in_order(root: etree._Element, el: etree._Element) -> etree._Element:
    """Insert a worksheet child where CT_Worksheet's sequence puts it; returns ``el``."""
    rank = WORKSHEET_ORDER.index(etree.QName(el).localname)
    for child in root:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name in WORKSHEET_ORDER and WORKSHEET_ORDER.index(name) > rank:
            child.addprevious(el)
            return el
    root.append(el)
    return el


class SheetEditor:
    """Finds and creates cells in one worksheet part."""

    def __init__(self, pkg: Package, part: str, *, date1904: bool = False) -> None:
        self.part = part
        self.root = pkg.xml(part)
        data = self.root.find(qn("main", "sheetData"))
        if data is None:
            data = insert_in_order(self.root, etree.Element(qn("main", "sheetData")))
        self.data = data
        self.date1904 = date1904
        self.formula_removed = False
        self._rows: dict[int, etree._Element] | None = None
        self._last_row = 0

    def _index(self) -> dict[int, etree._Element]:
        if self._rows is None:
            self._rows, last = {}, 0
            for row in self.data.iterchildren(qn("main", "row")):
                r = int(row.get("r") or last + 1)
                row.set("r", str(r))
                self._rows[r] = row
                last_col = 0
                for c in row.iterchildren(qn("main", "c")):
                    if c.get("r") is None:  # implicit position: make it explicit (same meaning)
                        c.set("r", f"{col_letters(last_col + 1)}{r}")
                    last_col = split_ref(str(c.get("r")))[1]
                last = r
            self._last_row = max(self._rows, default=0)
        return self._rows

    def cell(self, ref: str, *, create: bool = True) -> etree._Element | None:
        """The ``c`` element at ``ref``; created (empty, in order) when missing and ``create``."""
        r, col = split_ref(ref)
        rows = self._index()
        row = rows.get(r)
        if row is None:
            if not create:
                return None
            row = etree.Element(qn("main", "row"), r=str(r))
            later = None if r > self._last_row else next((rows[k] for k in sorted(rows) if k > r), None)
            (later.addprevious(row) if later is not None else self.data.append(row))
            rows[r] = row
            self._last_row = max(self._last_row, r)
        for c in row.iterchildren(qn("main", "c")):
            ccol = split_ref(str(c.get("r")))[1]
            if ccol == col:
                return c
            if ccol > col:
                if not create:
                    return None
                new = etree.Element(qn("main", "c"), r=f"{col_letters(col)}{r}")
                c.addprevious(new)
                return self._created(row, new, col)
        if not create:
            return None
        new = etree.SubElement(row, qn("main", "c"), r=f"{col_letters(col)}{r}")
        return self._created(row, new, col)

    def _created(self, row: etree._Element, c: etree._Element, col: int) -> etree._Element:
        spans = row.get("spans")
        if spans and ":" in spans and " " not in spans:
            lo, hi = (int(x) for x in spans.split(":"))
            row.set("spans", f"{min(lo, col)}:{max(hi, col)}")
        elif spans:
            del row.attrib["spans"]  # optional hint (18.3.1.73); better absent than wrong
        # A missing cell shows its row's format, else its column's (18.3.1.73, 18.3.1.13): keep that look.
        if row.get("s") and row.get("customFormat") in ("1", "true"):
            c.set("s", str(row.get("s")))
        elif self._column_style(col):
            c.set("s", self._column_style(col))
        self._grow_dimension(c.get("r", "A1"))
        return c

    def column_width(self, col: int, default: float = 8.43) -> float:
        """Column ``col``'s width in characters (``cols``, else the sheet's default, else Excel's)."""
        for el in self.root.iterfind(f"{qn('main', 'cols')}/{qn('main', 'col')}"):
            if int(el.get("min", "0")) <= col <= int(el.get("max", "0")) and el.get("width"):
                return float(el.get("width", default))
        fmt = self.root.find(qn("main", "sheetFormatPr"))
        if fmt is not None and fmt.get("defaultColWidth"):
            return float(fmt.get("defaultColWidth", default))
        return default

    def fit_height(self, ref: str, text: str) -> None:
        """Make the row of ``ref`` tall enough for ``text`` wrapped in its column; never shrink it.

        Excel grows such rows when it draws them, but LibreOffice keeps the height a row was
        written with (or the default), so long wrapped text overlapped the next row or was cut
        off there (new-user trial; issue 17).
        """
        c = self.cell(ref, create=False)
        row = c.getparent() if c is not None else None
        if row is None:
            return
        chars = max(4, int(self.column_width(split_ref(ref)[1]) * 1.1) - 2)
        lines = sum(max(1, -(-len(part) // chars)) for part in text.splitlines() or [""])
        height = 15.0 * lines
        if lines > 1 and float(row.get("ht") or 0) < height:
            row.set("ht", f"{height:g}")
            row.set("customHeight", "1")

    def _column_style(self, col: int) -> str:
        for el in self.root.iterfind(f"{qn('main', 'cols')}/{qn('main', 'col')}"):
            if int(el.get("min", "0")) <= col <= int(el.get("max", "0")):
                return str(el.get("style") or "")
        return ""

    def drop_if_empty(self, ref: str) -> None:
        """Remove the cell at ``ref`` (and its row, if bare) when it holds nothing: as if never made."""
        c = self.cell(ref, create=False)
        if c is None or len(c) or c.get("t") not in (None, "n"):
            return
        row = c.getparent()
        r, col = split_ref(ref)
        if c.get("s", "") not in ("", "0", self._inherited(row, col)):
            return
        row.remove(c)
        if not len(row) and set(row.attrib) <= {"r", "spans"}:
            self.data.remove(row)
            self._index().pop(r, None)

    def _inherited(self, row: etree._Element, col: int) -> str:
        if row.get("s") and row.get("customFormat") in ("1", "true"):
            return str(row.get("s"))
        return self._column_style(col)

    def _grow_dimension(self, ref: str) -> None:
        dim = self.root.find(qn("main", "dimension"))
        if dim is None:
            return
        parts = str(dim.get("ref", "A1")).split(":")
        try:
            (r1, c1), (r2, c2) = split_ref(parts[0]), split_ref(parts[-1])
        except ValueError:
            return
        r, c = split_ref(ref)
        top, left, bottom, right = min(r1, r), min(c1, c), max(r2, r), max(c2, c)
        dim.set("ref", f"{col_letters(left)}{top}:{col_letters(right)}{bottom}")

    @staticmethod
    def style(c: etree._Element) -> int:
        return int(c.get("s") or 0)

    @staticmethod
    def set_style(c: etree._Element, s: int) -> None:
        if s:
            c.set("s", str(s))
        else:
            c.attrib.pop("s", None)

    def set_value(self, c: etree._Element, value: Any, styles: StyleBook) -> None:
        """Store ``value`` (str, number, bool, date, datetime, None) in the cell ``c``."""
        self._drop_content(c)
        if value is None:
            return
        if isinstance(value, bool):
            c.set("t", "b")
            etree.SubElement(c, qn("main", "v")).text = "1" if value else "0"
        elif isinstance(value, dt.date | dt.datetime):
            self._set_date(c, value, styles)
        elif isinstance(value, Real):
            number = float(value)
            if not math.isfinite(number):
                raise ValueError(f"{c.get('r')}: {value!r} is not a finite number")
            etree.SubElement(c, qn("main", "v")).text = (
                repr(value) if isinstance(value, int) else repr(number)
            )
        else:
            self._set_text(c, str(value))

    def _set_text(self, c: etree._Element, text: str) -> None:
        text = _ESCAPE.sub(r"_x005F_\1", xml_text(text))
        if len(text) > MAX_TEXT:
            raise ValueError(f"{c.get('r')}: text longer than Excel's {MAX_TEXT} characters")
        c.set("t", "inlineStr")
        t = etree.SubElement(etree.SubElement(c, qn("main", "is")), qn("main", "t"))
        t.text = text
        if text != text.strip() or "\n" in text:
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def _set_date(self, c: etree._Element, value: dt.date, styles: StyleBook) -> None:
        from openpyxl.styles.numbers import is_date_format
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, to_excel

        serial = to_excel(value, CALENDAR_MAC_1904 if self.date1904 else CALENDAR_WINDOWS_1900)
        etree.SubElement(c, qn("main", "v")).text = repr(serial)
        code = styles.numfmt_code(self.style(c))
        if not code or not is_date_format(code):
            fmt = 22 if isinstance(value, dt.datetime) else 14  # built-in m/d/yy h:mm and short date
            self.set_style(c, styles.derive(self.style(c), numfmt_id=fmt))

    def _drop_content(self, c: etree._Element) -> None:
        f = c.find(qn("main", "f"))
        if f is not None:
            if f.get("t") == "array" or f.get("t") == "dataTable":
                raise ValueError(f"{c.get('r')} is part of an array formula or data table; not changed")
            if f.get("t") == "shared" and f.get("ref"):
                self._pass_shared_master(c, f)
            self.formula_removed = True
        for child in list(c):
            c.remove(child)
        c.attrib.pop("t", None)
        c.attrib.pop("cm", None)
        c.attrib.pop("vm", None)

    def _pass_shared_master(self, c: etree._Element, f: etree._Element) -> None:
        """Hand a shared formula (18.3.1.40) to its next cell before its master cell is overwritten."""
        from openpyxl.formula.translate import Translator

        si = f.get("si")
        for row in self.data.iterchildren(qn("main", "row")):
            for other in row.iterchildren(qn("main", "c")):
                g = other.find(qn("main", "f"))
                if other is c or g is None or g.get("t") != "shared" or g.get("si") != si or g.get("ref"):
                    continue
                g.text = Translator("=" + (f.text or ""), origin=c.get("r")).translate_formula(
                    other.get("r")
                )[1:]
                g.set("ref", str(f.get("ref")))
                return

    @staticmethod
    def is_empty(c: etree._Element, shared: list[str]) -> bool:
        """Whether a cell holds nothing: no formula (whatever it shows, even "") and no value."""
        if c.find(qn("main", "f")) is not None:
            return False
        return not SheetEditor.text(c, shared)

    @staticmethod
    def text(c: etree._Element, shared: list[str]) -> str | None:
        """A cell's value as text (shared, inline or formula strings, numbers), for reading back."""
        t = c.get("t")
        if t == "inlineStr":
            return "".join(x.text or "" for x in c.iter(qn("main", "t")))
        v = c.find(qn("main", "v"))
        if v is None or v.text is None:
            return None
        if t == "s":
            i = int(v.text) if v.text.strip().isdigit() else -1
            return shared[i] if 0 <= i < len(shared) else None
        return v.text
