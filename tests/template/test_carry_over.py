"""``carry-over``: next year's plan loses no action and passes ``validate`` with no errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from edi_workbook.cli import main
from edi_workbook.errors import UsageError
from edi_workbook.plan import Plan
from edi_workbook.read import read_plan
from edi_workbook.template import carry_over, next_period
from edi_workbook.template.carry_over import COMPLETED_SHEET
from edi_workbook.validation import validate
from tests import returns

NEXT_YEAR = dt.date(2027, 4, 1)


def _completed(path: Path) -> list[dict[str, object]]:
    ws = load_workbook(path)[COMPLETED_SHEET]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:] if any(v is not None for v in r)]


def _everything(plan: Plan) -> set[tuple[str | None, str | None]]:
    return {(plan.action_id(i), plan.frame["action"].iat[i]) for i in range(len(plan))}


@pytest.mark.parametrize("layout", ["template", "csv", "titled"])
def test_no_action_is_lost_and_the_result_validates(tmp_path, layout):
    suffix = ".csv" if layout == "csv" else ".xlsx"
    source = returns.write(
        tmp_path / f"q4{suffix}", returns.as_of(returns.example(), returns.Q_END["Q4"]), layout
    )
    plan = read_plan(source)
    out = tmp_path / "next.xlsx"
    result = carry_over(plan, out, plan_period="2027/28")
    carried = read_plan(out)
    closed = _completed(out)
    assert result.carried == len(carried)
    assert result.completed == len(closed)
    assert len(carried) + len(closed) == len(plan) == 34
    assert _everything(carried) | {(r["Action ID"], r["Action"]) for r in closed} == _everything(plan)
    assert {r["Status"] for r in closed} == {"Complete", "Cancelled"}
    report = validate(carried, as_of=NEXT_YEAR)
    assert report.errors == 0, [f.code for f in report.findings if f.severity == "error"]
    assert carried.details.plan_period == "2027/28"


def test_open_actions_keep_their_values_and_get_a_note(tmp_path):
    plan = read_plan(returns.write(tmp_path / "plan.xlsx", returns.example()))
    carried = read_plan(carry_over(plan, tmp_path / "next.xlsx").path)
    old = {plan.action_id(i): i for i in range(len(plan))}
    for j in range(len(carried)):
        i = old[carried.action_id(j)]
        for key in (
            "action",
            "success_measure",
            "hia",
            "psed_aim",
            "owner",
            "due_date",
            "status",
            "pct_complete",
        ):
            a, b = plan.frame[key].iat[i], carried.frame[key].iat[j]
            assert (a == b) or (a != a and b != b), (carried.action_id(j), key)  # NaN/NaT equal to themselves
    notes = carried.frame["notes"].tolist()
    assert notes[0] == "Q1 and Q2 done.\nCarried over from 2026/27: originally due 31/03/2027."
    assert carried.details.organisation == plan.details.organisation
    assert carried.details.review_date == dt.date(2028, 3, 31)
    assert carried.settings.as_of is None  # judged on the day the new plan is opened
    assert (carried.settings.amber_days, carried.settings.reminder_days) == (
        plan.settings.amber_days,
        plan.settings.reminder_days,
    )


def test_slips_from_the_years_returns_and_from_last_years_note(tmp_path):
    year = [returns.as_of(returns.example(), returns.Q_END[q]) for q in returns.Q_END]
    for k, d in enumerate(year[1:], start=1):
        returns.slip(d, "EDI-02", 30 * k)  # Q2 +30, Q3 +60, Q4 +90: three slips
    paths = [returns.write(tmp_path / f"q{k}.xlsx", d) for k, d in enumerate(year, start=1)]
    plans = [read_plan(p) for p in paths]
    first = carry_over(plans[-1], tmp_path / "2027.xlsx", history=plans[:-1])
    carried = read_plan(first.path)
    note = carried.frame["notes"].iat[[carried.action_id(j) for j in range(len(carried))].index("EDI-02")]
    assert note.endswith("Carried over from 2026/27: originally due 31/03/2027; slipped 3 times.")
    second = read_plan(carry_over(carried, tmp_path / "2028.xlsx").path)  # a year later, no history
    note2 = second.frame["notes"].iat[[second.action_id(j) for j in range(len(second))].index("EDI-02")]
    assert note2.endswith("Carried over from 2027/28: originally due 31/03/2027; slipped 3 times.")
    assert second.details.plan_period == "2028/29"


def test_a_plan_longer_than_the_table_keeps_every_action(tmp_path):
    data = returns.example()
    base = data["actions"]
    data["actions"] = [dict(base[k % len(base)], id=f"A{k:03d}", status="In progress") for k in range(230)]
    plan = read_plan(returns.write(tmp_path / "long.xlsx", data))
    assert len(plan) == 230
    carried = read_plan(carry_over(plan, tmp_path / "next.xlsx").path)
    assert [carried.action_id(j) for j in range(len(carried))] == [f"A{k:03d}" for k in range(230)]
    assert (
        load_workbook(tmp_path / "next.xlsx")["Action Plan"].tables["ActionPlan"].ref == "A4:O234"
    )  # header on row 4, 230 rows below it


FOREIGN = (
    'Action ID,Action,Owner,Due date,Status,Budget £,Board sponsor,"=HYPERLINK(""http://x"")",Notes\n'
    "A1,Run reverse mentoring,HR lead,31/03/2027,In progress,5000,Chief People Officer,=1+1,started\n"
    "A2,Publish the WRES data,EDI lead,30/09/2026,Complete,,Director,x,\n"
    "A3,Review the recruitment panels,EDI lead,30/09/2026,Not started,12.5,,,\n"
    "A4,Close the pay gap audit,EDI lead,30/06/2026,Cancelled,,Dir\x02ector,\x01odd,\n"
)


def test_a_foreign_layouts_own_columns_are_carried_not_lost(tmp_path):
    """Columns no plan field reads (a budget, a board sponsor) go into an open action's notes and
    into columns of their own on Completed last year; text stays text, characters a workbook cannot
    hold are dropped."""
    source = tmp_path / "plan.csv"
    source.write_text(FOREIGN, encoding="utf-8")
    plan = read_plan(source)
    result = carry_over(plan, tmp_path / "next.xlsx", plan_period="2027/28")
    assert result.columns_in_notes == ("Budget £", "Board sponsor", '=HYPERLINK("http://x")')
    carried = read_plan(result.path)
    notes = dict(zip(carried.column("action_id"), carried.column("notes"), strict=True))
    assert notes["A1"] == (
        'started\nBudget £: 5000\nBoard sponsor: Chief People Officer\n=HYPERLINK("http://x"): =1+1\n'
        "Carried over from the previous plan: originally due 31/03/2027."
    )
    assert notes["A3"] == "Budget £: 12.5\nCarried over from the previous plan: originally due 30/09/2026."
    closed = _completed(result.path)
    link = '=HYPERLINK("http://x")'
    assert [(r["Action ID"], r["Budget £"], r["Board sponsor"], r[link]) for r in closed] == [
        ("A2", None, "Director", "x"),
        ("A4", None, "Director", "odd"),
    ]
    ws = load_workbook(result.path)[COMPLETED_SHEET]
    assert (ws.cell(4, 17).value, ws.cell(4, 17).data_type) == ('=HYPERLINK("http://x")', "s")  # text
    assert ws.tables["CompletedLastYear"].ref == "A4:Q6"
    assert validate(carried, as_of=NEXT_YEAR).errors == 0


def test_completed_last_year_prints_one_page_wide(tmp_path, libreoffice, poppler):
    """Its 14 plan columns and the extra ones, landscape, the header row on each page: it printed
    six pages across before, a column or two on each."""
    source = tmp_path / "plan.csv"
    source.write_text(FOREIGN, encoding="utf-8")
    out = carry_over(read_plan(source), tmp_path / "next.xlsx").path
    pages = [
        p for p in poppler.pages(libreoffice.convert(out, tmp_path, "pdf")) if p.sheet == COMPLETED_SHEET
    ]
    assert len(pages) == 1
    assert pages[0].landscape
    text = " ".join(pages[0].lines())
    for seen in ("Action ID", "sponsor", "Publish the WRES data"):
        assert seen in text


def test_odd_extra_columns_never_break_the_workbook(tmp_path):
    """Characters a workbook cannot hold (in values, notes and headers), headers alike but for
    case, a column with nothing in it, a time of day: the new plan is written and opens."""
    source = tmp_path / "plan.csv"
    source.write_text(
        "Action ID,Action,Due date,Status,Notes,Budget,BUDGET,Status,Bud\x01get,Empty,Logged\n"
        "A1,Recruit more staff,31/03/2027,In progress,a\x02b,1,2,x,y\x03z,,2026-05-01 14:30\n"
        "A2,Publish the data,31/03/2026,Complete,,3,4,,,,\n",
        encoding="utf-8",
    )
    result = carry_over(read_plan(source), tmp_path / "next.xlsx")
    assert result.columns_in_notes == ("Budget", "BUDGET", "Status", "Bud\x01get", "Logged")
    carried = read_plan(result.path)
    assert carried.column("notes")[0] == (
        "ab\nBudget: 1\nBUDGET: 2\nStatus: x\nBudget: yz\nLogged: 2026-05-01 14:30\n"
        "Carried over from the previous plan: originally due 31/03/2027."
    )
    ws = load_workbook(result.path)[COMPLETED_SHEET]
    names = [c.value for c in ws[4]]
    assert names[14:] == ["Budget", "BUDGET (2)", "Status (extra)", "Budget (3)", "Logged"]
    assert len({n.casefold() for n in names}) == len(names)  # Excel refuses a table with two alike


def test_notes_too_long_for_a_cell_keep_the_carry_over_note(tmp_path):
    source = tmp_path / "plan.csv"
    source.write_text(
        f"Action ID,Action,Due date,Status,Notes,Budget\nA1,Recruit more staff,31/03/2027,In progress,"
        f"{'n' * 30_000},{'b' * 5_000}\n",
        encoding="utf-8",
    )
    carried = read_plan(carry_over(read_plan(source), tmp_path / "next.xlsx").path)
    notes = carried.column("notes")[0]
    assert len(notes) <= 32_767
    assert notes.startswith("n" * 30_000 + "\nBudget: bbb")
    assert "[cut: Excel cells hold 32,767 characters" in notes
    assert notes.endswith("Carried over from the previous plan: originally due 31/03/2027.")


def test_more_extra_columns_than_a_sheet_has_go_into_the_notes(tmp_path, capsys):
    """A CSV may have more columns than Excel's 16,384: those past the last go into the closed
    action's notes, so the table still ends by column XFD and Excel opens the file."""
    n = 16_400
    source = tmp_path / "wide.csv"
    header = ",".join(["Action ID", "Action", "Due date", "Status", *(f"X{k}" for k in range(n))])
    values = ",".join(["A1", "Publish the data", "31/03/2026", "Complete", *(f"v{k}" for k in range(n))])
    source.write_text(f"{header}\n{values}\n", encoding="utf-8")
    out = carry_over(read_plan(source), tmp_path / "next.xlsx").path
    ws = load_workbook(out)[COMPLETED_SHEET]
    assert ws.tables["CompletedLastYear"].ref == "A4:XFD5"
    assert (ws["XFD4"].value, ws["XFD5"].value) == ("X16369", "v16369")
    notes = ws.cell(5, 13).value
    assert ws.cell(4, 13).value == "Evidence / notes"
    assert notes.splitlines() == [f"X{k}: v{k}" for k in range(16_370, n)]
    assert main(["carry-over", str(source), "-o", str(tmp_path / "again.xlsx")]) == 0
    said = capsys.readouterr().out
    assert "X0, X1, X2, X3, X4, X5, X6, X7, X8, X9 and 16390 more" in said


