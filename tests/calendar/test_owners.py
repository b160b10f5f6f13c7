"""Per-owner calendars stay put across exports and never take over another file (issues 13 and 17).

People subscribe to an owner's file, so an unchanged plan exported again must give the same
files, the same calendar names and the same events: no ``-2`` files, no cancellations. Checked
here with independent readers (icalendar and vobject) and on a real CalDAV server (Radicale).
"""

from __future__ import annotations

import datetime as dt
import os
import urllib.parse
from pathlib import Path

import icalendar
import pytest

from edi_workbook import calendar
from edi_workbook.calendar import ics as reminders
from edi_workbook.plan import Plan, PlanDetails
from tests.caldav_server import CalDAV, radicale_server, resources

__all__ = ["radicale_server"]  # the fixture, imported so pytest finds it here

AS_OF = dt.date(2026, 11, 22)
STAMP = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
OWNERS = [
    "Dr Amara Osei, EDI Lead",  # the example's plan owner: a comma
    "Jo; Bloggs",
    'Sam "the" Smith',
    "Zoë Ø'Neill",
    "Łukasz Żółć",
    "Jo Bloggs",
]


def _plan(
    owners: list[str], org: str = "Northvale Training Hub, North; East", status: str = "In progress"
) -> Plan:
    records = [
        {"Action ID": f"A{i}", "Action": f"Action number {i}", "Owner": owner, "Due date": "2027-03-31",
         "Status": status, "HIA": "HIA 2"}
        for i, owner in enumerate(owners, 1)
    ]  # fmt: skip
    details = PlanDetails(organisation=org, plan_owner=owners[0], review_date=dt.date(2027, 1, 31))
    return Plan.from_records(records, details=details)


def _export(plan: Plan, folder: Path) -> list[Path]:
    return calendar.by_owner(plan, folder, as_of=AS_OF, dtstamp=STAMP)


def _state(folder: Path) -> dict[str, tuple[bytes, set[str], set[int]]]:
    """Per file: the raw X-WR-CALNAME line, the events' statuses and SEQUENCEs."""
    out = {}
    for p in sorted(folder.glob("*.ics")):
        data = p.read_bytes()
        unfolded = data.replace(b"\r\n ", b"")
        name = next(line for line in unfolded.split(b"\r\n") if line.startswith(b"X-WR-CALNAME"))
        events = icalendar.Calendar.from_ical(data).walk("VEVENT")
        out[p.name] = (name, {str(e["status"]) for e in events}, {int(e["sequence"]) for e in events})
    return out


def _calendar_name(path: Path) -> str:
    """X-WR-CALNAME as an independent reader (vobject) unescapes it."""
    import vobject

    cal = vobject.readOne(path.read_text(encoding="utf-8"))
    raw = cal.contents["x-wr-calname"][0].value
    return raw.replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def test_three_exports_of_an_unchanged_plan_keep_every_file_and_event(tmp_path: Path) -> None:
    """Issue 17 item 1: an owner with a comma got -2, then -3 files, a cancelled event in the file
    people subscribed to, and a calendar name gaining backslashes on each export."""
    plan = _plan(OWNERS)
    first = _export(plan, tmp_path)
    state = _state(tmp_path)
    for _ in range(2):
        assert _export(plan, tmp_path) == first
        assert _state(tmp_path) == state
    names = {p.name for p in tmp_path.iterdir()}
    assert len(names) == len(OWNERS)
    assert all(statuses == {"CONFIRMED"} and seqs == {0} for _, statuses, seqs in state.values())
    amara = tmp_path / "dr-amara-osei-edi-lead.ics"
    assert (
        _calendar_name(amara)
        == "EDI action plan – Northvale Training Hub, North; East – Dr Amara Osei, EDI Lead"
    )
    assert b"\\\\" not in amara.read_bytes()


