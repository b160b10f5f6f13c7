"""Reading ``.csv`` exports: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

The delimiter is sniffed with :class:`csv.Sniffer` (comma, semicolon, tab or bar; Excel in
European locales writes semicolons). Cells are text, exactly as written: nothing is evaluated, so
``=HYPERLINK(...)`` stays text. Row and column positions are given as Excel shows the file, so
``C7`` is the third field of the seventh record.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

from edi_workbook.errors import PlanReadError
from edi_workbook.plan import Plan, PlanDetails
from edi_workbook.read.details import as_of_from_title, details_from_labels
from edi_workbook.read.grid import GridPlan, build_plan
from edi_workbook.read.headers import best_header_row, fallback_header_row, headerless

__all__ = ["decode", "read_csv"]

_DELIMITERS = ",;\t|"


def decode(data: bytes) -> str:
    """Text of a CSV file: by BOM, else UTF-8, else Windows-1252 (Excel's "CSV" on Windows).

    >>> decode("£5 – ’".encode("cp1252")), decode(codecs.BOM_UTF8 + "café".encode())
    ('£5 – ’', 'café')
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _dialect(text: str) -> type[csv.Dialect] | str:
    sample = text[:16384]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:  # one column, or too irregular to tell: the file is most likely comma-separated
        return "excel"


_SEP_LINE = re.compile(r"sep=([^\r\n])[ \t]*(?:\r\n|\r|\n)", re.I)


def read_csv(path: Path) -> Plan:
    """Read a CSV export into a :class:`Plan`."""
    text = decode(path.read_bytes())
    if "\x00" in text:
        raise PlanReadError(path, "this is not a text CSV file (it holds binary data)")
    if not text.strip():
        raise PlanReadError(path, "the file is empty")
    sep = _SEP_LINE.match(text)  # Excel's "sep=;" first line names the separator and is no row
    if sep is not None:
        text = text[sep.end() :]
    try:
        rows = (
            csv.reader(io.StringIO(text, newline=None), "excel", delimiter=sep[1])
            if sep is not None
            else csv.reader(io.StringIO(text, newline=None), _dialect(text))
        )
        grid = [[c if c.strip() else None for c in row] for row in rows]
    except csv.Error as exc:
        raise PlanReadError(path, f"the CSV file could not be read ({exc})") from None
    header = best_header_row(grid) or fallback_header_row(grid) or headerless(grid)
    if header is None:
        raise PlanReadError(
            path,
            "no plan table found: no row names the plan's columns (Action ID, Action, Owner, Due date...)",
        )
    settings, as_of_title = as_of_from_title(grid[: header.row], None)
    return build_plan(
        GridPlan(
            path=path,
            grid=grid,
            header=header,
            sheet=None,
            format="csv",
            details=details_from_labels([grid[: header.row]]) or PlanDetails(),
            settings=settings,
            as_of_title=as_of_title,
        )
    )