def test_a_plan_year_in_the_file_name_names_the_periods(tmp_path, capsys):
    """A CSV export names no plan period: the year in its file name does (it was left blank, and
    the note said 'from the previous plan')."""
    source = tmp_path / "Elm Street Surgery EDI Q4 2026-27.csv"
    source.write_text(FOREIGN, encoding="utf-8")
    result = carry_over(read_plan(source), tmp_path / "next.xlsx")
    assert result.plan_period == "2027-28"
    carried = read_plan(result.path)
    assert carried.details.plan_period == "2027-28"
    assert carried.column("notes")[1].endswith("Carried over from 2026-27: originally due 30/09/2026.")
    given = carry_over(read_plan(source), tmp_path / "given.xlsx", plan_period="2027/28")
    assert given.plan_period == "2027/28"
    assert result.period_from_name == "2026-27"
    assert main(["carry-over", str(source), "-o", str(tmp_path / "cli.xlsx")]) == 0
    assert "for 2027-28 (a year on from 2026-27, in the file name)" in capsys.readouterr().out
    quarter = tmp_path / "Elm Q2 2026-27.csv"  # its details name a quarter, no year: the name's year
    quarter.write_text("Period: Q2\n" + FOREIGN, encoding="utf-8")
    assert read_plan(quarter).details.plan_period == "Q2"
    assert carry_over(read_plan(quarter), tmp_path / "q.xlsx").plan_period == "2027-28"


