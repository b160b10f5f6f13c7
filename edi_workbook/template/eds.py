"""The ``EDS 2022`` sheet: the yearly Equality Delivery System assessment, scored by formulas.

Each of the 11 outcomes (reference ``eds_2022``) gets a score 0-3 (a yellow input with a dropdown
check), the evidence, and the plan's actions linked to it by ID; ``Found in plan`` counts how many
of those IDs the ``ActionPlan`` table holds. Below: each domain's and the overall total (``SUM``,
``COUNT``) and the rating band, from the band table further down whose lowest totals are editable
(the sources disagree on Achieving's upper end: the table says which limits are unverified). A
total is rated only once all 11 outcomes are scored, as :func:`edi_workbook.eds.assess` does, so a
cached value of each formula is that function's figure. ``Publish by`` is the next 28 February
from the as-of date, the EDS publication date of the reporting cycle (``National deadlines``).

Workbook-level names: ``EDSAssessment`` (the outcome rows, A:H) and ``EDSBands`` (band, lowest
total), which :func:`edi_workbook.read.read_eds` reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from edi_workbook import reference
from edi_workbook.template.national import cycle_next_date_cell
from edi_workbook.template.sheets import (
    DATE_FORMAT,
    INPUT_FILL,
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

__all__ = ["FIRST_ROW", "HEADS", "eds_sheet", "rows"]

SHEET = "EDS 2022"
FIRST_ROW = 7  # the first outcome; the header is above it
HEADS = ("Domain", "Outcome", "What the outcome asks", "Score (0-3)", "Score means", "Evidence",
         "Linked actions (IDs)", "Found in plan", "Wording verified")  # fmt: skip
_ACTION_IDS = "ActionPlan[Action ID]"
WIDTHS = {"A": 24, "B": 11, "C": 52, "D": 10, "E": 20, "F": 44, "G": 18, "H": 9, "I": 11}
"""Column widths; B holds the outcome ids and, in B3, the Publish by date (10 characters)."""


def rows() -> dict[str, int]:
    """Row numbers: ``last`` outcome, the ``totals`` header, ``overall``, ``rating``, the ``bands``."""
    n = len(reference.load().eds_outcomes)
    last = FIRST_ROW + n - 1
    out = {"last": last, "totals": last + 3}
    out["overall"] = out["totals"] + 1 + len({o.domain for o in reference.load().eds_outcomes})
    out["rating"] = out["overall"] + 1
    out["bands"] = out["rating"] + 4  # header row; the bands follow
    return out


def _found(cell: str) -> str:
    """How many of the IDs typed in ``cell`` (separated by ; or ,) are Action IDs of the plan."""
    typed = f'";"&SUBSTITUTE(SUBSTITUTE({cell}," ",""),",",";")&";"'
    ids = f'";"&SUBSTITUTE(TRIM({_ACTION_IDS})," ","")&";"'
    return f'=IF(TRIM({cell})="","",SUMPRODUCT((LEN(TRIM({_ACTION_IDS}))>0)*ISNUMBER(SEARCH({ids},{typed}))))'


def _outcomes(ws: Worksheet, data: dict[str, Any]) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.datavalidation import DataValidation

    ref = reference.load()
    labels = ",".join(f'"{label}"' for label in ref.eds_scores)
    header_row(ws, FIRST_ROW - 1, HEADS)
    ws.row_dimensions[FIRST_ROW - 1].height = 30
    for i, o in enumerate(ref.eds_outcomes):
        r = FIRST_ROW + i
        given = data.get(o.id, {})
        values = (f"{o.domain}. {o.domain_name}", o.id, o.text, given.get("score"), None,
                  given.get("evidence"), given.get("actions"))  # fmt: skip
        for col, v in enumerate(values, start=1):
            c = ws.cell(row=r, column=col, value=None if v == "" else v)  # "": an empty cell
            centred = "center" if col == 4 else None  # the score clear of "Achieving activity"
            c.alignment = Alignment(vertical="top", wrap_text=col in (1, 3, 6, 7), horizontal=centred)
        ws.cell(row=r, column=5, value=f'=IF(ISNUMBER(D{r}),CHOOSE(D{r}+1,{labels}),"")')
        found = ws.cell(row=r, column=8, value=_found(f"G{r}"))
        found.alignment = Alignment(vertical="top", horizontal="center")  # clear of "Unverified"
        ws.cell(row=r, column=9, value="Yes" if o.verified else "Unverified").alignment = Alignment(
            vertical="top"
        )
        for col in (4, 6, 7):
            ws.cell(row=r, column=col).fill = fill(INPUT_FILL)
        fit_height(ws, r)
    dv = DataValidation(type="whole", operator="between", formula1="0", formula2="3", allow_blank=True)
    dv.error, dv.errorTitle = "A score is a whole number: 0, 1, 2 or 3.", "EDS 2022 score"
    dv.prompt, dv.showInputMessage, dv.showErrorMessage = "0 Undeveloped to 3 Excelling", True, True
    dv.add(f"D{FIRST_ROW}:D{FIRST_ROW + len(ref.eds_outcomes) - 1}")
    ws.add_data_validation(dv)


def _totals(ws: Worksheet) -> None:
    from openpyxl.styles import Alignment

    ref = reference.load()
    at = rows()
    header_row(ws, at["totals"], ("Domain", "", "", "Total", "Out of", "Outcomes scored"))
    domains = sorted({(o.domain, o.domain_name) for o in ref.eds_outcomes})
    for k, (number, name) in enumerate(domains):
        r = at["totals"] + 1 + k
        ids = [i for i, o in enumerate(ref.eds_outcomes) if o.domain == number]
        span = f"D{FIRST_ROW + ids[0]}:D{FIRST_ROW + ids[-1]}"
        ws.cell(row=r, column=1, value=f"{number}. {name}")
        ws.cell(row=r, column=4, value=f"=SUM({span})")
        ws.cell(row=r, column=5, value=3 * len(ids))
        ws.cell(row=r, column=6, value=f'=COUNT({span})&" of {len(ids)}"')
    n = len(ref.eds_outcomes)
    scores = f"D{FIRST_ROW}:D{at['last']}"
    r = at["overall"]
    ws.cell(row=r, column=1, value="Overall").font = font(bold=True)
    ws.cell(row=r, column=4, value=f"=SUM({scores})").font = font(bold=True)
    ws.cell(row=r, column=5, value=3 * n)
    ws.cell(row=r, column=6, value=f'=COUNT({scores})&" of {n}"')
    band = _band_formula(f"D{r}")
    ws.cell(row=at["rating"], column=1, value="Rating").font = font(bold=True)
    rating = ws.cell(
        row=at["rating"],
        column=4,
        value=f'=IF(COUNT({scores})<{n},"Not rated: "&COUNT({scores})&" of {n} outcomes scored",{band})',
    )
    rating.font = font(bold=True, size=13)
    for row in ws.iter_rows(min_row=at["totals"] + 1, max_row=at["overall"], min_col=4, max_col=6):
        for cell in row:  # "12" (out of) ran into "4 of 4" (outcomes scored)
            cell.alignment = Alignment(horizontal="center")


def _band_formula(total: str) -> str:
    """Nested IFs over the band table, highest band first."""
    ref = reference.load()
    first = rows()["bands"] + 1
    bands = list(enumerate(ref.eds_bands))
    expr = f'"{bands[0][1].band}"'
    for i, b in bands[1:]:
        expr = f'IF({total}>=$B${first + i},"{b.band}",{expr})'
    return expr


def _bands(ws: Worksheet) -> None:
    """The band table; its source and note span D:I, wrapped, so the page holds all of it."""
    from openpyxl.styles import Alignment

    ref = reference.load()
    head = rows()["bands"]
    note = "Rating bands (lowest total of each; change them if your guidance differs)"
    ws.cell(row=head - 1, column=1, value=note).font = font(bold=True)
    header_row(ws, head, ("Band", "From total", "Verified", "Source and note", "", "", "", "", ""))
    span = sum(WIDTHS[c] for c in "DEFGHI")
    for i, b in enumerate(ref.eds_bands, start=1):
        r = head + i
        ws.cell(row=r, column=1, value=b.band).alignment = Alignment(vertical="top")
        ws.cell(row=r, column=2, value=b.lowest).fill = fill(INPUT_FILL)
        ws.cell(row=r, column=2).alignment = Alignment(vertical="top")
        ws.cell(row=r, column=3, value="Yes" if b.verified else "Unverified").alignment = Alignment(
            vertical="top"
        )
        text = b.source + (f". {b.note}" if b.note else "")
        ws.cell(row=r, column=4, value=text).alignment = Alignment(vertical="top", wrap_text=True)
        ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=9)
        ws.row_dimensions[r].height = 15 * wrapped_lines(text, span)
    ws.merge_cells(start_row=head, start_column=4, end_row=head, end_column=9)


def eds_sheet(ws: Worksheet, example: dict[str, Any] | None) -> dict[str, str]:
    """Fill the EDS 2022 sheet (the example's scores from ``eds`` in example_plan.yaml); its names."""
    ref = reference.load()
    publication = ref.obligation("eds-publication")
    widths(ws, WIDTHS)  # first: fit_height wraps each outcome's text at them
    title(
        ws,
        "EDS 2022 assessment",
        "Score each outcome with your stakeholders: 0 Undeveloped, 1 Developing, 2 Achieving, "
        "3 Excelling activity. Totals and the rating are worked out below.",
    )
    ws["A3"] = "Publish by"
    ws["A3"].font = font(bold=True)
    ws["B3"] = f"={cycle_next_date_cell(publication.id)}"
    ws["B3"].number_format = DATE_FORMAT
    mark = "" if publication.verified else " (unverified)"
    ws["C3"] = (
        f"{publication.rule.words}{mark}: the summary report on your website. Source: {publication.source}"
    )
    ws["A4"] = "Rating"
    ws["A4"].font = font(bold=True)
    ws["B4"] = f"=D{rows()['rating']}"
    _outcomes(ws, (example or {}).get("eds", {}))
    _totals(ws)
    _bands(ws)
    ws.freeze_panes = f"A{FIRST_ROW}"
    print_setup(ws, landscape=True, title_row=FIRST_ROW - 1)
    last, bands = rows()["last"], rows()["bands"]
    ws.print_area = f"A1:I{bands + len(ref.eds_bands)}"
    return {
        "EDSAssessment": f"'{SHEET}'!$A${FIRST_ROW}:$I${last}",
        "EDSBands": f"'{SHEET}'!$A${bands + 1}:$B${bands + len(ref.eds_bands)}",
    }
