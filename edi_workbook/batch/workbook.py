"""The consolidated roll-up workbook, streamed with openpyxl's write-only mode.

Sheets: ``Summary`` (one row per file), ``Charts`` (totals and native Excel charts), ``All actions``
(every action with its file and RAG), ``Findings`` (every finding with its file and cell) and
``Coverage`` (files x HIAs and PSED aims, shaded as a heat map). Each data sheet is an Excel table
with filters. Rows go to disk as they come, so memory does not grow with the number of files.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Font, PatternFill
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
    finding_rows,
    summary_row,
)
from edi_workbook.safe_text import looks_like_formula, xml_text
from edi_workbook.template import save_deterministic

__all__ = ["XlsxWriter"]

_WIDTHS = {"File": 34, "Organisation": 30, "Action": 60, "Message": 70, "Success measure": 40, "Problem": 50}
_PCT_COLUMN = ALL_ACTION_COLUMNS.index(reference.load().header_of("pct_complete"))


class _Sheet:
    """A write-only sheet that is also an Excel table: header, rows, then the table's extent."""

    def __init__(self, wb: Workbook, title: str, table: str, columns: Sequence[str]) -> None:
        self.ws = wb.create_sheet(title)
        self.table = table
        self.columns = list(columns)
        self.rows = 0
        self._text: dict[str, str | tuple[str]] = {}
        for i, name in enumerate(self.columns, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(name, max(10, len(name) + 4))
        self.ws.freeze_panes = "A2"
        self.ws.append(self.columns)

    def append(self, values: Sequence[Any], pct_column: int | None = None) -> None:
        text, cell = self._text, self._cell
        row = []
        for i, v in enumerate(values):
            if type(v) is str:
                clean = text.get(v)
                if clean is None:
                    clean = text[v] = self._clean(v)
                row.append(clean if type(clean) is str else cell(clean[0], "s", None))
            elif i == pct_column and isinstance(v, float):
                row.append(cell(v, None, "0%"))
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
        v = xml_text(v)  # also U+FFFE, U+FFFF and lone surrogates, which openpyxl's pattern misses
        return (v,) if looks_like_formula(v) else v

    def _cell(self, v: Any, data_type: str | None, number_format: str | None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=v)
        if data_type is not None:
            cell.data_type = data_type  # text that looks like a formula stays text
        if number_format is not None:
            cell.number_format = number_format
        return cell

    @property
    def ref(self) -> str:
        return f"A1:{get_column_letter(len(self.columns))}{max(self.rows, 1) + 1}"

    def close(self) -> None:
        """Declare the table over what was written (at least one row, as Excel requires)."""
        table = Table(displayName=self.table, ref=self.ref)
        table.tableColumns = [TableColumn(id=i, name=n) for i, n in enumerate(self.columns, start=1)]
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        with warnings.catch_warnings():  # openpyxl warns in write-only mode; the columns are set above
            warnings.simplefilter("ignore", UserWarning)
            self.ws.add_table(table)


class XlsxWriter(Writer):
    """Writes the roll-up workbook described in the module docstring."""

    def __init__(self, out: Path, *, as_of: dt.date | None = None) -> None:
        super().__init__(out, as_of=as_of)
        self.wb = Workbook(write_only=True)
        self.summary = _Sheet(self.wb, "Summary", "Summary", SUMMARY_COLUMNS)
        self.actions = _Sheet(self.wb, "All actions", "AllActions", ALL_ACTION_COLUMNS)
        self.findings = _Sheet(self.wb, "Findings", "Findings", FINDING_COLUMNS)
        self.coverage = _Sheet(self.wb, "Coverage", "Coverage", COVERAGE_COLUMNS)

    def add(self, r: FileResult) -> None:
        super().add(r)
        self.summary.append(summary_row(r))
        if not r.readable:
            return
        for row in r.rows:
            self.actions.append((r.file, r.organisation, *row), pct_column=_PCT_COLUMN)
        for frow in finding_rows(r):
            self.findings.append(frow)
        self.coverage.append(coverage_row(r))

    def finish(self) -> None:
        for sheet in (self.summary, self.actions, self.findings, self.coverage):
            sheet.close()
        self._rag_colours()
        self._heat_map()
        self._charts()
        self.wb.properties.title = "EDI action plans: batch roll-up"
        self.wb.properties.creator = "edi-workbook"
        # deterministic output: no run timestamp in the file (openpyxl stamps the save time into
        # docProps/core.xml and the zip entries; save_deterministic fixes both, as for the template)
        save_deterministic(self.wb, self.temp_for(self.out))

    def _rag_colours(self) -> None:
        """RAG cells coloured as in the template, the word itself kept (colour is never the only signal)."""
        col = get_column_letter(ALL_ACTION_COLUMNS.index("RAG") + 1)
        rng = f"{col}2:{col}{max(self.actions.rows, 1) + 1}"
        for rag in reference.load().rag_values:
            rule = CellIsRule(
                operator="equal",
                formula=[f'"{rag.name}"'],
                fill=PatternFill("solid", start_color=rag.fill, end_color=rag.fill),
                font=Font(color=rag.font),
            )
            self.actions.ws.conditional_formatting.add(rng, rule)

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

    def abort(self) -> None:
        self.wb.close()
