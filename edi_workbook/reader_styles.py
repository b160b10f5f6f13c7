"""Which cells are formatted as percentages, so ``% complete`` is read as Excel shows it.

Excel stores 150% as 1.5 and shows it through the cell's number format. Without the format, 1.5
would read as 1.5 points; with it, the value is read as the text Excel shows (``150%``) and
validation can report it. Formats come from ``xl/styles.xml`` (ECMA-376 Part 1, 18.8.10 cellXfs
and 18.8.30 numFmt; built-in formats 9 ``0%`` and 10 ``0.00%``), parsed by openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import MutableSequence, Sequence
from typing import Any

__all__ = ["percent_cells", "percent_styles", "show_percentages"]

_BUILTIN_PERCENT = frozenset({9, 10})


def percent_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell formats (``s="N"`` on a cell) whose number format is a percentage."""
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.xml.functions import fromstring

    part = next((n for n in zf.namelist() if n.endswith("styles.xml") and n.startswith("xl/")), None)
    if part is None:
        return frozenset()
    sheet = Stylesheet.from_tree(fromstring(zf.read(part)))
    custom = {
        n.numFmtId for n in (sheet.numFmts.numFmt if sheet.numFmts else []) if _is_percent(n.formatCode)
    }
    return frozenset(
        i for i, xf in enumerate(sheet.cellXfs.xf) if (xf.numFmtId or 0) in _BUILTIN_PERCENT | custom
    )


def _is_percent(code: str | None) -> bool:
    """True for a format code with a ``%`` outside quoted text: ``0.0%`` yes, ``0 "%pts"`` no."""
    return "%" in re.sub(r'"[^"]*"|\\.', "", code or "")


def percent_cells(xml: bytes, column: str, styles: frozenset[int]) -> set[int]:
    """Sheet rows whose cell in ``column`` (letters) has one of the percentage ``styles``.

    >>> sorted(percent_cells(b'<c r="K5" s="3"><v>1.5</v></c><c r="K6" s="1"/>', "K", frozenset({3})))
    [5]
    """
    if not styles:
        return set()
    rows: set[int] = set()
    for m in re.finditer(rb'<(?:\w+:)?c\s([^>]*?\br="' + column.encode() + rb'(\d+)"[^>]*)>', xml):
        s = re.search(rb'\bs="(\d+)"', m[1])
        if s and int(s[1]) in styles:
            rows.add(int(m[2]))
    return rows


def show_percentages(grid: Sequence[MutableSequence[Any]], rows: set[int], col: int) -> None:
    """Replace numbers in ``rows`` of column ``col`` (0-based) by the percentage Excel shows."""
    for r in rows:
        if r - 1 < len(grid) and col < len(grid[r - 1]):
            v = grid[r - 1][col]
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v:
                grid[r - 1][col] = f"{round(v * 100, 6):g}%"
