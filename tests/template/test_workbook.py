"""The template's structure: sheets, table, defined names, dropdowns, colours, layout, determinism.

These read the workbook with openpyxl. What the formulas compute is checked with LibreOffice in
tests/template/test_recalculation.py.
"""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from edi_workbook import reference, values
from edi_workbook.errors import UsageError
from edi_workbook.template import formulas
from edi_workbook.template import workbook as template
from edi_workbook.template.action_plan import FIRST_ROW, HEADER_ROW, TABLE_ROWS, action_plan, last_row
from tests.paths import ROOT

COMMITTED = {
    False: ROOT / "workbook_templates" / "edi_action_plan.xlsx",
    True: ROOT / "workbook_templates" / "example_action_plan.xlsx",
}
REF = reference.load()
LETTER = formulas.column_letters()


@pytest.fixture(scope="module", params=[False, True], ids=["template", "example"])
def book(request, tmp_path_factory) -> openpyxl.Workbook:
    path = template.new_workbook(tmp_path_factory.mktemp("wb") / "plan.xlsx", example=request.param)
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def example_book(tmp_path_factory) -> openpyxl.Workbook:
    path = template.new_workbook(tmp_path_factory.mktemp("ex") / "example.xlsx", example=True)
    return openpyxl.load_workbook(path)


def _name_cell(wb: openpyxl.Workbook, name: str):
    (sheet, ref), *_ = wb.defined_names[name].destinations
    return wb[sheet][ref.replace("$", "").split(":")[0]]


def _name_values(wb: openpyxl.Workbook, name: str) -> list[object]:
    (sheet, ref), *_ = wb.defined_names[name].destinations
    return [row[0].value for row in wb[sheet][ref.replace("$", "")]]


def test_sheets_in_order_and_lists_hidden(book):
    assert book.sheetnames == list(template.SHEETS)
    states = {ws.title: ws.sheet_state for ws in book.worksheets}
    assert states.pop("Lists") == "hidden"
    assert set(states.values()) == {"visible"}


def test_table_action_plan_has_canonical_headers_from_column_a(book):
    ws = book["Action Plan"]
    assert list(ws.tables) == ["ActionPlan"]
    table = ws.tables["ActionPlan"]
    last = LETTER[REF.template_keys[-1]]
    assert table.ref == f"A{HEADER_ROW}:{last}{last_row()}"
    assert [c.name for c in table.tableColumns][: len(REF.headers)] == list(REF.headers)
    assert tuple(c.value for c in ws[HEADER_ROW])[: len(REF.headers)] == REF.headers
    assert last_row() - HEADER_ROW == TABLE_ROWS >= 200


def test_every_table_row_holds_the_rag_and_days_formulas(book):
    ws = book["Action Plan"]
    for row in range(FIRST_ROW, last_row() + 1):
        rag = ws[f"{LETTER['rag']}{row}"].value
        assert rag.startswith("="), row
        assert formulas.rag_formula(row)[1:] in rag, row
        assert ws[f"{LETTER['days_to_due']}{row}"].value == formulas.days_to_due_formula(row)


def test_settings_and_details_are_workbook_level_names(book):
    for name in ("AsOfDate", "AmberDays", "ProgressTolerance", "ReminderDays"):
        assert name in book.defined_names, name
    for name in ("OrgName", "OrgType", "PlanPeriod", "PlanOwner", "ReviewDate"):
        assert name in book.defined_names, name
    assert {_name_cell(book, n).parent.title for n in ("AsOfDate", "OrgName", "ReviewDate")} == {
        "Plan details"
    }
    assert _name_cell(book, "AmberDays").value == REF.setting_default("AmberDays")
    assert _name_cell(book, "ProgressTolerance").value == REF.setting_default("ProgressTolerance")
    reminder = _name_cell(book, "ReminderDays")
    assert (reminder.value, reminder.data_type) == (str(REF.setting_default("ReminderDays")), "s")


def test_template_as_of_is_blank_and_example_is_dated():
    blank = template.build_workbook(example=False)
    example = template.build_workbook(example=True)
    assert _name_cell(blank, "AsOfDate").value is None
    assert _name_cell(blank, "OrgName").value is None
    assert _name_cell(example, "AsOfDate").value == dt.date(2026, 11, 22)
    assert _name_cell(example, "PlanPeriod").value == "2026/27"


def _validation_for(ws, col: str):
    found = [dv for dv in ws.data_validations.dataValidation if f"{col}{FIRST_ROW}" in dv.sqref]
    assert len(found) == 1, col
    dv = found[0]
    assert f"{col}{FIRST_ROW}:{col}{last_row()}" in str(dv.sqref)
    return dv


