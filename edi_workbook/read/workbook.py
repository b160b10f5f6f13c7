"""Reading workbooks: python-calamine for values, the package XML for the rest.

``.xlsx`` / ``.xlsm`` are read in full. ``.xls``, ``.xlsb`` and ``.ods`` are read through
python-calamine for their values and merged cells only (no formulas, formats or defined names);
such a plan is validated as usual, and write-back asks for an ``.xlsx`` copy.

- Values come from python-calamine (fast; dates come back as dates). It gives formula cells their
  cached value, but gives error cells (``#REF!``) as empty, so those are restored from the sheet XML.
- The plan is the Excel table ``ActionPlan`` (its part read by :mod:`edi_workbook.read.parts`:
  calamine's own table reader loads every cell of the sheet a second time), else the best header
  row of each sheet (:func:`edi_workbook.read.headers.best_header_row`): every sheet whose header
  is about as strong as the best one is read, and the plan is all of their actions.
- Defined names (settings and plan details) come from the workbook part, also through
  :mod:`edi_workbook.read.parts` (openpyxl is not imported to read a plan).
- Which cells hold formulas, and which hold error values, is found by one regular-expression pass
  over the plan sheet's XML: ten times faster than openpyxl on a 10,000-row sheet (see
  docs/validation.md), and it only looks at the ``<c>``, ``<f>`` and ``<v>`` elements of
  ECMA-376 Part 1, 18.3.1.4 (c), 18.3.1.40 (f) and 18.3.1.96 (v). Every search moves forward
  only, so the time is linear in the sheet's size whatever its shape.
- Before python-calamine loads a sheet, the sheet's extent is read from its XML
  (:func:`edi_workbook.limits.sheet_extent`): calamine lays a sheet out from A1 to its last cell,
  so one value at ``XFD1048576`` would make it ask for 512 GiB and abort the process.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from edi_workbook import limits
from edi_workbook.errors import PlanReadError
from edi_workbook.plan import Plan, PlanDetails, column_letter
from edi_workbook.read.details import (
    as_of_from_title,
    details_from_labels,
    details_from_names,
    setting_cells,
    settings_from_names,
)
from edi_workbook.read.grid import MAX_ROWS, GridPlan, Merged, build_plan, too_many_rows
from edi_workbook.read.headers import (
    SCAN_ROWS,
    HeaderMatch,
    best_header_row,
    fallback_header_row,
    headerless,
    match_row,
)
from edi_workbook.read.parts import LastBefore, NextFrom, cell_bounds, find_table, workbook_facts
from edi_workbook.read.styles import number_rows, percent_cells, percent_styles, show_percentages

__all__ = ["OUR_SHEETS", "VALUES_ONLY", "read_xlsx"]

TABLE_NAME = "ActionPlan"
VALUES_ONLY = (".xls", ".xlsb", ".ods")
"""Formats read for their values only (python-calamine): no formulas, formats or defined names."""
OUR_SHEETS = frozenset({"validation", "lists", "changes", "start here", "plan details", "dashboard",
                        "national deadlines", "completed last year", "eds 2022", "trend"})  # fmt: skip
"""Sheets this tool writes (findings, lists, summaries): never read as a plan sheet."""
_OOXML = (".xlsx", ".xlsm", ".xltx", ".xltm")
SIMILAR = 0.6
"""A further sheet is read as part of the plan when its header is at least this strong (share of the best)."""
MAX_CELLS = limits.MAX_CELLS
"""Largest sheet area (columns x rows, from A1 to the last used cell) that is read."""

_F_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
_REF_RE = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_FIRST_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')  # _REF_RE's first match when the tag starts so
_ROOT_RE = re.compile(rb"<(\w+:)?worksheet\b")

_VALUE_RE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")


class PlanBuildError(RuntimeError):
    """A bug in building a plan from a sheet that was read: an internal error (exit 3), reported as
    such rather than as a damaged file (the reader's callers turn their file errors into that)."""


@functools.cache
def _tags(prefix: bytes) -> tuple[re.Pattern[bytes], bytes]:
    """The ``<f>`` pattern and the ``<c`` start of a sheet whose elements carry ``prefix`` (often none).

    Searching for the literal tag is several times faster than a pattern allowing any prefix.
    """
    return re.compile(b"<" + re.escape(prefix) + rb"f[\s>/]"), b"<" + prefix + b"c"


@functools.lru_cache(maxsize=1024)
def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def scan_sheet_xml(xml: bytes) -> tuple[set[tuple[int, int]], dict[tuple[int, int], str]]:
    """Cells holding formulas, and cells holding error values (with the error), in one sheet's XML.

    Positions are (sheet row, 0-based column).

    >>> f, e = scan_sheet_xml(b'<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="C2"><v>1</v></c>')
    >>> sorted(f), e
    ([(2, 1)], {(2, 1): '#DIV/0!'})
    """
    formulas: set[tuple[int, int]] = set()
    prefix = _ROOT_RE.search(xml, 0, 4096)
    tag_f, tag_c = (_F_RE, b"c ") if prefix is None else _tags(prefix[1] or b"")
    search, first = _REF_RE.search, _FIRST_REF.match
    # The looks back (LastBefore) read the sheet once in all; a cell's reference is looked for once,
    # then only past its last <f>: no tag or reference spans an <f>. So many <f> in one cell (nested,
    # or a hostile file's thousands) cost one reading, not one each: 80,000 took 73 s.
    cell_start, tag_start = LastBefore(xml, tag_c), LastBefore(xml, b"<")
    last_at, last_start, last_ref = 0, -1, None
    for m in tag_f.finditer(xml):  # find each <f>, then the r="B7" of the <c> element it sits in
        at = m.start()
        c = cell_start(at)
        start = c if prefix is not None else tag_start(c + 1)
        if start != last_start or start < 0:
            ref = first(xml, start, at) or search(xml, start, at)  # <c r="B7": Excel's order, no search
        elif last_ref is None:
            ref = search(xml, last_at, at)
        else:
            ref = last_ref
        last_at, last_start, last_ref = at, start, ref
        if ref:
            formulas.add((int(ref[2]), _col_index(ref[1])))
    cell_tag = tag_c if prefix is not None else b"<c"
    errors = _error_cells(xml, cell_tag) if b't="e"' in xml else {}
    return formulas, errors


def _error_cells(xml: bytes, cell_tag: bytes) -> dict[tuple[int, int], str]:
    """Cells of type ``e`` (18.18.11 ST_CellType) and their error text, in one forward pass.

    For each ``t="e"``: back to the start of its tag for the reference, on to the end of the tag,
    and (unless the tag closes itself) to the cell's ``<v>``, looking no further than the next
    cell. Each step stays within one cell, so 40,000 empty error cells cost 40,000 short looks, not
    the quadratic scan a pattern spanning cells made (minutes for a 110 KB sheet).
    """
    next_cell = re.compile(re.escape(cell_tag) + rb"[\s/>]")
    errors: dict[tuple[int, int], str] = {}
    tag_start, tag_end = LastBefore(xml, b"<"), NextFrom(xml, b">")  # each read once in all
    pos, last = 0, (-1, -1)
    while (at := xml.find(b' t="e"', pos)) >= 0:
        pos, start, end = at + 6, tag_start(at), tag_end(at)
        if end < 0:
            break
        if (start, end) == last:
            continue  # the same tag as the last t="e" (a hostile file's thousands): read already
        last = (start, end)
        if not next_cell.match(xml, start) or xml[end - 1 : end] == b"/":
            continue
        ref = _REF_RE.search(xml, start, end)
        following = next_cell.search(xml, end)
        value = _VALUE_RE.search(xml, end, len(xml) if following is None else following.start())
        if ref and value:
            errors[(int(ref[2]), _col_index(ref[1]))] = value[1].decode("utf-8", "replace")
    return errors


def _open_calamine(path: Path) -> Any:
    """python-calamine's workbook; through an open file when the path is not valid UTF-8 (its
    ``from_path`` cannot take such a name, which a Linux folder may hold)."""
    import python_calamine as pc

    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        with path.open("rb") as fh:
            return pc.CalamineWorkbook.from_filelike(fh)
    return pc.CalamineWorkbook.from_path(str(path))


class _Book:
    """An open workbook: calamine for values; for a zip package, its XML for names and formulas."""

    def __init__(self, path: Path, content: str, zf: zipfile.ZipFile | None = None) -> None:
        """``zf``: the package, already opened (and its directory checked) by the caller, who closes it."""
        import python_calamine as pc

        self.path = path
        self.content = content
        self.values_only = content in VALUES_ONLY
        self.zip: zipfile.ZipFile | None = None
        self.parts: dict[str, str] = {}
        self.names: dict[str, tuple[str, str]] = {}
        self.print_rows: dict[str, int] = {}  # sheet -> last row of its print area
        self._own_zip = zf is None
        if not self.values_only:
            self.zip = zipfile.ZipFile(path) if zf is None else zf
        try:
            named_as_is = path.suffix.lower() == content or (
                content == ".xlsx" and path.suffix.lower() in _OOXML
            )
            if named_as_is:
                self.wb = _open_calamine(path)
            else:  # calamine picks its parser by the name: give it the bytes, which it reads by content
                with path.open("rb") as fh:
                    self.wb = pc.CalamineWorkbook.from_filelike(fh)
            if self.zip is not None:
                self.parts, self.names, self.print_rows = workbook_facts(self.zip)
        except BaseException:
            if self.zip is not None and self._own_zip:
                self.zip.close()
            raise
        self._grids: dict[str, list[list[Any]]] = {}
        self._ws: dict[str, Any] = {}
        self._merged: dict[str, Merged] = {}
        self._ods_merged: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] | None = None
        self._xml: dict[str, bytes] = {}
        self._sheets: list[str] | None = None
        self._folded: dict[str, str] = {}
        self._known: set[str] = set()
        self.hidden: dict[str, bool] = {}  # hidden sheets: name -> very hidden (Excel cannot show it)

    def __enter__(self) -> _Book:
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the zip (if opened here) and calamine's file, also when reading fails (a traceback
        keeps ``self``)."""
        if self.zip is not None and self._own_zip:
            self.zip.close()
        self.wb.close()

    def grid(self, sheet: str, nrows: int | None = None) -> list[list[Any]]:
        """Sheet values from A1 (row 0 = sheet row 1), rows of equal length.

        Empty cells are ``''`` in a whole sheet (turning them into None would cost a pass over every
        cell; the plan's columns are cleaned by the grid reader) and None in the first ``nrows``.
        """
        sheet = self.sheet_name(sheet)
        if sheet in self._grids:
            whole = self._grids[sheet]
            return (
                whole if nrows is None else [[None if v == "" else v for v in row] for row in whole[:nrows]]
            )
        ws = self._sheet(sheet)
        # a stray value in XFD1048576: gigabytes; any value past XFD: a damaged file (all formats)
        self._refuse_extent(sheet, ws.height if nrows is None else 0, ws.width)
        if sheet not in self._merged:
            self._merged[sheet] = self._merged_of(sheet, ws)
        grid: list[list[Any]] = ws.to_python(skip_empty_area=False, nrows=nrows)
        if nrows is not None:
            grid = [[None if v == "" else v for v in row] for row in grid]
        else:
            self._grids[sheet] = grid
        return grid

    def _sheet(self, sheet: str) -> Any:
        """python-calamine's sheet, its extent checked first; loaded once (calamine decodes every
        cell of the sheet on loading it, even when only the first rows are asked for)."""
        if sheet not in self._ws:
            self._check_extent(sheet)
            self._ws[sheet] = self.wb.get_sheet_by_name(sheet)
        return self._ws[sheet]

    def _merged_of(self, sheet: str, ws: Any) -> Merged:
        if self.content == ".ods":
            if self._ods_merged is None:
                from edi_workbook.read.opendocument import merged_ranges

                self._ods_merged = found = merged_ranges(str(self.path))
            else:
                found = self._ods_merged
            return found.get(sheet, [])
        return list(ws.merged_cell_ranges or [])

    def sheet_name(self, name: str) -> str:
        """The sheet called ``name``, found as Excel finds it (case ignored); KeyError if none."""
        self.sheets()
        if name in self._grids or name in self._known:
            return name
        return self._folded[name.casefold()]  # KeyError if there is none

    def _check_extent(self, sheet: str) -> None:
        """Refuse a sheet whose cells reach further than :data:`MAX_CELLS` from A1, before calamine
        allocates them (it lays the sheet out from A1 to its last cell)."""
        self._refuse_extent(sheet, *limits.sheet_extent(self.xml(sheet)))

    def _refuse_extent(self, sheet: str, rows: int, cols: int) -> None:
        """Refuse a sheet laid out from A1 to ``rows`` x ``cols`` of more than :data:`MAX_CELLS`
        cells, or with a cell past column XFD (:data:`limits.EXCEL_COLUMNS`), which no Excel
        workbook has (and no column letter names)."""
        too_many = rows * cols > MAX_CELLS
        if cols > limits.EXCEL_COLUMNS and not too_many:
            raise PlanReadError(
                self.path,
                f"sheet {sheet!r} holds a cell beyond column XFD, Excel's last, which no workbook saved "
                "by Excel has: the file is damaged; open it in Excel and save it again",
            )
        if too_many:
            where = (
                f"column {column_letter(cols)}"
                if cols <= limits.EXCEL_COLUMNS
                else "beyond column XFD, Excel's last,"
            )
            raise PlanReadError(
                self.path,
                f"sheet {sheet!r} reaches {where} and row {rows:,} "
                f"({rows * cols:,} cells); delete the unused rows and columns and save it again",
            )

    def check_rows(self, sheet: str, header_row: int, last_row: int | None) -> None:
        """Refuse a plan of more than :data:`MAX_ROWS` rows under ``header_row`` (0-based; to
        ``last_row``, else to the sheet's end) as :func:`build_plan` would, before its cells are read.

        The sheet's extent is checked first (its refusal comes first, as before); the rows are
        counted from the last row holding a value (:func:`edi_workbook.limits.last_value_row`).
        """
        sheet = self.sheet_name(sheet)
        if sheet in self._grids:
            return  # read already: build_plan counts them
        if sheet not in self._ws:
            self._check_extent(sheet)
        last = limits.last_value_row(self.xml(sheet))  # the grid's length
        if last is not None:
            stop = last if last_row is None else min(last, last_row + 1)
            if stop - header_row - 1 > MAX_ROWS:
                raise too_many_rows(self.path, stop - header_row - 1)

    def merged(self, sheet: str) -> Merged:
        """Merged ranges of a sheet as ((row, col), (row, col)), 0-based and inclusive."""
        sheet = self.sheet_name(sheet)
        if sheet not in self._merged:
            self.grid(sheet, nrows=1)
        return self._merged.get(sheet, [])

    def xml(self, sheet: str) -> bytes:
        """The sheet's XML part (empty if the workbook does not list one, or is not a zip package);
        read once."""
        if sheet not in self._xml:
            part = self.parts.get(sheet)
            if self.zip is None or part is None or part not in self.zip.namelist():
                self._xml[sheet] = b""
            else:  # checked against a lying zip directory before python-calamine reads the part
                try:
                    self._xml[sheet] = limits.read_part(self.zip, self.path, self.zip.getinfo(part))
                except limits.LimitError as exc:
                    raise PlanReadError(self.path, f"the workbook is not read: {exc}") from None
        return self._xml[sheet]

    def shown(self, sheet: str) -> int:
        """How a sheet is shown, as a rank: 0 in view, 1 hidden, 2 very hidden (read ``sheets`` first)."""
        return 0 if sheet not in self.hidden else 2 if self.hidden[sheet] else 1

    def sheets(self) -> list[str]:
        """Worksheet names in workbook order (chart sheets left out), each once; read once."""
        import python_calamine as pc

        if self._sheets is None:
            sheets = [m for m in self.wb.sheets_metadata if m.typ == pc.SheetTypeEnum.WorkSheet]
            self._sheets = list(dict.fromkeys(m.name for m in sheets))  # a damaged workbook: one twice
            for m in sheets:
                if m.visible != pc.SheetVisibleEnum.Visible:
                    self.hidden.setdefault(m.name, m.visible == pc.SheetVisibleEnum.VeryHidden)
            self._known = set(self._sheets)
            for name in reversed(self._sheets):
                self._folded[name.casefold()] = name
        return self._sheets


def _table_layout(book: _Book, sheet: str | None) -> tuple[str, HeaderMatch, int, int] | None:
    """Sheet, header match, first column and last data row (0-based) of the table ``ActionPlan``."""
    if book.zip is None:
        return None
    found = find_table(book.zip, book.parts, TABLE_NAME)
    if found is None or (sheet is not None and found[0] != sheet):
        return None
    table_sheet, table = found
    c0, r0, c1, r1 = cell_bounds(table.ref)  # 1-based, inclusive
    if not table.header_rows:
        return None  # a table without a header row: let the header scan decide
    header_row = r0 - 1
    last_row = r1 - 1 - table.totals_rows
    if last_row - header_row > MAX_ROWS:  # more rows than are read: refused before calamine loads them
        book.check_rows(table_sheet, header_row, last_row)
    grid = book.grid(table_sheet, nrows=r0)  # to the header only: the rows are counted before reading
    if header_row >= len(grid):
        return None
    match = match_row(grid[header_row][c0 - 1 : c1], header_row)
    if match.score == 0:
        return None
    return table_sheet, match, c0 - 1, last_row


def _find_headers(book: _Book, sheet: str | None) -> list[tuple[str, HeaderMatch]]:
    """The plan's sheets and their header rows, in workbook order: the best, and those like it.

    Sheets in view come first: where the best and those like it include one, hidden sheets among
    them (an old plan, last year's, a lookup list) are left out, and very hidden ones (which Excel
    cannot show) where a hidden or visible one is there. A plan on a hidden sheet behind a cover
    page is still read.
    """
    candidates = [sheet] if sheet is not None else [s for s in book.sheets() if s.lower() not in OUR_SHEETS]
    found: list[tuple[str, HeaderMatch]] = []
    empty = True
    for name in candidates:
        head = book.grid(name, nrows=SCAN_ROWS)
        empty = empty and not any(v is not None and v != "" for row in head for v in row)
        m = best_header_row(head, merged=book.merged(name))
        if m is not None:
            found.append((name, m))
    if not found:
        for find in (fallback_header_row, headerless):
            for name in sorted(candidates, key=book.shown):
                m = find(book.grid(name, nrows=SCAN_ROWS))
                if m is not None:
                    return [(name, m)]
        if empty and sheet is None:
            raise PlanReadError(book.path, "the workbook is empty")
        where = f"sheet {sheet!r} has" if sheet else "no sheet has"
        raise PlanReadError(
            book.path,
            f"no plan table found: {where} a table named {TABLE_NAME} or a header row naming "
            "the plan's columns (Action ID, Action, Owner, Due date...)",
        )
    best = max(m.strength for _, m in found)
    picked = [(n, m) for n, m in found if m.strength >= SIMILAR * best and "action" in m.columns] or [
        max(found, key=lambda f: f[1].strength)
    ]
    most_shown = min(book.shown(n) for n, _m in picked)
    return [(n, m) for n, m in picked if book.shown(n) == most_shown]


def read_xlsx(
    path: Path, *, sheet: str | None = None, content: str | None = None, zf: zipfile.ZipFile | None = None
) -> Plan:
    """Read a workbook into a :class:`Plan` (``.xls``, ``.xlsb``, ``.ods``: values only).

    ``content`` is the workbook's real type when its name says another (an ``.xlsx`` named ``.xls``);
    ``zf`` the package when the caller has it open already (it is not opened a second time).
    """
    with _Book(path, content or path.suffix.lower(), zf) as book:
        return _read_book(book, path, sheet)


def _read_book(book: _Book, path: Path, sheet: str | None) -> Plan:
    if sheet is not None and sheet not in book.sheets():
        raise PlanReadError(path, f"there is no sheet named {sheet!r} (sheets: {', '.join(book.sheets())})")
    layout = _table_layout(book, sheet)
    if layout is not None:
        plan_sheet, header, first_col, last_row = layout
        return _read_sheet(book, path, plan_sheet, header, first_col, last_row, TABLE_NAME)
    plans = [
        _read_sheet(book, path, name, header, 0, None, None) for name, header in _find_headers(book, sheet)
    ]
    return plans[0] if len(plans) == 1 else Plan.concat(plans)


def _read_sheet(
    book: _Book, path: Path, plan_sheet: str, header: HeaderMatch, first_col: int, last_row: int | None,
    table: str | None,
) -> Plan:  # fmt: skip
    book.check_rows(plan_sheet, header.row, last_row)
    grid = book.grid(plan_sheet)
    xml = book.xml(plan_sheet)
    formulas, errors = scan_sheet_xml(xml)
    for (r, c), err in errors.items():
        if r - 1 < len(grid) and c < len(grid[r - 1]):
            grid[r - 1][c] = err
    shown: frozenset[int] = frozenset()
    if "pct_complete" in header.columns and book.zip is not None:  # 150% is stored as 1.5: as Excel shows it
        col = first_col + header.columns["pct_complete"]
        styles = percent_styles(book.zip)
        numbers = number_rows(grid, col)
        if numbers:  # no number in the column: none to show
            found = percent_cells(xml, column_letter(col + 1), styles, among=numbers)
            shown = frozenset(show_percentages(grid, found, col))
    details = details_from_names(book.names, book.grid)
    if details is None:  # a foreign workbook: look for labels such as "Organisation:"
        details = details_from_labels(_label_grids(book, plan_sheet, header.row))
    settings = settings_from_names(book.names, book.grid)
    as_of_title = None
    if settings is None:  # a foreign workbook: "Position as at 30 September 2026" in its title
        settings, as_of_title = as_of_from_title(grid[: header.row], plan_sheet)
    read = GridPlan(
        path=path,
        grid=grid,
        header=header,
        sheet=plan_sheet,
        format=(path.suffix.lower() if path.suffix.lower() in _OOXML else book.content).lstrip("."),
        table=table,
        first_col=first_col,
        last_row=last_row,
        formula_cells=formulas,
        merged=book.merged(plan_sheet),
        details=details or PlanDetails(),
        settings=settings,
        setting_cells=setting_cells(book.names, book.grid),
        percent_rows=shown,
        print_last_row=book.print_rows.get(plan_sheet),
        as_of_title=as_of_title,
    )
    try:  # the file is read: what goes wrong from here is ours, never "the file is damaged"
        return build_plan(read)
    except PlanReadError:
        raise
    except Exception as exc:
        raise PlanBuildError(f"{type(exc).__name__} while building the plan of {path.name}: {exc}") from exc


def _label_grids(book: _Book, plan_sheet: str, header_row: int) -> Iterator[list[list[Any]]]:
    """Where a foreign workbook may say who the plan is for: above the header, then other sheets."""
    yield book.grid(plan_sheet)[:header_row]
    for name in book.sheets():
        if name != plan_sheet:
            yield book.grid(name, nrows=40)
