"""Shared helpers of the batch and report tests: a folder of real plans in several layouts.

No tests here; the folder is built with the benchmark generator (our template, titled foreign
sheets, plain Excel tables, CSV exports) plus the files a real inbox holds: a corrupt workbook, a
text file named ``.xlsx``, an Excel lock file and one of our own ``.validated.xlsx`` outputs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from benchmarks.generate import generate
from edi_workbook.plan import Plan, PlanDetails

AS_OF = dt.date(2025, 3, 31)


def make_inbox(folder: Path, files: int = 5, actions: int = 12) -> dict[str, list[Path]]:
    """Plans and junk in ``folder`` (with a sub-folder); returns what should be read and skipped."""
    plans = generate(folder / "plans", files, actions, seed=7)
    sub = folder / "plans" / "north"
    sub.mkdir()
    extra = generate(sub, 1, actions, seed=8, layouts=("csv",))
    bad = folder / "plans" / "corrupt.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    text = folder / "plans" / "notes.xlsx"
    text.write_text("Action,Owner\nnot a workbook\n", encoding="utf-8")
    skipped = [folder / "plans" / "~$plan_00001_template.xlsx", folder / "plans" / "old.validated.xlsx"]
    for s in skipped:
        s.write_bytes(plans[0].read_bytes())
    (folder / "plans" / "readme.txt").write_text("not a plan", encoding="utf-8")
    return {"plans": [*plans, *extra], "unreadable": [bad, text], "skipped": skipped}


def tricky_plan() -> Plan:
    """A small plan whose texts try to become formulas or HTML, with an overdue and a complete action."""
    return Plan.from_records(
        [
            {
                "Action ID": "T1",
                "Action": '=HYPERLINK("http://example.invalid","click") <script>alert(\'x\')</script>',
                "Success measure": "90% of staff trained by 31/03/2025",
                "HIA": "HIA 2",
                "PSED aim": "b",
                "Owner": "@Director & <Deputy>",
                "Start date": "01/04/2024",
                "Due date": "31/01/2025",
                "Status": "In progress",
                "% complete": "40%",
                "Evidence / notes": "+44 20 7946 0000",
            },
            {
                "Action ID": "T2",
                "Action": "Publish the ethnicity pay gap report with three targets by March 2025",
                "Success measure": "-5% pay gap by 2026",
                "HIA": "HIA 3",
                "PSED aim": "a",
                "Owner": "Director of People",
                "Start date": "01/04/2024",
                "Due date": "30/04/2025",
                "Status": "Complete",
                "% complete": "100%",
                "Completed date": "01/03/2025",
            },
        ],
        details=PlanDetails(organisation="St Mary's <Hospital> & Co"),
    )
