"""Misusing the public API gives a TypeError or ValueError that says what to pass (issue 13, item 26).

Before, ``validate(None)`` and a DataFrame for a Plan failed deep inside with an AttributeError,
``as_of=datetime`` with a TypeError from comparing dates, ``to_ics(as_of="2025-01-01")`` with an
AttributeError, ``alarm_days="14"`` silently meant the days 1 and 4, ``alarm_days=[-1]`` was
accepted, and huge values overflowed.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import edi_workbook as ew
from edi_workbook.plan import Plan

PLAN = Plan.from_records(
    [{"Action ID": "A1", "Action": "Publish the pay gap report", "Owner": "Jo", "Due date": "31/03/2027"}]
)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: ew.validate(None), TypeError, "validate() needs a Plan, not None"),
        (lambda: ew.validate(pd.DataFrame({"Action": ["x"]})), TypeError, "Plan.from_records(frame.to_dict"),
        (lambda: ew.validate("plan.xlsx"), TypeError, "read_plan(path)"),
        (lambda: ew.rag(None), TypeError, "rag() needs a Plan"),
        (lambda: ew.rag(PLAN, settings={"AmberDays": 30}), TypeError, "Settings"),
        (lambda: ew.coverage([]), TypeError, "coverage() needs a Plan"),
        (lambda: ew.to_ics(pd.DataFrame()), TypeError, "to_ics() needs a Plan"),
        (lambda: ew.validate(PLAN, as_of="2025-01-01"), TypeError, "datetime.date.fromisoformat"),
        (lambda: ew.rag(PLAN, as_of=20250101), TypeError, "as_of must be a datetime.date"),
        (lambda: ew.to_ics(PLAN, as_of="2025-01-01"), TypeError, "as_of must be a datetime.date"),
        (lambda: ew.to_ics(PLAN, alarm_days="14"), TypeError, "not the text '14'"),
        (lambda: ew.to_ics(PLAN, alarm_days=14), TypeError, "list of whole days"),
        (lambda: ew.to_ics(PLAN, alarm_days=[1.5]), TypeError, "whole numbers of days"),
        (lambda: ew.to_ics(PLAN, alarm_days=[-1]), ValueError, "-1 is not a number of days from 0 to 366"),
        (lambda: ew.to_ics(PLAN, alarm_days=[10**12]), ValueError, "from 0 to 366"),
        (lambda: ew.to_ics(PLAN, previous="old.ics"), TypeError, "bytes of the last export"),
        (lambda: ew.to_ics(PLAN, dtstamp=dt.date(2025, 1, 1)), TypeError, "dtstamp must be a datetime"),
        (lambda: ew.to_outlook_csv(PLAN, alarm_days="7"), TypeError, "not the text '7'"),
        (lambda: ew.national_deadlines("2025-01-01"), TypeError, "as_of must be a datetime.date"),
        (lambda: ew.validate(PLAN, as_of=dt.date(9999, 12, 31)), ValueError, "outside the years"),
        (lambda: ew.national_deadlines(dt.date(9999, 1, 1)), ValueError, "(1900 to 2199)"),
        (lambda: ew.read_plan(None), TypeError, "read_plan() needs a file path"),
        (lambda: ew.write_back("plan.xlsx", "A1"), TypeError, "list of CellMark"),
        (lambda: ew.write_back(None, []), TypeError, "write_back() needs a workbook path"),
    ],
)
def test_misuse_says_what_to_pass(call, error: type[Exception], words: str) -> None:
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)
    assert type(info.value) is error


def test_a_datetime_as_of_is_taken_as_its_day() -> None:
    """``as_of=datetime`` (or a pandas Timestamp) means that day, in every function."""
    when = dt.datetime(2027, 3, 1, 17, 30)
    assert ew.validate(PLAN, as_of=when).as_of == dt.date(2027, 3, 1)
    assert ew.rag(PLAN, as_of=pd.Timestamp(when)).as_of == dt.date(2027, 3, 1)
    assert ew.rag(PLAN, as_of=when).frame["days_to_due"].iat[0] == 30
    assert b"BEGIN:VEVENT" in ew.to_ics(PLAN, as_of=when)


def test_empty_reminder_days_mean_no_reminders() -> None:
    assert b"VALARM" not in ew.to_ics(PLAN, as_of=dt.date(2027, 1, 1), alarm_days=[])


@pytest.mark.parametrize("command", ["validate", "calendar", "report", "batch", "deadlines"])
def test_an_as_of_date_in_the_year_9999_is_a_usage_error(tmp_path, capsys, command) -> None:
    """From a hostile-input trial: ``--as-of 9999-12-31`` overflowed a year (exit 3, internal error)."""
    from edi_workbook.cli import main
    from tests.paths import ROOT

    example = str(ROOT / "workbook_templates" / "example_action_plan.xlsx")
    args = {
        "validate": ["validate", example],
        "calendar": ["calendar", example, "-o", str(tmp_path / "c.ics")],
        "report": ["report", example, "-o", str(tmp_path / "r.html"), "-q"],
        "batch": ["batch", example, "-o", str(tmp_path / "b.json"), "-q"],
        "deadlines": ["deadlines"],
    }[command]
    assert main([*args, "--as-of", "9999-12-31"]) == 2
    assert "outside the years a plan can be judged in (1900 to 2199)" in capsys.readouterr().err
