"""The consolidated roll-up workbook, streamed: memory does not grow with the number of files.

Sheets: ``Summary`` (one row per file), ``Charts`` (totals and native Excel charts), ``All actions``
(every action with its file and RAG), ``Findings`` (every finding with its file and cell),
``Coverage`` (files x HIAs and PSED aims, shaded as a heat map) and ``National deadlines`` (those
due in the 90 days from the as-of date: the EDI reporting year and the HIA milestones). Each data
sheet is an Excel table with filters.

The small sheets are written with openpyxl's write-only mode. The two big ones, ``All actions`` and
``Findings``, arrive as rows of SpreadsheetML already written by the workers
(:mod:`edi_workbook.batch.render`); they go to temporary files as they come, and
:func:`~edi_workbook.template.save_deterministic` copies them into the package after the header
openpyxl wrote. A sheet never passes Excel's 1,048,576 rows: the rows continue on ``All actions (2)``
(``Findings (2)``...), each its own table, and the Summary sheet says so under its table.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from edi_workbook import reference
from edi_workbook.batch.model import FileResult
from edi_workbook.batch.outputs import (
    ALL_ACTION_COLUMNS,
    COVERAGE_COLUMNS,
    FINDING_COLUMNS,
    SUMMARY_COLUMNS,
    Writer,
    coverage_row,
    summary_row,
)
from edi_workbook.batch.render import STYLES, parts_for, xlsx_row
from edi_workbook.safe_text import fit_cell, looks_like_formula, xml_text
from edi_workbook.template import save_deterministic

__all__ = ["EXCEL_ROWS", "XlsxWriter"]

EXCEL_ROWS = 1_048_576
"""The rows an Excel worksheet holds (Excel specifications and limits); the header is one of them."""

NATIONAL_COLUMNS = ("Date", "ID", "Deadline", "Kind", "Applies to", "Status", "Days", "Verified",
                    "Rule or wording", "Source")  # fmt: skip
_NATIONAL_WIDTHS = {"Date": 11, "ID": 35, "Deadline": 60, "Kind": 15, "Applies to": 36, "Status": 10,
                    "Days": 7, "Verified": 11, "Rule or wording": 50, "Source": 60}  # fmt: skip
"""Ids whole (``ethnicity-disability-pay-gap-2027``: 33 characters), titles and rules mostly."""
_WIDTHS = {
    "File": 34,
    "Organisation": 30,
    "Action": 60,
    "Message": 70,
    "Success measure": 40,
    "Problem": 50,
    "Code": 32,  # the longest finding code, complete-without-completed-date, is 31 characters
    "HIAs with no action": 30,
    "RAG reason": 28,
    "Other columns": 40,
}
_CENTRED = Alignment(horizontal="center")
_ZIP_LEVEL = 1
"""zlib level of the roll-up: compressing was most of what the main process still did per plan
(10 MB of sheet XML for 200 plans: 314 ms at level 6, 97 ms at level 1, for a file 23% larger)."""


def print_setup(ws: Any, *, one_page: bool = False) -> None:
    """A4 landscape, one page wide (one page in all with ``one_page``), page numbers in the footer.

    Without it the roll-up printed 23 portrait pages, its tables cut between columns and its charts
    split (issue 17).
    """
    ws.page_setup.paperSize = "9"  # A4 (ECMA-376 Part 1, 18.3.1.63)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.page_setup.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "&A - page &P of &N"


class _Sheet:
    """A write-only sheet that is also an Excel table: header, rows, then the table's extent."""

    def __init__(
        self,
        wb: Workbook,
        title: str,
        table: str,
        columns: Sequence[str],
        widths: Mapping[str, float] | None = None,
        *,
        index: int | None = None,
    ) -> None:
        self.ws = wb.create_sheet(title, index)
        self.table = table
        self.columns = list(columns)
        self.rows = 0
        self.notes = 0  # lines under the table (the Summary's note on sheets that continue)
        self._text: dict[str, str | tuple[str]] = {}
        widths = {**_WIDTHS, **(widths or {})}  # set here: a write-only sheet writes them before row 1
        for i, name in enumerate(self.columns, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = widths.get(name, max(10, len(name) + 4))
        self.ws.freeze_panes = "A2"
        print_setup(self.ws)  # before the first row: write-only sheets write their properties first
        self.ws.print_title_rows = "1:1"
        self.ws.append(self.columns)

    def append(
        self, values: Sequence[Any], pct_column: int | None = None, days_column: int | None = None
    ) -> None:
        text, cell = self._text, self._cell
        row: list[Any] = []
        for i, v in enumerate(values):
            if type(v) is str and not v:
                row.append(None)  # an empty cell: openpyxl would write a text cell with no text
            elif type(v) is str:
                clean = text.get(v)
                if clean is None:
                    clean = text[v] = self._clean(v)
                row.append(clean if type(clean) is str else cell(clean[0], "s", None))
            elif i == pct_column and isinstance(v, float):
                row.append(cell(v, None, "0%"))
            elif i == days_column and isinstance(v, int):  # "-145" ran into the reason's "complete"
                row.append(cell(v, None, None, _CENTRED))
            else:
                row.append(v)
        self.ws.append(row)
        self.rows += 1

    def _clean(self, v: str) -> str | tuple[str]:
        """Text without the characters XML cannot hold; a 1-tuple if it would be taken for a formula.

        Kept per distinct text (files, organisations, statuses and messages repeat on every row),
        up to a bound, so memory does not grow with the batch.
        """
        if len(self._text) > 50_000:
            self._text.clear()
        v = fit_cell(xml_text(v))  # also U+FFFE, U+FFFF and lone surrogates, which openpyxl's pattern misses
        return (v,) if looks_like_formula(v) else v

    def _cell(
        self, v: Any, data_type: str | None, number_format: str | None, alignment: Alignment | None = None
    ) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=v)
        if alignment is not None:
            cell.alignment = alignment
        if data_type is not None:
            cell.data_type = data_type  # text that looks like a formula stays text
        if number_format is not None:
            cell.number_format = number_format
        return cell

    @property
    def ref(self) -> str:
        return f"A1:{get_column_letter(len(self.columns))}{max(self.rows, 1) + 1}"

    def note(self, text: str) -> None:
        """A line of text under the table (after an empty row), printed with it."""
        self.ws.append([])
        self.ws.append([text])
        self.notes += 2

    def close(self) -> None:
        """Declare the table over what was written (at least one row, as Excel requires)."""
        table = Table(displayName=self.table, ref=self.ref)
        table.tableColumns = [TableColumn(id=i, name=n) for i, n in enumerate(self.columns, start=1)]
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        with warnings.catch_warnings():  # openpyxl warns in write-only mode; the columns are set above
            warnings.simplefilter("ignore", UserWarning)
            self.ws.add_table(table)
        last = max(self.rows, 1) + 1 + self.notes
        self.ws.print_area = f"A1:{get_column_letter(len(self.columns))}{last}"


