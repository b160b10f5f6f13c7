"""The template's formulas, computed by LibreOffice itself (headless, full recalculation on load).

Expected values come from the rule as issue 2 states it, written again here from its text (not
from edi_workbook.rag or edi_workbook.template.formulas):

1. Status Complete -> Blue. 2. Status Cancelled, or no due date -> Grey. 3. due < as-of -> Red.
4. due - as-of <= AmberDays -> Amber. 5. Status On hold -> Amber. 6. a start date with
start <= as-of, and 100 x (as-of - start) / (due - start) minus % complete (in points) greater
than ProgressTolerance -> Amber. 7. Otherwise Green. Dates are whole days; a blank % counts as 0.
Days to due = due - as-of in days, blank without a due date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from edi_workbook import reference
from edi_workbook.template import formulas
from edi_workbook.template import workbook as template
from edi_workbook.template.action_plan import FIRST_ROW, example_rows
from edi_workbook.template.dashboard import AIM_ROW, CELLS, CHAR_ROW, HIA_ROW, OVERALL_ROW

REF = reference.load()
LETTER = formulas.column_letters()
AS_OF = dt.date(2026, 11, 22)
D = dt.timedelta


def rule(row: dict, as_of: dt.date, amber_days: int, tolerance: float) -> tuple[str | None, int | None]:
    """(RAG, Days to due) of one row by the issue's rule; (None, None) for a row with nothing typed."""
    if all(row.get(k) in (None, "") for k in REF.column_keys if k not in ("rag", "days_to_due")):
        return None, None  # nothing typed in the row
    status, start, pct = row.get("status"), row.get("start_date"), row.get("pct_complete") or 0
    due = row.get("due_date")
    due = due.date() if isinstance(due, dt.datetime) else due
    if not isinstance(due, dt.date):
        due = None  # "TBC" is not a due date
    days = (due - as_of).days if due else None
    if status == "Complete":
        return "Blue", days
    if status == "Cancelled" or due is None:
        return "Grey", days
    if due < as_of:
        return "Red", days
    if (due - as_of).days <= amber_days:
        return "Amber", days
    if status == "On hold":
        return "Amber", days
    if start is not None and start <= as_of and due > start:
        behind = 100 * (as_of - start).days / (due - start).days - 100 * pct
        if round(behind, 9) > tolerance:
            return "Amber", days
    return "Green", days


def crafted_rows(as_of: dt.date) -> list[dict]:
    """At least 30 rows: every status, edge dates around each threshold, blank cells."""
    t = as_of
    rows = [
        {"status": "Complete", "due_date": t - D(10), "pct_complete": 1},
        {"status": "Complete"},  # no due date: still Blue
        {"status": "Complete", "due_date": t + D(90), "pct_complete": 0.5},
        {"status": "Cancelled", "due_date": t + D(90)},
        {"status": "Cancelled", "due_date": t - D(90)},
        {"status": "Cancelled"},
        {"status": "In progress"},  # no due date
        {"status": "Not started", "start_date": t - D(5)},
        {"status": "In progress", "due_date": t - D(1), "pct_complete": 0.9},
        {"status": "Not started", "due_date": t - D(400)},
        {"status": "On hold", "due_date": t - D(3)},
        {"status": "In progress", "due_date": t},  # due today: not overdue, Amber
        {"status": "In progress", "due_date": t + D(30)},  # the Amber edge
        {"status": "In progress", "due_date": t + D(31)},  # just past it
        {"status": "On hold", "due_date": t + D(31)},
        {"status": "On hold", "due_date": t + D(200), "start_date": t - D(10), "pct_complete": 0.9},
        {"status": "In progress", "start_date": t - D(50), "due_date": t + D(50), "pct_complete": 0.30},
        {"status": "In progress", "start_date": t - D(50), "due_date": t + D(50), "pct_complete": 0.29},
        {"status": "In progress", "start_date": t - D(50), "due_date": t + D(50)},  # blank % is 0
        {"status": "Not started", "start_date": t, "due_date": t + D(100), "pct_complete": 0},
        {"status": "Not started", "start_date": t + D(5), "due_date": t + D(100)},  # not started yet
        {"status": "In progress", "start_date": t + D(200), "due_date": t + D(100)},  # start after due
        {"status": "In progress", "start_date": t - D(300), "due_date": t + D(60), "pct_complete": 1},
        {"status": "In progress", "start_date": t - D(300), "due_date": t + D(60), "pct_complete": 0.6},
        {"status": "In progress", "start_date": t - D(300), "due_date": t + D(60), "pct_complete": 0.65},
        {"status": None, "due_date": t + D(100)},  # blank status
        {"status": None, "due_date": t - D(2)},
        {"status": "Not started", "start_date": t - D(10), "due_date": t + D(40)},  # exactly 20 behind
        {"status": "Not started", "start_date": t - D(11), "due_date": t + D(40)},  # 21.6 behind
        {"status": "In progress", "start_date": t - D(100), "due_date": t + D(100), "pct_complete": 0.5},
        {"status": "In progress", "due_date": dt.datetime.combine(t + D(31), dt.time(18, 0))},  # a time
        {"status": "In progress", "due_date": "TBC"},  # text is not a due date
        {},  # a row with nothing typed: RAG and Days to due stay blank
        {"action": "Only the action is typed"},
        {"notes": "Only a note is typed"},
        {"status": "In progress", "due_date": t + D(45), "start_date": t - D(45), "pct_complete": 0.3},
        {"status": "In progress", "due_date": t + D(45), "start_date": t - D(45), "pct_complete": 0.31},
    ]
    hias = ["HIA 1", "HIA 2; HIA 6", "HIA 3", "HIA 4", "HIA 6"]  # HIA 5 is left uncovered
    aims = ["(a) Eliminate discrimination", "(b) Advance equality of opportunity; (a) x"]  # no (c)
    for i, r in enumerate(rows):
        if r and not {"action", "notes"} & r.keys():
            r |= {"action_id": f"T{i:02}", "action": f"Crafted action {i}"}
            r |= {"hia": hias[i % len(hias)], "psed_aim": aims[i % len(aims)]}
    return rows


