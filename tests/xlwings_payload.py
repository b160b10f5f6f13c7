"""Test helper: the JSON payload an xlwings client sends, built from a real ``.xlsx`` file.

xlwings' remote engine (``xlwings/pro/_xlremote.py``) builds a real ``xw.Book`` from the payload
its Office.js, Office Scripts, VBA and Google Apps Script clients post, and ``book.json()`` returns
the actions the client would apply in Excel. This module makes the payload from a workbook on
disk, the way the clients do (shape read from the installed xlwings and its clients):

- ``client`` and ``version``: ``Office.js`` lets the book add notes (``Range.add_note`` raises for
  other clients); for any other client ``version`` must equal the installed xlwings
  (``Book.__init__`` checks it);
- ``book``: ``name``, ``active_sheet_index`` (0-based) and ``selection`` (an A1 address);
- ``names``: defined names that refer to a range, each with ``name``, ``sheet_index`` (0-based),
  ``address`` (``$B$3``), ``book_scope``, ``scope_sheet_name`` and ``scope_sheet_index``;
- ``sheets``: per sheet ``name``, ``values`` (the rectangle A1 to the last used cell, empty cells
  as ``""``, date-formatted cells as ISO text ``2025-03-31T00:00:00.000Z`` like the clients'
  ``toISOString()``), ``tables`` (``name``, ``range_address``, ``header_row_range_address``,
  ``data_body_range_address``, ``total_row_range_address``, ``show_headers``, ``show_totals``,
  ``table_style``, ``show_autofilter``), ``pictures``, ``notes`` (``[{"address": "$B$3"}]``) and
  ``visibility``.

Formula cells carry their cached value, as Excel sends computed values: recalculate a workbook
that openpyxl wrote (no cached values) with LibreOffice first (``tests/libreoffice.py``).
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

__all__ = ["OFFICE_JS", "book_from_payload", "book_from_xlsx", "ensure_remote_engine", "payload_from_xlsx"]

OFFICE_JS = "Office.js"


def _cell(value: Any) -> Any:
    """One cell as a client sends it: ``""`` for empty, ISO text for dates, floats for numbers."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()).isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, dt.time):
        return str(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


def _absolute(ref: str) -> str:
    """``B3:D4`` -> ``$B$3:$D$4``, as Office.js reports addresses."""
    from openpyxl.utils.cell import absolute_coordinate

    return ":".join(absolute_coordinate(part) for part in ref.replace("$", "").split(":"))


def _table(ws: Any, table: Any) -> dict[str, Any]:
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    headers = 0 if table.headerRowCount == 0 else 1
    totals = int(table.totalsRowCount or 0)
    first, last = get_column_letter(min_col), get_column_letter(max_col)

    def rows(top: int, bottom: int) -> str:
        return _absolute(f"{first}{top}:{last}{bottom}")

    return {
        "name": table.displayName or table.name,
        "range_address": _absolute(table.ref),
        "header_row_range_address": rows(min_row, min_row) if headers else None,
        "data_body_range_address": rows(min_row + headers, max_row - totals),
        "total_row_range_address": rows(max_row, max_row) if totals else None,
        "show_headers": bool(headers),
        "show_totals": bool(totals),
        "table_style": table.tableStyleInfo.name if table.tableStyleInfo else "",
        "show_autofilter": table.autoFilter is not None,
    }


def _sheet(ws: Any) -> dict[str, Any]:
    rows = [
        [_cell(v) for v in row]
        for row in ws.iter_rows(
            min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True
        )
    ]
    notes = [
        {"address": _absolute(cell.coordinate)} for row in ws.iter_rows() for cell in row if cell.comment
    ]
    return {
        "name": ws.title,
        "values": rows or [[]],
        "tables": [_table(ws, t) for t in ws.tables.values()],
        "pictures": [],
        "notes": notes,
        "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
    }


def _names(wb: Any) -> list[dict[str, Any]]:
    titles = wb.sheetnames
    out: list[dict[str, Any]] = []
    scopes: list[tuple[Any, int | None]] = [(wb.defined_names, None)]
    scopes += [(ws.defined_names, i) for i, ws in enumerate(wb.worksheets)]
    for names, scope in scopes:
        for name, defn in sorted(names.items()):
            dests = list(defn.destinations) if defn.type == "RANGE" else []
            if len(dests) != 1 or dests[0][0] not in titles:
                continue  # Office.js sends only names that refer to one range
            sheet, ref = dests[0]
            out.append(
                {
                    "name": name,
                    "sheet_index": titles.index(sheet),
                    "address": _absolute(ref),
                    "book_scope": scope is None,
                    "scope_sheet_name": None if scope is None else titles[scope],
                    "scope_sheet_index": scope,
                }
            )
    return out


def payload_from_xlsx(
    path: Path, *, client: str = OFFICE_JS, active_sheet: str | None = None, selection: str = "A1"
) -> dict[str, Any]:
    """The payload an xlwings client would send for the workbook at ``path``."""
    import openpyxl
    import xlwings as xw

    wb = openpyxl.load_workbook(path, data_only=True)
    index = wb.sheetnames.index(active_sheet) if active_sheet else 0
    return {
        "client": client,
        "version": xw.__version__,
        "book": {"name": Path(path).name, "active_sheet_index": index, "selection": selection},
        "names": _names(wb),
        "sheets": [_sheet(ws) for ws in wb.worksheets],
    }


def ensure_remote_engine() -> None:
    """Register xlwings' remote engine with the free non-commercial key (tests only).

    xlwings registers it at import only when a licence key is set then; pytest may have imported
    xlwings earlier (doctests of ``edi_workbook.excel.functions``), so it is added here if missing.
    """
    import os

    import xlwings as xw

    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in [engine.name for engine in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.main.Engine(impl=_xlremote.engine))


def book_from_payload(payload: dict[str, Any]) -> Any:
    """A real ``xw.Book`` of xlwings' remote engine built from a client payload."""
    import xlwings as xw

    ensure_remote_engine()
    return xw.Book(json=copy.deepcopy(payload))  # the engine keeps and mutates the dict it is given


def book_from_xlsx(path: Path, **kwargs: Any) -> Any:
    """A real ``xw.Book`` of xlwings' remote engine over the workbook at ``path``."""
    return book_from_payload(payload_from_xlsx(path, **kwargs))
