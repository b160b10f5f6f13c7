"""Reading plans from the template, foreign layouts and CSV exports (fixtures: tests/make_fixtures.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from edi_workbook import read_plan
from edi_workbook.plan import Plan, Settings
from tests.paths import ROOT, TESTS

OK = TESTS / "fixtures" / "read" / "ok"


def _csv(tmp_path: Path, text: str, name: str = "plan.csv") -> Plan:
    """The plan read from a CSV file of ``text`` (UTF-8)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_plan(path)


def test_template_table_settings_and_details():
    plan = read_plan(OK / "template_filled.xlsx")
    assert (plan.sheet, plan.table, plan.header_row, len(plan)) == ("Action Plan", "ActionPlan", 4, 8)
    assert plan.rows[:2] == [5, 6]
    assert plan.formula_columns == {"rag", "days_to_due"}
    assert plan.details.organisation == "Northgate Primary Care Network"
    assert plan.details.review_date == dt.date(2026, 3, 31)
    assert (plan.settings.as_of, plan.settings.amber_days) == (dt.date(2025, 6, 1), 21)
    assert plan.settings.reminder_days == (14, 1)


def test_template_values_keep_their_cells():
    plan = read_plan(OK / "template_filled.xlsx")
    assert plan.cell(2, "due_date") == "I7"
    assert plan.raw.loc[2, "due_date"] == "TBC"
    assert plan.frame.loc[3, "hia"] == (5,)
    assert plan.raw.loc[7, "owner"] == "#REF!"  # the error value is restored, not read as blank


def test_blank_template_rows_with_formulas_are_not_actions():
    plan = read_plan(OK / "template_empty.xlsx")
    assert len(plan) == 0
    assert plan.formula_columns == {"rag", "days_to_due"}


def test_example_workbook_from_the_template(tmp_path):
    from edi_workbook.template import workbook as template

    path = template.new_workbook(tmp_path / "example.xlsx", example=True)
    plan = read_plan(path)
    assert plan.table == "ActionPlan"
    assert len(plan) >= 20
    assert plan.details.organisation
    assert plan.frame["action_id"].notna().all()


def test_title_block_merged_cells_and_renamed_columns():
    plan = read_plan(OK / "title_block.xlsx")
    assert (plan.sheet, plan.table, plan.header_row, len(plan)) == ("EDI plan 2025-26", None, 4, 6)
    assert {k: plan.column_map[k] for k in ("action_id", "hia", "owner", "due_date", "pct_complete")} == {
        "action_id": "Ref",
        "hia": "High Impact Action",
        "owner": "Lead",
        "due_date": "Deadline",
        "pct_complete": "Progress",
    }
    assert plan.extra_headers == ["Budget £"]
    assert plan.extra_columns == {"Budget £": [500.0, None, None, None, None, None]}  # kept, not lost
    assert plan.details.organisation == "Riverside Surgery"
    assert plan.details.plan_owner == "Practice Manager"
    assert 10 not in plan.rows  # the blank row in the middle is skipped
    f = plan.frame
    assert list(f["hia"]) == [(2,), (1, 3), (4,), (1, 3), None, (6,)]
    assert [d.date() if d == d else None for d in f["due_date"]] == [
        dt.date(2026, 3, 31),
        dt.date(2025, 3, 31),
        dt.date(2026, 3, 31),
        dt.date(2026, 3, 31),
        None,
        dt.date(2025, 6, 30),
    ]
    assert list(f["pct_complete"].fillna(-1)) == [0.5, 0.5, 0.5, 1.0, -1, -1]
    assert list(f["status"]) == [
        "In progress",
        "In progress",
        "Not started",
        "Complete",
        "In progress",
        "Complete",
    ]
    assert list(f["psed_aim"])[:3] == [("b",), ("a", "b"), ("a", "b", "c")]


def test_last_years_copy_extra_columns_and_label_details():
    plan = read_plan(OK / "last_year_copy.xlsx")
    assert (plan.sheet, len(plan)) == ("2024-25 Plan", 3)
    assert plan.extra_headers == ["Q2 update"]
    assert [plan.extras_of(i) for i in range(3)] == [{"Q2 update": "Published"}, {}, {}]
    assert (plan.column_map["notes"], plan.column_map["rag"]) == ("Q1 update", "RAG last year")
    assert plan.reported_rag == ["Green", "Amber", None]
    assert (plan.details.organisation, plan.details.plan_period) == ("Hillside Community Trust", "2024/25")
    assert plan.settings == Settings()