def _write(rows: list[dict], path: Path, as_of: dt.date | None, amber: int, tolerance: float) -> Path:
    wb = template.build_workbook(example=False)
    ws = wb["Action Plan"]
    for i, r in enumerate(rows):
        for key, value in r.items():
            ws[f"{LETTER[key]}{FIRST_ROW + i}"] = value
    for name, value in (("AsOfDate", as_of), ("AmberDays", amber), ("ProgressTolerance", tolerance)):
        (sheet, ref), *_ = wb.defined_names[name].destinations
        wb[sheet][ref.replace("$", "")] = value
    wb.save(path)
    return path


def _blank(v: object) -> object:
    return None if v == "" else v


SETTINGS = [(AS_OF, 30, 20), (AS_OF, 10, 5), (None, 30, 20)]


@pytest.mark.parametrize(("as_of", "amber", "tolerance"), SETTINGS, ids=["default", "tight", "today"])
def test_rag_and_days_to_due_follow_the_rule(libreoffice, tmp_path, as_of, amber, tolerance):
    effective = as_of or dt.date.today()
    rows = crafted_rows(effective)
    assert len(rows) >= 30
    assert {r.get("status") for r in rows} >= set(REF.status_names)
    got = libreoffice.recalculated_values(
        _write(rows, tmp_path / "t.xlsx", as_of, amber, tolerance), tmp_path
    )
    sheet = got["Action Plan"]
    rag_col, days_col = REF.column_keys.index("rag"), REF.column_keys.index("days_to_due")
    actual = [
        (_blank(sheet[FIRST_ROW - 1 + i][rag_col]), _blank(sheet[FIRST_ROW - 1 + i][days_col]))
        for i in range(len(rows))
    ]
    expected = [rule(r, effective, amber, tolerance) for r in rows]
    assert actual == expected
    used = Counter(rag for rag, _ in expected if rag)
    assert set(used) == set(REF.rag_names)  # every RAG value is exercised
    untouched = sheet[FIRST_ROW - 1 + len(rows) : FIRST_ROW - 1 + len(rows) + 5]
    assert {(_blank(r[rag_col]), _blank(r[days_col])) for r in untouched} == {(None, None)}


def test_dashboard_names_the_gaps(libreoffice, tmp_path):
    rows = crafted_rows(AS_OF)
    got = libreoffice.recalculated_values(_write(rows, tmp_path / "g.xlsx", AS_OF, 30, 20), tmp_path)
    dash = got["Dashboard"]
    assert _cell(dash, CELLS["hia_gaps"]) == "HIA 5"
    assert _cell(dash, CELLS["aim_gaps"]) == "(c)"
    gap_col = 8  # column I of the RAG-by-HIA table
    assert dash[HIA_ROW + 5 - 1][gap_col] == "No action addresses HIA 5"
    expected_rags = Counter(rule(r, AS_OF, 30, 20)[0] for r in rows)
    for i, r in enumerate(REF.rag_values, start=1):
        assert dash[OVERALL_ROW - 1 + i][2] == expected_rags[r.name], r.name


def _cell(grid: list[list[object]], ref: str) -> object:
    from openpyxl.utils.cell import coordinate_to_tuple

    row, col = coordinate_to_tuple(ref)
    return grid[row - 1][col - 1]


