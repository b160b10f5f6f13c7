"""The RAG engine: reasons, settings precedence, working days, totals and the JSON shape."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

import edi_workbook
from edi_workbook import reference
from edi_workbook.plan import Plan, Settings
from edi_workbook.rag_rating import RESULT_COLUMNS, rag, rag_frame

AS_OF = dt.date(2025, 3, 13)  # a Thursday


def _day(offset: int) -> dt.date:
    return AS_OF + dt.timedelta(days=offset)


CASES = [
    # (status, start, due, pct) -> (rag, reason)
    (("In progress", None, _day(-12), None), ("Red", "overdue by 12 days")),
    (("Not started", None, _day(-1), None), ("Red", "overdue by 1 day")),
    (("In progress", None, _day(0), None), ("Amber", "due today")),
    (("In progress", None, _day(1), None), ("Amber", "due in 1 day")),
    (("In progress", None, _day(9), None), ("Amber", "due in 9 days")),
    (("In progress", None, _day(30), None), ("Amber", "due in 30 days")),
    (("In progress", None, _day(31), None), ("Green", "due in 31 days")),
    (("In progress", _day(-142), _day(58), 0.45), ("Amber", "45% done, 71% of time used")),
    (("In progress", _day(-142), _day(58), 0.6), ("Green", "60% done, 71% of time used")),
    (("In progress", _day(1), _day(90), 0.0), ("Green", "due in 90 days")),
    (("On hold", None, _day(90), None), ("Amber", "on hold")),
    (("On hold", None, _day(-3), None), ("Red", "overdue by 3 days")),
    (("Complete", None, _day(-90), 1.0), ("Blue", "complete")),
    (("Complete", None, None, None), ("Blue", "complete")),
    (("Cancelled", None, _day(-90), None), ("Grey", "cancelled")),
    (("In progress", None, None, 0.5), ("Grey", "no due date")),
    ((None, None, _day(100), None), ("Green", "due in 100 days")),
]


def _plan(rows, **meta) -> Plan:
    return Plan.from_records(
        [
            {"Action ID": f"A{i + 1}", "Status": s, "Start date": st, "Due date": d, "% complete": p}
            for i, (s, st, d, p) in enumerate(rows)
        ],
        **meta,
    )


def test_rag_and_reason_per_case():
    result = rag(_plan([c for c, _ in CASES]), as_of=AS_OF)
    got = list(zip(result.frame["rag"], result.frame["reason"], strict=True))
    assert got == [expected for _, expected in CASES]


def test_days_and_columns():
    result = rag(_plan([c for c, _ in CASES[:3]] + [CASES[15][0]]), as_of=AS_OF)
    assert tuple(result.frame.columns) == RESULT_COLUMNS
    assert result.frame["reported_rag"].tolist() == [None] * 4  # records, no RAG column of their own
    assert result.frame["days_to_due"].tolist()[:3] == [-12, -1, 0]
    assert result.frame["days_to_due"].isna().tolist() == [False, False, False, True]
    assert result.frame["rule"].tolist() == [3, 3, 4, 2]


def test_settings_precedence():
    plan = _plan([("In progress", None, _day(20), None)], settings=Settings(as_of=_day(-20), amber_days=10))
    assert rag(plan).as_of == _day(-20)
    assert rag(plan).frame["rag"].tolist() == ["Green"]  # 40 days away, AmberDays 10
    assert rag(plan, as_of=AS_OF).frame["rag"].tolist() == ["Green"]  # 20 days away, still > 10
    assert rag(plan, as_of=AS_OF, settings=Settings()).frame["rag"].tolist() == ["Amber"]  # default 30
    overridden = rag(plan, settings=plan.settings.replace(amber_days=45))
    assert (overridden.as_of, overridden.settings.amber_days) == (_day(-20), 45)
    assert overridden.frame["rag"].tolist() == ["Amber"]


def test_as_of_defaults_to_today():
    plan = _plan([("In progress", None, dt.date.today() + dt.timedelta(days=400), None)])
    result = rag(plan)
    assert result.as_of == dt.date.today()
    assert result.frame["days_to_due"].tolist() == [400]


def test_working_days_skip_weekends_and_bank_holidays():
    friday = dt.date(2025, 12, 19)
    plan = _plan(
        [
            ("In progress", None, dt.date(2025, 12, 29), None),  # Monday after Christmas
            ("In progress", None, dt.date(2025, 12, 25), None),  # Christmas Day
            ("In progress", None, dt.date(2025, 12, 27), None),  # Saturday
            ("In progress", None, dt.date(2025, 12, 18), None),  # the day before: overdue
        ]
    )
    result = rag(plan, as_of=friday, working_days=True)
    frame = result.frame
    assert frame["days_to_due"].tolist() == [10, 6, 8, -1]
    assert frame["working_days_to_due"].tolist() == [4, 3, 3, -1]
    assert frame["due_on_non_working_day"].tolist() == [False, True, True, False]
    assert frame["reason"].tolist()[0] == "due in 4 working days"
    assert frame["reason"].tolist()[3] == "overdue by 1 working day"


def test_totals_and_json_shape():
    result = rag(_plan([c for c, _ in CASES]), as_of=AS_OF)
    expected = dict.fromkeys(reference.load().rag_names, 0)
    for _, (value, _reason) in CASES:
        expected[value] += 1
    assert result.totals == expected
    data = json.loads(result.to_json())
    assert list(data) == ["as_of", "settings", "actions", "totals"]
    assert data["as_of"] == "2025-03-13"
    assert data["settings"]["amber_days"] == 30
    first = data["actions"][0]
    assert {"action_id", "rag", "reason", "due_date", "status", "days_to_due"} <= set(first)
    assert (first["action_id"], first["due_date"], first["days_to_due"]) == ("A1", "2025-03-01", -12)
    grey = data["actions"][15]
    assert (grey["due_date"], grey["days_to_due"], grey["working_days_to_due"]) == (None, None, None)
    assert result.to_json() == result.to_json()


def test_rag_frame_on_a_bare_frame_keeps_the_index_and_tolerates_missing_columns():
    frame = pd.DataFrame({"due_date": [pd.Timestamp(_day(5)), None]}, index=[10, 20])
    out = rag_frame(frame, AS_OF)
    assert out.index.tolist() == [10, 20]
    assert out["rag"].tolist() == ["Amber", "Grey"]
    assert out["action_id"].tolist() == [None, None]


def test_rag_frame_accepts_object_dates():
    frame = pd.DataFrame({"due_date": [_day(40), "not a date"], "status": ["In progress", None]})
    assert rag_frame(frame, AS_OF)["rag"].tolist() == ["Green", "Grey"]


def test_empty_plan():
    result = rag(_plan([]), as_of=AS_OF)
    assert len(result.frame) == 0
    assert sum(result.totals.values()) == 0
    assert json.loads(result.to_json())["actions"] == []


def test_package_level_call_matches_the_module_function():
    """``edi_workbook.rag(plan)`` works as the issue names it, and so does ``rag.rag(plan)``."""
    from edi_workbook import rag_rating as rag_module

    plan = _plan([c for c, _ in CASES[:4]])
    expected = rag(plan, as_of=AS_OF).frame["rag"].tolist()
    assert edi_workbook.rag(plan, as_of=AS_OF).frame["rag"].tolist() == expected
    assert rag_module.rag(plan, as_of=AS_OF).frame["rag"].tolist() == expected


@pytest.mark.parametrize(("amber", "expected"), [(4, "Green"), (5, "Amber"), (6, "Amber")])
def test_amber_days_boundary(amber, expected):
    plan = _plan([("In progress", None, _day(5), None)])
    assert rag(plan, as_of=AS_OF, settings=Settings(amber_days=amber)).frame["rag"].iat[0] == expected


def _frame_as_lists(result):
    frame = result.frame

    def plain(v):
        return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v

    keys = ("rag", "reported_rag", "days_to_due", "reason")
    return {k: [plain(v) for v in frame[k].tolist()] for k in keys}


def fixture_plans() -> list[Plan]:
    """Every readable plan of tests/fixtures/read/ok."""
    from edi_workbook.read import read_plan
    from tests.paths import ROOT

    plans = []
    for path in sorted((ROOT / "tests" / "fixtures" / "read" / "ok").iterdir()):
        try:
            plans.append(read_plan(path))
        except edi_workbook.errors.EdiWorkbookError:
            continue
    assert len(plans) > 5
    return plans


@pytest.mark.parametrize("shift", [-400, -30, 0, 1, 31, 900])
def test_rag_columns_are_the_frame_of_rag_without_the_frame(shift):
    """rag_columns (what batch keeps) holds, value for value and type for type, rag()'s columns:
    every case above in one plan, every readable fixture, on dates either side of their deadlines."""
    from edi_workbook.rag_rating import rag_columns

    records = [
        {"Action ID": f"A{i}", "Status": s, "Start date": st, "Due date": du, "% complete": p, "RAG": "Green"}
        for i, ((s, st, du, p), _) in enumerate(CASES)
    ]
    plans = [Plan.from_records(records), *fixture_plans()]
    when = AS_OF + dt.timedelta(days=shift)
    for plan in plans:
        cols = rag_columns(plan, as_of=when)
        full = rag(plan, as_of=when)
        got = {k: getattr(cols, k) for k in ("rag", "reported_rag", "days_to_due", "reason")}
        assert got == _frame_as_lists(full), plan.name
        assert cols.as_of == full.as_of == when
        for k, values in got.items():
            assert all(v is None or type(v) in (str, int) for v in values), k
