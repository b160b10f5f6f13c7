"""A plan of some of its actions (``Plan.take``), and a frame given rows it does not have."""

from __future__ import annotations

import datetime as dt

import pytest

from edi_workbook import rag, read_plan, validate
from edi_workbook.calendar import to_ics
from edi_workbook.template.carry_over import carry_over
from tests.paths import ROOT

EXAMPLE = ROOT / "workbook_templates" / "example_action_plan.xlsx"
AS_OF = dt.date(2026, 11, 29)


def test_a_plan_of_some_actions_keeps_their_cells_and_works_everywhere(tmp_path):
    plan = read_plan(EXAMPLE)
    hia3 = [i for i, h in enumerate(plan.column("hia")) if h and 3 in h]
    assert 2 <= len(hia3) < len(plan)
    some = plan.take(hia3)
    assert len(some) == len(hia3)
    assert [some.action_id(k) for k in range(len(some))] == [plan.action_id(i) for i in hia3]
    assert [some.cell(k, "due_date") for k in range(len(some))] == [plan.cell(i, "due_date") for i in hia3]
    whole = {
        f.action_id: f
        for f in validate(plan, as_of=AS_OF).findings
        if f.action_id in set(some.column("action_id"))
    }
    part = {f.action_id: f for f in validate(some, as_of=AS_OF).findings if f.action_id}
    assert part.keys() == whole.keys()  # per-action findings are the same actions', at the same cells
    assert all(part[k].cell == whole[k].cell for k in part)
    assert rag(some, as_of=AS_OF).frame["rag"].tolist() == [
        rag(plan, as_of=AS_OF).frame["rag"][i] for i in hia3
    ]
    assert to_ics(some).count(b"BEGIN:VEVENT") < to_ics(plan).count(b"BEGIN:VEVENT")
    result = carry_over(some, tmp_path / "next.xlsx")
    assert result.carried + result.completed == len(some)


def test_a_scripts_changed_frame_keeps_its_changes_in_the_plan_taken():
    plan = read_plan(EXAMPLE)
    plan.frame.loc[3, "status"] = "Complete"
    some = plan.take([3, 4])
    assert some.column("status")[0] == "Complete"
    assert list(some.frame.index) == [0, 1]


def test_a_frame_given_other_rows_is_refused_with_what_to_do():
    plan = read_plan(EXAMPLE)
    with pytest.raises(ValueError, match=r"plan.frame was given 5 rows for a plan of 34 actions.*plan.take"):
        plan.frame = plan.frame.iloc[:5]
    with pytest.raises(IndexError, match="no action at row position 34"):
        plan.take([0, 34])
