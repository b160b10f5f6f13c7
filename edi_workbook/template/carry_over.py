"""Next year's plan from this year's: :func:`carry_over`.

A new template workbook (the same builder as ``edi-workbook new``), with:

- **Plan details** copied: organisation, its type and the plan owner; the plan period moved on a
  year (``2026/27`` -> ``2027/28``, or as given; a plan that names none takes the plan year in its
  file name, ``Elm Street Q4 2026-27.csv``); the review date moved on a year.
- **Settings** kept (``AmberDays``, ``ProgressTolerance``, ``ReminderDays``). ``AsOfDate`` is left
  blank, so the new plan is judged on the day it is opened rather than on last year's date.
- **Every open action** (any status but Complete and Cancelled) in ``Action Plan`` as it was, its
  due date included, with a note in Evidence / notes: ``Carried over from 2026/27: originally due
  30/06/2026; slipped 2 times.`` The original due date and the slips come from the earlier returns
  of the year when they are given (``history``, oldest first), and from an earlier carry-over note
  on the action, so they add up over the years.
- **Every closed action** (Complete or Cancelled) on a ``Completed last year`` sheet, with all of
  its columns.

Nothing is lost: every action of the plan is in one place or the other (``tests/template/
test_carry_over.py``). Values that were not understood (``TBC`` as a due date) are carried as the
text they were. A foreign layout's columns that are not plan columns (``Budget``, ``Board
sponsor``) are carried too: an open action's values in its Evidence / notes (``Budget: £5,000``),
a closed action's in columns of their own after the plan's on ``Completed last year``; the result
names them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook import reference, values
from edi_workbook.atomic import same_file
from edi_workbook.errors import UsageError
from edi_workbook.limits import EXCEL_CELL_TEXT, EXCEL_COLUMNS
from edi_workbook.safe_text import looks_like_formula, xml_text

if TYPE_CHECKING:
    from openpyxl import Workbook

    from edi_workbook.plan import Plan

__all__ = ["COMPLETED_SHEET", "CarryOverResult", "carry_over", "next_period"]

COMPLETED_SHEET = "Completed last year"
_CLOSED = ("Complete", "Cancelled")
_KEPT_KEYS = tuple(k for k in reference.load().column_keys if k not in ("rag", "days_to_due"))
_NOTE = re.compile(
    r"Carried over from (?P<period>[^:]*?)(?: \(no due date\))?: originally due (?P<due>\d\d/\d\d/\d{4})"
    r"(?:; slipped (?P<slips>\d+) times?)?\.",
)


@dataclass(frozen=True)
class CarryOverResult:
    """What :func:`carry_over` wrote."""

    path: Path
    plan_period: str | None
    carried: int  # open actions in the new Action Plan
    completed: int  # closed actions on the Completed last year sheet
    columns_in_notes: tuple[str, ...] = ()  # a foreign layout's extra columns, carried in the notes
    period_from_name: str | None = None  # the plan's period as read from its file name, if it was


def next_period(period: str | None) -> str | None:
    """The plan period a year on: ``2026/27`` -> ``2027/28``; None if it is not a year or a span.

    >>> next_period("2026/27"), next_period("2026-2027"), next_period("FY 2026/27"), next_period("Q3")
    ('2027/28', '2027-2028', 'FY 2027/28', None)
    """
    if not period:
        return None
    m = re.search(r"(?<!\d)(\d{4})(?:([/-])(\d{2}|\d{4}))?(?!\d)", period)
    if not m:
        return None
    start = int(m[1]) + 1
    if m[2] is None:
        new = str(start)
    else:
        end = int(m[3]) + 1 if len(m[3]) == 4 else (int(m[3]) + 1) % 100
        new = f"{start}{m[2]}{end:0{len(m[3])}d}"
    return period[: m.start()] + new + period[m.end() :]


_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)\s*([-/_])\s*(\d\d|20\d\d)(?!\d)")


def period_in_name(path: str | Path | None) -> str | None:
    """A plan year in a file's name (``2026-27``, ``2026_2027``), for a plan whose details name none.

    >>> period_in_name("Riverside EDI plan Q2 2026-27.xlsx"), period_in_name("plan 2026_2027.csv")
    ('2026-27', '2026-2027')
    >>> period_in_name("plan 2026-09-30.xlsx"), period_in_name(None)
    (None, None)
    """
    if path is None:
        return None
    for m in _YEAR_IN_NAME.finditer(Path(path).stem):
        start, end = int(m[1]), int(m[3])
        if end % 100 == (start + 1) % 100 and (end < 100 or end == start + 1):
            return f"{m[1]}-{m[3]}" if m[2] != "/" else f"{m[1]}/{m[3]}"
    return None


def _year_on(d: dt.date | None) -> dt.date | None:
    if d is None:
        return None
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28)


class _Columns:
    """A plan's parsed and typed values, each column taken once: a cell at a time through
    ``plan.frame`` made a 5,000-action carry-over take seconds, and 50,000 minutes."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._parsed: dict[str, list[Any]] = {}
        self._raw: dict[str, list[Any]] = {}

    def parsed(self, key: str) -> list[Any]:
        if key not in self._parsed:
            self._parsed[key] = list(self.plan.column(key))
        return self._parsed[key]

    def raw(self, key: str) -> list[Any]:
        if key not in self._raw:
            self._raw[key] = list(self.plan.raw_column(key))
        return self._raw[key]


