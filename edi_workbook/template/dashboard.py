"""The ``Dashboard`` sheet: RAG counts, coverage by HIA, PSED aim and characteristic, gaps, a chart.

Everything is a formula over the table ``ActionPlan`` (structured references, so the counts follow
the table when it grows), using only COUNTIF, COUNTIFS, SUMPRODUCT, SEARCH, SUBSTITUTE, LEN,
TRIM, LOWER, LEFT, MID and IF, which Excel and LibreOffice 7.4 both compute. Matching follows the
dropdowns' forms: an action counts for ``HIA 2`` when its HIA cell contains ``HIA 2`` (so
``HIA 2; HIA 6`` counts for both), for aim (b) when its PSED aim cell contains ``(b)``, and for a
protected characteristic when that characteristic is one of the cell's items separated by ``;``,
``,`` or ``/`` (or the cell says ``All``). Issue 4, "Coverage".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from edi_workbook import reference
from edi_workbook.template import formulas
from edi_workbook.template.sheets import ALL_CHARACTERISTICS, DATE_FORMAT, fill, font, header_row, title

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["CELLS", "aim_only_gap", "dashboard"]

T = "ActionPlan"
COL_RAG, COL_HIA, COL_AIM = f"{T}[RAG]", f"{T}[HIA]", f"{T}[PSED aim]"
COL_CHARS, COL_ACTION, COL_DAYS = f"{T}[Protected characteristics]", f"{T}[Action]", f"{T}[Days to due]"

NO_HIA_GAP = "None: every HIA has at least one action"
NO_AIM_GAP = "None: every aim has at least one action"
GAP_COLUMN = 9  # column I: the gaps of the HIA table; the key figures and aim gaps span to it
OVERALL_ROW = 5  # header of the overall RAG table; the five RAG rows follow, then the total
FIGURES_ROW = 14  # first key figure
HIA_ROW = 23  # header of the RAG-by-HIA table
AIM_ROW = HIA_ROW + 9
CHAR_ROW = AIM_ROW + 6

CELLS = {
    "as_of": "B3",
    "total": f"C{OVERALL_ROW + 6}",
    "overdue": f"C{FIGURES_ROW}",
    "due_soon": f"C{FIGURES_ROW + 1}",
    "no_hia": f"C{FIGURES_ROW + 2}",
    "no_aim": f"C{FIGURES_ROW + 3}",
    "hia_gaps": f"C{FIGURES_ROW + 4}",
    "aim_gaps": f"C{FIGURES_ROW + 5}",
}
"""Where the headline figures are (tests and docs read them by these keys)."""


def _section(ws: Worksheet, row: int, text: str) -> None:
    ws.cell(row=row, column=1, value=text).font = font(bold=True, size=13, color="1F4E79")


def _overall(ws: Worksheet) -> None:
    """RAG counts and shares over all actions."""
    ref = reference.load()
    _section(ws, OVERALL_ROW - 1, "RAG status of all actions")
    header_row(ws, OVERALL_ROW, ("RAG", "Meaning", "Actions", "Share"))
    total = CELLS["total"]
    for i, r in enumerate(ref.rag_values, start=1):
        row = OVERALL_ROW + i
        name = ws.cell(row=row, column=1, value=r.name)
        name.fill, name.font = fill(r.fill), font(bold=True, color=r.font)
        ws.cell(row=row, column=2, value=r.meaning)
        ws.cell(row=row, column=3, value=f"=COUNTIF({COL_RAG},A{row})")
        share = ws.cell(row=row, column=4, value=f'=IF({total}=0,"",C{row}/{total})')
        share.number_format = "0%"
    row = OVERALL_ROW + 6
    ws.cell(row=row, column=1, value="Total").font = font(bold=True)
    ws.cell(row=row, column=2, value="Actions in the plan")
    ws.cell(row=row, column=3, value=f"=SUM(C{OVERALL_ROW + 1}:C{row - 1})").font = font(bold=True)


def _gap_list(rows: range, label_col: str, count_col: str, none_text: str) -> str:
    """``"HIA 3, HIA 5"``: the labels whose count is 0, or ``none_text``."""
    parts = "&".join(f'IF({count_col}{r}=0,", "&{label_col}{r},"")' for r in rows)
    first, last = rows[0], rows[-1]
    return f'=IF(COUNTIF({count_col}{first}:{count_col}{last},0)=0,"{none_text}",MID({parts},3,500))'


def _figures(ws: Worksheet) -> None:
    """Overdue, due soon, actions with no HIA or aim, and the named gaps."""
    from openpyxl.styles import Alignment

    hia_rows = range(HIA_ROW + 1, HIA_ROW + 7)
    aim_rows = range(AIM_ROW + 1, AIM_ROW + 4)
    no_value = "SUMPRODUCT((LEN(TRIM({act}))>0)*(LEN(TRIM({col}))=0))"
    rows = (
        ("Overdue", "Open actions past their due date (RAG Red)", f'=COUNTIF({COL_RAG},"{formulas.RED}")'),
        (
            "Due soon",
            "Open actions due within AmberDays days",
            f'=COUNTIFS({COL_DAYS},">=0",{COL_DAYS},"<="&AmberDays,'
            f'{COL_RAG},"<>{formulas.BLUE}",{COL_RAG},"<>{formulas.GREY}")',
        ),
        ("No HIA", "Actions with no HIA", "=" + no_value.format(act=COL_ACTION, col=COL_HIA)),
        ("No PSED aim", "Actions with no PSED aim", "=" + no_value.format(act=COL_ACTION, col=COL_AIM)),
        (
            "HIA gaps",
            "HIAs with no action",
            _gap_list(hia_rows, "A", "H", NO_HIA_GAP),
        ),
        (
            "PSED aim gaps",
            "PSED aims with no action",
            _gap_list(aim_rows, "A", "C", NO_AIM_GAP),
        ),
    )
    _section(ws, FIGURES_ROW - 1, "Key figures")
    for i, (label, meaning, formula) in enumerate(rows):
        row = FIGURES_ROW + i
        ws.cell(row=row, column=1, value=label).font = font(bold=True)
        ws.cell(row=row, column=2, value=meaning)
        c = ws.cell(row=row, column=3, value=formula)
        c.font = font(bold=True)
        c.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        # the named gaps ("HIA 1, HIA 2, ...") ran past the table: the value spans C:I
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=GAP_COLUMN)


def _gap(cell: Any) -> None:
    """A gap's text: bold red, indented, so it never butts against the count before it ("0No action")."""
    from openpyxl.styles import Alignment

    cell.font = font(bold=True, color="C00000")
    cell.alignment = Alignment(horizontal="left", indent=1)


