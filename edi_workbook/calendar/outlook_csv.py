"""Calendar items as a CSV file for Outlook's "Import from another program or file".

The column names are the ones Outlook writes when it exports a calendar to CSV, so its import maps
them without help: ``Subject``, ``Start Date``, ``Start Time``, ``End Date``, ``End Time``,
``All day event``, ``Reminder on/off``, ``Reminder Date``, ``Reminder Time``, ``Categories``,
``Description``, ``Location``, ``Private``. Dates are ``dd/mm/yyyy`` (a UK Outlook reads them so),
times ``HH:MM:SS``; an all-day event ends at 00:00 the next day, as Outlook itself exports one.
CSV has no alarms limit, so every item carries its own reminder at 09:00 on its reminder day.

The text is UTF-8 with a byte-order mark (Excel and Outlook then read accents and emoji right),
CRLF line ends, every field quoted. A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or
carriage return) is prefixed with ``'`` so no spreadsheet opening the file runs it as a formula
(OWASP, "CSV Injection").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from edi_workbook.calendar.items import REMINDER_HOUR, Item
from edi_workbook.safe_text import neutralise

__all__ = ["COLUMNS", "items_to_csv"]

COLUMNS = (
    "Subject",
    "Start Date",
    "Start Time",
    "End Date",
    "End Time",
    "All day event",
    "Reminder on/off",
    "Reminder Date",
    "Reminder Time",
    "Categories",
    "Description",
    "Location",
    "Private",
)
_MIDNIGHT = "00:00:00"


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _row(item: Item) -> list[str]:
    alarm = item.alarm
    return [
        neutralise(item.summary),
        _date(item.day),
        _MIDNIGHT,
        _date(item.day + dt.timedelta(days=1)),
        _MIDNIGHT,
        "True",
        "True" if alarm else "False",
        _date(alarm) if alarm else "",
        f"{REMINDER_HOUR:02d}:00:00" if alarm else "",
        neutralise(";".join(item.categories)),
        neutralise(item.full_description),
        "",
        "False",
    ]


def items_to_csv(items: Sequence[Item]) -> str:
    """The CSV text (starting with a BOM), one row per item."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    writer.writerows(_row(item) for item in items)
    return buf.getvalue()