def _cell(cols: _Columns, i: int, key: str) -> Any:
    """One value in the example's data shape (see ``example_rows``): parsed, else its text."""
    v: Any = cols.parsed(key)[i]
    raw = values.parse_text(cols.raw(key)[i])
    if key in ("start_date", "due_date", "completed_date"):
        return raw if values.is_blank(v) else v.date() if isinstance(v, dt.datetime) else v
    if key == "pct_complete":
        return raw if values.is_blank(v) else round(float(v) * 100, 6)
    if key in ("hia", "psed_aim"):  # an HIA 7 or aim d is carried as typed, for validate to point at
        known = _KNOWN_HIAS if key == "hia" else _KNOWN_AIMS
        return list(v) if isinstance(v, tuple) and v and set(v) <= known else raw
    if key in ("characteristics", "status"):
        return raw  # as typed ("All" stays "All"; a status kept in the words the plan used)
    return None if values.is_blank(v) else v


_KNOWN_HIAS = frozenset(h.number for h in reference.load().hias)
_KNOWN_AIMS = frozenset(a.aim for a in reference.load().psed_aims)
_CUT = f" [cut: Excel cells hold {EXCEL_CELL_TEXT:,} characters; the rest is in last year's plan]"

_DATA_KEYS = {"action_id": "id", "start_date": "start", "due_date": "due", "completed_date": "completed",
              "pct_complete": "pct", "psed_aim": "psed"}  # fmt: skip


def _extra_lines(plan: Plan, i: int, headers: Iterable[str]) -> str:
    """Row position ``i``'s values of the extra columns ``headers`` as lines of its notes
    (``Budget £: 5000``), the blank ones left out."""
    return "".join(f"{line}\n" for line in plan.extra_lines(i, headers))


def _action(cols: _Columns, i: int, note: str | None) -> dict[str, Any]:
    plan = cols.plan
    a = {_DATA_KEYS.get(k, k): _cell(cols, i, k) for k in _KEPT_KEYS}
    theme = a.pop("objective", None) or plan.section_of(i)
    if note is not None:  # the template has no columns for these: keep them in the notes
        extras = _extra_lines(plan, i, plan.extra_columns)
        a["notes"] = _fit(a.get("notes"), f"Objective / theme: {theme}\n" if theme else "", extras, note)
    elif theme:
        a["objective"] = theme
    return {k: xml_text(v) if isinstance(v, str) else v for k, v in a.items()}  # a CSV may hold any character


def _fit(notes: str | None, theme: str, extras: str, note: str) -> str:
    """An open action's notes, then its theme and its extra columns' values, then the carry-over note,
    in one cell of at most :data:`EXCEL_CELL_TEXT` characters: what does not fit is cut from the extra
    values first, then from the notes, never from the carry-over note (next year's counts read it)."""
    head = f"{notes}\n" if notes else ""
    room = EXCEL_CELL_TEXT - len(head) - len(theme) - len(note)
    if len(extras) > room:
        extras = extras[: max(room - len(_CUT) - 1, 0)] + _CUT + "\n" if room > len(_CUT) else ""
    text = f"{head}{theme}{extras}{note}"
    if len(text) > EXCEL_CELL_TEXT:  # the notes themselves are too long to take the note after them
        keep = EXCEL_CELL_TEXT - len(theme) - len(extras) - len(note) - len(_CUT) - 1
        text = f"{head[: max(keep, 0)]}{_CUT}\n{theme}{extras}{note}"[-EXCEL_CELL_TEXT:]
    return text


