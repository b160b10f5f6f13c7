"""Which cells are formatted as percentages, so ``% complete`` is read as Excel shows it.

Excel stores 150% as 1.5 and shows it through the cell's number format. Without the format, 1.5
would read as 1.5 points; with it, the value is read as the text Excel shows (``150%``) and
validation can report it. Formats come from ``xl/styles.xml`` (ECMA-376 Part 1, 18.8.10 cellXfs
and 18.8.30 numFmt; built-in formats 9 ``0%`` and 10 ``0.00%``), read by
:func:`edi_workbook.read.parts.number_formats`.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Collection, MutableSequence, Sequence
from typing import Any

from edi_workbook.read.parts import LastBefore, NextFrom

__all__ = ["number_rows", "percent_cells", "percent_styles", "show_percentages", "shows_as_percentage"]

_BUILTIN_PERCENT = frozenset({9, 10})


def percent_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell formats (``s="N"`` on a cell) whose number format is a percentage."""
    from edi_workbook.read.parts import STYLES_CACHED, kept_if_small, styles_part

    data = styles_part(zf)
    if data is None:
        return frozenset()
    return kept_if_small(_percent_styles_of, STYLES_CACHED, data)


@functools.lru_cache(maxsize=32)
def _percent_styles_of(data: bytes) -> frozenset[int]:
    """:func:`percent_styles` of the styles part's bytes (cached: a batch's plans often share them)."""
    from edi_workbook.read.parts import formats_of

    xfs, codes = formats_of(data)
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
    style = _STYLE_RE.search
    # the looks back (to the tag's "<") and on (to its ">") read the sheet once in all, and a tag's
    # style is read once: many references inside one tag (a hostile file's attribute value) cost one
    # reading, not one each
    tag_start, tag_end = LastBefore(xml, b"<"), NextFrom(xml, b">")
    last_span, s = (-1, -1), None
    for m in re.finditer(b'r="' + column.encode() + rb'(\d+)"', xml):  # a literal start: fast to find
        if among is not None and len(m[1]) <= 4000 and int(m[1]) not in among:
            continue  # the template's pre-formatted empty rows (longer numbers go on, as before, to int())
        at = m.start()
        cell = at >= 3 and xml.startswith(b"<c ", at - 3)  # <c r="K5": Excel's order, the tag known
        if not cell and not xml[at - 1 : at].isspace():
            continue
        start = at - 3 if cell else tag_start(at)
        span = (start, tag_end(m.end()))
        if span != last_span:
            last_span, s = span, style(xml, *span)
        if s and int(s[1]) in styles and (cell or _CELL_START.match(xml, start)):
            rows.add(int(m[1]))
    return rows


_STYLE_RE = re.compile(rb'\bs="(\d+)"')
_CELL_START = re.compile(rb"<(?:\w+:)?c\s")


def shows_as_percentage(v: Any) -> bool:
    """A value a percentage format shows as a percentage: a number (not a bool, not NaN)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v


def number_rows(grid: Sequence[Sequence[Any]], col: int) -> set[int]:
    """Sheet rows whose cell in column ``col`` (0-based) holds a number :func:`shows_as_percentage`
    accepts; text, empty cells and floats are told apart inline (a call per cell was most of the
    time on a 10,000-row sheet), anything else is asked.

    >>> sorted(number_rows([["a", 0.5], ["b", ""], ["c", 2], ["d", float("nan")], ["e", True]], 1))
    [1, 3]
    """
    return {
        i
        for i, row in enumerate(grid, 1)
        if col < len(row)
        and (v := row[col]) is not None
        and (v == v if v.__class__ is float else v.__class__ is not str and shows_as_percentage(v))
    }


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
