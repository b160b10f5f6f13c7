"""Cached results of the template's formulas, worked out in Python, for readers that do not recalculate.

Excel recalculates every formula when it opens the workbook (``fullCalcOnLoad``), but file
previews (mail, Teams, SharePoint), phone apps and readers such as pandas, calamine and SheetJS
show the result cached in the file, and openpyxl caches none: RAG, Days to due and the Dashboard
were blank there (issue 17). :func:`formula_values` works out what each formula of the template
gives, from the cells the builders wrote, reading its inputs as the formula does (``ISNUMBER``,
``N``, ``TRIM`` and the status words, ``COUNTIF``'s ``*HIA 2*``, ``SEARCH``); the RAG rule itself is
:func:`edi_workbook.rag_rating.rag_frame`. :func:`with_values` writes the results into a saved
sheet's XML. tests/template/test_cached_values.py proves every result equal to LibreOffice's
recalculation, both ways.

A result that depends on today's date (``AsOfDate`` blank means ``TODAY()``) is today's when
``today`` is given; without it that cell gets no cached result (the committed template must not
change from day to day), and a reader shows it blank until Excel or LibreOffice recalculates.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from edi_workbook import reference, values
from edi_workbook.rag_rating import CANCELLED, COMPLETE, ON_HOLD, rag_frame
from edi_workbook.template import cached_year, formulas, sheets
from edi_workbook.template import dashboard as dash
from edi_workbook.template.action_plan import FIRST_ROW, last_row
from edi_workbook.template.formula_cells import UNKNOWN, as_date, number, safely, serial, text, trim

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["UNKNOWN", "formula_values", "with_values"]

_TYPED = ("action_id", "action", "success_measure", "hia", "psed_aim", "characteristics", "owner",
          "start_date", "due_date", "status", "pct_complete", "completed_date", "notes")  # fmt: skip
"""The cells the RAG cell's ``COUNTA`` looks at: a row with none of them typed shows nothing."""

Values = dict[str, dict[str, Any]]


class _Plan:
    """What the template's formulas read: the settings and the table's cells, row by row."""

    def __init__(self, wb: Workbook, today: dt.date | None) -> None:
        setting = {n: _named(wb, n) for n in ("AsOfDate", "AmberDays", "ProgressTolerance")}
        as_of = as_date(setting["AsOfDate"])  # IF(ISNUMBER(AsOfDate),INT(AsOfDate),TODAY())
        self.as_of: dt.date | None = as_of or today
        self.amber = number(setting["AmberDays"])
        self.tolerance = number(setting["ProgressTolerance"])
        self.org, self.period = _named(wb, "OrgName"), _named(wb, "PlanPeriod")
        ws, letters = wb["Action Plan"], formulas.column_letters()
        self.rows = [
            {key: ws[f"{letters[key]}{r}"].value for key in letters} for r in range(FIRST_ROW, last_row() + 1)
        ]
        self.rag, self.days = self._rated()

    def _rated(self) -> tuple[list[Any], list[Any]]:
        """The RAG and Days-to-due results of every row (``""`` where the formula shows nothing)."""
        import pandas as pd

        from edi_workbook.plan import Settings

        read = [_as_formulas_read(row) for row in self.rows]
        days: list[Any] = [
            ""
            if r["due_date"] is None
            else UNKNOWN
            if self.as_of is None
            else (r["due_date"] - self.as_of).days
            for r in read
        ]
        typed = [any(row[k] is not None for k in _TYPED) for row in self.rows]
        if self.as_of is None or self.amber is None or self.tolerance is None:
            return ["" if not t else UNKNOWN for t in typed], days
        settings = Settings(as_of=self.as_of, amber_days=self.amber, progress_tolerance=self.tolerance)  # type: ignore[arg-type]
        frame = rag_frame(pd.DataFrame(read), self.as_of, settings)
        return [r if t else "" for r, t in zip(frame["rag"].tolist(), typed, strict=True)], days

    def column(self, key: str) -> list[Any]:
        return [row[key] for row in self.rows]


def _named(wb: Workbook, name: str) -> Any:
    """The value of the cell a workbook-level name points at."""
    (sheet, ref), *_ = wb.defined_names[name].destinations
    return wb[sheet][ref.replace("$", "")].value


def _status(v: Any) -> str | None:
    """The status the RAG formula tells apart (``OR(TRIM(J5)={...})``), else None (any other)."""
    if not isinstance(v, str):
        return None
    trimmed = " ".join(p for p in v.split(" ") if p).casefold()  # TRIM: single spaces inside
    for status in (COMPLETE, CANCELLED, ON_HOLD):
        if trimmed in {w.casefold() for w in values.status_words(status)}:
            return status
    return None


