"""The calendar tests' sample plan: every status, a bank holiday, a weekend, hostile text, no owner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edi_workbook.plan import Plan, PlanDetails

AS_OF = dt.date(2025, 1, 15)
STAMP = dt.datetime(2025, 1, 15, 8, 30, tzinfo=dt.UTC)
ORG = "Example NHS Trust"

RECORDS: list[dict[str, Any]] = [
    {
        "Action ID": "A1",
        "Action": "Publish the gender pay gap report, with actions; sign-off by the board",
        "Success measure": "Report published on the website",
        "HIA": "HIA 3",
        "PSED aim": "b",
        "Owner": "Jo Bloggs",
        "Start date": "01/01/2025",
        "Due date": "31/03/2025",  # Monday; 1 day before is a Sunday -> Friday 28 March
        "Status": "In progress",
        "% complete": "40%",
    },
    {
        "Action ID": "A2",
        "Action": "Every board member has a SMART EDI objective",
        "HIA": "HIA 1",
        "Owner": "Sam Smith",
        "Due date": "03/02/2025",
        "Status": "Complete",
    },
    {
        "Action ID": "A3",
        "Action": "Talent management plan for under-represented staff",
        "HIA": "HIA 2",
        "PSED aim": "a; c",
        "Owner": "Jo Bloggs",
        "Due date": "06/05/2025",  # 1 day before is the Early May bank holiday -> Friday 2 May
        "Status": "Not started",
    },
    {
        "Action ID": "A4",
        "Action": "=HYPERLINK(\"http://x\"), then;\nEND:VEVENT\nX-INJECTED:1 😀",
        "Owner": "@ Dr Zoë O'Neill",
        "Due date": "2025-06-30",
        "Status": "On hold",
        "HIA": "HIA 6",
    },
    {"Action ID": "A5", "Action": "Cancelled work", "Owner": "Sam Smith", "Due date": "2025-04-01",
     "Status": "Cancelled"},
    {"Action ID": "A6", "Action": "No due date yet", "Owner": "Sam Smith", "Status": "Not started"},
    {"Action ID": "A7", "Action": "Overdue action", "Owner": "Sam Smith", "Due date": "2025-01-10",
     "Status": "In progress", "HIA": "HIA 4"},
    {"Action ID": "A8", "Action": "Due soon", "Due date": "2025-01-20", "Status": "In progress"},
]  # fmt: skip


def sample_plan(records: list[dict[str, Any]] | None = None, org: str = ORG) -> Plan:
    """The test plan: every status, a bank holiday, a weekend, hostile text, no owner, overdue."""
    return Plan.from_records(
        RECORDS if records is None else records,
        details=PlanDetails(
            organisation=org, plan_owner="Chief People Officer", review_date=dt.date(2025, 9, 30)
        ),
    )
