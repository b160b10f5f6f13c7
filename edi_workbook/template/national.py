"""The ``National deadlines`` sheet: the EDI reporting year from the as-of date, then the HIA milestones.

Pure formulas, so it works with no Python. Four sections, top to bottom:

1. **Due in the next 12 months**: each recurring obligation's next date from the as-of date
   (``AsOfDate``, else today) up to the day before the same date next year, earliest first. The
   rows pick the k-th smallest sort key of section 2 (``SMALL``) and look the rest up (``INDEX``).
   Python's :func:`edi_workbook.deadlines.national` (``years=1``) lists the same rows in the same
   order, so a cached value of every cell here is ``national(as_of)[k]``'s field.
2. **The reporting cycle**: every obligation of ``reporting_cycle`` with its rule, and its next
   date on or after the as-of date, worked out from hidden columns (month, day, every N years,
   first year, window opening): :func:`edi_workbook.deadlines.next_instance` in Python. The sort
   key is ``date * 100 + position``, so equal dates keep the reference order.
3. **HIA milestones**: the improvement plan's dated deadlines, earliest first, with days
   remaining and state (as :func:`edi_workbook.deadlines.national_deadlines` gives them), and the
   undated ones.
4. **HIA success metrics**.

Every unverified date says so in its ``Verified`` cell (``Unverified``, shaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from edi_workbook import reference
from edi_workbook.template import formulas
from edi_workbook.template.sheets import (
    DATE_FORMAT,
    cf_font,
    fill,
    fit_height,
    font,
    header_row,
    print_setup,
    title,
    widths,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["AS_OF_CELL", "UNTIL_CELL", "cycle_next_date_cell", "layout", "national_deadlines"]

SHEET = "National deadlines"
AS_OF_CELL, UNTIL_CELL = "B3", "D3"
NEXT_TITLE_ROW = 5  # section 1: title; header below; then one row per dated obligation
HEADS = ("Date", "What is due", "Applies to", "Window opens / wording", "Verified", "Days", "State",
         "Rule / check", "Source")  # fmt: skip
HIDDEN = {"month": "K", "day": "L", "every": "M", "first": "N", "opens_m": "O", "opens_d": "P", "key": "Q",
          "title": "R", "rule": "S"}  # fmt: skip
PICK = {"key": "K", "pos": "L"}  # section 1's hidden helpers: the k-th key, its position in section 2
YES, UNVERIFIED = "Yes", "Unverified"


def layout() -> dict[str, int]:
    """Row numbers of the sections (``next_first``, ``cycle_first``, ``hia_first``, ...)."""
    ref = reference.load()
    n_dated = sum(1 for o in ref.obligations if o.rule.month is not None)
    rows = {"next_first": NEXT_TITLE_ROW + 2, "next_last": NEXT_TITLE_ROW + 1 + n_dated}
    rows["cycle_title"] = rows["next_last"] + 3
    rows["cycle_first"] = rows["cycle_title"] + 2
    rows["cycle_last"] = rows["cycle_first"] + len(ref.obligations) - 1
    rows["hia_title"] = rows["cycle_last"] + 3
    rows["hia_first"] = rows["hia_title"] + 2
    rows["hia_last"] = rows["hia_first"] + len(ref.national_deadlines) + len(ref.undated_actions) - 1
    rows["metrics_title"] = rows["hia_last"] + 3
    return rows


def cycle_next_date_cell(obligation_id: str) -> str:
    """``'National deadlines'!$A$25``: the cell holding an obligation's next date (section 2)."""
    ids = [o.id for o in reference.load().obligations]
    return f"'{SHEET}'!$A${layout()['cycle_first'] + ids.index(obligation_id)}"


def _verified(ok: bool) -> str:
    return YES if ok else UNVERIFIED


def _cells(ws: Worksheet, row: int, values: tuple[Any, ...], wrap: tuple[int, ...] = (2, 8, 9)) -> None:
    from openpyxl.styles import Alignment

    for col, v in enumerate(values, start=1):
        c = ws.cell(row=row, column=col, value=v)
        c.alignment = Alignment(vertical="top", wrap_text=col in wrap)
    ws.cell(row=row, column=1).number_format = DATE_FORMAT


def _section(ws: Worksheet, row: int, text: str, note: str | None = None) -> None:
    ws.cell(row=row, column=1, value=text).font = font(bold=True, size=13, color="1F4E79")
    if note:
        ws.cell(row=row, column=3, value=note).font = font(italic=True, color="595959")
    header_row(ws, row + 1, HEADS)


def _date_at(year: str, r: int, day_known: bool) -> str:
    h = HIDDEN
    return (
        f"DATE({year},${h['month']}{r},${h['day']}{r})" if day_known else f"DATE({year},${h['month']}{r}+1,0)"
    )


