"""Hostile text round-trips through .ics (two parsers) and Outlook CSV (property-based)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import icalendar
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi_workbook.calendar import ics as reminders
from edi_workbook.calendar.items import clean_text
from edi_workbook.calendar.outlook_csv import COLUMNS, neutralise
from edi_workbook.plan import Plan, PlanDetails
from tests.calendar.support import AS_OF, STAMP, sample_plan

# Text people paste into plans, plus what breaks calendars and spreadsheets.
HOSTILE = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from([",", ";", ":", "\\", "\n", "\r", "=", "+", "-", "@", '"', "😀", "\u2028", "é"]),
    ),
    max_size=120,
)
PREFIXES = st.sampled_from(["", "=", "+", "-", "@", "\nEND:VEVENT\nBEGIN:VEVENT\nUID:x\n", "X-INJECTED:1\n"])


IDS = st.sampled_from(["H1", "=1+1", "-5", "@A", "+x", "", "A,1;\nB"])


def _plan(action: str, owner: str, org: str, aid: str = "H1") -> Plan:
    rec = {"Action ID": aid, "Action": action, "Owner": owner, "Due date": "2025-03-31", "HIA": "HIA 2"}
    return Plan.from_records([rec], details=PlanDetails(organisation=org))


def _field(description: str, label: str, following: str) -> str:
    body = description.split(f"{label}: ", 1)[1]
    return body.split(f"\n{following}: ", 1)[0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=PREFIXES, action=HOSTILE, owner=HOSTILE, org=HOSTILE)
def test_hostile_text_round_trips_through_both_parsers(
    prefix: str, action: str, owner: str, org: str
) -> None:
    plan = _plan(prefix + action, owner, org)
    data = reminders.to_ics(plan, as_of=AS_OF, dtstamp=STAMP, include_review=False)
    want_action = clean_text(plan.frame["action"].iat[0]) or "-"
    want_owner = clean_text(plan.frame["owner"].iat[0]) or "-"
    ours = icalendar.Calendar.from_ical(data).walk("VEVENT")
    theirs = vobject.readOne(data.decode("utf-8")).vevent_list
    assert len(ours) == len(theirs) == 2  # due event + one further reminder: nothing injected
    for desc in [str(e["description"]) for e in ours] + [e.description.value for e in theirs]:
        assert _field(desc, "Action", "Success measure") == want_action
        assert _field(desc, "Owner", "Due") == want_owner
    cal = vobject.readOne(data.decode("utf-8"))
    assert cal.x_wr_calname.value == "EDI action plan – " + (clean_text(org) or "plan")
    assert {e.uid.value for e in theirs} == {str(e["uid"]) for e in ours}


@settings(max_examples=100, deadline=None)
@given(prefix=PREFIXES, action=HOSTILE, owner=HOSTILE, aid=IDS)
def test_hostile_text_in_csv_is_never_a_formula(prefix: str, action: str, owner: str, aid: str) -> None:
    plan = _plan(prefix + action, owner, "Trust", aid)
    rows = list(csv.reader(io.StringIO(reminders.to_outlook_csv(plan, as_of=AS_OF).lstrip("\ufeff"))))
    assert rows[0] == list(COLUMNS)
    for row in rows[1:]:
        assert len(row) == len(COLUMNS)
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
        description = row[COLUMNS.index("Description")]
        assert _field(description, "Action", "Success measure") == (
            clean_text(plan.frame["action"].iat[0]) or "-"
        )


def test_outlook_csv_layout() -> None:
    text = reminders.to_outlook_csv(sample_plan(), as_of=AS_OF)
    assert text.startswith('\ufeff"Subject",')
    raw = text.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    ics_events = icalendar.Calendar.from_ical(reminders.to_ics(sample_plan(), as_of=AS_OF)).walk("VEVENT")
    assert len(rows) == len(ics_events)
    a1 = next(r for r in rows if r["Subject"].startswith("A1:"))
    assert (a1["Start Date"], a1["End Date"], a1["All day event"]) == ("31/03/2025", "01/04/2025", "True")
    assert (a1["Reminder on/off"], a1["Reminder Date"], a1["Reminder Time"]) == (
        "True",
        "17/03/2025",
        "09:00:00",
    )
    a7 = next(r for r in rows if r["Subject"].startswith("A7:"))
    assert (a7["Reminder on/off"], a7["Reminder Date"]) == ("False", "")
    for r in rows:
        dt.datetime.strptime(r["Start Date"], "%d/%m/%Y")
        assert not r["Description"].startswith(("=", "+", "-", "@"))


def test_neutralise() -> None:
    assert [neutralise(s) for s in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "ok", "")] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "ok", "",
    ]  # fmt: skip