def _unique(headers: Sequence[str], extra: Sequence[str]) -> list[str]:
    """The plan's headers, then the extra columns' (characters XML cannot hold dropped), each made
    to differ from those before it, ignoring case as Excel's tables do: ``Budget``, ``BUDGET (2)``;
    an extra headed as a plan column gets `` (extra)``.

    >>> _unique(["Action", "Status"], ["Budget", "BUDGET", "status", "Status (extra)"])
    ['Action', 'Status', 'Budget', 'BUDGET (2)', 'status (extra)', 'Status (extra) (2)']
    """
    out = list(headers)
    seen = {h.casefold() for h in headers}
    own = set(seen)
    for h in extra:
        name = xml_text(h).strip() or "Column"
        if name.casefold() in own:
            name = f"{name} (extra)"
        base, k = name, 1
        while name.casefold() in seen:
            k += 1
            name = f"{base} ({k})"
        seen.add(name.casefold())
        out.append(name)
    return out


def _slips(plan: Plan, history: Sequence[Plan]) -> dict[int, tuple[dt.date | None, int]]:
    """Row of ``plan`` -> (its first due date this year, times its due date slipped)."""
    if not history:
        return {}
    from edi_workbook.changes import track

    returns = [*history, plan]
    _, tracks = track(returns)
    last = len(returns) - 1
    return {t.rows[-1]: (t.first_due, t.slips) for t in tracks if t.returns[-1] == last}


def _note(cols: _Columns, i: int, period: str | None, first: tuple[dt.date | None, int] | None) -> str:
    """``Carried over from 2026/27: originally due 30/06/2026; slipped 2 times.``"""
    plan = cols.plan
    due = _cell(cols, i, "due_date")
    original, slips = first if first else (due if isinstance(due, dt.date) else None, 0)
    agreed = plan.original_due(i)
    if not first and agreed is not None and isinstance(due, dt.date) and agreed != due:
        original, slips = agreed, int(due > agreed)  # a revised deadline: the one first agreed
    earlier = _NOTE.search(str(cols.parsed("notes")[i] or ""))
    if earlier:  # carried over before: the first due date and the slips go further back
        original = dt.datetime.strptime(earlier["due"], "%d/%m/%Y").date()
        slips += int(earlier["slips"] or 0)
    where = f"from {period}" if period else "from the previous plan"
    if original is None:
        return f"Carried over {where} (no due date)."
    times = "" if not slips else f"; slipped {slips} time{'s' if slips != 1 else ''}"
    return f"Carried over {where}: originally due {original:%d/%m/%Y}{times}."


def _data(
    plan: Plan, old: str | None, period: str | None, history: Sequence[Plan]
) -> tuple[dict[str, Any], list[int]]:
    """The new plan in the example's shape (``old``: the plan's period, ``period`` the new one's),
    and the rows of ``plan`` that are closed."""
    d, s = plan.details, plan.settings
    slips = _slips(plan, history)
    cols = _Columns(plan)
    open_rows: list[int] = []
    closed: list[int] = []
    for i, status in enumerate(cols.parsed("status")):
        (closed if status in _CLOSED else open_rows).append(i)
    data = {
        "details": {
            "OrgName": d.organisation,
            "OrgType": d.organisation_type,
            "PlanPeriod": next_period(old) if period is None else period,
            "PlanOwner": d.plan_owner,
            "ReviewDate": _year_on(d.review_date),
        },
        "settings": {
            "AmberDays": s.amber_days,
            "ProgressTolerance": s.progress_tolerance,
            "ReminderDays": ", ".join(str(n) for n in s.reminder_days),
        },
        "actions": [_action(cols, i, _note(cols, i, old, slips.get(i))) for i in open_rows],
    }
    return data, closed