def test_an_hia_or_aim_the_reference_does_not_know_is_carried_as_typed(tmp_path):
    source = tmp_path / "plan.csv"
    source.write_text(
        "Action ID,Action,Due date,Status,HIA,PSED aim\nA1,Recruit staff,31/03/2027,In progress,HIA 7,d\n",
        encoding="utf-8",
    )
    carried = read_plan(carry_over(read_plan(source), tmp_path / "next.xlsx").path)
    assert (carried.raw_column("hia")[0], carried.raw_column("psed_aim")[0]) == ("HIA 7", "d")
    codes = {f.code for f in validate(carried, as_of=NEXT_YEAR).findings}
    assert "hia-out-of-range" in codes


def test_refuses_to_write_over_the_plan_or_an_existing_file(tmp_path):
    source = returns.write(tmp_path / "plan.xlsx", returns.example())
    plan = read_plan(source)
    with pytest.raises(UsageError, match="is the plan being carried over"):
        carry_over(plan, source, overwrite=True)
    (tmp_path / "taken.xlsx").write_bytes(b"x")
    with pytest.raises(UsageError, match="already exists"):
        carry_over(plan, tmp_path / "taken.xlsx")


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2026/27", "2027/28"), ("2026-27", "2027-28"), ("2099/00", "2100/01"), ("2026", "2027"), (None, None)],
)
def test_next_period(period, expected):
    assert next_period(period) == expected