def _by_hia(ws: Worksheet) -> None:
    """RAG counts per HIA (an action with two HIAs counts under both), with the gap named."""
    from openpyxl.styles import Alignment

    ref = reference.load()
    _section(ws, HIA_ROW - 1, "RAG by High Impact Action")
    header_row(ws, HIA_ROW, ("HIA", "Title", *ref.rag_names, "Actions", "Gap"))
    for r in ref.rag_values:
        col = 3 + ref.rag_names.index(r.name)
        head = ws.cell(row=HIA_ROW, column=col)
        head.fill, head.font = fill(r.fill), font(bold=True, color=r.font)
    for i, hia in enumerate(ref.hias, start=1):
        row = HIA_ROW + i
        ws.cell(row=row, column=1, value=hia.label)
        ws.cell(row=row, column=2, value=hia.short_title).alignment = Alignment(wrap_text=True)
        for j in range(len(ref.rag_names)):
            col = 3 + j
            letter = ws.cell(row=HIA_ROW, column=col).column_letter
            ws.cell(
                row=row,
                column=col,
                value=f'=COUNTIFS({COL_HIA},"*"&$A{row}&"*",{COL_RAG},{letter}${HIA_ROW})',
            )
        ws.cell(row=row, column=8, value=f'=COUNTIF({COL_HIA},"*"&A{row}&"*")').font = font(bold=True)
        _gap(ws.cell(row=row, column=GAP_COLUMN, value=f'=IF(H{row}=0,"No action addresses "&A{row},"")'))


def _by_aim(ws: Worksheet) -> None:
    """Actions per PSED aim (Equality Act 2010 s.149(1)(a)-(c)), with the gap named."""
    ref = reference.load()
    _section(ws, AIM_ROW - 1, "Actions per PSED aim")
    header_row(ws, AIM_ROW, ("Aim", "Public Sector Equality Duty aim", "Actions", "Gap"))
    for i, aim in enumerate(ref.psed_aims, start=1):
        row = AIM_ROW + i
        ws.cell(row=row, column=1, value=f"({aim.aim})")
        ws.cell(row=row, column=2, value=aim.short)
        ws.cell(row=row, column=3, value=f'=COUNTIF({COL_AIM},"*"&A{row}&"*")').font = font(bold=True)
        _gap(ws.cell(row=row, column=4, value=f'=IF(C{row}=0,"No action for aim "&A{row},"")'))
    # "No action for aim (a)" ran past the table (column D is 9 wide): the gap column spans D:I
    for row in range(AIM_ROW, AIM_ROW + len(ref.psed_aims) + 1):
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=GAP_COLUMN)


def characteristic_formula(label_cell: str, with_all: bool = True, aim: str | None = None) -> str:
    """Count of actions naming the characteristic in ``label_cell`` as an item (or, optionally, All);
    with ``aim``, only actions whose PSED aim cell contains ``(a)`` (say)."""
    items = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({COL_CHARS}," ",""),",",";"),"/",";")'
    items += ',CHAR(10),";")'
    key = f'";"&SUBSTITUTE({label_cell}," ","")&";"'
    named = f'ISNUMBER(SEARCH({key},";"&{items}&";"))'
    if aim is not None:
        return f'=SUMPRODUCT(--{named},--ISNUMBER(SEARCH("({aim})",{COL_AIM})))'
    if not with_all:
        return f"=SUMPRODUCT(--{named})"
    everyone = f'LOWER(LEFT(TRIM({COL_CHARS}),{len(ALL_CHARACTERISTICS)}))="{ALL_CHARACTERISTICS.lower()}"'
    return f"=SUMPRODUCT(--(({named})+({everyone})>0))"


