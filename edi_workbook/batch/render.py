"""A file's findings and action rows written as its output's text, in the worker process.

Results travel from the worker processes to the one process that writes the output. Sent as
objects (a list of ``Finding`` dataclasses, tuples of dates and numbers), every file costs pickling
in the worker, unpickling in the parent and then the writer's own work, all of it in the parent,
which is the single bottleneck of a batch. :func:`render` does the writing part in the worker:

- ``xlsx``: the ``All actions`` and ``Findings`` rows as SpreadsheetML ``<c>`` cells, as openpyxl
  would write them (inline strings, numbers, the date, percentage and centred-number styles of
  :data:`STYLES`), with :data:`MARK` where the row number goes: only the parent knows it, and
  puts it in with one ``str.replace`` per row (:func:`xlsx_row`);
- ``csv``: the lines of the actions and findings files;
- ``json``: the file's JSON object.

The parent writes these as they are (:mod:`edi_workbook.batch.workbook`,
:mod:`edi_workbook.batch.outputs`); a result that was not rendered (``iter_batch`` used directly, a
task engine) is rendered by the writer itself with the same functions, so the output is the same.
"""

from __future__ import annotations

import datetime as dt
import html
import numbers as numbers_
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from edi_workbook import reference
from edi_workbook.batch.model import FileResult, Rendered
from edi_workbook.batch.outputs import ALL_ACTION_COLUMNS, csv_text, finding_rows, json_text
from edi_workbook.safe_text import fit_cell, looks_like_formula, xml_text

__all__ = ["MARK", "STYLES", "cells", "parts_for", "render", "xlsx_parts", "xlsx_row"]

MARK = "\x01"
"""Stands for the row number in a rendered row (a character XML cannot hold, so never in a text)."""

STYLES = (("yyyy-mm-dd", None), ("0%", None), ("General", "center"))
"""(number format, horizontal alignment) of the cell styles 1, 2 and 3 that rendered rows use: a
date, a percentage, a centred number (days). The workbook writer registers them first, in this order."""
_DATE, _PCT, _CENTRED = 1, 2, 3

_PCT_COLUMN = ALL_ACTION_COLUMNS.index(reference.load().header_of("pct_complete"))
_DAYS_COLUMN = ALL_ACTION_COLUMNS.index(reference.load().header_of("days_to_due"))
_EXCEL_ERRORS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
"""Text openpyxl stores as an error value rather than a string (as the roll-up always did)."""
_EPOCH = dt.datetime(1899, 12, 30)


def _letters(n: int) -> list[str]:
    """Column letters A, B, ... (openpyxl's ``get_column_letter``; workers do not import openpyxl,
    which costs 0.17 s per worker, and a test holds these helpers to openpyxl's own cells)."""
    out = []
    for i in range(1, n + 1):
        name = ""
        while i:
            i, rem = divmod(i - 1, 26)
            name = chr(65 + rem) + name
        out.append(name)
    return out


_OPEN = [f'<c r="{col}{MARK}"' for col in _letters(max(len(ALL_ACTION_COLUMNS), 64))]
_text_cache: dict[str, str] = {}
_number_cache: dict[tuple[Any, bool], str] = {}
"""Cells of whole numbers and dates, which repeat (days to due, row numbers, due dates): formatting
them was half of rendering an action row (issue 18). Keyed by the value and whether it is the days
column; floats are not kept (``-0.0 == 0.0`` but they are written differently)."""
_CACHE_SIZE = 20_000
"""Entries a cache holds before it is emptied: memory must not grow with the batch."""


def _escape(v: str) -> str:
    """As lxml writes text: ``&``, ``<``, ``>`` escaped, a carriage return as a character reference.

    ``html.escape`` without quotes escapes exactly these three, as ``xml.sax.saxutils.escape`` does;
    importing saxutils imports ``urllib.request`` (http.client, ssl, email): 17 ms in every worker.
    """
    return html.escape(v, quote=False).replace("\r", "&#13;")


def _text(v: str) -> str:
    """The rest of a text cell after ``<c r="..."``: cleaned, cut (saying so) at 32,767 characters,
    escaped.

    Text that a spreadsheet would take for a formula stays text; an Excel error word (``#N/A``) is
    an error value, as openpyxl writes it. Printable text holds no character XML cannot (controls,
    surrogates, U+FFFE and U+FFFF are all unprintable), so only the rest is cleaned.
    """
    clean = fit_cell(v if v.isprintable() else xml_text(v))
    if clean in _EXCEL_ERRORS and not looks_like_formula(clean):
        return f' t="e"><v>{clean}</v></c>'
    if not clean:
        return ' t="inlineStr"/>'
    space = ' xml:space="preserve"' if clean != clean.strip() else ""
    return f' t="inlineStr"><is><t{space}>{_escape(clean)}</t></is></c>'


