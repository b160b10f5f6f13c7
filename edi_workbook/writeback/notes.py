"""Cell notes ("comments", ECMA-376 Part 1, 18.7) of one worksheet, with their legacy VML shapes.

A note lives in two parts: ``xl/commentsN.xml`` holds its text and author; a VML drawing (Part 4,
the legacy ``vmlDrawing`` related from the sheet through ``legacyDrawing``) holds the box Excel
shows, tied to the cell by ``x:Row``/``x:Column`` (0-based). Existing notes and shapes (including
form controls, which also live in the VML) are kept. The VML is edited as text, not parsed: files
written by Excel are not always well-formed XML, and text edits keep every byte we do not touch.
Cells that hold a threaded comment (Excel 365) are left alone.
"""

from __future__ import annotations

import re

from lxml import etree

from edi_workbook.writeback.cells import insert_in_order, split_ref
from edi_workbook.writeback.package import NS, REL, Package, qn

__all__ = ["AUTHOR", "Notes"]

AUTHOR = "edi-workbook"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
REL_THREADED = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SHAPE_START = re.compile(r"<(\w+:)?shape\b")  # any prefix: openpyxl writes ns0:
_SHAPE_ID = re.compile(r"_x0000_s(\d+)")
_IDMAP = re.compile(r"<(?:\w+:)?idmap\b[^>]*\bdata=\"([\d,\s]+)\"")
_VML_NS = (
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:x="urn:schemas-microsoft-com:office:excel"'
)
_SHAPETYPE = (  # declares its namespaces: some writers (openpyxl) do not declare v/o/x on the root
    "<v:shapetype "
    + _VML_NS
    + ' id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
    '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)
_NEW_VML = (
    "<xml " + _VML_NS + '><o:shapelayout v:ext="edit">'
    '<o:idmap v:ext="edit" data="{idmap}"/></o:shapelayout>' + _SHAPETYPE + "</xml>"
)
_NOTE_SHAPE = (
    "<v:shape "
    + _VML_NS
    + ' id="_x0000_s{sid}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;'
    'margin-top:1.5pt;width:240pt;height:80pt;z-index:{z};visibility:hidden" fillcolor="#ffffe1" '
    'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
    '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
    '<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/>'
    "<x:SizeWithCells/><x:Anchor>{c1}, 15, {r1}, 2, {c2}, 15, {r2}, 16</x:Anchor><x:AutoFill>False"
    "</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>"
)


def _shape_spans(vml: str) -> list[tuple[int, int]]:
    """(start, end) of each whole ``shape`` element (and the blanks after it), in one forward pass.

    Each shape ends at the first closing tag of its own prefix; a shape that is never closed ends
    the search (nothing after it is a whole shape), so a damaged drawing costs one pass, not one
    pass per shape.
    """
    spans = []
    pos = 0
    while (m := _SHAPE_START.search(vml, pos)) is not None:
        close = f"</{m[1] or ''}shape>"
        end = vml.find(close, m.end())
        if end < 0:
            break
        end += len(close)
        while end < len(vml) and vml[end] in " \t\r\n":
            end += 1
        spans.append((m.start(), end))
        pos = end
    return spans


def _shape_cell(shape: str) -> tuple[int, int] | None:
    if 'ObjectType="Note"' not in shape:
        return None
    r = re.search(r"<(?:\w+:)?Row>\s*(\d+)\s*</(?:\w+:)?Row>", shape)
    c = re.search(r"<(?:\w+:)?Column>\s*(\d+)\s*</(?:\w+:)?Column>", shape)
    return (int(r.group(1)), int(c.group(1))) if r and c else None


class Notes:
    """Read, add, restore and remove the notes of one worksheet part.

    Comments are indexed by cell once; VML edits are collected and applied in one pass by
    :meth:`finish`, so thousands of notes cost one scan of the drawing, not one each.
    """

    def __init__(self, pkg: Package, sheet_part: str) -> None:
        self._pkg = pkg
        self._sheet = sheet_part
        self._comments_part = pkg.related(sheet_part, REL["comments"])
        self._vml_part = pkg.related(sheet_part, REL["vmlDrawing"])
        self._threaded = self._threaded_refs()
        self._by_ref: dict[str, etree._Element] | None = None
        self._authors: list[str | None] | None = None
        self._drop_shapes: set[tuple[int, int]] = set()
        self._new_shapes: dict[tuple[int, int], None] = {}  # an ordered set
        self.changed = False

    def _threaded_refs(self) -> set[str]:
        part = self._pkg.related(self._sheet, REL_THREADED)
        if part is None or not self._pkg.has(part):
            return set()
        return {str(el.get("ref")) for el in self._pkg.peek(part).iter() if el.get("ref")}

    # -- comments part -------------------------------------------------------------------------
    def _comments(self, create: bool) -> etree._Element | None:
        if self._comments_part is None:
            if not create:
                return None
            part = self._pkg.unused_name("xl/comments{}.xml")
            root = etree.Element(qn("main", "comments"), nsmap={None: NS["main"]})
            etree.SubElement(root, qn("main", "authors"))
            etree.SubElement(root, qn("main", "commentList"))
            self._pkg.put(part, root)
            self._pkg.add_override(part, CT_COMMENTS)
            self._pkg.add_rel(self._sheet, REL["comments"], part)
            self._comments_part = part
        return self._pkg.xml(self._comments_part)

    def _index(self) -> dict[str, etree._Element]:
        if self._by_ref is None:
            root = self._comments(create=False)
            found = root.iter(qn("main", "comment")) if root is not None else ()
            self._by_ref = {str(el.get("ref")): el for el in found}
        return self._by_ref

    def get(self, ref: str) -> etree._Element | None:
        """The ``comment`` element on cell ``ref``, if any."""
        return self._index().get(ref)

    def author(self, comment: etree._Element) -> str | None:
        """The author of a comment of this sheet (the authors list is read once, not per comment)."""
        if self._authors is None:
            found = comment.getroottree().getroot().find(qn("main", "authors"))
            self._authors = [a.text for a in found] if found is not None else []
        try:
            i = int(comment.get("authorId", "0"))
        except ValueError:
            return None
        return self._authors[i] if 0 <= i < len(self._authors) else None

    def add(self, ref: str, text: str) -> tuple[str, str]:
        """Put ``text`` in a note on ``ref``; returns (mode, original comment XML or "").

        Mode ``new``: the note is ours. Mode ``merged``: the cell had someone's note; ours is added
        below it and the original is returned so it can be restored. Mode ``skipped``: the cell
        holds a threaded comment, which is not touched.
        """
        if ref in self._threaded:
            return "skipped", ""
        existing = self.get(ref)
        self.changed = True
        if existing is not None:
            original = etree.tostring(existing, encoding="unicode")
            _append_run(existing, "\n\n" + text)
            return "merged", original
        root = self._comments(create=True)
        assert root is not None
        comment = etree.Element(qn("main", "comment"), ref=ref, authorId=str(self._author_id(root)))
        t = etree.SubElement(etree.SubElement(comment, qn("main", "text")), qn("main", "t"))
        t.text = text
        t.set(_XML_SPACE, "preserve")
        clist = root.find(qn("main", "commentList"))
        if clist is None:
            clist = etree.SubElement(root, qn("main", "commentList"))
        clist.append(comment)  # sorted by finish()
        self._index()[ref] = comment
        row, col = split_ref(ref)
        self._new_shapes[(row - 1, col - 1)] = None
        return "new", ""

    def restore(self, ref: str, original: str, text: str) -> None:
        """Put back the note that :meth:`add` merged ``text`` into (its XML as returned then).

        Only while the note still holds ``text``: a note the user rewrote since is left as it is.
        """
        current = self.get(ref)
        if current is None or _plain(text) not in _plain(_text_of(current)):
            return
        el = etree.fromstring(original)
        current.getparent().replace(current, el)
        self._index()[ref] = el
        self.changed = True

    def remove(self, ref: str, text: str) -> None:
        """Remove our note (``text``) from ``ref``, and its VML shape.

        A note is ours if :data:`AUTHOR` wrote it or it still says exactly ``text`` (LibreOffice
        drops authors when it saves).
        """
        current = self.get(ref)
        if current is None:
            return
        if self.author(current) != AUTHOR and _plain(_text_of(current)) != _plain(text):
            return
        current.getparent().remove(current)
        del self._index()[ref]
        row, col = split_ref(ref)
        if (row - 1, col - 1) in self._new_shapes:
            del self._new_shapes[(row - 1, col - 1)]
        else:
            self._drop_shapes.add((row - 1, col - 1))
        self.changed = True

    def _author_id(self, root: etree._Element) -> int:
        authors = root.find(qn("main", "authors"))
        if authors is None:
            authors = etree.Element(qn("main", "authors"))
            root.insert(0, authors)
        names = [a.text for a in authors]
        if AUTHOR in names:
            return names.index(AUTHOR)
        etree.SubElement(authors, qn("main", "author")).text = AUTHOR
        self._authors = None  # read again on next use
        return len(names)

    # -- finishing: comments sorted, VML rewritten once ----------------------------------------
    def finish(self) -> None:
        """Sort the notes, write the VML once; drop the parts when nothing is left in them."""
        if not self.changed:
            return
        root = self._comments(create=False)
        if root is not None:
            clist = root.find(qn("main", "commentList"))
            if clist is not None:
                clist[:] = sorted(clist, key=lambda el: _sort_key(str(el.get("ref"))))
            if not self._index() and self._comments_part:
                self._pkg.remove(self._comments_part)
                self._pkg.drop_rels(self._sheet, REL["comments"])
                self._comments_part = None
        vml = self._edited_vml()
        if vml is None or self._vml_part is None:
            return
        if self._comments_part is None and not _shape_spans(vml):
            self._pkg.remove(self._vml_part)
            self._pkg.drop_rels(self._sheet, REL["vmlDrawing"])
            sheet = self._pkg.xml(self._sheet)
            for old in sheet.findall(qn("main", "legacyDrawing")):
                sheet.remove(old)
            return
        self._pkg.put(self._vml_part, vml.encode("latin-1"))

    def _edited_vml(self) -> str | None:
        """The VML text with dropped shapes taken out and new ones added (None: no VML at all)."""
        vml = None
        if self._vml_part is not None and self._pkg.has(self._vml_part):
            vml = self._pkg.raw(self._vml_part).decode("latin-1")  # byte-transparent
        if vml is not None and self._drop_shapes:
            drop, kept, last = self._drop_shapes, [], 0
            for start, end in _shape_spans(vml):
                if _shape_cell(vml[start:end]) in drop:
                    kept.append(vml[last:start])
                    last = end
            vml = "".join(kept) + vml[last:]
            if "#_x0000_t202" not in vml:  # the shape type we added for notes, if no note uses it now
                vml = vml.replace(_SHAPETYPE, "")
        if not self._new_shapes:
            return vml
        if vml is None:
            vml = self._new_vml()
        elif "_x0000_t202" not in vml:
            vml = _before_end(vml, _SHAPETYPE)
        sid = max([1024 * (_first_idmap(vml) or 1), *(int(x) for x in _SHAPE_ID.findall(vml))])
        z = len(_shape_spans(vml))
        shapes = [
            _NOTE_SHAPE.format(sid=sid + n, z=z + n, row=row, col=col,
                               c1=col + 1, r1=max(row - 1, 0), c2=col + 4, r2=row + 4)
            for n, (row, col) in enumerate(self._new_shapes, start=1)
        ]  # fmt: skip
        return _before_end(vml, "".join(shapes))

    def _new_vml(self) -> str:
        """Create the sheet's VML drawing part and its ``legacyDrawing`` link; returns its text."""
        others = [
            r["part"] for s in self._pkg.sheets().values() for r in self._pkg.rels(s)
            if r["Type"] == REL["vmlDrawing"] and "part" in r and self._pkg.has(r["part"])
        ]  # fmt: skip
        idmap = 1 + max((_idmaps(self._pkg.raw(p).decode("latin-1")) for p in others), default=0)
        self._vml_part = self._pkg.unused_name("xl/drawings/vmlDrawing{}.vml")
        self._pkg.put(self._vml_part, b"")
        self._pkg.add_default("vml", CT_VML)
        rid = self._pkg.add_rel(self._sheet, REL["vmlDrawing"], self._vml_part)
        sheet = self._pkg.xml(self._sheet)
        for old in sheet.findall(qn("main", "legacyDrawing")):
            sheet.remove(old)
        insert_in_order(sheet, etree.Element(qn("main", "legacyDrawing"), {qn("r", "id"): rid}))
        return _NEW_VML.format(idmap=idmap)


def _before_end(vml: str, text: str) -> str:
    """Insert ``text`` before the closing ``</xml>`` of a VML drawing."""
    end = vml.rfind("</xml>")
    return vml[:end] + text + vml[end:] if end >= 0 else vml + text


def _sort_key(ref: str) -> tuple[int, int]:
    try:
        return split_ref(ref)
    except ValueError:
        return (0, 0)


def _text_of(comment: etree._Element) -> str:
    return "".join(t.text or "" for t in comment.iter(qn("main", "t")))


def _plain(text: str) -> str:
    return " ".join(text.replace("\r\n", "\n").split())


def _idmaps(vml: str) -> int:
    return max((int(x) for m in _IDMAP.findall(vml) for x in re.split(r"[,\s]+", m) if x), default=0)


def _first_idmap(vml: str) -> int | None:
    m = _IDMAP.search(vml)
    return int(re.split(r"[,\s]+", m.group(1).strip())[0]) if m else None


def _append_run(comment: etree._Element, text: str) -> None:
    """Append ``text`` as a new run to a comment's rich text (18.4.4 ``r``)."""
    body = comment.find(qn("main", "text"))
    if body is None:
        body = etree.SubElement(comment, qn("main", "text"))
    bare = body.find(qn("main", "t"))
    if bare is not None:  # plain text: turn it into a run so runs can follow
        run = etree.Element(qn("main", "r"))
        bare.addprevious(run)
        run.append(bare)
    run = etree.Element(qn("main", "r"))
    t = etree.SubElement(run, qn("main", "t"))
    t.text = text
    t.set(_XML_SPACE, "preserve")
    later = [el for el in body if etree.QName(el).localname in ("rPh", "phoneticPr")]
    (later[0].addprevious(run) if later else body.append(run))