def _next_date(r: int, ob: reference.Obligation) -> str:
    """The obligation's first date on or after the as-of date (``next_instance`` in Python)."""
    h, as_of = HIDDEN, f"${AS_OF_CELL[0]}${AS_OF_CELL[1:]}"
    y = f"YEAR({as_of})"
    if ob.rule.first_year is None:
        year0 = y
    else:
        year0 = f"MAX(${h['first']}{r},{y}+MOD(${h['first']}{r}-{y},${h['every']}{r}))"
    first, later = (
        _date_at(year0, r, ob.rule.day is not None),
        _date_at(f"{year0}+${h['every']}{r}", r, ob.rule.day is not None),
    )
    return f"=IF({first}>={as_of},{first},{later})"


def _cycle(ws: Worksheet, rows: dict[str, int]) -> None:
    """Section 2: every obligation, its rule and its next date (hidden helper columns K:Q)."""
    ref = reference.load()
    _section(ws, rows["cycle_title"], "The reporting cycle: every recurring obligation",
             "Next date on or after the as-of date; the rules come from the reference data.")  # fmt: skip
    h = HIDDEN
    for pos, ob in enumerate(ref.obligations, start=1):
        r = rows["cycle_first"] + pos - 1
        dated = ob.rule.month is not None
        when = _next_date(r, ob) if dated else "No fixed date"
        om, od = f"${h['opens_m']}{r}", f"${h['opens_d']}{r}"
        opens = f'=IF({om}="","",DATE(YEAR(A{r})-({om}>MONTH(A{r})),{om},{od}))'
        rule = f"{ob.rule.words}." + (f" {ob.note}" if ob.note else "")
        checked = f"{ob.source} (checked {ob.checked:%d/%m/%Y})"
        applies = ref.applies_to_words(ob.applies_to)
        values = (when, f"{ob.title}: {ob.what}", applies, opens if dated else "", _verified(ob.verified))
        _cells(ws, r, (*values, None, None, rule, checked))
        ws[f"{h['title']}{r}"], ws[f"{h['rule']}{r}"] = ob.title, ob.rule.words
        ws.cell(row=r, column=4).number_format = DATE_FORMAT
        helpers = (
            ob.rule.month,
            ob.rule.day,
            ob.rule.every,
            ob.rule.first_year,
            *(ob.rule.opens or (None, None)),
        )
        for key, v in zip(("month", "day", "every", "first", "opens_m", "opens_d"), helpers, strict=True):
            ws[f"{h[key]}{r}"] = v
        ws[f"{h['key']}{r}"] = f'=IF(ISNUMBER(A{r}),A{r}*100+{pos},"")'
        fit_height(ws, r)


def _next_months(ws: Worksheet, rows: dict[str, int]) -> None:
    """Section 1: the k-th earliest next date of section 2 within the next 12 months, and its row."""
    _section(ws, NEXT_TITLE_ROW, "Due in the next 12 months",
             "Recurring obligations of the EDI reporting year, earliest first.")  # fmt: skip
    first, last = rows["cycle_first"], rows["cycle_last"]
    keys = f"${HIDDEN['key']}${first}:${HIDDEN['key']}${last}"
    k_col, pos_col = PICK["key"], PICK["pos"]
    until = f"${UNTIL_CELL[0]}${UNTIL_CELL[1:]}"
    as_of = f"${AS_OF_CELL[0]}${AS_OF_CELL[1:]}"
    for k, r in enumerate(range(rows["next_first"], rows["next_last"] + 1), start=1):
        ws[f"{k_col}{r}"] = f'=IFERROR(SMALL({keys},{k}),"")'
        ws[f"{pos_col}{r}"] = f'=IF({k_col}{r}="","",IF(INT({k_col}{r}/100)>{until},"",MOD({k_col}{r},100)))'

        def pick(letter: str, r: int = r) -> str:
            return f'=IF(${pos_col}{r}="","",INDEX(${letter}${first}:${letter}${last},${pos_col}{r}))'

        values = (
            f'=IF(${pos_col}{r}="","",INT(${k_col}{r}/100))',
            pick(HIDDEN["title"]),
            pick("C"),
            pick("D"),
            pick("E"),
            f'=IF(${pos_col}{r}="","",A{r}-{as_of})',
            f'=IF(${pos_col}{r}="","",IF(F{r}<=AmberDays,"Due soon","Upcoming"))',
            pick(HIDDEN["rule"]),
            pick("I"),
        )
        _cells(ws, r, values)
        ws.cell(row=r, column=4).number_format = DATE_FORMAT
        ws.row_dimensions[r].height = 30


