"""Which cells are formatted as percentages, so ``% complete`` is read as Excel shows it.

Excel stores 150% as 1.5 and shows it through the cell's number format. Without the format, 1.5
would read as 1.5 points; with it, the value is read as the text Excel shows (``150%``) and
validation can report it. Formats come from ``xl/styles.xml`` (ECMA-376 Part 1, 18.8.10 cellXfs
and 18.8.30 numFmt; built-in formats 9 ``0%`` and 10 ``0.00%``), read by
:func:`edi_workbook.read.parts.number_formats`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection, MutableSequence, Sequence
from typing import Any

__all__ = ["percent_cells", "percent_styles", "show_percentages", "shows_as_percentage"]

_BUILTIN_PERCENT = frozenset({9, 10})


def percent_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell formats (``s="N"`` on a cell) whose number format is a percentage."""
    from edi_workbook.read.parts import number_formats

    xfs, codes = number_formats(zf)
    custom = {fmt_id for fmt_id, code in codes.items() if _is_percent(code)}
    return frozenset(i for i, fmt_id in enumerate(xfs) if fmt_id in _BUILTIN_PERCENT | custom)


def _is_percent(code: str | None) -> bool:
    """True for a format code with a ``%`` outside quoted text: ``0.0%`` yes, ``0 "%pts"`` no."""
    return "%" in re.sub(r'"[^"]*"|\\.', "", code or "")


def percent_cells(
    xml: bytes, column: str, styles: frozenset[int], among: Collection[int] | None = None
) -> set[int]:
    """Sheet rows whose cell in ``column`` (letters) has one of the percentage ``styles``; only the
    rows in ``among`` when it is given (the rows holding a number: the others show no percentage).

    >>> sorted(percent_cells(b'<c r="K5" s="3"><v>1.5</v></c><c r="K6" s="1"/>', "K", frozenset({3})))
    [5]
    """
    if not styles:
        return set()
    rows: set[int] = set()
    rfind, find = xml.rfind, xml.find
    for m in re.finditer(b'r="' + column.encode() + rb'(\d+)"', xml):  # a literal start: fast to find
        if among is not None and len(m[1]) <= 4000 and int(m[1]) not in among:
            continue  # the template's pre-formatted empty rows (longer numbers go on, as before, to int())
        if not xml[m.start() - 1 : m.start()].isspace():
            continue
        start, end = rfind(b"<", 0, m.start()), find(b">", m.end())
        s = _STYLE_RE.search(xml, start, end)
        if s and int(s[1]) in styles and _CELL_START.match(xml, start):
            rows.add(int(m[1]))
    return rows


_STYLE_RE = re.compile(rb'\bs="(\d+)"')
_CELL_START = re.compile(rb"<(?:\w+:)?c\s")


def shows_as_percentage(v: Any) -> bool:
    """A value a percentage format shows as a percentage: a number (not a bool, not NaN)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v


def show_percentages(grid: Sequence[MutableSequence[Any]], rows: set[int], col: int) -> set[int]:
    """Replace numbers in ``rows`` of column ``col`` (0-based) by the percentage Excel shows;
    returns the sheet rows replaced."""
    done: set[int] = set()
    for r in rows:
        if r - 1 < len(grid) and col < len(grid[r - 1]):
            v = grid[r - 1][col]
            if shows_as_percentage(v):
                grid[r - 1][col] = f"{round(v * 100, 6):g}%"
                done.add(r)
    return done