def _as_formulas_read(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's rule inputs as the RAG formula reads them: numbers in date cells are dates, a
    percentage is ``N(cell)`` (text counts 0) and above 1 means points, a status is one of three."""
    pct = number(row["pct_complete"]) or 0.0
    return {
        "status": _status(row["status"]),
        "due_date": as_date(row["due_date"]),
        "start_date": as_date(row["start_date"]),
        "pct_complete": pct if abs(pct) <= 1 else pct / 100,
    }


def _contains(cells: Sequence[Any], part: str) -> list[bool]:
    """``COUNTIF(range,"*part*")``: text cells containing ``part``, ignoring case (numbers never)."""
    low = part.casefold()
    return [isinstance(v, str) and low in v.casefold() for v in cells]


def formula_values(wb: Workbook, today: dt.date | None = None) -> Values:
    """``{sheet: {cell: result}}`` for every formula the template builders wrote into ``wb``.

    Results are text, whole numbers, fractions or dates. ``today`` stands in for ``TODAY()``;
    without it, results that need it are left out. Only cells that hold a formula are given.
    """
    plan = _Plan(wb, today)
    found: Values = {
        "Action Plan": _action_plan(plan),
        "Plan details": {f"B{sheets.SETTINGS_FIRST_ROW + len(sheets.SETTINGS)}": plan.as_of or UNKNOWN},
        "Dashboard": _dashboard(plan),
        "National deadlines": cached_year.national(wb["National deadlines"], plan.as_of, plan.amber),
    }
    found["EDS 2022"] = cached_year.eds(
        wb["EDS 2022"], plan.column("action_id"), lambda sheet, ref: found.get(sheet, {}).get(ref, UNKNOWN)
    )
    return {
        sheet: {ref: v for ref, v in cells.items() if v is not UNKNOWN and _is_formula(wb[sheet], ref)}
        for sheet, cells in found.items()
    }


def _is_formula(ws: Worksheet, ref: str) -> bool:
    value = ws[ref].value
    return isinstance(value, str) and value.startswith("=") and ws[ref].data_type == "f"


def _action_plan(plan: _Plan) -> dict[str, Any]:
    letters = formulas.column_letters()
    org, period = safely(lambda: text(plan.org)), safely(lambda: text(plan.period))
    out: dict[str, Any] = {}
    if org is not UNKNOWN and period is not UNKNOWN:
        out["A2"] = "Fill in Plan details first" if not org else org + (f" - {period}" if period else "")
    for i, (rag, days) in enumerate(zip(plan.rag, plan.days, strict=True)):
        out[f"{letters['rag']}{FIRST_ROW + i}"] = rag
        out[f"{letters['days_to_due']}{FIRST_ROW + i}"] = days
    return out


def _dashboard(plan: _Plan) -> dict[str, Any]:
    ref = reference.load()
    out: dict[str, Any] = {dash.CELLS["as_of"]: plan.as_of or UNKNOWN}
    if UNKNOWN in plan.rag:
        return out
    rags = [str(r).casefold() for r in plan.rag]
    counts = {r.name: rags.count(r.name.casefold()) for r in ref.rag_values}
    total = sum(counts.values())
    for i, r in enumerate(ref.rag_values, start=1):
        out[f"C{dash.OVERALL_ROW + i}"] = counts[r.name]
        out[f"D{dash.OVERALL_ROW + i}"] = "" if total == 0 else counts[r.name] / total
    out[dash.CELLS["total"]] = total
    out |= _figures(plan, counts)
    out |= _by_hia(plan, rags)
    characteristics = safely(lambda: _by_characteristic(plan))
    return out if characteristics is UNKNOWN else out | characteristics


def _figures(plan: _Plan, counts: Mapping[str, int]) -> dict[str, Any]:
    """Overdue, due soon, no HIA, no aim, and the gaps named (the Key figures)."""
    ref = reference.load()
    out: dict[str, Any] = {dash.CELLS["overdue"]: counts["Red"]}
    if plan.amber is not None and UNKNOWN not in plan.days:
        amber = plan.amber
        soon = sum(
            isinstance(d, int) and 0 <= d <= amber and str(r).casefold() not in ("blue", "grey")
            for d, r in zip(plan.days, plan.rag, strict=True)
        )
        out[dash.CELLS["due_soon"]] = soon
    for key, cell in (("hia", "no_hia"), ("psed_aim", "no_aim")):
        out[dash.CELLS[cell]] = safely(functools.partial(_without, plan, key))
    hia_gaps = [h.label for h in ref.hias if not any(_contains(plan.column("hia"), h.label))]
    aim_gaps = [
        f"({a.aim})" for a in ref.psed_aims if not any(_contains(plan.column("psed_aim"), f"({a.aim})"))
    ]
    out[dash.CELLS["hia_gaps"]] = ", ".join(hia_gaps) or dash.NO_HIA_GAP
    out[dash.CELLS["aim_gaps"]] = ", ".join(aim_gaps) or dash.NO_AIM_GAP
    return out


def _without(plan: _Plan, key: str) -> int:
    """``SUMPRODUCT((LEN(TRIM(action))>0)*(LEN(TRIM(cell))=0))``: actions with nothing in ``key``."""
    return sum(
        bool(trim(text(a))) and not trim(text(v))
        for a, v in zip(plan.column("action"), plan.column(key), strict=True)
    )


def _by_hia(plan: _Plan, rags: Sequence[str]) -> dict[str, Any]:
    """RAG counts per HIA (``COUNTIFS(HIA,"*HIA 2*",RAG,"Blue")``), totals and gaps; the aims too."""
    ref = reference.load()
    out: dict[str, Any] = {}
    for i, hia in enumerate(ref.hias, start=1):
        row = dash.HIA_ROW + i
        has = _contains(plan.column("hia"), hia.label)
        for j, name in enumerate(ref.rag_names):
            out[f"{chr(ord('C') + j)}{row}"] = sum(
                h and r == name.casefold() for h, r in zip(has, rags, strict=True)
            )
        out[f"H{row}"] = sum(has)
        out[f"I{row}"] = "" if any(has) else f"No action addresses {hia.label}"
    for i, aim in enumerate(ref.psed_aims, start=1):
        row = dash.AIM_ROW + i
        n = sum(_contains(plan.column("psed_aim"), f"({aim.aim})"))
        out[f"C{row}"] = n
        out[f"D{row}"] = "" if n else f"No action for aim ({aim.aim})"
    return out


def _by_characteristic(plan: _Plan) -> dict[str, Any]:
    """Actions naming each characteristic as an item of the cell (``SEARCH(";Age;",...)``), or All;
    for one only aim (a) covers, those of them whose PSED aim cell holds ``(a)`` (``SEARCH``)."""
    ref = reference.load()
    cells = [text(v) for v in plan.column("characteristics")]
    aims = [text(v).casefold() for v in plan.column("psed_aim")]
    items = [
        ";" + c.replace(" ", "").replace(",", ";").replace("/", ";").replace("\n", ";") + ";" for c in cells
    ]
    everyone = [
        trim(c)[: len(sheets.ALL_CHARACTERISTICS)].lower() == sheets.ALL_CHARACTERISTICS.lower()
        for c in cells
    ]
    out: dict[str, Any] = {}
    for i, name in enumerate(ref.protected_characteristics, start=1):
        row = dash.CHAR_ROW + i
        key = (";" + name.replace(" ", "") + ";").casefold()
        named = [key in it.casefold() for it in items]
        with_all = sum(n or e for n, e in zip(named, everyone, strict=True))
        out[f"C{row}"] = sum(named)
        out[f"D{row}"] = with_all
        gap = "No action names it" if with_all == 0 else ""
        out[f"B{row}"] = gap or (
            f"Only actions marked {sheets.ALL_CHARACTERISTICS}" if sum(named) == 0 else ""
        )
        covering = ref.aims_covering(name)
        if len(covering) < len(ref.psed_aims):  # marriage and civil partnership: aim (a) only
            under = sum(n and f"({covering[0]})" in a for n, a in zip(named, aims, strict=True))
            out[f"B{row}"] = "" if under else dash.aim_only_gap(covering[0])
    return out


# ---------------------------------------------------------------- into the saved file


def with_values(xml: bytes, results: Mapping[str, Any]) -> bytes:
    """A worksheet's XML with ``results`` cached in its formula cells (``<v>``, ``t="str"`` for text).

    ECMA-376 Part 1, 18.3.1.4: a formula cell's ``v`` holds its last calculated value, and ``t``
    says its type (``str`` for a formula's text result, absent for a number).
    """
    from lxml import etree

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    root = etree.fromstring(xml)
    for c in root.iter(f"{ns}c"):
        ref = c.get("r")
        if c.find(f"{ns}f") is None:
            continue
        v = c.find(f"{ns}v")
        if ref not in results:  # no result known: no value at all (openpyxl writes an empty one)
            if v is not None and not v.text:
                c.remove(v)
            continue
        value = results[ref]
        if v is None:
            v = etree.SubElement(c, f"{ns}v")
        if isinstance(value, str):
            c.set("t", "str")
            v.text = value
        else:
            c.attrib.pop("t", None)
            v.text = _number_text(value)
    out: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return out


def _number_text(value: Any) -> str:
    """A number (or a date, as its serial) as ``<v>`` text: whole numbers without ``.0``."""
    if isinstance(value, dt.date):
        return str(serial(value))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"cannot cache {value!r} as a number")
    return str(int(value)) if float(value).is_integer() else repr(float(value))
