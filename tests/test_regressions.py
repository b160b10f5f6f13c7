"""Regression tests for defects found in the final bug hunt; each docstring names the bug."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from edi_workbook import values
from tests.open_files import needs_proc, open_fds_on

EXAMPLE = Path(__file__).parent.parent / "workbook_templates" / "example_action_plan.xlsx"


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(1, dt.date(1900, 1, 1)), (59, dt.date(1900, 2, 28)), (60, None), (61, dt.date(1900, 3, 1))],
)
def test_excel_serials_before_march_1900_follow_excel(serial: int, expected: dt.date | None) -> None:
    """Bug: serials 1-59 came out a day early (1 gave 1899-12-31, 59 gave 1900-02-27) and 60,
    Excel's fictitious 29/02/1900, gave 28/02/1900. Excel's 1900 system counts that day, so
    serials below 60 start from 1899-12-31 and 60 is no real date."""
    assert values.excel_serial_to_date(serial) == expected
    assert values.parse_date(serial) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.0", (1,)), ("3.0", (3,)), ("1.0, 3.0", (1, 3)), ("HIA 2.0", (2,)), ("2.5", None)],
)
def test_hia_written_as_a_decimal_is_one_number(text: str, expected: tuple[int, ...] | None) -> None:
    """Bug: a CSV saved by pandas or Excel writes HIA 1 as ``1.0``; the parser read two numbers,
    HIA 1 and HIA 0, and validation reported a non-existent HIA 0; ``2.5`` became HIAs 2 and 5."""
    assert values.parse_hias(text) == expected


@needs_proc
def test_reading_a_workbook_closes_it_even_when_it_is_not_a_plan(tmp_path: Path) -> None:
    """Bug: the xlsx reader opened the workbook's zip and never closed it; a plan that failed to
    read kept its file open for as long as the error's traceback lived (on Windows, locked
    against the user's save or a write-back's replace)."""
    from openpyxl import Workbook

    from edi_workbook.errors import PlanReadError
    from edi_workbook.read import read_plan

    path = tmp_path / "not a plan.xlsx"
    wb = Workbook()
    wb.active["A1"] = "nothing here"
    wb.save(path)
    with pytest.raises(PlanReadError) as caught:
        read_plan(path)
    assert caught.value is not None  # the traceback is still alive here
    assert open_fds_on(path) == 0
    read_plan(EXAMPLE)
    assert open_fds_on(EXAMPLE) == 0


@pytest.mark.parametrize("how", ["open in Excel", "read-only"])
def test_new_force_does_not_replace_a_workbook_open_in_excel_or_read_only(tmp_path: Path, how: str) -> None:
    """Bug: ``new --force plan.xlsx`` replaced the user's plan while it was open in Excel (their
    next save in Excel then lost either the new template or their edits) and replaced a file
    they had made read-only. Write-back refuses both (``writeback.locked_reason``); now ``new``
    does too, with exit code 2 and the file untouched."""
    from edi_workbook.cli import main

    target = tmp_path / "plan.xlsx"
    target.write_bytes(EXAMPLE.read_bytes())
    if how == "open in Excel":
        (tmp_path / "~$plan.xlsx").write_bytes(b"owner")
    else:
        target.chmod(0o444)
    assert (main(["new", "--force", str(target)]), target.read_bytes()) == (2, EXAMPLE.read_bytes())


def _owner_plan(org: str, owners: list[str]) -> Any:
    from edi_workbook.plan import Plan, PlanDetails

    records = [
        {
            "Action ID": f"A{i}",
            "Action": f"Action {i}",
            "Owner": o,
            "Due date": "2027-03-31",
            "Status": "In progress",
        }
        for i, o in enumerate(owners, 1)
    ]
    return Plan.from_records(records, details=PlanDetails(organisation=org))


def _calendar(path: Path) -> tuple[str, set[tuple[str, str]]]:
    import icalendar

    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return str(cal["x-wr-calname"]), {(str(e["summary"]), str(e["status"])) for e in cal.walk("VEVENT")}


def test_per_owner_calendars_of_two_plans_in_one_folder_leave_each_other_alone(tmp_path: Path) -> None:
    """Bug: ``calendar --by-owner DIR`` for a second plan (another organisation) in the same folder
    rewrote every per-owner file of the first plan with all its events cancelled, and an owner
    of both plans took over the other plan's file as its "previous export"."""
    from edi_workbook import calendar

    as_of, stamp = dt.date(2026, 11, 1), dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    calendar.by_owner(
        _owner_plan("Trust A", ["Jo Bloggs", "Sam Smith"]), tmp_path, as_of=as_of, dtstamp=stamp
    )
    before = {p.name: _calendar(p) for p in tmp_path.glob("*.ics")}
    calendar.by_owner(_owner_plan("Trust B", ["Jo Bloggs"]), tmp_path, as_of=as_of, dtstamp=stamp)
    after = {p.name: _calendar(p) for p in tmp_path.glob("*.ics")}
    assert {name: after[name] for name in before} == before
    (trust_b,) = set(after) - set(before)
    assert after[trust_b][0].endswith("Trust B – Jo Bloggs")
    assert {status for _, status in after[trust_b][1]} == {"CONFIRMED"}