def test_xlsm_reads_like_xlsx():
    a, b = read_plan(OK / "macro_enabled.xlsm"), read_plan(OK / "last_year_copy.xlsx")
    assert b.raw.equals(a.raw)
    assert a.format == "xlsm"


def test_csv_windows_1252_with_pound_and_curly_quote():
    plan = read_plan(OK / "export_cp1252.csv")
    assert (plan.sheet, plan.format, len(plan)) == (None, "csv", 3)
    assert plan.raw.loc[0, "action"].startswith("Fund £2,000")
    assert plan.raw.loc[1, "action"] == "Review the practice’s dignity at work policy"
    assert plan.cell(1, "due_date") == "D3"
    assert plan.column_map["owner"] == "Lead"


def test_csv_utf8_bom_semicolons():
    plan = read_plan(OK / "export_bom_semicolon.csv")
    assert plan.column_map["action_id"] == "Action ID"  # the BOM is not part of the first header
    assert list(plan.frame["pct_complete"].fillna(-1)) == [0.5, -1, 0.1]
    assert plan.raw.loc[2, "action"] == "=cmd|' /C calc'!A0"  # text, never evaluated


def test_formulas_and_error_values_are_values():
    plan = read_plan(OK / "formulas_errors.xlsx")
    assert plan.formula_columns == {"action", "owner", "pct_complete"}
    assert plan.raw.loc[1, "due_date"] == "#REF!"
    assert plan.raw.loc[1, "hia"] == "#N/A"
    assert plan.raw.loc[2, "status"] == "#VALUE!"


def test_sheet_argument(tmp_path):
    from edi_workbook.errors import PlanReadError

    plan = read_plan(OK / "title_block.xlsx", sheet="EDI plan 2025-26")
    assert len(plan) == 6
    with pytest.raises(PlanReadError, match="no sheet named"):
        read_plan(OK / "title_block.xlsx", sheet="Nope")
    with pytest.raises(PlanReadError, match="no plan table"):
        read_plan(OK / "title_block.xlsx", sheet="Notes")


def test_percent_formatted_cells_read_as_excel_shows_them():
    template = read_plan(OK / "template_filled.xlsx")
    assert template.raw.loc[5, "pct_complete"] == "150%"  # stored 1.5 in a 0% cell: not 1.5 points
    assert template.frame.loc[5, "pct_complete"] == 1.5
    plain = read_plan(OK / "last_year_copy.xlsx")  # General format: numbers stay numbers
    assert list(plain.raw["pct_complete"]) == [1, 0.4, 0.25]


def test_real_macro_enabled_workbook():
    """The add-in's .xlsm (with a VBA project) reads like the template."""
    import zipfile

    path = ROOT / "workbook_templates" / "edi_action_plan.xlsm"
    with zipfile.ZipFile(path) as z:
        assert "xl/vbaProject.bin" in z.namelist()
    plan = read_plan(path)
    assert (plan.format, plan.table, len(plan)) == ("xlsm", "ActionPlan", 0)
    assert plan.formula_columns == {"rag", "days_to_due"}


def test_progress_column_of_sentences_is_read_as_notes(tmp_path):
    plan = _csv(
        tmp_path,
        "Ref,Action,Lead,Deadline,Progress\n"
        "1,Train 10 managers by May 2026,Practice Manager,31/05/2026,Two sessions booked with the ICB\n"
        "2,Publish the pay gap by March 2026,Partner,31/03/2026,50%\n"
        "3,Hold 2 staff forums by June 2026,Nurse Lead,30/06/2026,First forum held in April\n",
    )
    assert plan.column_map["notes"] == "Progress"
    assert "pct_complete" not in plan.column_map
    assert plan.raw.loc[0, "notes"] == "Two sessions booked with the ICB"
    numbers = read_plan(OK / "title_block.xlsx")  # a Progress column of percentages stays % complete
    assert numbers.column_map["pct_complete"] == "Progress"


