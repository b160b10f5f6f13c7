"""The ``National deadlines`` sheet: the EDI reporting year from the as-of date, then the HIA milestones.

Pure formulas, so it works with no Python. One header row (row 4, frozen on screen and repeated on
every printed page) names the columns of four sections, each starting a new printed page:

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
4. **HIA success metrics**: what each HIA is measured by (``Rule / check``) and where from.

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
    wrapped_lines,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["AS_OF_CELL", "HEADER_ROW", "UNTIL_CELL", "cycle_next_date_cell", "layout", "national_deadlines"]

SHEET = "National deadlines"
AS_OF_CELL, UNTIL_CELL = "B3", "D3"
HEADER_ROW = 4  # the columns of every section: frozen on screen, repeated on every printed page
NEXT_TITLE_ROW = 5  # section 1: its title, then one row per dated obligation
HEADS = ("Date", "What is due", "Applies to", "Window opens / wording", "Verified", "Days", "State",
         "Rule / check", "Source")  # fmt: skip
HIDDEN = {"month": "K", "day": "L", "every": "M", "first": "N", "opens_m": "O", "opens_d": "P", "key": "Q",
          "title": "R", "rule": "S"}  # fmt: skip
PICK = {"key": "K", "pos": "L"}  # section 1's hidden helpers: the k-th key, its position in section 2
YES, UNVERIFIED = "Yes", "Unverified"
WIDTHS = {"A": 13, "B": 46, "C": 18, "D": 15, "E": 11, "F": 7, "G": 10, "H": 48, "I": 48}
WRAPPED = (2, 4, 8, 9)  # What is due, Window opens / wording, Rule / check, Source


def layout() -> dict[str, int]:
    """Row numbers of the sections (``next_first``, ``cycle_title``, ``cycle_first``, ``hia_first``,
    ..., ``metrics_last``): each section is a title row, then its rows, then a blank row."""
    ref = reference.load()
    n_dated = sum(1 for o in ref.obligations if o.rule.month is not None)
    rows = {"next_first": NEXT_TITLE_ROW + 1, "next_last": NEXT_TITLE_ROW + n_dated}
    rows["cycle_title"] = rows["next_last"] + 2
    rows["cycle_first"] = rows["cycle_title"] + 1
    rows["cycle_last"] = rows["cycle_first"] + len(ref.obligations) - 1
    rows["hia_title"] = rows["cycle_last"] + 2
    rows["hia_first"] = rows["hia_title"] + 1
    rows["hia_last"] = rows["hia_first"] + len(ref.national_deadlines) + len(ref.undated_actions) - 1
    rows["metrics_title"] = rows["hia_last"] + 2
    rows["metrics_first"] = rows["metrics_title"] + 1
    rows["metrics_last"] = rows["metrics_first"] + len(ref.success_metrics) - 1
    return rows


def cycle_next_date_cell(obligation_id: str) -> str:
    """``'National deadlines'!$A$25``: the cell holding an obligation's next date (section 2)."""
    ids = [o.id for o in reference.load().obligations]
    return f"'{SHEET}'!$A${layout()['cycle_first'] + ids.index(obligation_id)}"


def _verified(ok: bool) -> str:
    return YES if ok else UNVERIFIED


def _cells(ws: Worksheet, row: int, values: tuple[Any, ...], wrap: tuple[int, ...] = WRAPPED) -> None:
    from openpyxl.styles import Alignment

    for col, v in enumerate(values, start=1):
        c = ws.cell(row=row, column=col, value=v)
        # Days centred: "128" ran into the State beside it ("128Upcoming")
        c.alignment = Alignment(
            vertical="top", wrap_text=col in wrap, horizontal="center" if col == 6 else None
        )
    ws.cell(row=row, column=1).number_format = DATE_FORMAT


def _section(ws: Worksheet, row: int, text: str, note: str) -> None:
    """A section's title row; a printed page starts there (but the first section's, on page 1)."""
    from openpyxl.worksheet.pagebreak import Break

    ws.cell(row=row, column=1, value=text).font = font(bold=True, size=13, color="1F4E79")
    ws.cell(row=row, column=3, value=note).font = font(italic=True, color="595959")
    ws.row_dimensions[row].height = 21
    if row > NEXT_TITLE_ROW:  # ECMA-376 Part 1, 18.3.1.9: a break sits above the zero-based row id
        ws.row_breaks.append(Break(id=row - 1))


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
        rule = ob.rule.words.rstrip(".") + "." + (f" {ob.note}" if ob.note else "")  # never ".."
        checked = _checked(ob)
        applies = ref.applies_to_words(ob.applies_to)
        values = (when, f"{ob.title}: {ob.what}", applies, opens if dated else None, _verified(ob.verified))
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
        ws.row_dimensions[r].height = _next_height()


def _next_height(line_height: float = 15.0) -> float:
    """Section 1's row height: the most lines any dated obligation's title, rule or source takes
    there (the rows are formulas, so their text is not known until the as-of date is)."""
    lines = 1
    for ob in reference.load().obligations:
        if ob.rule.month is not None:
            texts = {"B": ob.title, "H": ob.rule.words, "I": _checked(ob)}
            lines = max(lines, *(wrapped_lines(t, WIDTHS[letter]) for letter, t in texts.items()))
    return lines * line_height


def _checked(ob: reference.Obligation) -> str:
    return f"{ob.source} (checked {ob.checked:%d/%m/%Y})"


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
    """Section 4: each HIA's success metrics, in the columns of the sections above (no date)."""
    ref = reference.load()
    _section(ws, rows["metrics_title"], "HIA success metrics",
             "What each High Impact Action is measured by, and where the data comes from.")  # fmt: skip
    applies = ref.applies_to_words(ref.plan_applies_to)
    for r, m in enumerate(ref.success_metrics, start=rows["metrics_first"]):
        what, source = (
            f"{ref.hia(m.hia).label} ({m.id}): {m.title}",
            f"{m.source} (checked {m.checked:%d/%m/%Y})",
        )
        measure = f"Measured from: {m.measure}"
        _cells(ws, r, (None, what, applies, None, _verified(m.verified), None, None, measure, source))
        fit_height(ws, r)


def _formats(ws: Worksheet, rows: dict[str, int]) -> None:
    from openpyxl.formatting.rule import CellIsRule, FormulaRule

    ref = reference.load()
    grey, amber = ref.rag("Grey"), ref.rag("Amber")
    last = rows["metrics_last"]
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
    # widths first: fit_height wraps each row's text at them (at openpyxl's default width of 13
    # the reporting cycle's rows came out up to 14 lines tall)
    widths(ws, WIDTHS)
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
    header_row(ws, HEADER_ROW, HEADS)
    ws.row_dimensions[HEADER_ROW].height = 30
    _cycle(ws, rows)
    _next_months(ws, rows)
    _hia(ws, rows)
    _metrics(ws, rows)
    _formats(ws, rows)
    for letter in {*HIDDEN.values(), *PICK.values()}:
        ws.column_dimensions[letter].hidden = True
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    print_setup(ws, landscape=True, title_row=HEADER_ROW)
    ws.print_area = f"A1:I{rows['metrics_last']}"
