"""Cell styles in ``xl/styles.xml``: derive a new cell format from an existing one, append-only.

A cell's look is an index ``s`` into ``cellXfs`` (ECMA-376 Part 1, 18.8.10); each ``xf`` points at
a ``font`` (18.8.22), a ``fill`` (18.8.20) and a number format. To change one thing about a cell
we clone its ``xf`` with another fill or font and append it (or reuse an identical one already
there), so no existing index moves and every other cell keeps its look. Fills, fonts and formats
are compared by :func:`look_key` (names in Clark notation, so prefixes do not matter), which also
finds a run's record of an original fill (kept as XML text) again after Excel or LibreOffice
renumbered the styles.
"""

from __future__ import annotations

import copy

from lxml import etree

from edi_workbook.writeback.package import NS, Package, qn

__all__ = ["StyleBook", "canonical"]

_MINIMAL = (
    f'<styleSheet xmlns="{NS["main"]}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font>'
    '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
).encode()
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
# Child order of CT_Stylesheet (18.8.39); used to place a collection that is missing.
_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"]


def canonical(el: etree._Element) -> str:
    """An element as standalone XML text (exclusive C14N), to keep in the record."""
    return etree.tostring(el, method="c14n", exclusive=True).decode()


def look_key(el: etree._Element) -> tuple[object, ...]:
    """A key equal for equal fills, fonts or formats whatever the namespace prefixes and order."""
    children = tuple(sorted((look_key(c) for c in el if isinstance(c.tag, str)), key=repr))
    return (el.tag, tuple(sorted(el.attrib.items())), (el.text or "").strip(), children)


def solid_fill(rgb: str) -> etree._Element:
    """A solid pattern fill of ``rgb`` (``"FFC000"`` or ``"FFFFC000"``)."""
    fill = etree.Element(qn("main", "fill"))
    pattern = etree.SubElement(fill, qn("main", "patternFill"), patternType="solid")
    etree.SubElement(pattern, qn("main", "fgColor"), rgb=argb(rgb))
    etree.SubElement(pattern, qn("main", "bgColor"), indexed="64")
    return fill


def argb(rgb: str) -> str:
    """``"ffc000"`` -> ``"FFFFC000"`` (ST_UnsignedIntHex, opaque alpha)."""
    rgb = rgb.lstrip("#").upper()
    if len(rgb) not in (6, 8) or any(c not in "0123456789ABCDEF" for c in rgb):
        raise ValueError(f"not a hex RGB colour: {rgb!r}")
    return rgb if len(rgb) == 8 else "FF" + rgb