def test_merged_section_rows_are_headings_not_actions():
    plan = read_plan(OK / "sectioned_plan.xlsx")
    assert (plan.header_row, plan.rows) == (3, [5, 6, 8, 9])
    assert list(plan.frame["action_id"]) == ["1.1", "1.2", "2.1", "2.1"]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"Action ID,Action,Owner\rA1,Train 5 staff,Me\r", "old_mac.csv"),  # CR line ends
        ("Action ID\tAction\tOwner\r\nA1\tTrain 5 staff\tMe\r\n".encode("utf-16"), "unicode_text.txt"),
        (b'Action ID;Action;Owner\n"A1";"Train 5 staff;\nthen 5 more";"Me"\n', "multiline.csv"),
    ],
)
def test_csv_variants(tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)
    plan = read_plan(path)
    assert (len(plan), plan.raw.loc[0, "owner"]) == (1, "Me")
    assert plan.raw.loc[0, "action"].startswith("Train 5 staff")


def test_two_extra_columns_headed_alike_both_keep_their_values(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Action,Due date,Budget,Budget\nRun a staff survey,31/03/2027,first,second\n")
    plan = read_plan(path)
    assert plan.extra_columns == {"Budget": ["first"], "Budget (2)": ["second"]}


def test_a_list_without_a_header_keeps_the_items_with_nothing_beside_them(tmp_path):
    """A headerless two-column list (items, then a month beside the later ones): the first items,
    alone on their rows, are actions too, not headings; the numbered objective above is the heading."""
    plan = _csv(
        tmp_path,
        "Advancing Equity and Inclusion Strategy,\n"
        ",\n"
        "Equality Objective 1: Data and Intelligence,\n"
        "Improve the quality of our equality data and build equality data dashboards for the board.,\n"
        "Work with the integrated care system on how we use data to advance equality in services.,\n"
        "Review the Board Assurance Framework so that metrics are split by ethnicity.,December 2023\n"
        "Write an equality data quality improvement plan with a 95% accuracy ambition.,October 2023\n",
    )
    assert len(plan) == 4
    assert plan.sections == ["Equality Objective 1: Data and Intelligence"] * 4
    assert [d and d.isoformat() for d in plan.column("due_date")] == [None, None, "2023-12-31", "2023-10-31"]


@pytest.mark.parametrize(
    ("rows", "actions", "sections"),
    [
        (  # an action alone on its row, "objective 2 - ...": no heading (only "Equality Objective 2: ..." is)
            "Ref,Action,Lead,Due date,Status\n1,We will train 20 staff.,HR,31/03/2026,In progress\n"
            ",Deliver objective 2 - reduce the ethnicity pay gap by 5 percent\n"
            "3,We will publish our pay gap report.,Finance,30/04/2026,Not started\n"
            ",Meet WRES indicator 9 - board representation of BME staff to match workforce\n",
            4,
            [],
        ),
        (  # headings without a number above a header that names no action column yet
            "No,Item,Owner,Date\nImproving the experience of our disabled staff across the trust\n"
            "1,Set up a disability staff network with executive sponsor,HR,31/03/2026\n"
            "2,Review reasonable adjustments passport process,OD,30/06/2026\n"
            "Reducing the ethnicity pay gap in senior bands of the organisation\n"
            "3,Introduce diverse interview panels for band 8a and above,HR,30/09/2026\n",
            3,
            ["Improving the experience of our disabled staff across the trust"] * 2
            + ["Reducing the ethnicity pay gap in senior bands of the organisation"],
        ),
    ],
)
def test_one_cell_rows_read_as_a_person_reads_them(tmp_path, rows, actions, sections):
    path = tmp_path / "plan.csv"
    path.write_text(rows, encoding="utf-8")
    plan = read_plan(path)
    assert (len(plan), plan.sections) == (actions, sections)


def test_a_progress_column_of_percentages_and_status_words_feeds_both(tmp_path):
    """'Progress' with 50%, In progress, Complete, On hold (a common trust layout): the words are
    the status and the percentages the % complete. Before, the words were % complete errors and a
    finished action was overdue."""
    plan = _csv(
        tmp_path,
        "Ref,What we will do,Lead,By when,Progress\n"
        "R1,Publish the WRES report on the website,EDI lead,30/09/2026,50%\n"
        "R2,Run reverse mentoring for the board,CPO,31/03/2026,Complete\n"
        "R3,Review the recruitment panels,HR,31/12/2026,On hold\n"
        "R4,Set up a disability network,HR,31/01/2027,In progress\n",
    )
    assert plan.column_map["status"] == plan.column_map["pct_complete"] == "Progress"
    assert plan.column("status") == [None, "Complete", "On hold", "In progress"]
    assert plan.column("pct_complete") == [0.5, None, None, None]
    from edi_workbook import validate

    report = validate(plan, as_of=dt.date(2026, 6, 1))
    assert report.errors == 0, [f.code for f in report.findings if f.severity == "error"]
    assert "overdue" not in {f.code for f in report.findings}  # R2 is complete, not late


def test_a_title_cell_holding_more_than_the_organisation():
    from edi_workbook.read.details import details_from_labels

    got = details_from_labels(
        [[["Organisation: Riverside Hospitals NHS FT    Position as at 30 September 2026"]]]
    )
    assert got is not None
    assert got.organisation == "Riverside Hospitals NHS FT"
    got = details_from_labels(
        [[["Organisation: Elm Street Surgery | Period: 2026/27 | Plan owner: Jo Bloggs"]]]
    )
    assert got is not None
    assert (got.organisation, got.plan_period, got.plan_owner) == (
        "Elm Street Surgery",
        "2026/27",
        "Jo Bloggs",
    )


@pytest.mark.parametrize(
    ("header", "cells", "status", "pct"),
    [
        ("Progress", ["50", "Complete", "On hold", "25", "TBC"], [None, "Complete", "On hold", None, None],
         [0.5, None, None, 0.25, None]),  # whole numbers are points; TBC stays a % complete not understood
        ("Status", ["Complete", "In progress", "TBC", "60%", "Not started"],
         ["Complete", "In progress", None, None, "Not started"], [None, None, None, 0.6, None]),
        ("Status", ["Complete", "In progress", "TBC", "1", "Not started", "On hold"],  # a bare 1: no share
         ["Complete", "In progress", None, None, "Not started", "On hold"], [None] * 6),
    ],
)  # fmt: skip
def test_which_values_of_a_shared_column_feed_which_field(tmp_path, header, cells, status, pct):
    path = tmp_path / "plan.csv"
    rows = [f"R{k},Action number {k} for the plan,Lead,31/03/2027,{v}" for k, v in enumerate(cells, start=1)]
    path.write_text("\n".join([f"Ref,What we will do,Lead,By when,{header}", *rows]) + "\n", encoding="utf-8")
    plan = read_plan(path)
    assert (plan.column("status"), plan.column("pct_complete")) == (status, pct)
    from edi_workbook import validate

    codes = {f.code: f for f in validate(plan, as_of=dt.date(2026, 6, 1)).findings}
    if "TBC" in cells:  # reported as the field the header names, with that field's advice
        assert ("unknown-status" if header == "Status" else "unreadable-value") in codes


@pytest.mark.parametrize(
    ("cell", "organisation", "period"),
    [
        ("Practice: Elm Street Surgery    Trust: Northshire Community NHS Trust", "Elm Street Surgery", None),
        ("Financial year: 2026/27    Reporting period: Q2", None, "2026/27"),  # the first label wins
        ("Organisation: Riverside and Elm Street\nPrimary Care Network",
         "Riverside and Elm Street\nPrimary Care Network", None),  # a name wrapped onto two lines
        ("Organisation: Smith | Jones Medical Practice", "Smith | Jones Medical Practice", None),
        ("Organisation: Riverside\nPosition as at 30 September 2026", "Riverside", None),
    ],
)  # fmt: skip
def test_a_label_cell_is_cut_only_where_it_goes_on_to_something_else(cell, organisation, period):
    from edi_workbook.read.details import details_from_labels

    got = details_from_labels([[[cell]]])
    assert got is not None
    assert (got.organisation, got.plan_period) == (organisation, period)


def test_a_title_cell_of_thousands_of_labels_is_read_at_once(tmp_path):
    """A cut-off title cell repeating ' | Period: 2026/27' 8,000 times went one level of recursion
    deeper per label (a RecursionError: exit 3), and 8,000 ' | ' without labels took seconds."""
    from openpyxl import Workbook

    from edi_workbook.cli import main

    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["Organisation: Riverside" + " | Period: 2026/27" * 1_800])
    ws.append(["Plan owner: " + "a | " * 8_000])
    ws.append(["Ref", "Action", "Lead", "Due date", "Status"])
    ws.append(["R1", "Publish the WRES report on the website", "EDI lead", "30/09/2026", "In progress"])
    wb.save(path)
    plan = read_plan(path)
    assert (plan.details.organisation, plan.details.plan_period) == ("Riverside", "2026/27")
    assert main(["validate", str(path), "--as-of", "2026-06-01"]) in (0, 1)


