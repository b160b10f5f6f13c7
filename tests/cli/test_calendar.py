"""``edi-workbook calendar``: options, outputs, exit codes."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import icalendar
import pytest

from edi_workbook.cli import main
from edi_workbook.errors import EXIT_OK, EXIT_USAGE
from tests.calendar.support import RECORDS


@pytest.fixture
def plan_csv(tmp_path: Path) -> Path:
    """The sample plan as a CSV file with the template's headers."""
    path = tmp_path / "plan.csv"
    headers = sorted({k for r in RECORDS for k in r})
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=headers)
        writer.writeheader()
        writer.writerows(RECORDS)
    return path


def _events(path: Path) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_writes_ics(plan_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.ics"
    assert main(["calendar", str(plan_csv), "-o", str(out), "--as-of", "2025-01-15"]) == EXIT_OK
    events = _events(out)
    assert {str(e["x-edi-workbook-kind"]) for e in events} == {"due", "reminder"}
    assert f"({len(events)} events)" in capsys.readouterr().out
    assert not list(tmp_path.glob(".out.ics.*"))  # no temporary file left behind


def test_options_reach_the_library(plan_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ics"
    args = ["calendar", str(plan_csv), "-o", str(out), "--as-of", "2025-01-15"]
    assert main([*args, "--single-alarm", "--national", "--starts", "--include-complete"]) == EXIT_OK
    kinds = [str(e["x-edi-workbook-kind"]) for e in _events(out)]
    assert "reminder" not in kinds
    assert {"national", "start", "due"} <= set(kinds)
    assert any(str(e["summary"]).startswith("Done A2") for e in _events(out))
    assert main([*args, "--alarm-days", "7"]) == EXIT_OK
    a1 = next(e for e in _events(out) if str(e["summary"]).startswith("A1:"))
    assert a1.walk("VALARM")[0].decoded("trigger") == -dt.timedelta(
        hours=7 * 24 - 9 - 1
    )  # BST starts between


def test_previous_gives_cancellations(plan_csv: Path, tmp_path: Path) -> None:
    old, new = tmp_path / "old.ics", tmp_path / "new.ics"
    assert main(["calendar", str(plan_csv), "-o", str(old), "--as-of", "2025-01-15"]) == EXIT_OK
    text = plan_csv.read_text(encoding="utf-8").replace("In progress", "Complete", 1)
    plan_csv.write_text(text, encoding="utf-8")
    args = ["calendar", str(plan_csv), "-o", str(new), "--as-of", "2025-01-15", "--previous", str(old)]
    assert main(args) == EXIT_OK
    cancelled = [e for e in _events(new) if str(e["status"]) == "CANCELLED"]
    assert cancelled
    assert all("A1" in str(e["summary"]) for e in cancelled)


def test_outlook_csv_and_by_owner(plan_csv: Path, tmp_path: Path) -> None:
    out, owners = tmp_path / "out.csv", tmp_path / "owners"
    args = ["calendar", str(plan_csv), "-o", str(out), "--format", "outlook-csv", "--by-owner", str(owners)]
    assert main([*args, "--as-of", "2025-01-15"]) == EXIT_OK
    assert out.read_bytes().startswith(b'\xef\xbb\xbf"Subject"')
    assert sorted(p.name for p in owners.iterdir()) == [
        "dr-zoe-o-neill.csv", "jo-bloggs.csv", "no-owner.csv", "sam-smith.csv",
    ]  # fmt: skip


def test_default_output_beside_the_plan(plan_csv: Path) -> None:
    assert main(["calendar", str(plan_csv), "--as-of", "2025-01-15"]) == EXIT_OK
    assert plan_csv.with_suffix(".ics").exists()


@pytest.mark.parametrize(
    "extra",
    [
        ["--alarm-days", "x,1"],
        ["--alarm-days", "-3"],
        ["--as-of", "31/12/2025"],
        ["--format", "pdf"],
        ["--previous", "/nonexistent/old.ics"],
    ],
)
def test_usage_errors_exit_2(plan_csv: Path, tmp_path: Path, extra: list[str]) -> None:
    assert main(["calendar", str(plan_csv), "-o", str(tmp_path / "x.ics"), *extra]) == EXIT_USAGE
    assert not (tmp_path / "x.ics").exists()


def test_unreadable_plan_and_bad_previous_exit_2(plan_csv: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["calendar", str(tmp_path / "missing.xlsx"), "-o", str(tmp_path / "x.ics")]) == 2
    bad = tmp_path / "bad.ics"
    bad.write_bytes(b"\x00garbage")
    assert main(["calendar", str(plan_csv), "-o", str(tmp_path / "x.ics"), "--previous", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2
    assert "Traceback" not in err


def test_refuses_to_overwrite_the_plan(plan_csv: Path) -> None:
    before = plan_csv.read_bytes()
    assert main(["calendar", str(plan_csv), "-o", str(plan_csv)]) == EXIT_USAGE
    assert plan_csv.read_bytes() == before


def test_a_folder_given_as_the_plan_gets_the_same_sentence_as_validate(tmp_path, capsys):
    """A new user saw click's "Invalid value for 'PATH'" here and "this is a folder" from validate."""
    from edi_workbook.cli import main

    folder = tmp_path / "plans"
    folder.mkdir()
    assert main(["calendar", str(folder)]) == 2
    assert capsys.readouterr().err.strip() == "edi-workbook: plans: this is a folder, not a file"
