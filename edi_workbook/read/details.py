"""Plan details and settings: from the template's defined names, else from labels in the sheets.

The template keeps them as workbook-level defined names (docs/ARCHITECTURE.md, "The template's
contract"): settings ``AsOfDate``, ``AmberDays``, ``ProgressTolerance``, ``ReminderDays`` and details
``OrgName``, ``OrgType``, ``PlanPeriod``, ``PlanOwner``, ``ReviewDate``. A foreign workbook usually
has a title block instead (``Organisation: Riverside Practice`` or a label with the value beside it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from edi_workbook import values
from edi_workbook.plan import PlanDetails, Settings
from edi_workbook.read.headers import normalise

__all__ = [
    "as_at_from_labels",
    "details_from_labels",
    "details_from_names",
    "setting_cells",
    "settings_from_names",
]

GridOf = Callable[[str], Sequence[Sequence[Any]]]

_DETAIL_NAMES = {
    "OrgName": "organisation",
    "OrgType": "organisation_type",
    "PlanPeriod": "plan_period",
    "PlanOwner": "plan_owner",
    "ReviewDate": "review_date",
}
_LABELS = {
    "organisation": {
        "organisation",
        "organization",
        "organisationname",
        "organizationname",
        "orgname",
        "nameoforganisation",
        "trust",
        "practice",
        "practicename",
        "provider",
        "employer",
    },
    "organisation_type": {"organisationtype", "organizationtype", "orgtype", "typeoforganisation"},
    "plan_period": {
        "planperiod",
        "period",
        "planyear",
        "reportingperiod",
        "reportingyear",
        "year",
        "financialyear",
    },
    "plan_owner": {
        "planowner",
        "edilead",
        "leadofficer",
        "accountableofficer",
        "sro",
        "seniorresponsibleofficer",
        "executivelead",
        "executivesponsor",
    },
    "review_date": {"reviewdate", "nextreview", "nextreviewdate", "datereviewed", "lastreviewed"},
}
_LABEL_OF = {label: key for key, labels in _LABELS.items() for label in labels}


def _value_at(grid_of: GridOf, sheet: str, cell: str) -> Any:
    from edi_workbook.read.parts import cell_bounds

    try:
        col, row, _c1, _r1 = cell_bounds(cell)
        grid = grid_of(sheet)
        return grid[row - 1][col - 1] if row - 1 < len(grid) and col - 1 < len(grid[row - 1]) else None
    except (ValueError, KeyError, LookupError):  # a name pointing at a missing sheet or odd range
        return None


def _details(found: Mapping[str, Any]) -> PlanDetails | None:
    if not any(not values.is_blank(v) for v in found.values()):
        return None
    text = {k: values.parse_text(v) for k, v in found.items() if k != "review_date"}
    return PlanDetails(**text, review_date=values.parse_date(found.get("review_date")))


def details_from_names(names: Mapping[str, tuple[str, str]], grid_of: GridOf) -> PlanDetails | None:
    """Plan details from the defined names, or None if the workbook has none of them."""
    found = {key: _value_at(grid_of, *names[n]) for n, key in _DETAIL_NAMES.items() if n in names}
    if not found:
        return None
    return _details(found) or PlanDetails()


_SETTINGS = ("AsOfDate", "AmberDays", "ProgressTolerance", "ReminderDays")


def setting_cells(names: Mapping[str, tuple[str, str]], grid_of: GridOf) -> dict[str, tuple[str, str, Any]]:
    """``{name: (sheet, cell, value as stored)}`` for each setting that has a defined name."""
    return {n: (*names[n], _value_at(grid_of, *names[n])) for n in _SETTINGS if n in names}


def settings_from_names(names: Mapping[str, tuple[str, str]], grid_of: GridOf) -> Settings | None:
    """Settings from the defined names; None if there are none. Unreadable values keep defaults.

    Values typed as text (``22/11/2026``, ``"30"``) are read as what they say; validation points
    at them, because the workbook's own formulas do not read text there (``rules/date_as_text``).
    """
    got = {n: _value_at(grid_of, *names[n]) for n in _SETTINGS if n in names}
    if not got:
        return None
    amber = values.parse_int_list(got.get("AmberDays"))
    return Settings().replace(
        as_of=values.parse_date(got.get("AsOfDate")),
        amber_days=amber[0] if amber and len(amber) == 1 else None,
        progress_tolerance=values.parse_number(got.get("ProgressTolerance")),
        reminder_days=_reminder_days(got.get("ReminderDays")),
    )


def _reminder_days(value: Any) -> tuple[int, ...] | None:
    """ReminderDays as typed: days from 0 to 366, at most ten of them (the first ten given); the
    others are not used (``edi_workbook.limits``). None (the default) when the cell has no number."""
    from edi_workbook.limits import MAX_REMINDER_DAY, MAX_REMINDERS

    days = values.parse_int_list(value)
    if days is None:
        return None
    return tuple(list(dict.fromkeys(d for d in days if 0 <= d <= MAX_REMINDER_DAY))[:MAX_REMINDERS])


_GAP = re.compile(r"\t|\s{3,}")
"""A wide gap in a cell: what follows is something else (``Riverside    Position as at 30/09/2026``)."""
_SEPARATOR = re.compile(r"\s*(?:\n|\s[|;]\s)\s*")
"""A line break, `` | `` or `` ; ``: what follows is something else only if it reads as such."""
_AS_AT = re.compile(r"(?:position\s+)?as\s+(?:at|of)\b|(?:last\s+)?updated\b|dated?\b", re.I)
_LONGEST_LABEL = 100
"""Characters a label before its ``:`` may take, spaces and all (the longest label has 26 letters)."""


def _key(text: str) -> str | None:
    """The detail a label names: its text before the ``:`` (or all of it), or None.

    >>> _key("Plan owner: Jo"), _key("Organisation"), _key("Budget: 5")
    ('plan_owner', 'organisation', None)
    """
    return _LABEL_OF.get(normalise(text.partition(":")[0]))


def _starts_label(text: str, at: int) -> bool:
    """Whether ``text`` from ``at`` starts with a label (:func:`_key`), looking no further than a
    label can reach: a cell of thousands of `` | `` is read once, not once per separator."""
    colon = text.find(":", at, at + _LONGEST_LABEL + 1)
    end = colon if colon >= 0 else len(text)
    return end - at <= _LONGEST_LABEL and _LABEL_OF.get(normalise(text[at:end])) is not None


def _parts(text: str) -> list[str]:
    """A cell's text cut where it goes on to something else: at a wide gap, or at a line break or
    `` | `` before another label or an "as at" date; a name wrapped onto two lines stays whole.

    >>> _parts("Riverside Hospitals    Position as at 30 September 2026")
    ['Riverside Hospitals', 'Position as at 30 September 2026']
    >>> _parts("Elm Street | Period: 2026/27"), _parts("Smith | Jones Medical Practice")
    (['Elm Street', 'Period: 2026/27'], ['Smith | Jones Medical Practice'])
    >>> _parts("Riverside and Elm Street\\nPrimary Care Network")
    ['Riverside and Elm Street\\nPrimary Care Network']
    """
    out: list[str] = []
    for chunk in _GAP.split(text.strip()):
        start = 0
        for m in _SEPARATOR.finditer(chunk):
            if _starts_label(chunk, m.end()) or _AS_AT.match(chunk, m.end()):
                out.append(chunk[start : m.start()])
                start = m.end()
        out.append(chunk[start:])
    return [p for p in (x.strip() for x in out) if p]


def _label(cell: Any) -> tuple[str | None, list[str]]:
    """(detail key, what follows its ``:`` in parts) for a label cell such as ``Organisation:`` or
    ``Trust: Riverside``: the first part is the value, the others may be labels of their own.

    >>> _label("Organisation: Riverside Hospitals    Position as at 30 September 2026")
    ('organisation', ['Riverside Hospitals', 'Position as at 30 September 2026'])
    """
    if not isinstance(cell, str):
        return None, []
    key = _key(cell)
    tail = cell.partition(":")[2]
    return key, _parts(tail) if key is not None and tail else []


def details_from_labels(grids: Iterable[Sequence[Sequence[Any]]]) -> PlanDetails | None:
    """Plan details from label cells: the value after ``:`` or the next filled cell to the right."""
    found: dict[str, Any] = {}
    for grid in grids:
        for row in grid:
            for j, cell in enumerate(row):
                key, parts = _label(cell)
                if key is None:
                    continue
                if key not in found:
                    value = (
                        parts[0] if parts else next((v for v in row[j + 1 :] if not values.is_blank(v)), None)
                    )
                    if value is not None and not (isinstance(value, str) and _key(value)):
                        found[key] = value
                for part in parts[1:]:  # "Organisation: X | Period: 2026/27"
                    more, said = _label(part)
                    if more is not None and said:
                        found.setdefault(more, said[0])
    return _details(found)


_POSITION_AS_AT = re.compile(
    r"(?:^|\(|\b(?:position|status|progress|update|updated|report|reported|rag)\s+\(?)as\s+(?:at|of)\b\s*:?\s*",
    re.I,
)
"""``Position as at``, ``Progress update as of``, ``(as at`` or ``As at`` opening a part of a cell (not
"as of" inside a sentence): what follows is the date the plan's position is at."""
_DATE_ENDS = re.compile(r"\s*(?:[()\[\]]|\s[-\u2013\u2014]\s)")
"""Where a date after "as at" may end before more text: ``30/09/2026 (draft)``, ``Q2 - final``."""


def _date_after(text: str) -> dt.date | None:
    """``text`` as a date, or the part of it before a bracket or a dash; None for neither."""
    text = text.strip()
    return values.parse_date(text) or values.parse_date(_DATE_ENDS.split(text, maxsplit=1)[0])


def as_at_from_labels(grids: Iterable[Sequence[Sequence[Any]]]) -> dt.date | None:
    """The date a foreign plan's title says its position is at, or None: ``Position as at 30
    September 2026``, ``Action plan (as at Q2 2026/27)``, or a cell ``As at:`` with the date in the
    next filled cell. The first found, row by row; the template's ``AsOfDate`` name comes first.

    >>> as_at_from_labels([[["Riverside PCN    Position as at 30 September 2026"]]])
    datetime.date(2026, 9, 30)
    >>> as_at_from_labels([[["As at", None, "31/12/2026"]], [["As of 2024 we will act"]]])
    datetime.date(2026, 12, 31)
    >>> as_at_from_labels([[["As of April 2023, the NHS asked every trust to act"]]]) is None
    True
    """
    for grid in grids:
        for row in grid:
            for j, cell in enumerate(row):
                if not isinstance(cell, str) or ("as at" not in cell.lower() and "as of" not in cell.lower()):
                    continue
                for part in _parts(cell):
                    m = _POSITION_AS_AT.search(part)
                    if m is None:
                        continue
                    rest = part[m.end() :]
                    if rest.strip():
                        day = _date_after(rest)
                    else:  # "As at" with its date in the next filled cell
                        value = next((v for v in row[j + 1 :] if not values.is_blank(v)), None)
                        day = values.parse_date(value)
                    if day is not None:
                        return day
    return None