@pytest.mark.parametrize(
    ("title", "as_of"),
    [
        ("Riverside PCN EDI action plan    Position as at 30 September 2026", dt.date(2026, 9, 30)),
        ("EDI action plan: progress update (as at Q2 2026/27)", dt.date(2026, 9, 30)),
        ("WRES action plan - position as at 31/10/2026 (draft)", dt.date(2026, 10, 31)),
        ("Position as at 1 April 2026 - 30 September 2026", dt.date(2026, 9, 30)),  # a range: its end
        ("As of April 2023, the NHS asked every trust to act", None),  # a sentence, not a position
        ("Action plan agreed as part of the contract", None),
        # from a review: a deadline after "as at", a date inside a sentence, typos, a paragraph
        ("Please give a progress update as at the end of the quarter and return it by 15 January 2027", None),
        ("Report as at Q2\nTo be submitted by 14 October 2026", None),
        ("As at March 2020 the board agreed to complete the strategy by March 2025.", None),
        ("Our WRES figures (as at March 2024) show that 23% of our staff are from BME backgrounds", None),
        ("Position as at 30/09/2062", None),  # a typo, or the plan's end: after today
        ("Progress as at 31 March 2099", None),
        ("Position as at 2026/27", None),  # the plan's year, not the day its position is at
        ("Position as at 31 March 1901", None),
        ("Progress update as at 30 September 2026: " + "x" * 300, None),  # a paragraph, not a title
    ],
)
def test_a_foreign_plans_position_as_at_date_is_its_as_of_date(tmp_path, title, as_of):
    """A return's title says when its position is at: it is judged then, not on the day it is read."""
    from openpyxl import Workbook

    from edi_workbook.rag_rating import rag

    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(["Ref", "Action", "Lead", "Due date", "Status"])
    ws.append(
        ["R1", "Publish the WRES report on the website", "EDI lead", dt.date(2026, 10, 31), "In progress"]
    )
    wb.save(path)
    plan = read_plan(path)
    assert plan.settings.as_of == as_of
    result = rag(plan)
    assert result.as_of == (as_of or dt.date.today())
    assert result.frame["days_to_due"].tolist() == [(dt.date(2026, 10, 31) - result.as_of).days]


