"""``batch --history``: the usual outputs for each organisation's latest return, plus the trend.

:func:`batch_history` runs :func:`~edi_workbook.batch.history.analyse_history`, streams the latest
returns into the chosen output like :func:`~edi_workbook.batch.run.batch`, and adds the history:
a ``Trend`` sheet in the roll-up workbook (the RAG mix and completion rate per period, with native
Excel charts; every return with what changed since the one before; the most slipped actions), a
``history`` key in JSON, and a "Progress over time" section in the HTML report.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edi_workbook import reference
from edi_workbook.batch.history import History, ReturnLine, analyse_history
from edi_workbook.batch.model import Totals, exit_code_of
from edi_workbook.batch.outputs import JsonWriter, Writer, format_for, output_paths
from edi_workbook.batch.workbook import XlsxWriter
from edi_workbook.errors import UsageError

__all__ = ["HISTORY_FORMATS", "HistoryResult", "TrendXlsxWriter", "batch_history", "trend_rows"]

HISTORY_FORMATS = ("xlsx", "json", "html")
_WRITERS = {
    "xlsx": "edi_workbook.batch.trend:TrendXlsxWriter",
    "json": "edi_workbook.batch.trend:HistoryJsonWriter",
    "html": "edi_workbook.report.trends:TrendHtmlWriter",
}
TREND_COLUMNS = (
    "Organisation",
    "Period",
    "As of",
    "Dated by",
    "File",
    "Actions",
    *reference.load().rag_names,
    "Overdue",
    "Complete",
    "Slipped since previous",
    "Completed since previous",
    "New",
    "Removed",
    "Stalled",
)
SLIP_COLUMNS = (
    "Organisation",
    "Action ID",
    "Action",
    "Times slipped",
    "Days slipped",
    "First due",
    "Due now",
    "Status",
)


@dataclass
class HistoryResult:
    """What ``batch --history`` found: the history, totals over the latest returns, the output."""

    history: History
    totals: Totals
    out: Path | None = None
    extra_outputs: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return exit_code_of(self.totals)


def trend_rows(lines: Iterable[ReturnLine]) -> list[tuple[Any, ...]]:
    """Rows of :data:`TREND_COLUMNS`, the completion rate as a fraction."""
    names = reference.load().rag_names
    return [
        (
            x.organisation,
            x.period,
            x.date,
            x.dated_by,
            x.file,
            x.actions,
            *(x.rag.get(n, 0) for n in names),
            x.overdue,
            round(x.completion, 4),
            x.slipped,
            x.completed,
            x.added,
            x.removed,
            x.stalled,
        )
        for x in lines
    ]


class TrendXlsxWriter(XlsxWriter):
    """The roll-up workbook with a ``Trend`` sheet (second tab) when ``history`` is set."""

    history: History | None = None

    def finish(self) -> None:
        if self.history is not None:
            _trend_sheet(self.wb, self.history)
        super().finish()


def _trend_sheet(wb: Any, history: History) -> None:
    """Overall per period (with a stacked RAG chart and a completion line), every return, the slips."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.styles import Font

    ref = reference.load()
    ws = wb.create_sheet("Trend", 1)
    for i, width in enumerate((30, 12, 11, 10, 34, 8, 7, 7, 7, 7, 7, 8, 9, 10, 10, 7, 8, 8), start=1):
        ws.column_dimensions[_letter(i)].width = width
    bold = Font(bold=True)

    def heading(text: str) -> list[Any]:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True, size=13)
        return [cell]

    def header(cols: Iterable[str]) -> list[Any]:
        out = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=c)
            cell.font = bold
            out.append(cell)
        return out

    ws.append(heading("All organisations, per period"))
    overall = history.overall()
    ws.append(header(("Period", *ref.rag_names, "Overdue", "Complete")))
    for x in overall:
        pct = WriteOnlyCell(ws, value=round(x.completion, 4))
        pct.number_format = "0%"
        ws.append([x.period, *(x.rag.get(n, 0) for n in ref.rag_names), x.overdue, pct])
    n = len(overall)
    first, last = 3, 2 + n
    if n:
        bars = BarChart()
        bars.type, bars.grouping, bars.overlap = "col", "stacked", 100
        bars.title, bars.y_axis.title = "RAG mix per period", "Actions"
        bars.add_data(
            Reference(ws, min_col=2, max_col=1 + len(ref.rag_names), min_row=2, max_row=last),
            titles_from_data=True,
        )
        bars.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        for series, rag in zip(bars.series, ref.rag_values, strict=True):
            series.graphicalProperties.solidFill = rag.fill
        ws.add_chart(bars, "J1")
        line = LineChart()
        line.title, line.y_axis.title = "Share of actions complete", "Complete"
        line.y_axis.number_format = "0%"
        col = 3 + len(ref.rag_names)
        line.add_data(Reference(ws, min_col=col, min_row=2, max_row=last), titles_from_data=True)
        line.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        ws.add_chart(line, "J17")
    ws.append([])
    ws.append(heading("Every return, with what changed since the one before"))
    ws.append(header(TREND_COLUMNS))
    pct_at = TREND_COLUMNS.index("Complete")
    for row in trend_rows(history.lines):
        cells = list(row)
        cells[2] = _date_cell(ws, cells[2])
        pct = WriteOnlyCell(ws, value=cells[pct_at])
        pct.number_format = "0%"
        cells[pct_at] = pct
        ws.append([_text(ws, v) for v in cells])
    ws.append([])
    ws.append(heading("Most slipped actions"))
    ws.append(header(SLIP_COLUMNS))
    for s in history.slipped:
        ws.append(
            [
                _text(ws, v)
                for v in (
                    s.organisation,
                    s.action_id,
                    s.action,
                    s.slips,
                    s.days,
                    _date_cell(ws, s.first_due),
                    _date_cell(ws, s.due),
                    s.status,
                )
            ]
        )
    ws.freeze_panes = "A3"


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def _date_cell(ws: Any, value: dt.date | None) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "dd/mm/yyyy"
    return cell