def test_per_owner_calendar_stays_with_its_owner_when_a_similar_name_arrives(tmp_path: Path) -> None:
    """Bug: owners whose names give the same file name ("Dr Lee / HR", "Dr Lee - HR") were told
    apart by their order in the plan, so a new owner could take over an existing owner's file:
    their subscribers saw their own actions cancelled and someone else's appear."""
    from edi_workbook import calendar

    as_of, stamp = dt.date(2026, 11, 1), dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    calendar.by_owner(_owner_plan("Trust A", ["Dr Lee / HR"]), tmp_path, as_of=as_of, dtstamp=stamp)
    first = _calendar(tmp_path / "dr-lee-hr.ics")
    calendar.by_owner(
        _owner_plan("Trust A", ["Dr Lee / HR", "Dr Lee - HR"]), tmp_path, as_of=as_of, dtstamp=stamp
    )
    assert _calendar(tmp_path / "dr-lee-hr.ics")[0] == first[0]
    assert {status for _, status in _calendar(tmp_path / "dr-lee-hr.ics")[1]} == {"CONFIRMED"}


def test_batch_skips_only_our_own_backups_not_plans_whose_names_contain_bak(tmp_path: Path) -> None:
    """Bug: batch skipped any file whose name contained ``.bak`` or ``.backup`` anywhere, so
    ``St.Bakers Surgery.xlsx`` or ``Dr.Baker plan.xlsx`` vanished from the roll-up without a word.
    Only the names write-back makes are skipped: ``NAME.backup-YYYYmmdd-HHMMSS[-N].xlsx``,
    ``NAME.validated.xlsx`` and ``NAME.bak.xlsx``."""
    from edi_workbook.batch import discover

    plans = ["St.Bakers Surgery.xlsx", "Dr.Baker plan.xlsx", "hub.backups list.xlsx", "plan.xlsx"]
    ours = ["plan.backup-20261122-032502.xlsx", "plan.backup-20261122-032502-2.xlsx", "plan.validated.xlsx",
            "plan.bak.xlsx", "plan.Validated.XLSX"]  # fmt: skip
    for name in plans + ours:
        (tmp_path / name).write_bytes(b"")
    assert sorted(p.name for p in discover([tmp_path])) == sorted(plans)


def test_date_typed_as_text_in_a_workbook_is_reported(tmp_path):
    """A due date stored as text is Grey in the workbook but rated by Python: say so (new-user trial 2)."""
    import datetime as dt
    import shutil

    import openpyxl

    from edi_workbook import read_plan, validate
    from tests.conftest import ROOT

    path = tmp_path / "plan.xlsx"
    shutil.copyfile(ROOT / "workbook_templates" / "edi_action_plan.xlsx", path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Action Plan"]
    first = int(ws.tables["ActionPlan"].ref.split(":")[0][1:]) + 1
    ws.cell(first, 1, "RS-01")
    ws.cell(first, 9, "28/02/2027")
    ws.cell(first + 1, 1, "RS-02")
    ws.cell(first + 1, 9, dt.datetime(2027, 2, 28))
    wb.save(path)
    report = validate(read_plan(path), select="date-stored-as-text")
    assert [(f.code, f.cell, f.action_id) for f in report.findings] == [
        ("date-stored-as-text", f"I{first}", "RS-01")
    ]


def test_what_the_formulas_read_differently_is_reported_cell_by_cell(tmp_path):
    """Issue 17: the tool and the workbook disagreed silently on AsOfDate typed as text, a text
    % complete and a status the formulas do not know; "Done" itself now means Complete to both."""
    import shutil

    import openpyxl

    from edi_workbook import read_plan, validate
    from tests.conftest import ROOT

    path = tmp_path / "plan.xlsx"
    shutil.copyfile(ROOT / "workbook_templates" / "example_action_plan.xlsx", path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Action Plan"]
    ws["J6"], ws["K7"], ws["J8"] = "Done.", "45%", "Done"
    wb["Plan details"]["B13"] = "22/11/2026"
    wb["Plan details"]["B14"] = "30"
    wb.save(path)
    codes = {"date-stored-as-text", "number-stored-as-text", "status-not-read-by-formulas"}
    got = sorted((f.code, f.sheet, f.cell) for f in validate(read_plan(path)).findings if f.code in codes)
    assert got == [
        ("date-stored-as-text", "Plan details", "B13"),
        ("number-stored-as-text", "Action Plan", "K7"),
        ("number-stored-as-text", "Plan details", "B14"),
        ("status-not-read-by-formulas", "Action Plan", "J6"),
    ]


def test_actions_below_the_print_area_are_reported(tmp_path):
    """Issue 17 gave the blank template a print area of 20 rows (it printed 3 pages of empty
    rows); a plan that grows past it must not lose its last actions from the printout silently."""
    import datetime as dt

    from edi_workbook import read_plan, validate
    from edi_workbook.template import new_workbook
    from edi_workbook.template.action_plan import FIRST_ROW, PRINT_ROWS
    from edi_workbook.writeback import CellMark, write_back

    path = new_workbook(tmp_path / "plan.xlsx")
    marks = []
    for i in range(PRINT_ROWS + 3):
        row = FIRST_ROW + i
        marks += [
            CellMark("Action Plan", f"A{row}", value=f"A{i + 1:02d}"),
            CellMark("Action Plan", f"B{row}", value="Train every interview panel chair by March"),
            CellMark("Action Plan", f"I{row}", value=dt.date(2027, 3, 31)),
        ]
    write_back(path, marks, backup=False)
    got = [
        (f.code, f.cell, f.action_id)
        for f in validate(read_plan(path)).findings
        if f.code == "rows-not-printed"
    ]
    last = FIRST_ROW + PRINT_ROWS - 1
    assert got == [("rows-not-printed", f"A{last + 1}", "A21")]
    message = next(f.message for f in validate(read_plan(path)).findings if f.code == "rows-not-printed")
    assert f"ends at row {last}, so 3 actions in rows {last + 1} to {last + 3}" in message
    # the example's print area covers its actions: nothing to say
    example = read_plan(new_workbook(tmp_path / "example.xlsx", example=True))
    assert not [f for f in validate(example).findings if f.code == "rows-not-printed"]