def test_an_as_at_cell_with_its_date_beside_it_in_a_csv(tmp_path):
    plan = _csv(
        tmp_path,
        "Organisation:,Elm Street Surgery\nAs at:,,30/06/2026\n\nRef,Action,Lead,Due date\n"
        "E1,Review the recruitment panel guidance,Practice manager,31/03/2027\n",
        "return.csv",
    )
    assert (plan.details.organisation, plan.settings.as_of) == ("Elm Street Surgery", dt.date(2026, 6, 30))


def test_the_templates_blank_as_of_date_is_not_taken_from_its_title(tmp_path):
    """The template names its settings: a blank AsOfDate means today, whatever a cell says."""
    from openpyxl import load_workbook

    path = tmp_path / "plan.xlsx"
    wb = load_workbook(OK / "template_filled.xlsx")
    ws = wb["Action Plan"]
    ws["A1"] = "Position as at 30 September 2026"
    wb.save(path)
    assert read_plan(path).settings.as_of == dt.date(2025, 6, 1)  # its AsOfDate, as before


def test_only_the_plan_sheets_title_dates_the_plan_and_a_number_beside_as_at_is_no_date(tmp_path):
    """From a review: a data sheet's 'Position as at 31/03/2024' dated the whole plan, and 'As at'
    beside the number 31 read as 31 January 1900."""
    from openpyxl import Workbook

    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["As at", 31])
    ws.append(["Ref", "Action", "Lead", "Due date", "Status"])
    ws.append(["R1", "Publish the WRES report on the website", "EDI lead", "31/10/2026", "In progress"])
    data = wb.create_sheet("Workforce")
    data.append(["Position as at", "31/03/2024"])
    wb.save(path)
    assert read_plan(path).settings.as_of is None


