"""The two sheets write-back owns: ``Validation`` (the findings) and the hidden record of marks.

``Validation`` lists findings with columns Severity, Code, Message, Sheet, Cell, Row, Column,
Action ID; each Cell is an internal hyperlink (18.3.1.47, ``location=`` needs no relationship) to
the offending cell. Its previous content is replaced; a table that starts at A1 on it is kept and
resized to the new rows, anything else drawn on it is dropped.

``_edi_writeback`` (``state="veryHidden"``) records what each run did to a cell: the original fill
and font as XML, the colours applied, and how the note was made, so the next run can restore the
original look even after Excel or LibreOffice renumbered the styles.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from typing import Any

from lxml import etree

from edi_workbook.findings import FINDING_HEADERS, Finding, Severity
from edi_workbook.writeback.cells import SheetEditor, col_letters, insert_in_order
from edi_workbook.writeback.package import NS, REL, Package, qn
from edi_workbook.writeback.styles import StyleBook, solid_fill

__all__ = [
    "FINDING_COLUMNS",
    "RECORD_SHEET",
    "SEVERITY_FILL",
    "VALIDATION_SHEET",
    "Applied",
    "sheet_name_for",
    "write_listing",
]

VALIDATION_SHEET = "Validation"
OWN_VALIDATION_SHEET = "Validation (edi-workbook)"  # when the user's own "Validation" sheet is not ours
RECORD_SHEET = "_edi_writeback"
FINDING_COLUMNS = FINDING_HEADERS
_WIDTHS = (10, 26, 90, 18, 8, 7, 18, 12)
SEVERITY_FILL = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C", Severity.INFO: "DDEBF7"}
HEADER_FILL = "D9E1F2"
LINK_COLOR = "0563C1"
_KEPT_LAYOUT = ("sheetPr", "sheetViews", "sheetFormatPr", "cols", "pageMargins", "pageSetup", "headerFooter")
REL_TABLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"


@dataclass(frozen=True)
class Applied:
    """What one run did to one cell (a row of the record sheet)."""

    scope: str
    sheet: str
    cell: str
    orig_s: str = ""  # the cell's format index before
    s: str = ""  # the format index applied ("" = look not changed)
    orig_fill: str = ""  # the cell's fill before, as XML ("" = fill not changed)
    fill: str = ""  # ARGB applied
    orig_font: str = ""
    font: str = ""
    note: str = ""  # "", "new", "merged" or "skipped"
    orig_note: str = ""  # for "merged": the note before, as XML
    text: str = ""  # the note text this mark added
    created: str = ""  # "1" when the cell did not exist before the mark


def _new_sheet(widths: Sequence[int] = (), *, frozen: bool = False) -> etree._Element:
    root = etree.Element(qn("main", "worksheet"), nsmap={None: NS["main"], "r": NS["r"]})
    view = etree.SubElement(etree.SubElement(root, qn("main", "sheetViews")), qn("main", "sheetView"))
    view.set("workbookViewId", "0")
    if frozen:
        pane = etree.SubElement(
            view, qn("main", "pane"), ySplit="1", topLeftCell="A2", activePane="bottomLeft"
        )
        pane.set("state", "frozen")
    etree.SubElement(root, qn("main", "sheetFormatPr"), defaultRowHeight="15")
    if widths:
        cols = etree.SubElement(root, qn("main", "cols"))
        for i, w in enumerate(widths, start=1):
            etree.SubElement(cols, qn("main", "col"), min=str(i), max=str(i), width=str(w), customWidth="1")
    etree.SubElement(root, qn("main", "sheetData"))
    etree.SubElement(root, qn("main", "pageMargins"), left="0.7", right="0.7", top="0.75", bottom="0.75",
                     header="0.3", footer="0.3")  # fmt: skip
    return root


def _fill_rows(ed: SheetEditor, styles: StyleBook, rows: Sequence[Sequence[Any]]) -> None:
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None and value != "":
                ed.set_value(_cell(ed, f"{col_letters(c)}{r}"), value, styles)


def write_validation(pkg: Package, styles: StyleBook, findings: Sequence[Finding]) -> str:
    """Replace (or create) the Validation sheet with ``findings``; returns its part name."""
    rows: list[list[Any]] = [list(FINDING_COLUMNS)]
    for f in findings:
        cell = f.cell if f.sheet and f.cell else None
        rows.append(
            [f.severity.value.capitalize(), f.code, f.message, f.sheet, cell, f.row, f.column, f.action_id]
        )
    if not findings:
        rows.append([None, None, "No findings: the plan passed every check."])
    root = _new_sheet(_WIDTHS, frozen=True)
    name = validation_sheet_name(pkg)
    found = pkg.sheet_named(name)
    part = found[1] if found else None
    header: dict[str, int] = {}
    if part is None:
        part = pkg.add_sheet(name, root)
    else:
        header = _adopt_layout(pkg.peek(part), root)
        pkg.put(part, root)
    ed = SheetEditor(pkg, part)
    _fill_rows(ed, styles, rows)
    _style(ed, styles, findings, header)
    last = f"{col_letters(len(FINDING_COLUMNS))}{len(rows)}"
    dim = root.find(qn("main", "dimension"))
    if dim is None:
        dim = insert_in_order(root, etree.Element(qn("main", "dimension")))
    dim.set("ref", f"A1:{last}")
    if not _keep_table(pkg, part, f"A1:{last}"):
        insert_in_order(root, etree.Element(qn("main", "autoFilter"), ref=f"A1:{last}"))
    links = etree.Element(qn("main", "hyperlinks"))
    for r, f in enumerate(findings, start=2):
        if f.sheet and f.cell:
            quoted = "'" + f.sheet.replace("'", "''") + "'"
            etree.SubElement(links, qn("main", "hyperlink"), ref=f"E{r}", location=f"{quoted}!{f.cell}",
                             display=f.cell)  # fmt: skip
    if len(links):
        insert_in_order(root, links)
    return part


def validation_sheet_name(pkg: Package) -> str:
    """``Validation``, unless the workbook has a sheet of that name that is not a findings list.

    A sheet is ours to replace when it is blank or its first row is exactly the findings header
    (the template's Validation sheet, or an earlier run's); someone's own "Validation" sheet (dropdown lists,
    say) is never overwritten: the findings go to ``Validation (edi-workbook)`` instead. Names are
    compared as Excel compares them, ignoring case: a sheet ``VALIDATION`` is reused (under its own
    spelling) or avoided, never joined by a second sheet Excel would take for the same one.
    """
    return sheet_name_for(pkg, VALIDATION_SHEET, FINDING_COLUMNS)


def sheet_name_for(pkg: Package, name: str, headers: Sequence[str]) -> str:
    """``name`` (as the workbook spells it, case ignored), unless the workbook's sheet of that
    name is someone else's.

    A sheet is ours to replace when it is blank or its first row is exactly ``headers``; otherwise
    the list goes to ``NAME (edi-workbook)``.
    """
    found = pkg.sheet_named(name)
    if found is None:
        return name
    spelt, part = found
    shared = shared_strings(pkg)
    first = next(pkg.peek(part).iter(qn("main", "row")), None)
    texts = [SheetEditor.text(c, shared) for c in first.iter(qn("main", "c"))] if first is not None else []
    blank = first is None and not pkg.rels(part)  # an empty sheet waiting for its list
    is_ours = blank or (first is not None and first.get("r", "1") == "1" and tuple(texts) == tuple(headers))
    if is_ours:
        return spelt
    own = pkg.sheet_named(f"{name} (edi-workbook)")
    return own[0] if own else f"{name} (edi-workbook)"


def write_listing(
    pkg: Package, styles: StyleBook, name: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
    widths: Sequence[int] = (),
) -> str:  # fmt: skip
    """Replace (or add, last) the sheet ``name`` with a header row and ``rows``; returns its name.

    The header is bold on a blue-grey fill, frozen and filtered; text is written as text (never a
    formula), dates as dates. A sheet of that name that is not such a list is left alone and the
    list goes to ``NAME (edi-workbook)`` (:func:`sheet_name_for`).
    """
    name = sheet_name_for(pkg, name, headers)
    root = _new_sheet(widths or [max(10, len(h) + 4) for h in headers], frozen=True)
    part = pkg.sheets().get(name)
    if part is None:
        part = pkg.add_sheet(name, root)
    else:
        _adopt_layout(pkg.peek(part), root)
        pkg.put(part, root)
        for rel in pkg.rels(part):  # what an older version of the sheet had on it (notes, a table)
            if rel.get("part"):
                pkg.remove(rel["part"])
            pkg.drop_rels(part, rid=rel["Id"])
    ed = SheetEditor(pkg, part)
    _fill_rows(ed, styles, [list(headers), *(list(r) for r in rows)])
    header = styles.derive(0, fill=solid_fill(HEADER_FILL), bold=True)
    for c in range(1, len(headers) + 1):
        ed.set_style(_cell(ed, f"{col_letters(c)}1"), header)
    last = f"{col_letters(len(headers))}{len(rows) + 1}"
    dim = root.find(qn("main", "dimension"))
    if dim is None:
        dim = insert_in_order(root, etree.Element(qn("main", "dimension")))
    dim.set("ref", f"A1:{last}")
    insert_in_order(root, etree.Element(qn("main", "autoFilter"), ref=f"A1:{last}"))
    return name


def _adopt_layout(old: etree._Element, new: etree._Element) -> dict[str, int]:
    """Keep the old sheet's look (views, widths, page setup); returns its header cells' formats."""
    for name in _KEPT_LAYOUT:
        el = old.find(qn("main", name))
        if el is None:
            continue
        mine = new.find(qn("main", name))
        if mine is not None:
            new.replace(mine, copy.deepcopy(el))
        else:
            insert_in_order(new, copy.deepcopy(el))
    first = next(old.iter(qn("main", "row")), None)
    if first is None or first.get("r", "1") != "1":
        return {}
    return {str(c.get("r"))[:-1]: int(c.get("s") or 0) for c in first.iter(qn("main", "c")) if c.get("r")}


def _style(ed: SheetEditor, styles: StyleBook, findings: Sequence[Finding], header: dict[str, int]) -> None:
    """Header row; below it every cell at the top (issue 17: messages were top-aligned, their labels
    bottom-aligned), the severity column's fill, messages wrapped, the Cell column's link look."""
    default_header = styles.derive(0, fill=solid_fill(HEADER_FILL), bold=True)
    link = styles.derive(0, font=styles.colored_font(0, LINK_COLOR, underline=True), top=True)
    sev_style = {sev: styles.derive(0, fill=solid_fill(rgb), top=True) for sev, rgb in SEVERITY_FILL.items()}
    for c in range(1, len(FINDING_COLUMNS) + 1):
        letter = col_letters(c)
        ed.set_style(_cell(ed, f"{letter}1"), header.get(letter) or default_header)
    wrap = styles.derive(0, wrap=True)
    top = styles.derive(0, top=True)
    for r, f in enumerate(findings, start=2):
        for letter in "BDFGH":
            ed.set_style(_cell(ed, f"{letter}{r}"), top)
        ed.set_style(_cell(ed, f"A{r}"), sev_style[f.severity])
        ed.set_style(_cell(ed, f"C{r}"), wrap)
        ed.fit_height(f"C{r}", f.message)
        ed.set_style(_cell(ed, f"E{r}"), link if f.sheet and f.cell else top)


def _cell(ed: SheetEditor, ref: str) -> etree._Element:
    c = ed.cell(ref)
    assert c is not None
    return c


def _keep_table(pkg: Package, part: str, ref: str) -> bool:
    """Keep a table at A1 of the old sheet, resized to ``ref``; drop the sheet's other related parts."""
    kept = False
    for rel in pkg.rels(part):
        target = rel.get("part")
        if target and rel["Type"] == REL_TABLE and not kept and pkg.has(target):
            table = pkg.peek(target)
            if str(table.get("ref", "")).startswith("A1:"):
                _resize_table(pkg.xml(target), ref)
                parts = etree.SubElement(pkg.xml(part), qn("main", "tableParts"), count="1")
                etree.SubElement(parts, qn("main", "tablePart"), {qn("r", "id"): rel["Id"]})
                kept = True
                continue
        if target:
            pkg.remove(target)
        pkg.drop_rels(part, rid=rel["Id"])
    return kept