def _text(ws: Any, value: Any) -> Any:
    """Text that would start a formula is written as text."""
    from openpyxl.cell import WriteOnlyCell

    from edi_workbook.safe_text import looks_like_formula

    if isinstance(value, str) and looks_like_formula(value):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


class HistoryJsonWriter(JsonWriter):
    """The batch JSON with a ``history`` key before the totals."""

    history: History | None = None

    def finish(self) -> None:
        if self.history is not None:
            self._fh.write('\n], "history": ' + json.dumps(self.history.to_dict(), ensure_ascii=False))
            self._fh.write(', "totals": ' + json.dumps(self.totals.to_dict(), ensure_ascii=False) + "}\n")
            self._fh.close()
            return
        super().finish()


def batch_history(
    paths: Iterable[str | os.PathLike[str]],
    *,
    out: str | os.PathLike[str] | None = None,
    fmt: str | None = None,
    as_of: dt.date | None = None,
    period: str | None = None,
    jobs: int | None = None,
) -> HistoryResult:
    """Follow each organisation's returns; with ``out`` (xlsx, json or html), write them there."""
    out_path = Path(out) if out is not None else None
    fmt = format_for(out_path, fmt) if out_path else fmt
    if out_path is not None and fmt not in HISTORY_FORMATS:
        raise UsageError(f"--history writes {', '.join(HISTORY_FORMATS)}, not {fmt}")
    exclude = output_paths(out_path, fmt) if out_path and fmt else []
    history = analyse_history(paths, as_of=as_of, period=period, jobs=jobs, exclude=exclude)
    totals = Totals()
    for r in [*history.latest, *history.unreadable]:
        totals.add(r)
    if out_path is None or fmt is None:
        return HistoryResult(history, totals)
    module, _, name = _WRITERS[fmt].partition(":")
    cls: type[Writer] = getattr(importlib.import_module(module), name)
    latest_as_of = max((x.date for x in history.lines), default=None)
    writer = cls(out_path, as_of=latest_as_of)
    with writer:
        for r in [*history.latest, *history.unreadable]:
            writer.add(r)
        writer.history = history  # type: ignore[attr-defined]
    return HistoryResult(history, totals, out_path, writer.extra_paths)