def test_a_plan_judged_at_its_titles_date_says_so_at_the_title(tmp_path):
    from openpyxl import Workbook

    from edi_workbook import validate

    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append([None, "Riverside PCN    Position as at 30 September 2026"])
    ws.append(["Ref", "Action", "Lead", "Due date", "Status"])
    ws.append(["R1", "Publish the WRES report on the website", "EDI lead", "31/10/2026", "In progress"])
    wb.save(path)
    plan = read_plan(path)
    said = [f for f in validate(plan).findings if f.code == "judged-as-at-title-date"]
    assert [(f.severity.value, f.sheet, f.cell, f.row) for f in said] == [("info", "Sheet", "B1", 1)]
    assert said[0].message.startswith("Judged as at 30 September 2026, the date in the title")
    assert not [f for f in validate(plan, as_of=dt.date(2026, 11, 29)).findings if f.code == said[0].code]


def test_a_completed_date_without_a_status_column_means_complete(tmp_path):
    """From a review: a layout that marks an action done by its completed date (no status column)
    had its done actions rated Red, overdue."""
    from edi_workbook import rag

    plan = _csv(
        tmp_path,
        "Ref,Action,Lead,Due date,Date completed\n"
        "R1,Publish the WRES report,EDI lead,31/03/2026,15/03/2026\n"
        "R2,Train the panel chairs,HR,30/06/2026,\n",
    )
    assert plan.column("status") == ["Complete", None]
    assert plan.raw_column("status") == [None, None]  # nothing is typed there
    assert rag(plan, as_of=dt.date(2026, 11, 29)).frame["rag"].tolist() == ["Blue", "Red"]


def test_a_column_without_a_header_that_no_field_reads_is_kept_under_its_letter(tmp_path):
    """From a review: a column with values but no header, read by no field (the national outcomes an
    objective serves), was dropped, so neither carry-over nor the roll-up showed it."""
    plan = _csv(
        tmp_path,
        "Key area,Strategic Objective,Performance Measure,\n"
        "Improve personalisation,Embed digital solutions to support self-management,Uptake monitored,"
        '"1, 2, 6 and 7"\n'
        'Reduce inequality,Further reduce inequality of health outcomes,Strategy published,"1, 3 and 9"\n',
        "outcomes.csv",
    )
    assert plan.column_letters["action"] == "B"
    assert plan.extra_columns == {"Column D": ["1, 2, 6 and 7", "1, 3 and 9"]}
    assert plan.extra_lines(0) == ["Column D: 1, 2, 6 and 7"]


@pytest.mark.parametrize(
    ("header", "done", "status"),
    [
        ("Date completed", "15/03/2026", "Complete"),
        ("Date completed", "31/03/2099", None),  # not done yet: validate reports the date
        ("Revised date", "30/09/2026", None),  # a new deadline: the due date now
        ("Completed / revised date", "30/09/2026", None),  # either, as one published plan has it
    ],
)
def test_only_a_past_completed_date_without_a_status_means_complete(tmp_path, header, done, status):
    """From a second review: a 'Revised date' column, which the reader took for the completed date,
    and a completed date in the future made open actions Complete."""
    plan = _csv(
        tmp_path,
        f"Ref,Action,Lead,Due date,{header}\nR1,Publish the WRES report,EDI lead,31/03/2026,{done}\n",
    )
    assert plan.column("status") == [status]


REVISED = (
    "EDI action plan,,,,,\n"
    "Ref,Action,Lead,Original deadline,Revised deadline,Status\n"
    "1,Publish WRES data and action plan,HR Director,31/10/2025,31/01/2026,In progress\n"
    "2,Run reverse mentoring cohort,EDI Lead,30/06/2025,,In progress\n"
    "3,Review recruitment panels,Head of Recruitment,31/12/2025,31/03/2027,Not started\n"
    "4,Refresh the EDI training offer,L&D Lead,15/12/2026,TBC,Not started\n"
)