def test_cli_carry_over(tmp_path, capsys):
    source = returns.write(tmp_path / "plan.xlsx", returns.example())
    out = tmp_path / "next.xlsx"
    assert main(["carry-over", str(source), "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == (
        f"Wrote {out} for 2027/28: 27 open actions carried over, "
        "7 closed actions on the 'Completed last year' sheet."
    )
    assert main(["validate", str(out), "--as-of", "2027-04-01"]) == 0
    assert main(["carry-over", str(source), "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_a_revised_deadline_is_carried_with_the_one_first_agreed(tmp_path):
    """A published plan's revised deadline is the due date carried; the note says the date first
    agreed and that it slipped once (the original date is also kept in the notes)."""
    source = tmp_path / "plan.csv"
    source.write_text(
        "Ref,Action,Lead,Original deadline,Revised deadline,Status\n"
        "1,Publish WRES data and action plan,HR Director,31/10/2025,31/01/2026,In progress\n"
        "2,Run reverse mentoring cohort,EDI Lead,30/06/2025,,In progress\n",
        encoding="utf-8",
    )
    result = carry_over(read_plan(source), tmp_path / "next.xlsx", plan_period="2026/27")
    carried = read_plan(result.path)
    assert carried.column("due_date") == [dt.date(2026, 1, 31), dt.date(2025, 6, 30)]
    assert carried.column("notes") == [
        "Original deadline: 31/10/2025\n"
        "Carried over from the previous plan: originally due 31/10/2025; slipped 1 time.",
        "Carried over from the previous plan: originally due 30/06/2025.",
    ]


def test_plan_details_that_look_like_formulas_stay_text(tmp_path):
    """From a hostile-input trial: an organisation name, period or owner typed as text starting with
    '=' was written into the new workbook's Plan details as a live formula."""
    from edi_workbook.plan import PlanDetails

    plan = Plan.from_records(
        [{"Action ID": "A1", "Action": "Publish the WRES report", "Due date": "31/03/2027"}],
        details=PlanDetails(organisation='=HYPERLINK("http://x")', plan_owner="=1+1"),
    )
    result = carry_over(plan, tmp_path / "next.xlsx", plan_period="=EVIL()")
    ws = load_workbook(result.path)["Plan details"]
    cells = {c.value: c.data_type for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells['=HYPERLINK("http://x")'] == "s"
    assert cells["=1+1"] == "s"
    assert cells["=EVIL()"] == "s"
