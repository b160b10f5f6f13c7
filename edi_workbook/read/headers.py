"""Tolerant header matching: which sheet row is the plan's header, and which column is which.

Real plans rename columns (``Ref``, ``Lead``, ``Deadline``, ``High Impact Action``, ``Progress``).
Headers are compared after :func:`normalise` (case, spacing and punctuation ignored) against the
canonical headers and aliases in ``reference.load().columns``; a row's score is how many distinct
canonical columns it names. The first column found for a key wins; later ones are extras.

>>> match_header("Owner(s)"), match_header("Target date (dd/mm/yyyy)"), match_header("High Impact Action")
('owner', 'due_date', 'hia')
>>> match_header("Budget") is None
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from edi_workbook import reference, values

__all__ = ["MIN_SCORE", "HeaderMatch", "best_header_row", "match_header", "match_row", "normalise"]

MIN_SCORE = 3
"""A row must name at least this many canonical columns to count as the plan's header."""
SCAN_ROWS = 60
"""How many rows from the top of each sheet are looked at for a header row."""


def normalise(text: str) -> str:
    """Header text reduced for comparison: lower case, only letters, digits, ``%`` and ``#``."""
    return re.sub(r"[^a-z0-9%#]+", "", text.lower())


@functools.cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for col in reference.load().columns:
        for name in (col.header, *col.aliases):
            table.setdefault(normalise(name), col.key)
    table.pop("", None)
    return table


def match_header(text: Any) -> str | None:
    """The canonical key a header cell names, or None.

    Tries the whole text, then the text without a bracketed part (``Due date (dd/mm/yyyy)``), then
    each part around ``/`` (``Lead / Owner``).
    """
    if not isinstance(text, str) or not text.strip():
        return None
    return _match_text(text)


@functools.lru_cache(maxsize=8192)
def _match_text(text: str) -> str | None:
    lookup = _lookup()
    candidates = [text, re.sub(r"\(.*?\)|\[.*?\]", " ", text), *re.split(r"/", text)]
    for cand in candidates:
        key = lookup.get(normalise(cand))
        if key:
            return key
    return None


@dataclass
class HeaderMatch:
    """A header row: its 0-based index in the rows given, and key -> column index (0-based)."""

    row: int
    columns: dict[str, int] = field(default_factory=dict)
    extras: dict[int, str] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return len(self.columns)


def match_row(cells: Sequence[Any], row: int = 0) -> HeaderMatch:
    """Map one row's header cells to canonical keys; unknown non-blank headers become extras."""
    found = HeaderMatch(row=row)
    for j, cell in enumerate(cells):
        if cell is None:
            continue
        text: str | None
        if cell.__class__ is str:  # most cells: skip match_header's checks
            text = cell.strip()
            if not text:
                continue
            key = _match_text(cell)
        else:
            key = match_header(cell)
            text = None if values.is_blank(cell) else str(cell).strip()
        if key is not None and key not in found.columns:
            found.columns[key] = j
        elif text is not None:
            found.extras[j] = text
    return found


def best_header_row(rows: Sequence[Sequence[Any]], limit: int = SCAN_ROWS) -> HeaderMatch | None:
    """The highest-scoring header row among the first ``limit`` rows (earliest wins a tie).

    None when no row names at least :data:`MIN_SCORE` columns including the action text or its id.
    """
    best: HeaderMatch | None = None
    for i, cells in enumerate(rows[:limit]):
        if sum(isinstance(c, str) and bool(c.strip()) for c in cells) < MIN_SCORE:
            continue
        m = match_row(cells, i)
        if m.score < MIN_SCORE or not ({"action", "action_id"} & m.columns.keys()):
            continue
        if best is None or m.score > best.score:
            best = m
    return best
