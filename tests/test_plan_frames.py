"""The plan's frames: parsed in bulk (once per distinct value) with the same answers as value by value."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from edi_workbook import values
from edi_workbook.plan import KEYS, Plan, parse_frame


def test_equal_values_of_different_types_are_parsed_apart():
    raw = pd.DataFrame(
        {"hia": [1, 1.0, True, "1", 1], "pct_complete": [1, True, 0.5, "50%", 1]}, dtype=object
    )
    frame = parse_frame(raw)
    assert frame["hia"].tolist() == [values.parse_hias(v) for v in raw["hia"]]
    assert frame["hia"].tolist() == [(1,), (1,), None, (1,), (1,)]
    assert frame["pct_complete"].fillna(-1).tolist() == [1.0, -1, 0.5, 0.5, 1.0]  # True is not a %


def test_column_types_and_blanks():
    raw = pd.DataFrame(
        {
            "due_date": ["31/03/2026", None, dt.datetime(2025, 1, 2, 9, 30), "TBC"],
            "action": [" a ", 3.0, None, ""],
        },
        dtype=object,
    )
    frame = parse_frame(raw)
    assert list(frame.columns) == list(KEYS)
    assert (frame["due_date"].dtype, frame["action"].dtype, frame["days_to_due"].dtype) == (
        np.dtype("datetime64[ns]"),
        np.dtype(object),
        np.dtype("float64"),
    )
    assert frame["due_date"].tolist()[0] == pd.Timestamp(2026, 3, 31)
    assert frame["due_date"].isna().tolist() == [False, True, False, True]
    assert frame["action"].tolist() == ["a", "3", None, None]
    assert frame["hia"].tolist() == [None] * 4


def test_tuples_stay_one_value_per_row():
    plan = Plan.from_records([{"HIA": "HIA 1"}, {"HIA": "HIA 2"}, {"HIA": "1, 3"}])
    assert plan.frame["hia"].tolist() == [(1,), (2,), (1, 3)]
    assert plan.frame["hia"].dtype == np.dtype(object)


def test_from_raw_keeps_the_callers_frame_apart():
    """Also on pandas 2 (xlwings Lite), which does not copy on write (``make test-pandas2``)."""
    raw = pd.DataFrame({"action_id": ["A1"], "action": ["Train"]})
    plan = Plan.from_raw(raw)
    assert list(raw.columns) == ["action_id", "action"]
    full = pd.DataFrame({k: ["x"] for k in KEYS}, dtype=object)
    plan = Plan.from_raw(full)
    full.loc[0, "action"] = "changed"
    assert plan.raw.loc[0, "action"] == "x"


def _frames(plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The plan's three frames, built now (they are built on first use)."""
    return plan.frame, plan.raw, plan.cells


def _made_by_the_constructor(monkeypatch, make):
    """The frames of ``make()``'s plan when they are built by the DataFrame constructor and inserts."""
    from edi_workbook.plan import frames as plan_module

    monkeypatch.setattr(plan_module, "_from_blocks", lambda: None)
    try:
        return _frames(make())
    finally:
        monkeypatch.undo()


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert (a.columns.dtype, type(a.index), list(a.dtypes)) == (
        b.columns.dtype,
        type(b.index),
        list(b.dtypes),
    )
    assert [[type(v) for v in r] for r in a.itertuples()] == [[type(v) for v in r] for r in b.itertuples()]


PANDAS_3 = int(pd.__version__.split(".")[0]) >= 3


def _the_constructor_builds_every_frame() -> None:
    """pandas 2 (as in xlwings Lite, ``make test-pandas2``) has no block API: what the block tests
    check there is that the constructor path is the one taken."""
    from edi_workbook.plan import frames as plan_module

    plan_module._from_blocks.cache_clear()
    assert plan_module._from_blocks() is None
    frame = Plan.from_records([{"Action ID": "A1", "Due date": "31/03/2026", "% complete": "50%"}]).frame
    assert frame._mgr.nblocks > 3