def _resize_table(table: etree._Element, ref: str) -> None:
    table.set("ref", ref)
    for af in table.findall(qn("main", "autoFilter")):
        af.set("ref", ref)
        for child in list(af):
            af.remove(child)
    cols = table.find(qn("main", "tableColumns"))
    if cols is not None:
        for child in list(cols):
            cols.remove(child)
        cols.set("count", str(len(FINDING_COLUMNS)))
        for i, name in enumerate(FINDING_COLUMNS, start=1):
            etree.SubElement(cols, qn("main", "tableColumn"), id=str(i), name=name)


_RECORD_COLUMNS = tuple(f.name for f in fields(Applied))


def read_record(pkg: Package) -> list[Applied]:
    """The marks recorded by earlier runs (empty when there is no record sheet)."""
    found = pkg.sheet_named(RECORD_SHEET)
    part = found[1] if found else None
    if part is None or not pkg.has(part):
        return []
    shared = shared_strings(pkg)
    out = []
    for row in pkg.peek(part).iter(qn("main", "row")):
        if row.get("r") == "1":
            continue
        values = {c.get("r", "")[:1]: SheetEditor.text(c, shared) or "" for c in row.iter(qn("main", "c"))}
        cells = [values.get(col_letters(i), "") for i in range(1, len(_RECORD_COLUMNS) + 1)]
        if cells[0] and cells[1] and cells[2]:
            out.append(Applied(*cells))
    return out


def write_record(pkg: Package, styles: StyleBook, applied: Sequence[Applied]) -> None:
    """Replace the record sheet's rows with ``applied`` (created, very hidden, only when needed)."""
    found = pkg.sheet_named(RECORD_SHEET)
    part = found[1] if found else None
    if part is None and not applied:
        return
    root = _new_sheet()
    if found is None:
        part = pkg.add_sheet(RECORD_SHEET, root, state="veryHidden")
    else:
        pkg.put(found[1], root)
        part = found[1]
        for el in pkg.xml(pkg.workbook).iter(qn("main", "sheet")):
            if el.get("name") == found[0]:
                el.set("state", "veryHidden")  # LibreOffice saves it as only "hidden"
    _fill_rows(SheetEditor(pkg, part), styles, [list(_RECORD_COLUMNS), *(list(astuple(a)) for a in applied)])


def shared_strings(pkg: Package) -> list[str]:
    part = pkg.related(pkg.workbook, REL["sharedStrings"])
    if part is None or not pkg.has(part):
        return []
    return [
        "".join(t.text or "" for t in si.iter(qn("main", "t")))
        for si in pkg.peek(part).iter(qn("main", "si"))
    ]
