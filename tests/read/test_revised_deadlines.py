"""Published plans that keep the deadline first agreed and a revised one side by side (from a review
of the first version: each case here read the wrong due date, silently)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from edi_workbook import rag, read_plan, validate
from edi_workbook.plan import Plan
from tests.read.test_read_plan import _csv

AS_OF = dt.date(2026, 11, 29)
D = dt.datetime


def _findings(plan: Plan, code: str) -> list[tuple[str | None, str]]:
    return [(f.cell, f.message) for f in validate(plan, as_of=AS_OF).findings if f.code == code]


def test_a_revised_date_written_in_words_is_read_and_one_that_is_no_date_is_reported(tmp_path):
    plan = _csv(
        tmp_path,
        "Ref,Action,Lead,Original deadline,Revised deadline,Status\n"
        "1,Publish WRES data,HR Director,31/10/2025,Now due June 2027,In progress\n"
        "2,Refresh EDI training,L&D Lead,15/12/2025,Deferred to April 2027,Not started\n"
        "3,Audit pay gap,Finance,15/12/2025,31/13/2026,Not started\n"
        "4,Staff survey,HR,15/12/2025,TBC,In progress\n",
    )
    assert plan.column("due_date") == [dt.date(2027, 6, 30), dt.date(2027, 4, 30), dt.date(2025, 12, 15),
                                       dt.date(2025, 12, 15)]  # fmt: skip
    assert plan.extra_lines(0) == ["Original deadline: 31/10/2025", "Revised deadline: Now due June 2027"]
    assert _findings(plan, "revised-date-not-understood") == [
        ("E4", "The Revised deadline '31/13/2026' is not a date, so the action is still rated at its due "
               "date, 15 December 2025. Type the revised date (31/03/2027), or clear the cell."),
        ("E5", "The Revised deadline 'TBC' is not a date, so the action is still rated at its due date, "
               "15 December 2025. Type the revised date (31/03/2027), or clear the cell."),
    ]  # fmt: skip


def test_completed_in_a_revised_cell_is_the_status_where_the_plan_has_none(tmp_path):
    """A regression of the first version: "Completed" typed in a "Revised date" column (read as the
    completed date before) closed the action; then it was Red and carried over as open."""
    plan = _csv(
        tmp_path,
        "Ref,Action,Lead,Deadline,Revised date\n"
        "1,Publish WRES data,HR Director,31/10/2025,Completed\n"
        "2,Run mentoring,EDI Lead,30/06/2025,31/03/2027\n",
    )
    assert plan.column("status") == ["Complete", None]
    assert rag(plan, as_of=AS_OF).frame["rag"].tolist() == ["Blue", "Green"]
    assert _findings(plan, "revised-date-not-understood") == []


def test_the_latest_of_several_revised_columns_is_the_due_date(tmp_path):
    plan = _csv(
        tmp_path,
        "Ref,Action,Lead,Deadline,Revised deadline,Second revised deadline,Status\n"
        "1,Publish WRES data,HR Director,31/10/2025,31/01/2026,30/06/2027,In progress\n"
        "2,Run reverse mentoring,EDI Lead,30/06/2025,31/12/2025,,In progress\n",
    )
    assert plan.column("due_date") == [dt.date(2027, 6, 30), dt.date(2025, 12, 31)]
    assert [plan.cell(i, "due_date") for i in range(2)] == ["F2", "E3"]
    assert plan.original_due(0) == dt.date(2025, 10, 31)
    assert plan.extra_lines(0) == ["Deadline: 31/10/2025", "Revised deadline: 31/01/2026"]
    assert plan.column_map["due_date"] == "Second revised deadline / Revised deadline (else Deadline)"


def _two_row_header(path: Path, parent: str, subs: tuple[str, str]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Action plan"
    ws.append(["Ref", "Action", "Lead", parent, None, "Status"])
    ws.append([None, None, None, *subs, None])
    ws.merge_cells("D1:E1")
    for c in "ABCF":
        ws.merge_cells(f"{c}1:{c}2")
    original_first = subs[0] == "Original"
    for n, text, first, later in [(1, "Publish WRES data", D(2025, 10, 31), D(2027, 1, 31)),
                                  (2, "Run reverse mentoring", D(2025, 6, 30), None)]:  # fmt: skip
        dates = (first, later) if original_first else (later, first)
        ws.append([n, text, "HR Director", *dates, "In progress"])
    wb.save(path)
    return path


def test_a_two_row_header_over_original_and_revised_dates(tmp_path):
    for parent, subs in [("Deadline", ("Original", "Revised")), ("Target date", ("Original", "Revised")),
                         ("Deadline", ("Revised", "Original"))]:  # fmt: skip
        plan = read_plan(_two_row_header(tmp_path / "plan.xlsx", parent, subs))
        assert plan.column("due_date") == [dt.date(2027, 1, 31), dt.date(2025, 6, 30)], (parent, subs)
        assert plan.original_due(0) == dt.date(2025, 10, 31)
        assert plan.column("success_measure") == [None, None]


def test_a_merged_revised_date_points_at_the_cell_it_is_typed_in(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Ref", "Action", "Lead", "Original deadline", "Revised deadline", "Status"])
    for n, text in enumerate(["Publish WRES data", "Publish WDES data", "Publish pay gap"], start=1):
        ws.append(
            [n, text, "HR Director", D(2025, 10, 31), D(2026, 1, 30) if n == 1 else None, "In progress"]
        )
    ws.merge_cells("E2:E4")
    wb.save(tmp_path / "plan.xlsx")
    plan = read_plan(tmp_path / "plan.xlsx")
    assert plan.column("due_date") == [dt.date(2026, 1, 30)] * 3
    assert [plan.cell(i, "due_date") for i in range(3)] == ["E2", "E2", "E2"]


def test_a_number_in_a_revised_column_does_not_replace_the_deadline(tmp_path):
    """``6`` (months, say) read as a date is 6 January 1900: a good deadline was replaced by it."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Ref", "Action", "Lead", "Deadline", "Revised timescale", "Status"])
    ws.append([1, "Publish WRES data", "HR Director", D(2025, 10, 31), 6, "In progress"])
    wb.save(tmp_path / "plan.xlsx")
    plan = read_plan(tmp_path / "plan.xlsx")
    assert plan.column("due_date") == [dt.date(2025, 10, 31)]
    assert [c for c, _m in _findings(plan, "revised-date-not-understood")] == ["E2"]


def test_revised_date_reads_dates_after_words_saying_they_moved():
    from edi_workbook.values import revised_date

    assert revised_date("Extended to 31/03/2027") == dt.date(2027, 3, 31)
    assert revised_date("Delayed until Q2 2027/28") == dt.date(2027, 9, 30)
    assert revised_date("31/01/2026") == dt.date(2026, 1, 31)
    assert [revised_date(v) for v in ("TBC", "Ongoing", "Completed", 6, "31/13/2026", None)] == [None] * 6


def test_a_two_row_header_in_a_csv_export(tmp_path):
    plan = _csv(
        tmp_path,
        "Ref,Action,Lead,Deadline,,Status\n"
        ",,,Original,Revised,\n"
        "1,Publish WRES data,HR Director,31/10/2025,31/01/2027,In progress\n"
        "2,Run reverse mentoring,EDI Lead,30/06/2025,,In progress\n",
    )
    assert plan.column("action_id") == ["1", "2"]  # the sub-headers are no action
    assert plan.column("due_date") == [dt.date(2027, 1, 31), dt.date(2025, 6, 30)]
    assert plan.column_map["due_date"] == "Deadline / Revised (else Deadline / Original)"