@pytest.fixture(scope="module")
def example_recalculated(libreoffice, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("example")
    path = template.new_workbook(tmp / "example.xlsx", example=True)
    return libreoffice.recalculated_values(path, tmp)


def test_example_dashboard_counts(example_recalculated):
    """Every Dashboard figure of the example equals a count made here from the example's data."""
    rows = example_rows(template.example_plan())
    rags = [rule(r, AS_OF, 30, 20) for r in rows]
    dash = example_recalculated["Dashboard"]
    rag_of = Counter(rag for rag, _ in rags)
    assert [dash[OVERALL_ROW - 1 + i][2] for i in range(1, 6)] == [rag_of[n] for n in REF.rag_names]
    assert _cell(dash, CELLS["total"]) == len(rows)
    assert _cell(dash, CELLS["overdue"]) == rag_of["Red"] == 2
    due_soon = sum(
        1 for rag, days in rags if rag not in ("Blue", "Grey") and days is not None and 0 <= days <= 30
    )
    assert _cell(dash, CELLS["due_soon"]) == due_soon
    assert _cell(dash, CELLS["no_hia"]) == sum(1 for r in rows if not r["hia"])
    assert _cell(dash, CELLS["no_aim"]) == sum(1 for r in rows if not r["psed_aim"])
    assert _cell(dash, CELLS["hia_gaps"]).startswith("None")
    for i, hia in enumerate(REF.hias, start=1):
        line = dash[HIA_ROW - 1 + i]
        mine = [
            rag for r, (rag, _) in zip(rows, rags, strict=True) if hia.label in (r["hia"] or "").split("; ")
        ]
        assert line[0] == hia.label
        assert line[2:8] == [*(mine.count(n) for n in REF.rag_names), len(mine)], hia.label
    for i, aim in enumerate(REF.psed_aims, start=1):
        count = sum(1 for r in rows if aim.label in (r["psed_aim"] or ""))
        assert dash[AIM_ROW - 1 + i][2] == count, aim.aim
    for i, name in enumerate(REF.protected_characteristics, start=1):
        items = [(r["characteristics"] or "").split("; ") for r in rows]
        named = sum(1 for x in items if name in x)
        with_all = sum(1 for x in items if name in x or x == ["All"])
        assert dash[CHAR_ROW - 1 + i][2:4] == [named, with_all], name


def test_example_action_plan_rag(example_recalculated):
    rows = example_rows(template.example_plan())
    sheet = example_recalculated["Action Plan"]
    rag_col = REF.column_keys.index("rag")
    got = [sheet[FIRST_ROW - 1 + i][rag_col] for i in range(len(rows))]
    assert got == [rule(r, AS_OF, 30, 20)[0] for r in rows]
    assert set(got) == set(REF.rag_names)


def test_national_deadline_days_remaining(example_recalculated):
    """The example's HIA milestones: days remaining from its AsOfDate (all passed by then)."""
    from edi_workbook.template.national import layout

    sheet = example_recalculated["National deadlines"]
    at = layout()
    rows = sheet[at["hia_first"] - 1 : at["hia_first"] - 1 + len(REF.national_deadlines)]
    by_action = {f"{REF.hia(d.hia).label} ({d.id}): {d.action}": d for d in REF.national_deadlines}
    assert sorted(r[1] for r in rows) == sorted(by_action)
    for r in rows:
        assert r[5] == (by_action[r[1]].date - AS_OF).days, r[1]
        assert r[6] == "Passed", r[1]


def test_example_lists_the_reporting_year_of_the_next_12_months(example_recalculated):
    """Issue 16: the example workbook's sheet shows every recurring deadline of the next 12 months."""
    from edi_workbook.deadlines import national
    from edi_workbook.template.national import layout

    at = layout()
    rows = example_recalculated["National deadlines"][at["next_first"] - 1 : at["next_last"]]
    expected = national(AS_OF)
    assert len(expected) >= 8
    got = [(r[0].date(), r[1], r[4]) for r in rows[: len(expected)]]
    assert got == [
        (i.date, i.obligation.title, "Yes" if i.obligation.verified else "Unverified") for i in expected
    ]
    assert dt.date(2026, 11, 30) == got[0][0]  # the Staff Survey fieldwork, unverified
    assert got[0][2] == "Unverified"


@pytest.mark.parametrize("example", [False, True], ids=["template", "example"])
def test_converts_to_pdf(libreoffice, tmp_path, example):
    path = template.new_workbook(tmp_path / "plan.xlsx", example=example)
    pdf = libreoffice.convert(path, tmp_path / "pdf", "pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type/Page") + data.count(b"/Type /Page") - data.count(b"/Type/Pages") >= 5


def test_recalculated_file_keeps_table_and_names(libreoffice, tmp_path):
    """After LibreOffice opens and saves the template, table, names, dropdowns and chart are there."""
    path = template.new_workbook(tmp_path / "t.xlsx")
    out = libreoffice.convert(path, tmp_path / "lo", "xlsx")
    wb = openpyxl.load_workbook(out)
    assert "ActionPlan" in wb["Action Plan"].tables
    assert {"AsOfDate", "AmberDays", "ProgressTolerance", "ReminderDays", "OrgName"} <= set(wb.defined_names)
    lists = {dv.formula1 for dv in wb["Action Plan"].data_validations.dataValidation if dv.type == "list"}
    assert {"ListHIA", "ListPSED", "ListStatus"} <= lists  # the dropdowns work in LibreOffice too
    assert len(wb["Dashboard"]._charts) == 1