def _hia(ws: Worksheet, rows: dict[str, int]) -> None:
    """Section 3: the improvement plan's milestones, earliest first, then the undated ones."""
    ref = reference.load()
    _section(ws, rows["hia_title"], "HIA milestones of the EDI improvement plan (history)",
             "One-off national deadlines of the six High Impact Actions.")  # fmt: skip
    as_of = f"${AS_OF_CELL[0]}${AS_OF_CELL[1:]}"
    r = rows["hia_first"]
    applies = ref.applies_to_words(ref.plan_applies_to)
    for d in sorted(ref.national_deadlines, key=lambda x: (x.date, x.hia, x.id)):
        check = d.status + (f" (was {d.was:%d/%m/%Y})" if d.was else "") + (f". {d.note}" if d.note else "")
        what = f"{ref.hia(d.hia).label} ({d.id}): {d.action}"
        state = f'=IF(F{r}<0,"Passed",IF(F{r}<=AmberDays,"Due soon","Upcoming"))'
        _cells(ws, r, (d.date, what, applies, d.wording, _verified(d.verified), f"=A{r}-{as_of}", state,
                       check, d.source))  # fmt: skip
        fit_height(ws, r)
        r += 1
    for u in ref.undated_actions:
        what = f"{ref.hia(u.hia).label} ({u.id}): {u.action}"
        _cells(
            ws, r, ("No date", what, applies, u.wording, _verified(u.verified), None, None, u.note, u.source)
        )
        fit_height(ws, r)
        r += 1


def _metrics(ws: Worksheet, rows: dict[str, int]) -> None:
    ref = reference.load()
    row = rows["metrics_title"]
    ws.cell(row=row, column=1, value="HIA success metrics").font = font(bold=True, size=13, color="1F4E79")
    header_row(
        ws,
        row + 1,
        ("HIA", "Success metric", "", "", "Verified", "", "", "Where the data comes from", "Source"),
    )
    for i, m in enumerate(ref.success_metrics, start=row + 2):
        _cells(ws, i, (ref.hia(m.hia).label, f"{m.id}: {m.title}", None, None, _verified(m.verified), None,
                       None, m.measure, f"{m.source} (checked {m.checked:%d/%m/%Y})"))  # fmt: skip
        ws.cell(row=i, column=1).number_format = "General"


def _formats(ws: Worksheet, rows: dict[str, int]) -> None:
    from openpyxl.formatting.rule import CellIsRule, FormulaRule

    ref = reference.load()
    grey, amber = ref.rag("Grey"), ref.rag("Amber")
    last = rows["metrics_title"] + 2 + len(ref.success_metrics)
    ws.conditional_formatting.add(
        f"E{rows['next_first']}:E{last}",
        CellIsRule(
            operator="equal", formula=[f'"{UNVERIFIED}"'], fill=fill("F8CBAD"), font=cf_font(bold=True)
        ),
    )
    ws.conditional_formatting.add(
        f"G{rows['next_first']}:G{rows['hia_last']}",
        CellIsRule(
            operator="equal", formula=['"Due soon"'], fill=fill(amber.fill), font=cf_font(color=amber.font)
        ),
    )
    hia = f"F{rows['hia_first']}:F{rows['hia_last']}"
    ws.conditional_formatting.add(
        hia,
        FormulaRule(
            formula=[f"AND(ISNUMBER(F{rows['hia_first']}),F{rows['hia_first']}<0)"],
            fill=fill(grey.fill),
            font=cf_font(color=grey.font),
        ),
    )


def national_deadlines(ws: Worksheet) -> None:
    """Fill the National deadlines sheet (see the module docstring)."""
    rows = layout()
    title(
        ws,
        "National deadlines",
        "The EDI reporting year from the as-of date (AsOfDate on Plan details, else today), then the "
        'HIA milestones. "Unverified": a date not seen in a source; see docs/deadlines.md.',
    )
    ws["A3"] = "As of"
    ws["A3"].font = font(bold=True)
    ws[AS_OF_CELL] = f"={formulas.as_of_expr()}"
    ws["C3"] = "Up to"
    ws["C3"].font = font(bold=True)
    a = f"${AS_OF_CELL[0]}${AS_OF_CELL[1:]}"
    ws[UNTIL_CELL] = f"=DATE(YEAR({a})+1,MONTH({a}),DAY({a}))-1"
    for cell in (AS_OF_CELL, UNTIL_CELL):
        ws[cell].number_format = DATE_FORMAT
    _cycle(ws, rows)
    _next_months(ws, rows)
    _hia(ws, rows)
    _metrics(ws, rows)
    _formats(ws, rows)
    widths(ws, {"A": 11, "B": 46, "C": 18, "D": 13, "E": 11, "F": 7, "G": 10, "H": 48, "I": 40})
    for letter in {*HIDDEN.values(), *PICK.values()}:
        ws.column_dimensions[letter].hidden = True
    ws.freeze_panes = "A4"
    print_setup(ws, landscape=True)
