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
from edi_workbook.plan import PlanDetails, Settings, column_letter
from edi_workbook.read.headers import normalise

__all__ = [
    "as_at_from_labels",
    "as_of_from_title",
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
_TITLE_CELL = 200
"""Characters a title cell may hold: a longer one is a paragraph, whose dates say something else."""
_EARLIEST = dt.date(2000, 1, 1)
"""A position dated before 2000, or after today, is a typo (``30/09/2062``) or a plan's end."""
_YEAR_ONLY = re.compile(r"(?:fy ?)?\d{4}(?: ?[/\-] ?\d{2,4})?", re.I)
"""``2026``, ``2026/27``: a plan's year, not the day its position is at."""
_NOTE_START = tuple("([-\u2013\u2014")


AsAt = tuple[dt.date, int, int, str]
"""A title's "as at" date: the date, the 0-based row and column of its cell, and the cell's text."""


def _date_opening(text: str) -> dt.date | None:
    """The date that opens ``text``'s first line with nothing after it but a note: ``30 September
    2026``, ``Q2 2026/27)``, ``31/12/2026 (draft)``; None for ``March 2020 the board agreed ...`` or
    ``the end of the quarter and return it by 15 January 2027`` (a deadline, not a position).

    >>> _date_opening("30/09/2026 (draft)"), _date_opening("Q2 2026/27)")
    (datetime.date(2026, 9, 30), datetime.date(2026, 9, 30))
    >>> _date_opening("March 2020 the board agreed"), _date_opening("the quarter, return by 15/01/2027")
    (None, None)
    """
    lines = text.strip().splitlines()
    words = lines[0].split() if lines else []
    for k in range(min(len(words), values.DATE_WORDS), 0, -1):
        head = " ".join(words[:k]).rstrip(").],;:")
        if "by" in head.lower().split():
            continue  # "... by 15 January 2027": parse_date would read the deadline
        day = None if _YEAR_ONLY.fullmatch(head) else values.parse_date(head)
        if day is not None:
            after = " ".join(words[k:]).strip(" )].,;:")
            return day if not after or after.startswith(_NOTE_START) else None
    return None


def _plausible(day: dt.date | None, today: dt.date) -> dt.date | None:
    return day if day is not None and _EARLIEST <= day <= today else None


def as_at_from_labels(title: Sequence[Sequence[Any]], today: dt.date | None = None) -> AsAt | None:
    """The date a foreign plan's title rows (those above its header) say its position is at, or
    None: ``Position as at 30 September 2026``, ``Action plan (as at Q2 2026/27)``, or a cell ``As
    at:`` with the date in the next filled cell. The first found, row by row. Only short cells are
    read, only a date that ends the text (a note may follow), from 2000 to ``today``, and not a bare
    year (``2026/27``: the plan's year);
    other sheets are not read (a data sheet's "as at" dates its data, not the plan).

    >>> as_at_from_labels([["Riverside PCN    Position as at 30 September 2026"]])[:3]
    (datetime.date(2026, 9, 30), 0, 0)
    >>> as_at_from_labels([["EDI plan"], ["As at", None, "31/10/2026"]])[:3]
    (datetime.date(2026, 10, 31), 1, 0)
    >>> as_at_from_labels([["Our WRES figures (as at March 2024) show that 23% of staff are BME"]]) is None
    True
    """
    today = today or dt.date.today()
    for i, row in enumerate(title):
        for j, cell in enumerate(row):
            if cell.__class__ is not str or len(cell) > _TITLE_CELL:
                continue
            low = cell.lower()
            if "as at" not in low and "as of" not in low:
                continue
            for part in _parts(cell):
                m = _POSITION_AS_AT.search(part)
                if m is None:
                    continue
                rest = part[m.end() :]
                if rest.strip():
                    day = _date_opening(rest)
                else:  # "As at" with its date in the next filled cell
                    value = next((v for v in row[j + 1 :] if not values.is_blank(v)), None)
                    day = (
                        values.parse_date(value)
                        if isinstance(value, dt.date)
                        else _date_opening(value)
                        if isinstance(value, str) and len(value) <= _TITLE_CELL
                        else None
                    )
                if (day := _plausible(day, today)) is not None:
                    return day, i, j, cell
    return None


def as_of_from_title(
    title: Sequence[Sequence[Any]], sheet: str | None
) -> tuple[Settings, tuple[str | None, str, str] | None]:
    """The settings of a plan in another layout (none named), with its title's "as at" date as the
    as-of date, and where that came from (``Plan.as_of_title``: sheet, cell, text), else None."""
    found = as_at_from_labels(title)
    if found is None:
        return Settings(), None
    day, row, col, text = found
    return Settings(as_of=day), (sheet, f"{column_letter(col + 1)}{row + 1}", text)