@pytest.mark.parametrize(
    ("key", "source", "expected", "styles"),
    [
        ("hia", "ListHIA", [h.label for h in REF.hias], {"warning", "information"}),
        ("psed_aim", "ListPSED", [a.label for a in REF.psed_aims], {"warning", "information"}),
        ("status", "ListStatus", list(REF.status_names), {"stop", "warning", "information"}),
    ],
)
def test_dropdowns(book, key, source, expected, styles):
    dv = _validation_for(book["Action Plan"], LETTER[key])
    assert (dv.type, dv.formula1) == ("list", source)
    assert dv.errorStyle in styles  # HIA and aim: a warning lets "HIA 2; HIA 6" stand
    assert _name_values(book, source) == expected


def test_date_and_percentage_cells(book):
    ws = book["Action Plan"]
    for key in ("start_date", "due_date", "completed_date"):
        assert ws[f"{LETTER[key]}{FIRST_ROW}"].number_format == "dd/mm/yyyy"
        assert _validation_for(ws, LETTER[key]).type == "date"
    pct = ws[f"{LETTER['pct_complete']}{FIRST_ROW}"]
    assert pct.number_format == "0%"
    dv = _validation_for(ws, LETTER["pct_complete"])
    assert (dv.type, dv.formula1, dv.formula2) == ("decimal", "0", "1")


def test_conditional_formatting_colours_rag_and_due_date(book):
    ws = book["Action Plan"]
    rules: dict[tuple[str, str], str] = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            rules[(str(cf.sqref), rule.formula[0])] = rule.dxf.fill.fgColor.rgb[-6:]
    rag, due = LETTER["rag"], LETTER["due_date"]
    for r in REF.rag_values:
        formula = f'${rag}{FIRST_ROW}="{r.name}"'
        assert rules[(f"{rag}{FIRST_ROW}:{rag}{last_row()}", formula)] == r.fill
    for name in ("Red", "Amber"):
        formula = f'${rag}{FIRST_ROW}="{name}"'
        assert rules[(f"{due}{FIRST_ROW}:{due}{last_row()}", formula)] == REF.rag(name).fill


def test_layout_frozen_header_widths_print_setup(book):
    ws = book["Action Plan"]
    assert ws.freeze_panes.endswith(str(FIRST_ROW))
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.column_dimensions[LETTER["action"]].width >= 40
    assert ws.column_dimensions[LETTER["rag"]].width >= 7