class StyleBook:
    """Append-only access to the workbook's cell formats."""

    def __init__(self, pkg: Package) -> None:
        part = pkg.related(
            pkg.workbook, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
        )
        if part is None or not pkg.has(part):
            part = "xl/styles.xml"
            pkg.put(part, _MINIMAL)
            pkg.add_override(part, CT_STYLES)
            pkg.add_rel(
                pkg.workbook,
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
                part,
            )
        self._pkg = pkg
        self._part = part
        self._root: etree._Element | None = None
        self._keys: dict[str, dict[tuple[object, ...], int]] = {}

    @property
    def root(self) -> etree._Element:
        if self._root is None:
            self._root = self._pkg.xml(self._part)
        return self._root

    def _collection(self, name: str, child: str) -> etree._Element:
        el = self.root.find(qn("main", name))
        if el is None:
            el = etree.Element(qn("main", name), count="0")
            later = [self.root.find(qn("main", n)) for n in _ORDER[_ORDER.index(name) + 1 :]]
            anchor = next((x for x in later if x is not None), None)
            if anchor is not None:
                anchor.addprevious(el)
            else:
                self.root.append(el)
            if name == "cellXfs":
                etree.SubElement(el, qn("main", "xf"), numFmtId="0", fontId="0", fillId="0", borderId="0")
        return el

    def _find_or_add(self, name: str, child: etree._Element) -> int:
        coll = self._collection(name, etree.QName(child).localname)
        tag = qn("main", etree.QName(child).localname)
        if name not in self._keys:
            keys: dict[tuple[object, ...], int] = {}
            for i, item in enumerate(coll.iterchildren(tag)):
                keys.setdefault(look_key(item), i)
            self._keys[name] = keys
        keys = self._keys[name]
        key = look_key(child)
        if key not in keys:
            keys[key] = sum(1 for _ in coll.iterchildren(tag))
            coll.append(child)
            coll.set("count", str(keys[key] + 1))
        return keys[key]

    def xf(self, s: int) -> etree._Element:
        xfs = list(self._collection("cellXfs", "xf").iterchildren(qn("main", "xf")))
        return xfs[s] if 0 <= s < len(xfs) else xfs[0]

    def fill_of(self, s: int) -> etree._Element:
        """A copy of the fill of cell format ``s``."""
        fills = list(self._collection("fills", "fill").iterchildren(qn("main", "fill")))
        i = int(self.xf(s).get("fillId", "0"))
        return copy.deepcopy(fills[i] if i < len(fills) else fills[0])

    def font_of(self, s: int) -> etree._Element:
        """A copy of the font of cell format ``s``."""
        fonts = list(self._collection("fonts", "font").iterchildren(qn("main", "font")))
        i = int(self.xf(s).get("fontId", "0"))
        return copy.deepcopy(fonts[i] if i < len(fonts) else fonts[0])

    def numfmt_code(self, s: int) -> str | None:
        """The format code of cell format ``s`` (built-in codes come from openpyxl's table)."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS

        fid = int(self.xf(s).get("numFmtId", "0"))
        for el in self.root.iter(qn("main", "numFmt")):
            if el.get("numFmtId") == str(fid):
                return el.get("formatCode")
        return BUILTIN_FORMATS.get(fid)

    def derive(
        self,
        s: int,
        *,
        fill: etree._Element | None = None,
        font: etree._Element | None = None,
        numfmt_id: int | None = None,
        bold: bool = False,
        wrap: bool = False,
        top: bool = False,
    ) -> int:
        """Index of a cell format like ``s`` but with another fill, font or number format.

        ``wrap`` wraps the text and aligns it to the top; ``top`` only aligns it to the top.
        """
        xf = copy.deepcopy(self.xf(s))
        if fill is not None:
            xf.set("fillId", str(self._find_or_add("fills", copy.deepcopy(fill))))
            xf.set("applyFill", "1")
        if font is not None or bold:
            f = copy.deepcopy(font) if font is not None else self.font_of(s)
            if bold and f.find(qn("main", "b")) is None:
                f.insert(0, etree.Element(qn("main", "b")))
            xf.set("fontId", str(self._find_or_add("fonts", f)))
            xf.set("applyFont", "1")
        if numfmt_id is not None:
            xf.set("numFmtId", str(numfmt_id))
            xf.set("applyNumberFormat", "1")
        if wrap or top:
            align = _alignment(xf)
            if wrap:
                align.set("wrapText", "1")
            align.set("vertical", "top")
            xf.set("applyAlignment", "1")
        return self._find_or_add("cellXfs", xf)

    def wrapped_top(self, s: int) -> int:
        """Format ``s`` with its text wrapped and at the top, where ``s`` says nothing of its own.

        A cell's own choice (centred vertically, not wrapped on purpose) is kept; a cell with no
        alignment gets the template's (top, wrapped), so a value written into a tall row reads as
        belonging to that row and long text is not cut off.
        """
        xf = copy.deepcopy(self.xf(s))
        align = _alignment(xf)
        if align.get("wrapText") is not None and align.get("vertical") is not None:
            return s
        align.set("wrapText", align.get("wrapText", "1"))
        align.set("vertical", align.get("vertical", "top"))
        xf.set("applyAlignment", "1")
        return self._find_or_add("cellXfs", xf)

    def colored_font(self, s: int, rgb: str, *, underline: bool = False) -> etree._Element:
        """The font of ``s`` in colour ``rgb`` (optionally underlined, as for a hyperlink)."""
        font = self.font_of(s)
        for old in font.findall(qn("main", "color")):
            font.remove(old)
        color = etree.Element(qn("main", "color"), rgb=argb(rgb))
        # Excel writes sz, color, name, family, scheme in that order; keep to it.
        names = ("name", "family", "charset", "scheme")
        anchor = next((c for c in font if etree.QName(c).localname in names), None)
        if anchor is not None:
            anchor.addprevious(color)
        else:
            font.append(color)
        if underline and font.find(qn("main", "u")) is None:
            u = etree.Element(qn("main", "u"))
            sz = font.find(qn("main", "sz"))
            (sz.addprevious(u) if sz is not None else font.insert(0, u))
        return font


def _alignment(xf: etree._Element) -> etree._Element:
    """The ``alignment`` child of a cell format, added (in schema order) when missing."""
    align = xf.find(qn("main", "alignment"))
    if align is None:
        align = etree.Element(qn("main", "alignment"))
        xf.insert(0, align)  # CT_Xf: alignment comes before protection and extLst
    return align
