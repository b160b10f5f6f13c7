"""Per-owner calendars: one file per action owner, with safe file names that stay put.

Each owner's file is an ordinary export of that owner's items (see :mod:`edi_workbook.calendar.ics`),
and people subscribe to it, so it must keep its name, its events and their UIDs from one export to
the next. Each file says whose it is in two calendar properties of its own, written as hexadecimal
digests so no escaping can change them: ``X-EDI-WORKBOOK-PLAN`` (the plan: its calendar name) and
``X-EDI-WORKBOOK-OWNER`` (the owner, or ``none`` for actions without one). A file already in the
folder with this plan's and this owner's digests is read as the owner's previous export and
rewritten under its own name, so SEQUENCE and cancellations carry on; this plan's file of an owner
who has no events any more is rewritten with every event cancelled. Nothing else in the folder is
written over: other plans' files, damaged files, files that are not this package's calendars,
pipes and devices keep their names taken.

Owner files have UIDs of their own (RFC 5545 3.8.4.7), not the whole-plan file's, so the team
calendar and an owner's calendar can live in one CalDAV collection.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook.atomic import write_atomic
from edi_workbook.calendar.ics import PRODID, default_calendar_name, items_to_ics, plan_items
from edi_workbook.calendar.items import Item
from edi_workbook.limits import MAX_ICS_BYTES

if TYPE_CHECKING:
    from edi_workbook.plan import Plan

__all__ = ["OWNER_PROP", "PLAN_PROP", "by_owner", "safe_name"]

PLAN_PROP = "X-EDI-WORKBOOK-PLAN"
OWNER_PROP = "X-EDI-WORKBOOK-OWNER"
_NO_OWNER = "none"
_OUR_PRODID = f"PRODID:{PRODID.rsplit(' ', 1)[0]}".encode()  # any version of this package

# Names Windows refuses as file names, whatever the extension.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


def safe_name(text: str, taken: set[str]) -> str:
    """A file-name stem safe on Windows, macOS and Linux, unique among ``taken`` (case ignored).

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


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class _Found:
    """A calendar of this package found in the folder."""

    plan: str | None  # the digests of the plan and owner, None in files from before they existed
    owner: str | None
    name: str  # X-WR-CALNAME, unescaped
    data: bytes | None  # the file's bytes, None if it cannot be read as a calendar (damaged)


def by_owner(plan: Plan, out_dir: str | Path, *, fmt: str = "ics", **kw: Any) -> list[Path]:
    """One calendar per action owner in ``out_dir`` (``owner-name.ics``); the written paths.

    Actions without an owner go to ``no-owner``; national deadlines are left to the whole-plan
    calendar. See the module docstring for how files are matched to owners across exports.
    """
    from edi_workbook.arguments import plan_argument

    plan = plan_argument(plan, "by_owner")
    if fmt not in ("ics", "outlook-csv"):
        raise ValueError(f"by_owner() fmt must be 'ics' or 'outlook-csv', not {fmt!r}")
    out = Path(out_dir)
    dtstamp = kw.pop("dtstamp", None)
    kw.pop("previous", None)
    kw.pop("calendar_name", None)
    kw["national"] = False
    owners: dict[str, list[Item]] = {}
    spelt: dict[str, str] = {}  # "Ann", "ann" and "ANN " are one owner, named as first written
    for item in plan_items(plan, **kw):
        name = spelt.setdefault(" ".join((item.owner or "").split()).casefold(), item.owner or "")
        owners.setdefault(name, []).append(item)
    order = sorted(owners, key=lambda o: (o == "", o.casefold()))
    if fmt == "outlook-csv":
        return _csv_files(out, owners, order)
    found = _our_calendars(out)
    plan_id = _digest(default_calendar_name(plan))
    mine = {(f.plan, f.owner): path for path, f in found.items() if f.plan is not None}
    legacy = {f.name: path for path, f in found.items() if f.plan is None}
    taken = _stems(out, ".ics", keep=set())
    written = []
    for owner in order:
        owner_id = _digest(owner) if owner else _NO_OWNER
        name = default_calendar_name(plan, owner or "no owner")
        path = mine.pop((plan_id, owner_id), None) or legacy.pop(name, None)
        if path is None:
            path = out / f"{safe_name(owner or 'no-owner', taken)}.ics"
        previous = found[path].data if path in found else None
        items = [replace(it, key=f"{it.key}|owner-file") for it in owners[owner]]
        extra = {PLAN_PROP: plan_id, OWNER_PROP: owner_id}
        write_atomic(path, items_to_ics(items, name=name, previous=previous, dtstamp=dtstamp, extra=extra))
        written.append(path)
    for (file_plan, gone_owner), path in sorted(mine.items(), key=lambda kv: kv[1]):
        if file_plan == plan_id and found[path].data is not None:  # an owner with no events any more
            data = items_to_ics([], name=found[path].name, previous=found[path].data, dtstamp=dtstamp,
                                extra={PLAN_PROP: plan_id, OWNER_PROP: str(gone_owner)})  # fmt: skip
            write_atomic(path, data)
            written.append(path)
    return written


