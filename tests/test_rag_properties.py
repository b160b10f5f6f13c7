"""Invariants of the Python RAG rule, checked by hypothesis over generated actions."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_workbook import reference
from edi_workbook.plan import Settings
from edi_workbook.rag_rating import rag_frame

REF = reference.load()
BASE = dt.date(2025, 1, 1)

dates = st.one_of(st.none(), st.integers(-800, 800).map(lambda d: BASE + dt.timedelta(days=d)))
actions = st.lists(
    st.tuples(
        st.one_of(st.none(), st.sampled_from(REF.status_names)),
        dates,
        dates,
        st.one_of(st.none(), st.floats(0, 1, allow_nan=False)),
    ),
    min_size=1,
    max_size=40,
)
rule_settings = st.builds(
    Settings,
    amber_days=st.integers(0, 90),
    progress_tolerance=st.floats(0, 100, allow_nan=False),
)
as_ofs = st.integers(-400, 400).map(lambda d: BASE + dt.timedelta(days=d))


def _frame(rows: list[tuple]) -> pd.DataFrame:
    status, due, start, pct = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "action_id": [f"A{i}" for i in range(len(rows))],
            "status": pd.Series(status, dtype=object),
            "due_date": pd.to_datetime(pd.Series(due, dtype=object)),
            "start_date": pd.to_datetime(pd.Series(start, dtype=object)),
            "pct_complete": pd.Series(pct, dtype="float64"),
        }
    )


@settings(max_examples=150, deadline=None)
@given(actions, as_ofs, rule_settings)
def test_status_rules_and_values(rows, as_of, cfg):
    frame = _frame(rows)
    out = rag_frame(frame, as_of, cfg)
    status = frame["status"]
    assert set(out["rag"]) <= set(REF.rag_names)
    assert (out.loc[status == "Complete", "rag"] == "Blue").all()
    assert (out.loc[status == "Cancelled", "rag"] == "Grey").all()
    no_due = frame["due_date"].isna() & (status != "Complete")
    assert (out.loc[no_due, "rag"] == "Grey").all()
    assert out.loc[no_due, "days_to_due"].isna().all()
    on_hold = (status == "On hold") & frame["due_date"].notna()
    assert out.loc[on_hold, "rag"].isin(["Red", "Amber"]).all()
    assert out["reason"].map(bool).all()


@settings(max_examples=150, deadline=None)
@given(actions, as_ofs, st.integers(1, 500), rule_settings)
def test_moving_as_of_later(rows, as_of, shift, cfg):
    frame = _frame(rows)
    before = rag_frame(frame, as_of, cfg)
    after = rag_frame(frame, as_of + dt.timedelta(days=shift), cfg)
    open_ = ~frame["status"].isin(["Complete", "Cancelled"])
    was_red = open_ & (before["rag"] == "Red")
    assert (after.loc[was_red, "rag"] == "Red").all()
    assert not (was_red & (after["rag"] == "Green")).any()
    has_due = frame["due_date"].notna()
    diff = (before["days_to_due"] - after["days_to_due"])[has_due].astype(int)
    assert (diff == shift).all()
    # working days never go up when as-of moves later
    wd = (before["working_days_to_due"] - after["working_days_to_due"])[has_due].astype(int)
    assert (wd >= 0).all()
    assert (wd <= shift).all()


@settings(max_examples=100, deadline=None)
@given(actions, as_ofs)
def test_working_days_agree_in_sign_and_never_exceed_calendar_days(rows, as_of):
    out = rag_frame(_frame(rows), as_of, Settings())
    has = out["days_to_due"].notna()
    days = out.loc[has, "days_to_due"].astype(int).to_numpy()
    work = out.loc[has, "working_days_to_due"].astype(int).to_numpy()
    assert (np.abs(work) <= np.abs(days)).all()
    assert (np.sign(work) * np.sign(days) >= 0).all()
