"""Cached results of the EDI reporting year's sheets: ``National deadlines`` and ``EDS 2022``.

Part of :mod:`edi_workbook.template.cached` (issue 17: every formula carries its result), for the
sheets issue 16 added. Each result comes from what the builders wrote, through the Python that
:mod:`edi_workbook.template.national` and :mod:`edi_workbook.template.eds` name as their formulas'
equals: an obligation's next date is :func:`edi_workbook.deadlines.next_instance`, an HIA
milestone's days and state :func:`edi_workbook.deadlines.national_deadlines`, the EDS totals and
rating :func:`edi_workbook.eds.assess`; lookups (``SMALL``, ``INDEX``, a plain reference) follow
the cells they point at. A row that is not what the builder writes there (another title, another
outcome) gets no result at all, never a guess.

Everything on National deadlines counts from the as-of date; without one (``AsOfDate`` blank and
no ``today``) the sheet carries no results but those that never depend on it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from edi_workbook import deadlines, reference
from edi_workbook import eds as assessment
from edi_workbook.template import eds as eds_sheet
from edi_workbook.template import national as nat
from edi_workbook.template.formula_cells import EPOCH, UNKNOWN, Unknown, as_date, number, serial, text, trim

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["eds", "national"]

_REFERENCE = re.compile(r"=(?:'([^']+)'!)?\$?([A-Z]+)\$?(\d+)")
"""A formula that is only a reference: ``=D24``, ``='National deadlines'!$A$25``."""


def national(ws: Worksheet, as_of: dt.date | None, amber: float | None) -> dict[str, Any]:
    """``{cell: result}`` of the National deadlines sheet, as of ``as_of`` (None: not known).

    ``amber`` is the AmberDays setting (None: not a number, so no state is known).
    """
    rows = nat.layout()
    ref = reference.load()
    titles = [
        ws[f"{nat.HIDDEN['title']}{rows['cycle_first'] + i}"].value for i in range(len(ref.obligations))
    ]
    if titles != [o.title for o in ref.obligations]:
        return {}  # not the rows the builder writes: nothing is known of them
    undated = {
        f"{nat.HIDDEN['key']}{rows['cycle_first'] + i}": ""  # IF(ISNUMBER("No fixed date"),...,"")
        for i, o in enumerate(ref.obligations)
        if o.rule.month is None
    }
    if as_of is None:
        return undated
    out: dict[str, Any] = {
        nat.AS_OF_CELL: as_of,
        nat.UNTIL_CELL: deadlines.span_end(as_of) - dt.timedelta(days=1),
    }
    try:
        out |= _cycle(rows, as_of)
        out |= _next_months(ws, rows, out, as_of, amber)
    except Unknown:  # section 1 is all lookups into section 2: neither is known
        pass
    return out | undated | _hia(ws, rows, as_of, amber)


def _cycle(rows: dict[str, int], as_of: dt.date) -> dict[str, Any]:
    """Section 2: each dated obligation's next date, its window's opening and its sort key."""
    out: dict[str, Any] = {}
    for pos, ob in enumerate(reference.load().obligations, start=1):
        r = rows["cycle_first"] + pos - 1
        if ob.rule.month is None:
            continue
        nxt = deadlines.next_instance(ob, as_of)
        if nxt is None:
            raise Unknown  # a dated rule always has a next date; the formula's answer is not known
        out[f"A{r}"] = nxt.date
        out[f"D{r}"] = nxt.opens or ""  # IF(opens month="","",DATE(...))
        out[f"{nat.HIDDEN['key']}{r}"] = serial(nxt.date) * 100 + pos
    return out


def _next_months(
    ws: Worksheet, rows: dict[str, int], cycle: dict[str, Any], as_of: dt.date, amber: float | None
) -> dict[str, Any]:
    """Section 1: the k-th smallest sort key (``SMALL``) within the 12 months, and its row (``INDEX``)."""
    first, last = rows["cycle_first"], rows["cycle_last"]
    keys = sorted(
        v for r in range(first, last + 1) if isinstance(v := cycle.get(f"{nat.HIDDEN['key']}{r}"), int)
    )
    until = serial(cycle[nat.UNTIL_CELL])
    out: dict[str, Any] = {}
    for k, r in enumerate(range(rows["next_first"], rows["next_last"] + 1)):
        key = keys[k] if k < len(keys) else None  # IFERROR(SMALL(keys,k),"")
        pos = None if key is None or key // 100 > until else key % 100
        out[f"{nat.PICK['key']}{r}"] = "" if key is None else key
        out[f"{nat.PICK['pos']}{r}"] = "" if pos is None else pos
        if key is None or pos is None:
            out |= {f"{letter}{r}": "" for letter in "ABCDEFGHI"}
            continue
        src = first + pos - 1
        day = EPOCH + dt.timedelta(days=key // 100)
        days = (day - as_of).days
        picked = {"B": nat.HIDDEN["title"], "C": "C", "E": "E", "H": nat.HIDDEN["rule"], "I": "I"}
        out |= {f"{to}{r}": _static(ws, f"{frm}{src}") for to, frm in picked.items()}
        out |= {f"A{r}": day, f"D{r}": cycle[f"D{src}"], f"F{r}": days}
        out[f"G{r}"] = UNKNOWN if amber is None else "Due soon" if days <= amber else "Upcoming"
    return out


def _static(ws: Worksheet, ref: str) -> Any:
    """What ``INDEX`` gives of a cell the builder filled (an empty one would give 0: not worked out)."""
    value = ws[ref].value
    if value is None or (isinstance(value, str) and value.startswith("=")):
        raise Unknown
    return value


def _hia(ws: Worksheet, rows: dict[str, int], as_of: dt.date, amber: float | None) -> dict[str, Any]:
    """Section 3: days remaining (``=A-as-of``) and state of each dated milestone."""
    soon = None if amber is None else math.floor(amber)  # days <= 30.5 is days <= 30
    status = {s.deadline.date: s.status for s in deadlines.national_deadlines(as_of, soon_days=soon or 0)}
    out: dict[str, Any] = {}
    for r in range(rows["hia_first"], rows["hia_last"] + 1):
        day = as_date(ws[f"A{r}"].value)
        if day is None or day not in status:
            continue  # the undated ones (no formula), or a date that is not a milestone's
        out[f"F{r}"] = (day - as_of).days
        out[f"G{r}"] = UNKNOWN if soon is None else status[day]
    return out


# ---------------------------------------------------------------- EDS 2022


def eds(ws: Worksheet, action_ids: Sequence[Any], elsewhere: Callable[[str, str], Any]) -> dict[str, Any]:
    """``{cell: result}`` of the EDS 2022 sheet; ``action_ids`` are the ActionPlan table's Action ID
    cells, ``elsewhere(sheet, cell)`` another sheet's result (``Publish by`` is National deadlines')."""
    ref = reference.load()
    first, at = eds_sheet.FIRST_ROW, eds_sheet.rows()
    if [ws[f"B{first + i}"].value for i in range(len(ref.eds_outcomes))] != [o.id for o in ref.eds_outcomes]:
        return {}
    raw = {o.id: ws[f"D{first + i}"].value for i, o in enumerate(ref.eds_outcomes)}
    out: dict[str, Any] = {}
    for i, o in enumerate(ref.eds_outcomes):
        r = first + i
        out[f"E{r}"] = _label(raw[o.id])
        out[f"H{r}"] = _found(ws[f"G{r}"].value, action_ids)
    out |= _totals(ws, raw, at)
    for cell in ("B3", "B4"):  # plain references: Publish by, the rating
        m = _REFERENCE.fullmatch(str(ws[cell].value))
        if m:
            sheet, ref_ = m[1], f"{m[2]}{m[3]}"
            out[cell] = out.get(ref_, UNKNOWN) if sheet is None else elsewhere(sheet, ref_)
    return out


def _score(v: Any) -> int | None:
    """A score cell as ``SUM``, ``COUNT`` and :func:`edi_workbook.eds.assess` all read it alike:
    blank, or a whole number 0-3; anything else (text, 2.5, 7) they would not agree on."""
    if v is None:
        return None
    n = number(v)
    if n is None or not n.is_integer() or not 0 <= n <= assessment.MAX_SCORE:
        raise Unknown
    return int(n)


def _label(v: Any) -> Any:
    """``IF(ISNUMBER(D7),CHOOSE(D7+1,"Undeveloped activity",...),"")``."""
    if v is None or isinstance(v, (str, bool)):
        return ""
    try:
        score = _score(v)
    except Unknown:
        return UNKNOWN
    return "" if score is None else reference.load().eds_scores[score]


def _found(typed: Any, action_ids: Sequence[Any]) -> Any:
    """``Found in plan``: the plan rows whose Action ID, spaces removed, is one of the ``;``- or
    ``,``-separated IDs typed (``SEARCH``: any case; ``*``, ``?`` and ``~`` would be wildcards)."""
    try:
        cell = text(typed)
        if not trim(cell):
            return ""
        within = (";" + cell.replace(" ", "").replace(",", ";") + ";").casefold()
        ids = [trim(text(v)) for v in action_ids]
    except Unknown:
        return UNKNOWN
    if any(ch in i for i in ids for ch in "*?~"):
        return UNKNOWN
    return sum(bool(i) and f";{i.replace(' ', '')};".casefold() in within for i in ids)


def _totals(ws: Worksheet, raw: dict[str, Any], at: dict[str, int]) -> dict[str, Any]:
    """Each domain's and the overall total, the outcomes scored and the rating, by ``assess``."""
    ref = reference.load()
    try:
        scores = {k: _score(v) for k, v in raw.items()}
        bands = [_band(ws, at["bands"] + i) for i in range(1, len(ref.eds_bands) + 1)]
    except Unknown:
        return {}
    a = assessment.assess(scores, bands=bands)
    out: dict[str, Any] = {}
    for k, d in enumerate(a.domains):
        r = at["totals"] + 1 + k
        if not str(ws[f"A{r}"].value).startswith(f"{d.domain}. "):
            return {}
        out |= {f"D{r}": d.total, f"F{r}": f"{d.scored} of {d.outcomes}"}
    n = len(ref.eds_outcomes)
    out |= {f"D{at['overall']}": a.total, f"F{at['overall']}": f"{a.scored} of {n}"}
    out[f"D{at['rating']}"] = a.rating or f"Not rated: {a.scored} of {n} outcomes scored"
    return out


def _band(ws: Worksheet, row: int) -> tuple[str, int]:
    """A band row (name, lowest total) as the rating formula compares with it: a whole number."""
    lowest = number(ws[f"B{row}"].value)
    if lowest is None or not lowest.is_integer():
        raise Unknown
    return str(ws[f"A{row}"].value), int(lowest)