def _csv_files(out: Path, owners: dict[str, list[Item]], order: list[str]) -> list[Path]:
    """Outlook CSV per owner: an existing ``.csv`` is replaced only if it is one of ours."""
    from edi_workbook.calendar.outlook_csv import COLUMNS, items_to_csv

    header = ",".join(f'"{c}"' for c in COLUMNS).encode("utf-8")
    taken = _stems(out, ".csv", keep={p.stem.casefold() for p in _files(out, ".csv") if _starts(p, header)})
    written = []
    for owner in order:
        stem = safe_name(owner or "no-owner", taken)
        path = out / f"{stem}.csv"
        write_atomic(path, items_to_csv(owners[owner]).encode("utf-8"))
        written.append(path)
    return written


def _files(out: Path, suffix: str) -> list[Path]:
    """Regular files of ``out`` named ``*suffix`` (case ignored), sorted; never a pipe or a device."""
    try:
        entries = sorted(os.scandir(out), key=lambda e: e.name)
    except OSError:  # no folder yet (it is made on the first write), or not a folder
        return []
    return [Path(e.path) for e in entries if e.name.lower().endswith(suffix) and _regular(e)]


def _regular(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()  # follows links; False for pipes, devices and sockets
    except OSError:
        return False


def _stems(out: Path, suffix: str, keep: set[str]) -> set[str]:
    """File-name stems in ``out`` a new file must not take (any entry named ``*suffix``, pipes
    included), less ``keep``: stems of our own files that may be written again."""
    try:
        names = [e.name for e in os.scandir(out)]
    except OSError:
        return set()
    return {n[: -len(suffix)].casefold() for n in names if n.lower().endswith(suffix)} - keep


def _starts(path: Path, prefix: bytes) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(prefix) + 3).lstrip(b"\xef\xbb\xbf").startswith(prefix)
    except OSError:
        return False


def _our_calendars(out: Path) -> dict[Path, _Found]:
    """This package's calendar files in ``out`` (path -> what it is); everything else is left alone.

    Files are matched to owners by the digests they carry, not by file name or calendar name: two
    owners can share a file-name stem, names are escaped in the file, and several plans can share
    a folder. A file too large to be one of ours is not read.
    """
    found = {}
    for path in _files(out, ".ics"):
        try:
            if path.stat().st_size > MAX_ICS_BYTES:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        if _OUR_PRODID not in data[:4096]:
            continue
        props = _calendar_properties(data)
        readable = _parses(data)
        found[path] = _Found(props.get(PLAN_PROP), props.get(OWNER_PROP), props.get("X-WR-CALNAME", ""),
                             data if readable else None)  # fmt: skip
    return found


def _parses(data: bytes) -> bool:
    from edi_workbook.calendar.ics import read_previous
    from edi_workbook.errors import UsageError

    try:
        read_previous(data)
    except UsageError:
        return False
    return True


_ESCAPED = re.compile(r"\\([\\;,nN])")


def _calendar_properties(data: bytes) -> dict[str, str]:
    """The VCALENDAR's own properties before its first component, unfolded and unescaped as TEXT
    (RFC 5545 3.1 and 3.3.11); tolerant of damage, so even a broken file says whose it is."""
    text = data.decode("utf-8", "replace").replace("\r\n", "\n")
    text = re.sub(r"\n[ \t]", "", text)  # unfold
    props: dict[str, str] = {}
    for line in text.split("\n"):
        if line.upper().startswith("BEGIN:") and line.upper() != "BEGIN:VCALENDAR":
            break
        head, sep, value = line.partition(":")
        if sep:
            props.setdefault(head.split(";", 1)[0].strip().upper(), _ESCAPED.sub(_unescape, value))
    return props


def _unescape(m: re.Match[str]) -> str:
    return "\n" if m[1] in "nN" else m[1]
