"""Per-owner calendars: one file per action owner, with safe, unique file names.

``edi_workbook.reminders.by_owner`` calls :func:`by_owner` here. Each owner's file is an ordinary
export of that owner's items (see ``reminders``); a file already in the folder is read as that
owner's previous export, so SEQUENCE and cancellations carry on from one run to the next.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook.atomic import write_atomic
from edi_workbook.reminders import PRODID, default_calendar_name, items_to_ics, plan_items
from edi_workbook.reminders_items import Item

if TYPE_CHECKING:
    from edi_workbook.plan import Plan

__all__ = ["by_owner", "safe_name"]

# Names Windows refuses as file names, whatever the extension.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


def safe_name(text: str, taken: set[str]) -> str:
    """A file-name stem safe on Windows, macOS and Linux, unique among ``taken``.

    >>> safe_name("Dr Zoë O'Neill / HR", set()), safe_name("CON", set())
    ('dr-zoe-o-neill-hr', 'con-owner')
    """
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:60].strip("-") or "owner"
    if stem in _RESERVED:
        stem += "-owner"
    name, n = stem, 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}"
    taken.add(name)
    return name


def by_owner(plan: Plan, out_dir: str | Path, *, fmt: str = "ics", **kw: Any) -> list[Path]:
    """One calendar per action owner in ``out_dir`` (``owner-name.ics``); the written paths.

    Actions without an owner go to ``no-owner``; national deadlines are left to the whole-plan
    calendar. An ``.ics`` of the same name already in ``out_dir`` is read as the previous export,
    so SEQUENCE and cancellations carry on from one run to the next; a file this package wrote
    for an owner who has no events any more is rewritten with every event cancelled.
    """
    out = Path(out_dir)
    dtstamp = kw.pop("dtstamp", None)
    kw.pop("previous", None)
    kw.pop("calendar_name", None)
    kw["national"] = False
    items = plan_items(plan, **kw)
    owners: dict[str, list[Item]] = {}
    for item in items:
        owners.setdefault(item.owner or "", []).append(item)
    taken: set[str] = set()
    written = []
    for owner in sorted(owners, key=lambda o: (o == "", o.casefold())):
        stem = safe_name(owner or "no-owner", taken)
        path = out / f"{stem}.{'csv' if fmt == 'outlook-csv' else 'ics'}"
        if fmt == "outlook-csv":
            from edi_workbook.reminders_csv import items_to_csv

            data = items_to_csv(owners[owner]).encode("utf-8")
        else:
            previous = path.read_bytes() if path.is_file() else None
            name = default_calendar_name(plan, owner or "no owner")
            data = items_to_ics(owners[owner], name=name, previous=previous, dtstamp=dtstamp)
        write_atomic(path, data)
        written.append(path)
    if fmt != "outlook-csv":
        written += _cancel_vanished(out, set(written), dtstamp)
    return written


def _cancel_vanished(out: Path, keep: set[Path], dtstamp: dt.datetime | None) -> list[Path]:
    """Rewrite our per-owner files whose owner has no events now: every event cancelled."""
    rewritten = []
    for path in sorted(out.glob("*.ics")):
        data = path.read_bytes()
        if path in keep or f"PRODID:{PRODID.rsplit(' ', 1)[0]}".encode() not in data:
            continue
        name = str(_read_name(data))
        write_atomic(path, items_to_ics([], name=name, previous=data, dtstamp=dtstamp))
        rewritten.append(path)
    return rewritten


def _read_name(data: bytes) -> str:
    from icalendar import Calendar

    return str(Calendar.from_ical(data).get("x-wr-calname", "EDI action plan"))
