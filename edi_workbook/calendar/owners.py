"""Per-owner calendars: one file per action owner, with safe, unique file names.

Each owner's file is an ordinary export of that owner's items (see :mod:`edi_workbook.calendar.ics`);
a file already in the folder with that owner's calendar name is read as the owner's previous
export, so SEQUENCE and cancellations carry on from one run to the next.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook.atomic import write_atomic
from edi_workbook.calendar.ics import PRODID, default_calendar_name, items_to_ics, plan_items
from edi_workbook.calendar.items import Item

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
    calendar. This package's ``.ics`` already in ``out_dir`` with the owner's calendar name is
    read as the previous export (and keeps its file name), so SEQUENCE and cancellations carry
    on from one run to the next; this plan's file for an owner who has no events any more is
    rewritten with every event cancelled. Other plans' files in the folder are left alone.
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
    ours = _our_calendars(out) if fmt != "outlook-csv" else {}
    by_name = {name: path.stem for path, (name, _) in ours.items()}
    taken = set(by_name.values())  # a file of another owner, or of another plan, is never reused
    written = []
    for owner in sorted(owners, key=lambda o: (o == "", o.casefold())):
        name = default_calendar_name(plan, owner or "no owner")
        stem = by_name.get(name) or safe_name(owner or "no-owner", taken)
        path = out / f"{stem}.{'csv' if fmt == 'outlook-csv' else 'ics'}"
        if fmt == "outlook-csv":
            from edi_workbook.calendar.outlook_csv import items_to_csv

            data = items_to_csv(owners[owner]).encode("utf-8")
        else:
            previous = ours[path][1] if path in ours else None
            data = items_to_ics(owners[owner], name=name, previous=previous, dtstamp=dtstamp)
        write_atomic(path, data)
        written.append(path)
    if fmt != "outlook-csv":
        mine = default_calendar_name(plan, "")  # "EDI action plan – Org"; owners' files add " – Owner"
        gone = {p: v for p, v in ours.items() if p not in written and v[0].startswith(f"{mine} – ")}
        written += _cancel_vanished(gone, dtstamp)
    return written


def _our_calendars(out: Path) -> dict[Path, tuple[str, bytes]]:
    """This package's calendar files in ``out``: path -> (calendar name, bytes); others are left alone.

    Files are matched to owners by calendar name (``X-WR-CALNAME``), not by file name: two owners
    can share a file-name stem, and several plans can share a folder.
    """
    found = {}
    for path in sorted(out.glob("*.ics")):
        data = path.read_bytes()
        if f"PRODID:{PRODID.rsplit(' ', 1)[0]}".encode() in data:
            found[path] = (_read_name(data), data)
    return found


def _cancel_vanished(gone: dict[Path, tuple[str, bytes]], dtstamp: dt.datetime | None) -> list[Path]:
    """Rewrite this plan's per-owner files whose owner has no events now: every event cancelled."""
    for path, (name, data) in gone.items():
        write_atomic(path, items_to_ics([], name=name, previous=data, dtstamp=dtstamp))
    return list(gone)


def _read_name(data: bytes) -> str:
    from icalendar import Calendar

    return str(Calendar.from_ical(data).get("x-wr-calname", "EDI action plan"))