def test_a_changed_plan_updates_files_in_place(tmp_path: Path) -> None:
    """Issue 17 item 1: a changed export rewrites the same files, raising SEQUENCE, no new files."""
    _export(_plan(OWNERS), tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    _export(_plan(OWNERS, status="On hold"), tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == names
    for p in tmp_path.glob("*.ics"):
        events = icalendar.Calendar.from_ical(p.read_bytes()).walk("VEVENT")
        assert {str(e["status"]) for e in events} == {"CONFIRMED"}
        due = [int(e["sequence"]) for e in events if str(e["summary"]).startswith("A")]
        assert due, p.name
        assert set(due) == {1}, p.name  # the review date did not change: it keeps 0


def test_another_plan_whose_name_starts_with_this_ones_is_left_alone(tmp_path: Path) -> None:
    """Item 8: files of another plan whose calendar name started with this plan's name were taken
    for this plan's and cancelled (``startswith``); matching is now exact."""
    _export(_plan(["Jo Bloggs"], org="Northvale – North"), tmp_path)
    theirs = {p.name: p.read_bytes() for p in tmp_path.glob("*.ics")}
    _export(_plan(["Sam Smith"], org="Northvale"), tmp_path)
    assert {name: (tmp_path / name).read_bytes() for name in theirs} == theirs


def test_an_owner_called_no_owner_and_actions_without_one_keep_their_own_files(tmp_path: Path) -> None:
    """Item 9: an owner literally called "no owner" collided with actions without an owner; the
    second export cancelled every event of that owner."""
    plan = _plan(["no owner", "", "Jo Bloggs"])
    _export(plan, tmp_path)
    state = _state(tmp_path)
    _export(plan, tmp_path)
    assert _state(tmp_path) == state
    assert all(statuses == {"CONFIRMED"} for _, statuses, _ in state.values())
    assert {"no-owner.ics", "no-owner-2.ics"} <= set(state)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX pipes")
def test_a_pipe_named_ics_in_the_folder_is_not_read(tmp_path: Path) -> None:
    """Item 17: a pipe named ``*.ics`` in a --by-owner folder hung the export."""
    import subprocess
    import sys

    os.mkfifo(tmp_path / "jo-bloggs.ics")
    code = (
        "import sys, pathlib; from tests.calendar.test_owners import _plan, _export; "
        "print(sorted(p.name for p in _export(_plan(['Jo Bloggs']), pathlib.Path(sys.argv[1]))))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                          timeout=60, check=False, cwd=Path(__file__).parents[2])  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['jo-bloggs-2.ics']"


def test_a_damaged_calendar_of_ours_in_the_folder_is_handled(tmp_path: Path) -> None:
    """Item 21: a damaged .ics with this tool's PRODID in the folder was an internal error (exit 3)
    and nothing was written; now it is rewritten if it is this owner's, else left alone."""
    plan = _plan(["Jo Bloggs", "Sam Smith"])
    _export(plan, tmp_path)
    jo = tmp_path / "jo-bloggs.ics"
    jo.write_bytes(jo.read_bytes()[: len(jo.read_bytes()) // 2] + b"\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n")
    stranger = tmp_path / "stranger.ics"
    stranger.write_bytes(
        f"BEGIN:VCALENDAR\r\nPRODID:{reminders.PRODID}\r\nBEGIN:VEVENT\r\nDTSTART:x\r\n".encode()
    )
    written = _export(plan, tmp_path)
    assert sorted(p.name for p in written) == ["jo-bloggs.ics", "sam-smith.ics"]
    assert {str(e["status"]) for e in icalendar.Calendar.from_ical(jo.read_bytes()).walk("VEVENT")} == {
        "CONFIRMED"
    }
    assert stranger.read_bytes().endswith(b"DTSTART:x\r\n")


def test_the_command_line_reports_a_damaged_calendar_folder_without_an_internal_error(tmp_path: Path) -> None:
    """Item 21, through the command: exit 0 and the files written."""
    from edi_workbook.cli import main
    from tests.paths import ROOT

    owners = tmp_path / "owners"
    owners.mkdir()
    (owners / "x.ics").write_bytes(
        f"BEGIN:VCALENDAR\r\nPRODID:{reminders.PRODID}\r\nX-WR-CALNAME:\\".encode()
    )
    example = ROOT / "workbook_templates" / "example_action_plan.xlsx"
    assert main(["calendar", str(example), "-o", str(tmp_path / "plan.ics"), "--by-owner", str(owners)]) == 0
    assert len(list(owners.glob("*.ics"))) > 2


@pytest.mark.parametrize("days", [list(range(367)), [14, 7, 5, 4, 3, 2, 1, 0, 30, 60, 90]])
def test_reminder_days_are_limited(days: list[int]) -> None:
    """Item 15: ReminderDays / --alarm-days took any number of values (0..366 gave 6,855 events
    for 34 actions); at most 10 are allowed (edi_workbook.limits.MAX_REMINDERS)."""
    with pytest.raises(ValueError, match="at most 10"):
        reminders.to_ics(_plan(["Jo"]), as_of=AS_OF, alarm_days=days)


def test_reminder_days_in_the_workbook_are_limited() -> None:
    """Item 15: a workbook's ReminderDays with 367 values uses its first 10."""
    plan = _plan(["Jo"])
    plan.settings = plan.settings.replace(reminder_days=tuple(range(367)))
    data = reminders.to_ics(plan, as_of=dt.date(2026, 1, 1), dtstamp=STAMP)
    assert data.count(b"BEGIN:VEVENT") <= 1 + 1 + 10  # the due date, the review, at most 10 reminders


def test_the_command_refuses_too_many_reminder_days() -> None:
    """Item 15, through the command: one line, exit 2."""
    from edi_workbook.cli import main
    from tests.paths import ROOT

    example = ROOT / "workbook_templates" / "example_action_plan.xlsx"
    assert main(["calendar", str(example), "--alarm-days", ",".join(map(str, range(367)))]) == 2


def _resources(data: bytes, prefix: str) -> dict[str, bytes]:
    """One calendar object resource per event, named ``prefix-UID.ics`` (RFC 4791 4.1)."""
    return {f"{prefix}-{urllib.parse.quote(uid)}.ics": body for uid, body in resources(data).items()}


def test_team_and_owner_calendars_share_one_caldav_collection(
    radicale_server: CalDAV, tmp_path: Path
) -> None:
    """Issue 17 item 1: owner files reused the whole-plan UIDs, so the team file and an owner file
    clashed in one CalDAV collection (RFC 4791 5.3.2.1: no two resources with one UID)."""
    plan = _plan(OWNERS)
    collection = radicale_server.make_calendar("team-and-owners")
    team = reminders.to_ics(plan, as_of=AS_OF, dtstamp=STAMP)
    statuses = [
        radicale_server.put(collection + name, body) for name, body in _resources(team, "team").items()
    ]
    for path in _export(plan, tmp_path):
        for name, body in _resources(path.read_bytes(), path.stem).items():
            statuses.append(radicale_server.put(collection + name, body))
    assert set(statuses) == {201}


def test_three_owner_exports_round_trip_through_caldav(radicale_server: CalDAV, tmp_path: Path) -> None:
    """Issue 17 item 1 on a real server: three exports of an unchanged plan, each published
    (PUT over the previous resources); the server ends with the same events, none cancelled."""
    plan = _plan(OWNERS)
    collection = radicale_server.make_calendar("owners-round-trip")
    seen = []
    for _ in range(3):
        for path in _export(plan, tmp_path):
            for name, body in _resources(path.read_bytes(), path.stem).items():
                assert radicale_server.put(collection + name, body) in (201, 204)
        events = [
            icalendar.Calendar.from_ical(t).walk("VEVENT")[0] for t in radicale_server.report(collection)
        ]
        seen.append(sorted((str(e["uid"]), str(e["status"]), int(e["sequence"])) for e in events))
    assert seen[0] == seen[1] == seen[2]
    assert {status for _, status, _ in seen[2]} == {"CONFIRMED"}
    assert {seq for _, _, seq in seen[2]} == {0}


def test_one_owner_written_in_different_cases_gets_one_calendar(tmp_path: Path) -> None:
    """From a hostile-input trial: ``Ann``, ``ann`` and ``ANN `` got three calendars (ann, ann-2, ann-3)."""
    plan = Plan.from_records(
        [
            {"Action ID": "A1", "Action": "Train managers", "Owner": "Ann", "Due date": "31/03/2027"},
            {
                "Action ID": "A2",
                "Action": "Publish the WRES report",
                "Owner": "ann",
                "Due date": "30/06/2027",
            },
            {"Action ID": "A3", "Action": "Review the policy", "Owner": "ANN ", "Due date": "30/09/2027"},
            {"Action ID": "A4", "Action": "Run the survey", "Owner": "Bob", "Due date": "31/12/2027"},
        ]
    )
    paths = calendar.by_owner(plan, tmp_path, as_of=AS_OF, dtstamp=STAMP)
    assert sorted(p.name for p in paths) == ["ann.ics", "bob.ics"]
    events = icalendar.Calendar.from_ical((tmp_path / "ann.ics").read_bytes()).walk("VEVENT")
    assert sum(1 for e in events if not str(e["summary"]).startswith("Reminder")) == 3