def _number(v: float, style: int | None = None) -> str:
    s = f' s="{style}"' if style else ""
    text = "" if v != v or v in (float("inf"), float("-inf")) else f"{v:.16g}"
    return f'{s} t="n"><v>{text}</v></c>'


def _serial(v: dt.date) -> float:
    """Excel's serial number of a date (1900 date system, with Lotus's 29 February 1900)."""
    when = v if isinstance(v, dt.datetime) else dt.datetime.combine(v, dt.time())
    delta = when - _EPOCH
    days = delta.days - (1 if 0 < delta.days <= 60 else 0)
    return days + delta.seconds / 86400


def cells(values: Sequence[Any], pct_column: int | None = None, days_column: int | None = None) -> str:
    """One row's cells, with :data:`MARK` for the row number; empty values are left out."""
    out = []
    texts, numbers = _text_cache, _number_cache
    for i, v in enumerate(values):
        t = type(v)
        if v is None or (t is str and not v):
            continue
        if t is str:
            body = texts.get(v)
            if body is None:
                body = _text(v)
                if len(v) <= 200:  # files, organisations, statuses and messages repeat; actions do not
                    _keep(texts, v, body)
        elif t is int or t is dt.date or t is dt.datetime:
            key = (v, i == days_column)
            body = numbers.get(key)
            if body is None:
                body = (
                    _number(v, _CENTRED if i == days_column else None)
                    if t is int
                    else _number(_serial(v), _DATE)
                )
                _keep(numbers, key, body)
        elif t is bool:
            style = f' s="{_CENTRED}"' if i == days_column else ""  # True is an int to openpyxl too
            body = f'{style} t="b"><v>{int(v)}</v></c>'
        elif t is float:
            body = _number(v, _PCT if i == pct_column else None)
        elif isinstance(v, dt.date):
            body = _number(_serial(v), _DATE)
        elif isinstance(v, numbers_.Integral):  # a NumPy integer: a number, never centred (not an int)
            body = _number(int(v))
        elif isinstance(v, numbers_.Real):
            body = _number(float(v), _PCT if i == pct_column and isinstance(v, float) else None)
        else:
            body = _text(str(v))
        out.append(_OPEN[i] + body)
    return "".join(out)


def _keep(cache: dict[Any, str], key: Any, body: str) -> None:
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[key] = body


def xlsx_parts(r: FileResult) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``All actions`` rows and ``Findings`` rows of one file, as cells (:func:`cells`)."""
    if not r.readable:
        return (), ()
    actions = tuple(cells((r.file, r.organisation, *row), _PCT_COLUMN, _DAYS_COLUMN) for row in r.rows)
    return actions, tuple(cells(row) for row in finding_rows(r))


def xlsx_row(number: int, row_cells: str) -> str:
    """A rendered row as the ``<row>`` element it is at ``number`` (1 is the header)."""
    n = str(number)
    return f'<row r="{n}">{row_cells.replace(MARK, n)}</row>'


def _csv_parts(r: FileResult) -> tuple[str, str]:
    if not r.readable:
        return "", ""
    return csv_text((r.file, r.organisation, *row) for row in r.rows), csv_text(finding_rows(r))


def render(r: FileResult, fmt: str | None) -> FileResult:
    """``r`` with its findings and rows replaced by ``fmt``'s text (unchanged for other formats)."""
    if fmt == "xlsx":
        parts: tuple[Any, ...] = xlsx_parts(r)
    elif fmt == "csv":
        parts = _csv_parts(r)
    elif fmt == "json":
        parts = (json_text(r),)
    else:
        return r
    codes = tuple(f.code for f in r.findings)
    return replace(r, findings=[], rows=[], rendered=Rendered(fmt, parts, codes))


def parts_for(r: FileResult, fmt: str) -> tuple[Any, ...]:
    """What ``fmt`` writes for ``r``: rendered in the worker, or here if it was not."""
    if r.rendered is not None and r.rendered.fmt == fmt:
        return r.rendered.parts
    return render(r, fmt).rendered.parts  # type: ignore[union-attr]