def _completed_sheet(
    wb: Workbook, plan: Plan, rows: Sequence[int], period: str | None, filled: Sequence[str]
) -> None:
    """The closed actions, every column, as the table ``CompletedLastYear`` after Action Plan
    (``filled``: the extra columns with a value, after the plan's own)."""
    from openpyxl.worksheet.table import Table, TableStyleInfo

    from edi_workbook.template.action_plan import example_rows
    from edi_workbook.template.sheets import DATE_FORMAT, fit_height, header_row, print_setup, title, widths

    ref = reference.load()
    ws = wb.create_sheet(COMPLETED_SHEET, wb.sheetnames.index("Action Plan") + 1)
    title(ws, f"Completed last year ({period})" if period else "Completed last year",
          "Actions closed (Complete or Cancelled) in the previous plan, kept for the record.")  # fmt: skip
    headers = [ref.header_of(k) for k in _KEPT_KEYS]
    extra, beyond = filled[: EXCEL_COLUMNS - len(headers)], filled[EXCEL_COLUMNS - len(headers) :]
    header_row(ws, 4, _unique(headers, extra))
    for c in range(len(headers) + 1, len(headers) + len(extra) + 1):
        cell = ws.cell(row=4, column=c)
        cell.data_type = "s"  # a header is text, whatever it starts with
        ws.column_dimensions[cell.column_letter].width = 18
    cols = _Columns(plan)
    actions = [_action(cols, i, None) for i in rows]
    for action, i in zip(actions, rows, strict=True):  # columns past Excel's last: in the notes
        if lines := _extra_lines(plan, i, beyond):
            action["notes"] = xml_text(_fit(action.get("notes"), "", lines, "").rstrip("\n"))
    cells = example_rows({"actions": actions})
    for r, (row, action, i) in enumerate(zip(cells, actions, rows, strict=True), start=5):
        found = [row[key] if key in row else action.get(key) for key in _KEPT_KEYS]  # objective: not in row
        for c, value in enumerate([*found, *(plan.extra_columns[h][i] for h in extra)], start=1):
            if isinstance(value, str):
                value = xml_text(value)  # a CSV may hold characters a workbook cannot
            cell = ws.cell(row=r, column=c, value=value)
            if looks_like_formula(value):
                cell.data_type = "s"  # text, never a live formula
            key = _KEPT_KEYS[c - 1] if c <= len(_KEPT_KEYS) else None
            if key in ("start_date", "due_date", "completed_date") or isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            elif key == "pct_complete":
                cell.number_format = "0%"
    last = ws.cell(row=4, column=len(headers) + len(extra)).column_letter
    table = Table(displayName="CompletedLastYear", ref=f"A4:{last}{4 + max(len(cells), 1)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "C5"
    widths(ws, {"A": 10, "B": 48, "C": 36, "D": 13, "E": 24, "F": 20, "G": 18, "H": 12, "I": 12, "J": 14,
                "K": 11, "L": 12, "M": 36, "N": 28})  # dates as 31/03/2027, not ###  # fmt: skip
    fit_height(ws, 4)  # as many lines as the longest wrapped header needs
    print_setup(ws, landscape=True, title_row=4)  # one page wide, as the Action Plan prints


def carry_over(
    plan: Plan,
    out: str | Path,
    *,
    plan_period: str | None = None,
    history: Sequence[Plan] = (),
    overwrite: bool = False,
) -> CarryOverResult:
    """Write next year's plan from ``plan`` to ``out`` (a new ``.xlsx``); see the module docstring.

    ``plan_period`` names the new plan's period (default: the plan's own a year on). ``history``
    is the year's earlier returns of the same plan, oldest first, for the slips. Refuses to write
    over ``plan``'s own file, or over any file unless ``overwrite``.
    """
    from edi_workbook.template.workbook import build_workbook, check_target, save_deterministic

    target = Path(out)
    if plan.source is not None and same_file(target, plan.source):
        raise UsageError(
            f"{target.name} is the plan being carried over; write next year's plan to a new file"
        )
    check_target(target, overwrite)
    own, named = plan.details.plan_period, period_in_name(plan.source)
    old = own if named is None or (own and next_period(own)) else named  # "Q2" is no year: the name's
    period = plan_period or next_period(old)
    if plan_period is None and old and period is None:
        raise UsageError(f"cannot tell the period after {old!r}; give --plan-period, e.g. 2027/28")
    data, closed = _data(plan, old, period, history)
    data["details"]["PlanPeriod"] = period
    wb = build_workbook(data=data)
    filled = tuple(h for h, col in plan.extra_columns.items() if any(v is not None for v in col))
    _completed_sheet(wb, plan, closed, old, filled)
    try:
        save_deterministic(wb, target)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    from_name = old if old == named and old != own else None
    return CarryOverResult(target, period, len(data["actions"]), len(closed), filled, from_name)