def test_a_revised_deadline_is_the_due_date_and_the_original_is_kept(tmp_path):
    """A published plan's "Revised deadline" beside its "Original deadline" was read as neither
    (the original was the due date), and a "Revised date" as the completed date: an action moved
    to 2027 was rated Red, overdue, and its revised date reported as a completion in the future."""
    from edi_workbook import rag, validate

    plan = _csv(tmp_path, REVISED)
    assert plan.column("due_date") == [
        dt.date(2026, 1, 31),
        dt.date(2025, 6, 30),
        dt.date(2027, 3, 31),
        dt.date(2026, 12, 15),
    ]
    assert [plan.cell(i, "due_date") for i in range(4)] == ["E3", "D4", "E5", "D6"]
    assert plan.column_map["due_date"] == "Revised deadline (else Original deadline)"
    assert plan.column("completed_date") == [None] * 4
    # nothing typed is lost: the original where a revised date replaced it, the revised text that is no date
    assert plan.extra_lines(0) == ["Original deadline: 31/10/2025"]
    assert plan.extra_lines(1) == []
    assert plan.extra_lines(3) == ["Revised deadline: TBC"]
    assert [plan.original_due(i) for i in range(4)] == [
        dt.date(2025, 10, 31),
        None,
        dt.date(2025, 12, 31),
        None,
    ]
    assert rag(plan, as_of=dt.date(2026, 11, 29)).frame["rag"].tolist() == ["Red", "Red", "Green", "Amber"]
    findings = validate(plan, as_of=dt.date(2026, 11, 29)).findings
    assert "completed-date-in-future" not in {f.code for f in findings}
    revised = [(f.cell, f.action_id, f.message) for f in findings if f.code == "due-date-revised"]
    assert revised == [
        (
            "E3",
            "1",
            "Revised from 31 October 2025 to 31 January 2026 (92 days later); rated at the revised date.",
        ),
        (
            "E5",
            "3",
            "Revised from 31 December 2025 to 31 March 2027 (455 days later); rated at the revised date.",
        ),
    ]
    assert plan.take([2]).original_due(0) == dt.date(2025, 12, 31)


def test_a_revised_date_column_alone_is_the_due_date(tmp_path):
    plan = _csv(tmp_path, "Ref,Action,Lead,Revised target date\n1,Publish the WRES report,HR,31/03/2027\n")
    assert plan.column_map["due_date"] == "Revised target date"
    assert plan.column("due_date") == [dt.date(2027, 3, 31)]
    assert plan.extra_columns == {}