def test_validation_sheet_is_empty_with_its_header():
    ws = template.build_workbook(example=True)["Validation"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows == [("Severity", "Code", "Message", "Sheet", "Cell", "Row", "Column", "Action ID")]


def test_national_deadlines_sheet_has_the_cycle_then_the_hia_milestones():
    """Issue 16: every recurring obligation (rule, verified mark, source, checked date) above the HIA
    milestones, every date worked out by a formula from AsOfDate; unverified facts say so."""
    from edi_workbook.template.national import layout

    ws = template.build_workbook()["National deadlines"]
    at = layout()
    cycle = [[c.value for c in ws[r][:9]] for r in range(at["cycle_first"], at["cycle_last"] + 1)]
    assert [row[1].split(":")[0] for row in cycle] == [o.title for o in REF.obligations]
    for row, o in zip(cycle, REF.obligations, strict=True):
        assert row[4] == ("Yes" if o.verified else "Unverified"), o.id
        assert row[7].startswith(o.rule.words), o.id
        assert row[8] == f"{o.source} (checked {o.checked:%d/%m/%Y})", o.id
        if o.rule.month is None:
            assert row[0] == "No fixed date", o.id
        else:
            assert row[0].startswith("=IF(DATE("), o.id
            assert "$B$3" in row[0], o.id
    assert ws["B3"].value == "=IF(ISNUMBER(AsOfDate),INT(AsOfDate),TODAY())"
    nxt = [ws[f"A{r}"].value for r in range(at["next_first"], at["next_last"] + 1)]
    assert len(nxt) == sum(o.rule.month is not None for o in REF.obligations)
    assert all(v.startswith("=IF($L") for v in nxt)
    hia = [[c.value for c in ws[r][:9]] for r in range(at["hia_first"], at["hia_last"] + 1)]
    dated = sorted(REF.national_deadlines, key=lambda d: (d.date, d.hia, d.id))
    assert [r[0] for r in hia] == [d.date for d in dated] + ["No date"] * len(REF.undated_actions)
    for row, d in zip(hia, dated, strict=False):
        assert row[1] == f"{REF.hia(d.hia).label} ({d.id}): {d.action}"
        assert (row[3], row[4]) == (d.wording, "Yes" if d.verified else "Unverified")
        assert row[5] == f"=A{hia.index(row) + at['hia_first']}-$B$3"
        assert row[7].startswith(d.status)
    assert hia[-1][1].startswith("HIA 6 (6f)")
    assert sum(r[4] == "Unverified" for r in hia) == sum(not d.verified for d in REF.national_deadlines) + 1


def test_eds_sheet_lists_the_eleven_outcomes_and_names_its_ranges():
    wb = template.build_workbook(example=True)
    ws = wb["EDS 2022"]
    (sheet, cells), *_ = wb.defined_names["EDSAssessment"].destinations
    assert sheet == "EDS 2022"
    rows = list(ws[cells.replace("$", "")])
    assert [r[1].value for r in rows] == [o.id for o in REF.eds_outcomes]
    assert [r[8].value for r in rows] == ["Yes" if o.verified else "Unverified" for o in REF.eds_outcomes]
    assert all(r[3].value in (0, 1, 2, 3) for r in rows)  # the example is scored
    (_, bands), *_ = wb.defined_names["EDSBands"].destinations
    assert [(r[0].value, r[1].value) for r in ws[bands.replace("$", "")]] == [
        (b.band, b.lowest) for b in REF.eds_bands
    ]
    assert template.build_workbook()["EDS 2022"]["D7"].value is None  # the blank template is not


def test_start_here_shows_the_rag_legend_in_colour():
    ws = template.build_workbook()["Start here"]
    fills = {c.value: c.fill.fgColor.rgb[-6:] for c in ws["A"] if c.value in REF.rag_names}
    assert fills == {r.name: r.fill for r in REF.rag_values}


def test_dashboard_has_a_native_chart(tmp_path):
    path = template.new_workbook(tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        assert charts
        xml = zf.read(charts[0]).decode()
    assert "<barChart>" in xml
    assert "'Dashboard'!$A$" in xml
    assert len(template.build_workbook()["Dashboard"]._charts) == 1
    for r in REF.rag_values:
        assert r.fill in xml


def test_building_twice_gives_the_same_bytes(tmp_path):
    a = template.new_workbook(tmp_path / "a.xlsx", example=True)
    b = template.new_workbook(tmp_path / "b.xlsx", example=True)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        core = zf.read("docProps/core.xml").decode()
    assert "2026-01-01T00:00:00Z" in core


def _cells(wb: openpyxl.Workbook) -> dict[tuple[str, str], tuple[object, str]]:
    return {
        (ws.title, c.coordinate): (c.value, c.number_format)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


@pytest.mark.parametrize("example", [False, True], ids=["template", "example"])
def test_committed_workbooks_equal_a_fresh_build(tmp_path, example):
    """workbook_templates/ never goes stale: rebuild with python scripts/build_templates.py."""
    fresh = openpyxl.load_workbook(template.new_workbook(tmp_path / "f.xlsx", example=example))
    committed = openpyxl.load_workbook(COMMITTED[example])
    assert committed.sheetnames == fresh.sheetnames
    assert _cells(committed) == _cells(fresh)
    assert sorted(committed.defined_names) == sorted(fresh.defined_names)


def test_new_workbook_refuses_to_overwrite(tmp_path):
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"my own work")
    with pytest.raises(UsageError, match="already exists"):
        template.new_workbook(target)
    assert target.read_bytes() == b"my own work"
    template.new_workbook(target, overwrite=True)
    assert openpyxl.load_workbook(target).sheetnames == list(template.SHEETS)


@pytest.mark.parametrize("name", ["plan.xls", "plan.csv", "missing/plan.xlsx"])
def test_new_workbook_rejects_bad_paths(tmp_path, name):
    with pytest.raises(UsageError):
        template.new_workbook(tmp_path / name)
    assert not (tmp_path / name).exists()


def test_text_starting_with_equals_stays_text():
    wb = openpyxl.Workbook()
    data = {"actions": [{"id": "=1+1", "action": '=HYPERLINK("http://x")', "due": "2027-03-31"}]}
    action_plan(wb.active, data)
    for key in ("action_id", "action"):
        cell = wb.active[f"{LETTER[key]}{FIRST_ROW}"]
        assert cell.data_type == "s"
        assert cell.value.startswith("=")


# --- the example plan ------------------------------------------------------------------------


def _example_rows(ws) -> list[dict[str, object]]:
    rows = []
    for row in ws.iter_rows(min_row=FIRST_ROW, max_row=last_row(), values_only=True):
        record = dict(zip(REF.template_keys, row, strict=False))
        if record["action_id"]:
            rows.append(record)
    return rows


def test_example_has_a_realistic_spread_of_actions(example_book):
    rows = _example_rows(example_book["Action Plan"])
    assert 20 <= len(rows) <= 40
    assert len({r["action_id"] for r in rows}) == len(rows)
    hias = {n for r in rows for n in values.parse_hias(r["hia"]) or ()}
    aims = {a for r in rows for a in values.parse_psed(r["psed_aim"]) or ()}
    assert hias == {h.number for h in REF.hias}
    assert aims == {a.aim for a in REF.psed_aims}
    assert {r["status"] for r in rows} == set(REF.status_names)
    assert any(";" in str(r["hia"]) for r in rows)  # some actions carry two HIAs


def test_example_cells_parse_and_hold_no_hard_errors(example_book):
    as_of = dt.datetime(2026, 11, 22)
    for r in _example_rows(example_book["Action Plan"]):
        rid = r["action_id"]
        assert all((r["action"], r["owner"], r["success_measure"])), rid
        assert isinstance(r["due_date"], dt.datetime), rid
        assert isinstance(r["start_date"], dt.datetime), rid
        assert r["start_date"] <= r["due_date"], rid
        assert dt.datetime(2026, 4, 1) <= r["start_date"], rid
        assert r["due_date"] <= dt.datetime(2027, 5, 31), rid
        assert values.parse_status(r["status"]) == r["status"], rid
        assert 0 <= r["pct_complete"] <= 1, rid
        for key, parse in (("hia", values.parse_hias), ("psed_aim", values.parse_psed)):
            assert r[key] is None or parse(r[key]), (rid, key)
        if r["status"] == "Complete":
            assert (r["pct_complete"], r["completed_date"] <= as_of) == (1, True), rid
        else:
            assert r["completed_date"] is None, rid


def _span_width(ws, ref: str) -> float:
    """Width in characters of a cell, or of the merged range it starts."""
    from openpyxl.utils import get_column_letter, range_boundaries

    span = next((str(m) for m in ws.merged_cells.ranges if str(m).split(":")[0] == ref), ref)
    left, _, right, _ = range_boundaries(span if ":" in span else f"{span}:{span}")
    return sum(ws.column_dimensions[get_column_letter(c)].width for c in range(left, right + 1))


def test_dashboard_gap_texts_stay_inside_their_tables_and_clear_the_count():
    """Issue 17: gap texts ran past their table, and "0" butted against the red text
    ("0No action addresses HIA 1"). Widths are in characters; bold text is about 10% wider."""
    from edi_workbook.template import dashboard as dash

    ws = template.build_workbook()["Dashboard"]
    longest = {
        dash.CELLS["hia_gaps"]: ", ".join(h.label for h in REF.hias),
        dash.CELLS["aim_gaps"]: ", ".join(f"({a.aim})" for a in REF.psed_aims),
    }
    for i, hia in enumerate(REF.hias, start=1):
        longest[f"I{dash.HIA_ROW + i}"] = f"No action addresses {hia.label}"
    for i, aim in enumerate(REF.psed_aims, start=1):
        longest[f"D{dash.AIM_ROW + i}"] = f"No action for aim ({aim.aim})"
    for ref, text in longest.items():
        cell = ws[ref]
        assert len(text) * 1.1 + (cell.alignment.indent or 0) <= _span_width(ws, ref), ref
    for ref in longest:
        if not ref.startswith("C"):  # the counts' columns are right next to the gaps
            assert ws[ref].alignment.indent >= 1, ref
    # every table's gap column ends where the widest table (RAG by HIA) ends
    assert _span_width(ws, f"D{dash.AIM_ROW}") == _span_width(ws, "D1") + sum(
        ws.column_dimensions[c].width for c in "EFGHI"
    )


def test_characteristic_gaps_stay_inside_their_column():
    """Issue 16's gap for marriage and civil partnership (aim (a) only) is 61 characters: in the
    44-wide Gap column it ran under the counts beside it. It wraps in a row tall enough; the other
    gaps fit on one line, and the PSED aims column clears the count before it."""
    from edi_workbook.template import dashboard as dash
    from edi_workbook.template.sheets import wrapped_lines

    ws = template.build_workbook()["Dashboard"]
    width = ws.column_dimensions["B"].width
    for i, name in enumerate(REF.protected_characteristics, start=1):
        row = dash.CHAR_ROW + i
        aims = REF.aims_covering(name)
        if len(aims) < len(REF.psed_aims):
            text = dash.aim_only_gap(aims[0])
            assert len(text) > width  # one line would not hold it
            assert ws[f"B{row}"].alignment.wrap_text, name
            assert ws.row_dimensions[row].height >= 15 * wrapped_lines(text, width), name
            assert text in ws[f"B{row}"].value
        else:
            for text in ("No action names it", "Only actions marked All"):
                assert len(text) <= width, name
        assert ws[f"E{row}"].alignment.indent >= 1, name
