r"""Text that must never become a live formula when it lands in a spreadsheet cell or a CSV.

A value starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
spreadsheets skip before looking) is taken as a formula by Excel and LibreOffice when a CSV is
opened or when the value is typed through Excel's object model. The OWASP advice for CSV
injection is to prefix such text with a single quote, which Excel hides and keeps as text.
openpyxl writers instead mark the cell as text (``data_type = "s"``) using :func:`looks_like_formula`.

Two more things text must not carry into a file: characters XML 1.0 cannot hold (a workbook is
XML; :func:`xml_text` drops them), and file names that are not valid UTF-8 (bytes a Linux file
system allows; :func:`printable_path` shows them as ``\xNN``), which no UTF-8 output can hold.

>>> neutralise("=HYPERLINK(1)"), neutralise("-1"), neutralise("A1: fine"), neutralise(3)
("'=HYPERLINK(1)", "'-1", 'A1: fine', 3)
>>> xml_text("a\x00b\ufffec"), printable_path("caf\udce9.xlsx")
('abc', 'caf\\xe9.xlsx')
"""

from __future__ import annotations

import os
import re
from typing import Any

__all__ = [
    "FORMULA_STARTS",
    "XML_ILLEGAL",
    "fit_cell",
    "looks_like_formula",
    "neutralise",
    "printable_path",
    "xml_text",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters outside XML 1.0's ``Char`` production (section 2.2): C0 controls other than tab, line
feed and carriage return; surrogates; U+FFFE and U+FFFF."""


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (so a workbook writer never chokes on them)."""
    return XML_ILLEGAL.sub("", text)


def fit_cell(text: str) -> str:
    """``text`` as an Excel cell can hold it: cut where Excel's 32,767 characters end, saying so.

    >>> fit_cell("short"), len(fit_cell("x" * 40_000)), fit_cell("x" * 40_000)[-48:]
    ('short', 32767, 'hold 32,767 characters; the rest is in the plan]')
    """
    from edi_workbook.limits import EXCEL_CELL_TEXT  # here: importing limits imports zipfile

    if len(text) <= EXCEL_CELL_TEXT:
        return text
    note = f" [cut: Excel cells hold {EXCEL_CELL_TEXT:,} characters; the rest is in the plan]"
    return text[: EXCEL_CELL_TEXT - len(note)] + note


def printable_path(path: str | os.PathLike[str]) -> str:
    r"""A file's path as text any output can hold: bytes that are not UTF-8 become ``\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def looks_like_formula(value: Any) -> bool:
    """True for text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """The value, with a leading ``'`` if it is text a spreadsheet would take for a formula."""
    return "'" + value if looks_like_formula(value) else value