def test_a_revised_column_added_to_the_template_table_is_an_extra_column(tmp_path):
    """The template's formulas rate its Due date column: Python follows them, so a revised-date column
    a user adds inside the table is kept as an extra column and changes no due date."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.table import TableColumn

    wb = load_workbook(OK / "template_filled.xlsx")
    ws = wb["Action Plan"]
    table = ws.tables["ActionPlan"]
    table.ref = table.ref.replace(":O", ":P")
    table.tableColumns.append(TableColumn(id=16, name="Revised due date"))
    ws["P4"], ws["P5"] = "Revised due date", dt.datetime(2099, 3, 31)
    path = tmp_path / "template_revised.xlsx"
    wb.save(path)
    before, plan = read_plan(OK / "template_filled.xlsx"), read_plan(path)
    assert plan.column("due_date") == before.column("due_date")
    assert plan.extra_headers == ["Revised due date"]
    assert plan.extras_of(0) == {"Revised due date": dt.date(2099, 3, 31)}


def test_excels_sep_line_names_the_separator_and_is_no_row(tmp_path):
    """From a hostile-input trial: a CSV that Excel wrote with a ``sep=;`` first line read 3 of its
    5 actions, a data row as a section title, and no Owner column."""
    body = (
        "Ref;Action;Owner;Due date;Status\n"
        "A1;Deliver reverse mentoring, for 10 board members;Jane;31/03/2026;In progress\n"
        "A2;Publish the WRES report;Sam;30/06/2026;Not started\n"
    )
    plan = _csv(tmp_path, "sep=;\r\n" + body)
    same = _csv(tmp_path, body, "plain.csv")
    assert plan.column("action_id") == ["A1", "A2"]
    assert plan.column("owner") == same.column("owner") == ["Jane", "Sam"]
    assert plan.column("action")[0] == "Deliver reverse mentoring, for 10 board members"
    assert plan.cell(0, "owner") == same.cell(0, "owner") == "C2"  # rows as Excel shows them


def _sheets_book(path: Path, states: dict[str, str]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for n, (name, state) in enumerate(states.items(), start=1):
        ws = wb.create_sheet(name)
        ws.sheet_state = state
        if name == "Notes":  # no plan here
            ws.append(["Read me: the plan is on the other sheet"])
            continue
        ws.append(["Ref", "Action", "Owner", "Due date", "Status"])
        ws.append([f"{name[0]}{n}", f"Publish the {name} report", "EDI lead", "31/03/2027", "Open"])
    wb.save(path)
    return path


def test_hidden_sheets_give_way_to_a_plan_in_view(tmp_path):
    """From a hostile-input trial: a hidden old plan and a very hidden one were merged into the
    plan, with duplicate-ID errors at sheets the user could not see. From the review of the first
    fix: a plan on a hidden sheet behind a cover page (a sign-off table, say) is still the plan."""
    both = read_plan(
        _sheets_book(tmp_path / "a.xlsx", {"Old": "hidden", "Now": "visible", "Ghost": "veryHidden"})
    )
    assert (both.sheet, len(both)) == ("Now", 1)
    only_hidden = read_plan(
        _sheets_book(tmp_path / "b.xlsx", {"Old": "hidden", "Notes": "visible", "Ghost": "veryHidden"})
    )
    assert (only_hidden.sheet, len(only_hidden)) == ("Old", 1)
    very = read_plan(_sheets_book(tmp_path / "c.xlsx", {"Ghost": "veryHidden", "Notes": "visible"}))
    assert (very.sheet, len(very)) == ("Ghost", 1)


def test_a_table_with_no_header_row_loses_no_action_to_a_row_that_looks_like_one(tmp_path):
    """From a hostile-input trial: a CSV of five actions and no header took its fourth row ("A4,
    Publish WRES report, Practice manager, March 2025, Done" names an owner, a status and an HIA) for
    the header and silently dropped the three actions above it."""
    plan = _csv(
        tmp_path,
        "A1,Deliver reverse mentoring for 10 board members by March 2026,Jane Smith,31/03/2026,In progress\n"
        "A2,Train 20 managers in inclusive recruitment,Sam Patel,12/01/2026,Not started\n"
        "A3,Review the dignity at work policy with staff networks,Bob Jones,01/02/2026,Complete\n"
        "A4,Publish WRES report,Practice manager,March 2025,Done\n"
        "A5,Train 80% managers in inclusive recruitment,Sam,Q4 2024/25,In progress\n",
    )
    assert plan.column("action_id") == ["A1", "A2", "A3", "A4", "A5"]
    assert plan.column("due_date")[3] == dt.date(2025, 3, 31)


ABOVE = TESTS / "fixtures" / "read" / "above"


@pytest.mark.parametrize(
    ("name", "sheet", "actions", "owner"),
    [
        ("rag_key_above.xlsx", "Action plan", 5, "Lead"),  # a RAG key, a blank row, the plan
        ("rag_key_above.csv", None, 5, "Lead"),
        ("title_block_no_blank_row.xlsx", "Plan", 2, "Lead"),  # "Practice name: | ..." pairs on the header
        ("signoff_cover_plan_hidden.xlsx", "Plan", 5, "Lead"),  # a sign-off table in view, the plan hidden
        ("sep_empty.csv", None, 5, "Lead"),  # "sep=" with nothing after it: no separator named
    ],
)
def test_what_sits_above_a_header_or_beside_the_plan_does_not_displace_it(name, sheet, actions, owner):
    """From a review of the fixes for a table with no header, hidden sheets and Excel's sep= line:
    each file here (written by the reviewer) was misread by the first version of one of them."""
    plan = read_plan(ABOVE / name)
    assert (plan.sheet, len(plan), plan.column_map["owner"]) == (sheet, actions, owner)
