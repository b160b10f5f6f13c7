"""Values that validation reports (HIA 7, an unknown aim) never crash the other commands.

Regression: a plan with ``HIA 7`` made ``calendar`` fail with an internal error, and ``batch`` and
``report`` list the file as unreadable (found by the new-user trial).
"""

from __future__ import annotations

import json

from edi_workbook.cli import main
from edi_workbook.reference import load

CSV = (
    "Action ID,Action,Owner,Due date,HIA,PSED aim,Status\n"
    "H-1,Train 80% of managers by March 2027,Jo,31/03/2027,HIA 7,d,In progress\n"
    "H-2,Train 80% of managers by March 2027,Jo,31/03/2027,HIA 2; HIA 9,a,In progress\n"
)


def test_labels_keep_unknown_values():
    ref = load()
    assert (ref.hia_label(7), ref.hia_label(2)) == ("HIA 7", "HIA 2")
    assert (ref.aim_label("d"), ref.aim_label("a")) == ("d", ref.aim("a").label)


def test_calendar_batch_and_report_carry_on(tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text(CSV, encoding="utf-8")
    assert main(["calendar", str(plan), "-o", str(tmp_path / "p.ics"), "--as-of", "2026-11-22"]) == 0
    assert "HIA 7" in (tmp_path / "p.ics").read_text("utf-8")
    assert main(["batch", str(plan), "-o", str(tmp_path / "b.json"), "--as-of", "2026-11-22"]) == 1
    (entry,) = json.loads((tmp_path / "b.json").read_text("utf-8"))["files"]
    assert entry["actions"] == 2
    assert main(["report", str(plan), "-o", str(tmp_path / "r.html"), "--as-of", "2026-11-22"]) == 0