def aim_only_gap(aim: str) -> str:
    """The gap of a characteristic only aim ``aim`` covers, when no action under that aim names it."""
    others = " and ".join(f"({a.aim})" for a in reference.load().psed_aims if a.aim != aim)
    return f"No aim ({aim}) action names it; aims {others} do not cover it"


def _by_characteristic(ws: Worksheet) -> None:
    """Actions per protected characteristic (Equality Act 2010 ss.4-12): named, and with All.

    A characteristic that PSED aims (b) and (c) do not cover (marriage and civil partnership,
    s.149(7); reference ``psed_aims``) is a gap only when no aim (a) action names it.
    """
    from openpyxl.styles import Alignment

    ref = reference.load()
    _section(ws, CHAR_ROW - 1, "Actions per protected characteristic")
    header_row(ws, CHAR_ROW, ("Characteristic", "Gap", "Named", f"With {ALL_CHARACTERISTICS}", "PSED aims"))
    for i, name in enumerate(ref.protected_characteristics, start=1):
        row = CHAR_ROW + i
        aims = ref.aims_covering(name)
        ws.cell(row=row, column=1, value=name)
        gap = (
            f'=IF(D{row}=0,"No action names it",IF(C{row}=0,"Only actions marked {ALL_CHARACTERISTICS}",""))'
        )
        partial = len(aims) < len(ref.psed_aims)
        if partial:  # aim (a) only: ask for it there, never under (b) or (c)
            under = characteristic_formula(f"A{row}", with_all=False, aim=aims[0])[1:]
            gap = f'=IF({under}=0,"{aim_only_gap(aims[0])}","")'
        ws.cell(row=row, column=2, value=gap).font = font(color="C00000")
        ws.cell(row=row, column=3, value=characteristic_formula(f"A{row}", with_all=False)).font = font(
            bold=True
        )
        ws.cell(row=row, column=4, value=characteristic_formula(f"A{row}"))
        aims_cell = ws.cell(
            row=row, column=5, value=", ".join(f"({a})" for a in aims) + (" only" if partial else "")
        )
        aims_cell.alignment = Alignment(indent=1)  # clear of the count beside it ("8(a) only")
        if partial:  # the longer gap wraps onto a second line inside its column, the row top-aligned
            for col in range(1, 6):
                cell = ws.cell(row=row, column=col)
                cell.alignment = Alignment(vertical="top", wrap_text=col == 2, indent=1 if col == 5 else 0)
            ws.row_dimensions[row].height = 30
    note = CHAR_ROW + len(ref.protected_characteristics) + 1
    ws.cell(
        row=note,
        column=1,
        value=f"Named: the characteristic is in the action's list. With {ALL_CHARACTERISTICS}: "
        f'also counting actions marked "{ALL_CHARACTERISTICS}". PSED aims: the aims of s.149(1) that '
        "cover it (marriage and civil partnership: aim (a) only, s.149(7)).",
    )


def _chart(ws: Worksheet) -> None:
    """A stacked column chart of RAG counts per HIA, in the reference RAG colours."""
    from openpyxl.chart import BarChart, Reference

    ref = reference.load()
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = "Actions by HIA and RAG status"
    chart.y_axis.title, chart.x_axis.title = "Actions", None
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = chart.y_axis.delete = False
    data = Reference(ws, min_col=3, max_col=2 + len(ref.rag_names), min_row=HIA_ROW, max_row=HIA_ROW + 6)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=HIA_ROW + 1, max_row=HIA_ROW + 6))
    for series, r in zip(chart.series, ref.rag_values, strict=True):
        series.graphicalProperties.solidFill = r.fill
        series.graphicalProperties.line.solidFill = r.fill
    chart.height, chart.width = 9, 16
    ws.add_chart(chart, "K4")


def dashboard(ws: Worksheet) -> None:
    """Fill the Dashboard sheet (formulas only, plus one native chart)."""
    title(ws, "Dashboard", "Counts update by themselves from the Action Plan table.")
    ws["A3"] = "RAG as of"
    ws["A3"].font = font(bold=True)
    ws[CELLS["as_of"]] = f"={formulas.as_of_expr()}"
    ws[CELLS["as_of"]].number_format = DATE_FORMAT
    _overall(ws)
    _figures(ws)
    _by_hia(ws)
    _by_aim(ws)
    _by_characteristic(ws)
    _chart(ws)
    widths = {"A": 27, "B": 44, "C": 9, "D": 9, "E": 11, "F": 9, "G": 9, "H": 9, "I": 30}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    ws.sheet_view.showGridLines = False
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "&A - page &P of &N"
