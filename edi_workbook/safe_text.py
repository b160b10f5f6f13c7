"""Text that must never become a live formula when it lands in a spreadsheet cell or a CSV.

A value starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
spreadsheets skip before looking) is taken as a formula by Excel and LibreOffice when a CSV is
opened or when the value is typed through Excel's object model. The OWASP advice for CSV
injection is to prefix such text with a single quote, which Excel hides and keeps as text.
openpyxl writers instead mark the cell as text (``data_type = "s"``) using :func:`looks_like_formula`.

>>> neutralise("=HYPERLINK(1)"), neutralise("-1"), neutralise("A1: fine"), neutralise(3)
("'=HYPERLINK(1)", "'-1", 'A1: fine', 3)
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_STARTS", "looks_like_formula", "neutralise"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    """True for text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """The value, with a leading ``'`` if it is text a spreadsheet would take for a formula."""
    return "'" + value if looks_like_formula(value) else value