class _Rows:
    """A big sheet's rows, rendered elsewhere, streamed to temporary files: one per part of at most
    ``per_part`` rows (below the header), since a sheet holds no more than Excel's limit."""

    def __init__(self, title: str, table: str, columns: Sequence[str], per_part: int) -> None:
        self.title, self.table, self.columns, self.per_part = title, table, columns, per_part
        self.parts: list[tuple[Path, int]] = []  # (file, rows)
        self.total = 0
        self._fh: IO[bytes] | None = None
        self._n = 0

    def _next_part(self) -> None:
        self._close_part()
        fd, name = tempfile.mkstemp(prefix="edi-workbook-rows-", suffix=".xml")
        self._fh = os.fdopen(fd, "wb")
        self.parts.append((Path(name), 0))
        self._n = 0

    def _close_part(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self.parts[-1] = (self.parts[-1][0], self._n)
            self._fh = None

    def add(self, rows: Sequence[str]) -> None:
        """Rows of cells (:func:`edi_workbook.batch.render.cells`), numbered here."""
        start = 0
        while start < len(rows):
            if self._fh is None or self._n == self.per_part:
                self._next_part()
            take = rows[start : start + self.per_part - self._n]
            first = self._n + 2  # row 1 is the header
            text = "".join(xlsx_row(first + k, cells) for k, cells in enumerate(take))
            self._fh.write(text.encode("utf-8"))  # type: ignore[union-attr]
            self._n += len(take)
            self.total += len(take)
            start += len(take)

    def close(self) -> list[tuple[str, str, Path | None, int]]:
        """(sheet title, table name, rows file, rows) of every part; at least one, maybe empty."""
        self._close_part()
        parts: list[tuple[Path | None, int]] = list(self.parts) or [(None, 0)]
        named = [(f"{self.title} ({i + 1})", f"{self.table}{i + 1}") if i else (self.title, self.table)
                 for i in range(len(parts))]  # fmt: skip
        return [(title, table, path, n) for (title, table), (path, n) in zip(named, parts, strict=True)]

    def remove(self) -> None:
        """Delete the temporary files."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        for path, _ in self.parts:
            path.unlink(missing_ok=True)


class XlsxWriter(Writer):
    """Writes the roll-up workbook described in the module docstring."""

    max_rows = EXCEL_ROWS
    """Rows a sheet may hold, its header included (a test makes it small to see the split)."""

    def __init__(self, out: Path, *, as_of: dt.date | None = None) -> None:
        super().__init__(out, as_of=as_of)
        self.wb = Workbook(write_only=True)
        _register_styles(self.wb)
        self.summary = _Sheet(self.wb, "Summary", "Summary", SUMMARY_COLUMNS)
        self.coverage = _Sheet(self.wb, "Coverage", "Coverage", COVERAGE_COLUMNS)
        per_part = self.max_rows - 1
        self.actions = _Rows("All actions", "AllActions", ALL_ACTION_COLUMNS, per_part)
        self.findings = _Rows("Findings", "Findings", FINDING_COLUMNS, per_part)
        self._as_of = as_of  # else the first plan's own (its AsOfDate), as the HTML report does

    def add(self, r: FileResult) -> None:
        super().add(r)
        if self._as_of is None:
            self._as_of = r.as_of
        self.summary.append(summary_row(r))
        if not r.readable:
            return
        actions, findings = parts_for(r, "xlsx")
        self.actions.add(actions)
        self.findings.add(findings)
        self.coverage.append(coverage_row(r))

    def finish(self) -> None:
        rows: dict[str, Path] = {}
        index = self.wb.index(self.coverage.ws)  # just before Coverage (Charts and Trend go before them)
        for big in (self.actions, self.findings):
            parts = big.close()
            if len(parts) > 1:
                more = ", ".join(title for title, *_ in parts[1:])
                self.summary.note(
                    f"{big.title} has {big.total:,} rows, more than an Excel sheet holds "
                    f"({self.max_rows:,} with the header): they continue on {more}."
                )
            for title, table, path, n in parts:
                sheet = _Sheet(self.wb, title, table, big.columns, index=index)
                sheet.rows = n
                if big is self.actions:
                    self._rag_colours(sheet)
                sheet.close()
                if path is not None:
                    rows[title] = path
                index += 1
        for sheet in (self.summary, self.coverage):
            sheet.close()
        self._heat_map()
        self._charts()
        self._national()
        self.wb.properties.title = "EDI action plans: batch roll-up"
        self.wb.properties.creator = "edi-workbook"
        # deterministic output: no run timestamp in the file (openpyxl stamps the save time into
        # docProps/core.xml and the zip entries; save_deterministic fixes both, as for the template)
        try:
            save_deterministic(self.wb, self.temp_for(self.out), rows=rows, compresslevel=_ZIP_LEVEL)
        finally:
            self._remove_rows()

    def _remove_rows(self) -> None:
        self.actions.remove()
        self.findings.remove()

    def _rag_colours(self, sheet: _Sheet) -> None:
        """RAG cells coloured as in the template, the word itself kept (colour is never the only signal)."""
        col = get_column_letter(ALL_ACTION_COLUMNS.index("RAG") + 1)
        rng = f"{col}2:{col}{max(sheet.rows, 1) + 1}"
        for rag in reference.load().rag_values:
            rule = CellIsRule(
                operator="equal",
                formula=[f'"{rag.name}"'],
                fill=PatternFill("solid", start_color=rag.fill, end_color=rag.fill),
                font=Font(color=rag.font),
            )
            sheet.ws.conditional_formatting.add(rng, rule)

    def _heat_map(self) -> None:
        n_hia = len(reference.load().hias)
        last = get_column_letter(2 + n_hia)
        rng = f"C2:{last}{max(self.coverage.rows, 1) + 1}"
        rule = ColorScaleRule(
            start_type="num", start_value=0, start_color="FFFFFF", end_type="max", end_color="4472C4"
        )
        self.coverage.ws.conditional_formatting.add(rng, rule)

    def _charts(self) -> None:
        """A ``Charts`` sheet (second tab): totals by RAG and by HIA, each with a native bar chart."""
        ref = reference.load()
        ws = self.wb.create_sheet("Charts", 1)
        for col, width in (("A", 12), ("B", 10), ("C", 22)):
            ws.column_dimensions[col].width = width
        print_setup(ws, one_page=True)  # the totals and both charts, whole, on one page
        t = self.totals
        ws.append(["RAG", "Actions"])
        for rag in ref.rag_values:
            ws.append([rag.name, t.rag.get(rag.name, 0)])
        ws.append([])
        ws.append(["HIA", "Actions", "Plans with an action"])
        for h in ref.hias:
            ws.append([h.label, t.hia_actions.get(h.number, 0), t.hia_plans.get(h.number, 0)])
        n_rag = len(ref.rag_values)
        rag_chart = BarChart()
        rag_chart.title, rag_chart.y_axis.title = "Actions by RAG status", "Actions"
        rag_chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=1 + n_rag), titles_from_data=True)
        rag_chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + n_rag))
        series = rag_chart.series[0]
        for i, rag in enumerate(ref.rag_values):
            point = DataPoint(idx=i)
            point.graphicalProperties.solidFill = rag.fill
            series.dPt.append(point)
        rag_chart.legend = None
        ws.add_chart(rag_chart, "E2")
        top = n_rag + 3
        hia_chart = BarChart()
        hia_chart.title, hia_chart.y_axis.title = "Coverage of the High Impact Actions", "Count"
        data = Reference(ws, min_col=2, max_col=3, min_row=top, max_row=top + len(ref.hias))
        hia_chart.add_data(data, titles_from_data=True)
        hia_chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + len(ref.hias)))
        ws.add_chart(hia_chart, "E20")

    def _national(self) -> None:
        """``National deadlines``: those due within 90 days of the as-of date, unverified ones marked."""
        from edi_workbook import deadlines

        ref = reference.load()
        sheet = _Sheet(self.wb, "National deadlines", "NationalDeadlines", NATIONAL_COLUMNS, _NATIONAL_WIDTHS)
        for e in deadlines.entries(self._as_of or dt.date.today(), within_days=deadlines.REPORT_DAYS):
            kind = "Reporting year" if e.kind == deadlines.ANNUAL else "HIA milestone"
            date = sheet._cell(e.date, None, "dd/mm/yyyy")
            verified = "Yes" if e.verified else "Unverified"
            row = (date, e.id, e.title, kind, ref.applies_to_words(e.applies_to), e.status, e.days, verified,
                   e.detail, e.source)  # fmt: skip
            sheet.append(row, days_column=NATIONAL_COLUMNS.index("Days"))
        sheet.close()

    def abort(self) -> None:
        """Close every sheet and remove its temporary file (a save that failed half-way, on a full
        disk, leaves sheets open that would otherwise complain when collected, and their files)."""
        self._remove_rows()
        for ws in self.wb.worksheets:
            with contextlib.suppress(Exception):
                if not ws.closed:
                    ws.close()
            with contextlib.suppress(Exception):
                ws._writer.cleanup()
        with contextlib.suppress(Exception):
            self.wb.close()


def _register_styles(wb: Workbook) -> None:
    """The cell styles of rendered rows (:data:`~edi_workbook.batch.render.STYLES`), as styles 1, 2, 3."""
    ws = wb.create_sheet("styles")
    for i, (number_format, horizontal) in enumerate(STYLES, start=1):
        cell = WriteOnlyCell(ws, value=0)
        cell.number_format = number_format
        if horizontal is not None:
            cell.alignment = Alignment(horizontal=horizontal)
        if cell.style_id != i:
            raise RuntimeError(f"the roll-up's cell style {i} came out as {cell.style_id}")
    wb.remove(ws)