def test_frames_laid_down_as_blocks_equal_the_constructors(monkeypatch):
    """pandas 3 builds the plan's frames from their blocks (plan._from_blocks); pandas 2 (and this
    test's second run) through the constructor: the frames must be the same."""
    if not PANDAS_3:
        _the_constructor_builds_every_frame()
        return
    from edi_workbook.read import read_plan
    from tests.paths import ROOT

    sources = [
        lambda: Plan.from_records(
            [
                {
                    "Action ID": "A1",
                    "Due date": "31/03/2026",
                    "HIA": "HIA 2",
                    "% complete": "50%",
                    "Status": "Done",
                },
                {"Action ID": "A2", "Start date": dt.date(2025, 1, 2), "Days to due": 3, "PSED aim": "a; b"},
            ]
        ),
        lambda: read_plan(ROOT / "workbook_templates" / "example_action_plan.xlsx"),
        lambda: Plan.from_records([]),
    ]
    for make in sources:
        fast, slow = _frames(make()), _made_by_the_constructor(monkeypatch, make)
        for a, b in zip(fast, slow, strict=True):
            _same_frame(a, b)
        if len(fast[0]):
            assert fast[0]._mgr.nblocks == 3  # the blocks path was taken (the constructor's has more)
            assert slow[0]._mgr.nblocks > 3


def test_object_frame_takes_any_index_the_constructor_takes():
    from edi_workbook.plan import object_frame

    assert object_frame({"owner": ["HR", None]}, 2, index=[5, 6]).index.tolist() == [5, 6]
    assert object_frame({"owner": ["HR", None]}, 2, index=pd.Index([7, 8])).index.tolist() == [7, 8]
    with pytest.raises(ValueError, match="indices imply"):
        object_frame({"owner": ["HR", None]}, 2, index=pd.Index([1, 2, 3]))


def test_plans_do_not_share_a_column_index():
    """The canonical column index is made once and copied: naming one plan's columns names no other's."""
    a, b = Plan.from_records([{"Action ID": "A1"}]), Plan.from_records([{"Action ID": "A2"}])
    a.frame.columns.name = "fields"
    assert (b.frame.columns.name, a.raw.columns.name, a.cells.columns.name) == (None, None, None)


@pytest.mark.parametrize("broken", ["raises", "wrong types", "loses a tuple"])
def test_a_changed_pandas_block_api_falls_back_to_the_constructor(monkeypatch, broken):
    """``create_dataframe_from_blocks`` is low-level: a release that changes it must give the
    constructor's frames (checked once per process), never a wrong frame or a "damaged file"."""
    if not PANDAS_3:
        _the_constructor_builds_every_frame()
        return
    import pandas.api.internals as internals

    from edi_workbook.plan import frames as plan_module
    from edi_workbook.read import read_plan
    from tests.paths import ROOT

    real = internals.create_dataframe_from_blocks

    def changed(blocks, index, columns):
        if broken == "raises":
            raise TypeError("an argument changed")
        frame = real(blocks, index=index, columns=columns)
        if broken == "wrong types":
            return frame.astype(object)
        frame = frame.copy()
        frame.iat[0, 1] = "(1, 2)"
        return frame

    example = ROOT / "workbook_templates" / "example_action_plan.xlsx"
    expected = read_plan(example)
    monkeypatch.setattr(internals, "create_dataframe_from_blocks", changed)
    plan_module._from_blocks.cache_clear()
    try:
        assert plan_module._from_blocks() is None
        got = read_plan(example)
        got_frames = (got.frame, got.raw)
    finally:
        monkeypatch.undo()
        plan_module._from_blocks.cache_clear()
    assert plan_module._from_blocks() is real
    for a, b in zip(got_frames, (expected.frame, expected.raw), strict=True):
        _same_frame(a, b)
