"""The RAG rule, rewritten in plain Python (issue 18), gives what its numpy form gave, value for value.

``_old_*`` below are literal copies of the numpy rule as it stood at b285c9d (judged, reasons,
working days), kept here only as the oracle: the rule itself exists once, in
``edi_workbook.rag_rating.rule``. Compared over hypothesis' actions (every status word and odd ones,
dates far either side of as-of, % complete of any size, settings of any tolerance) and over every
readable fixture plan, both ways in (a frame: ``rag_frame``/``rag``; a plan's lists: ``rag_columns``).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_workbook import reference, workdays
from edi_workbook.plan import Settings
from edi_workbook.rag_rating import rag, rag_columns, rag_frame, rule
from edi_workbook.rag_rating.rule import CANCELLED, COMPLETE, LAG_DECIMALS, ON_HOLD, RAG_BY_RULE
from tests.test_rag import fixture_plans
from tests.test_rag_properties import _frame

REF = reference.load()
BASE = dt.date(2025, 1, 1)


def _forget_holidays() -> None:
    workdays._calendar.cache_clear()
    workdays._known.cache_clear()
    workdays.Calendar.of.cache_clear()


@pytest.fixture(autouse=True, scope="module")
def _own_holiday_cache(tmp_path_factory: pytest.TempPathFactory):
    """These tests ask for two centuries of bank holidays: kept in a folder of their own, not in
    the user's cache, which every command reads at its start."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(workdays.CACHE_ENV, str(tmp_path_factory.mktemp("holidays")))
        _forget_holidays()
        yield
    _forget_holidays()


# ---------------------------------------------------------------- the oracle: the numpy rule at b285c9d


def _old_frame_inputs(frame):
    due, has_due = _old_days(frame, "due_date")
    start, has_start = _old_days(frame, "start_date")
    status = rule.column(frame, "status").to_numpy(dtype=object)
    pct_col = rule.column(frame, "pct_complete")
    if pct_col.dtype == np.float64:
        pct = pct_col.to_numpy()
        pct = np.where(np.isnan(pct), 0.0, pct)
    else:
        pct = pd.to_numeric(pct_col, errors="coerce").fillna(0.0).to_numpy(float)
    return due, has_due, start, has_start, status, pct


def _old_days(frame, key):
    col = rule.column(frame, key)
    if not pd.api.types.is_datetime64_any_dtype(col):
        col = pd.to_datetime(col, errors="coerce")
    d = col.to_numpy(dtype="datetime64[D]")
    ok = ~np.isnat(d)
    return np.where(ok, d.astype("int64"), 0), ok


def _old_judged(inputs, as_of, cfg):
    due, has_due, start, has_start, status, pct = inputs
    today = np.int64(np.datetime64(as_of, "D").astype("int64"))
    days = due - today
    schedulable = has_due & has_start & (start <= today) & (due > start)
    span = np.where(schedulable, due - start, 1).astype(float)
    used = 100.0 * (today - start) / span
    lag = np.round(used - 100.0 * pct, LAG_DECIMALS)
    behind = schedulable & (lag > cfg.progress_tolerance)
    conditions = [
        status == COMPLETE,
        (status == CANCELLED) | ~has_due,
        days < 0,
        days <= cfg.amber_days,
        status == ON_HOLD,
        behind,
    ]
    rule_no = np.select(conditions, np.arange(1, 7, dtype=np.int8), default=np.int8(7)).astype(np.int8)
    return today, due, has_due, status, pct, used, schedulable, days, rule_no


def _old_working_days(due, has_due, today):
    base = dt.date(1970, 1, 1) + dt.timedelta(days=int(today))
    lo = min(int(due[has_due].min()) if has_due.any() else int(today), int(today))
    hi = max(int(due[has_due].max()) if has_due.any() else int(today), int(today))
    year = lambda days: int(np.datetime64(days, "D").astype("datetime64[Y]").astype(np.int64)) + 1970  # noqa: E731
    first, last = max(year(lo), base.year - 60), min(year(hi), base.year + 60)
    hols = np.array(sorted(workdays.bank_holidays(range(first, last + 1))), dtype="datetime64[D]")
    cal = np.busdaycalendar(holidays=hols)
    d = np.where(has_due, due, today).astype("datetime64[D]")
    t = np.datetime64(base, "D")
    count = np.busday_count(np.minimum(d, t) + 1, np.maximum(d, t) + 1, busdaycal=cal)
    off = has_due & ~np.is_busday(d, busdaycal=cal)
    return np.where(d < t, -count, count).astype(np.int64), off


def _old_reasons(rule_no, status, has_due, days, pct, used, schedulable, working):
    def counted(prefix, n, unit):
        text = np.char.add(np.char.add(prefix, n.astype(str)), unit)
        return np.where(np.abs(n) == 1, text, np.char.add(text, "s"))

    def percent(x):
        # as numpy showed it, but for the one change meant since: beyond 64 bits, the value in short
        # scientific form ("1e+302"), not the least 64-bit integer ("-9223372036854775808")
        y = x + 0.5
        inside = (y >= -(2.0**63)) & (y < 2.0**63)
        shown = np.floor(np.where(inside, y, 0.0)).astype(np.int64).astype(object).astype(str)
        return np.where(inside, shown, np.array([f"{v:.3g}" for v in x.tolist()], dtype=object))

    unit = " working day" if working else " day"
    out = np.full(len(rule_no), "", dtype=object)
    out[rule_no == 1] = "complete"
    out[(rule_no == 2) & (status == CANCELLED)] = "cancelled"
    out[(rule_no == 2) & (status != CANCELLED)] = "no due date"
    out[rule_no == 5] = "on hold"
    late = rule_no == 3
    out[late] = counted("overdue by ", -days[late], unit)
    soon = ((rule_no == 4) | ((rule_no == 7) & ~schedulable)) & has_due
    out[soon] = counted("due in ", days[soon], unit)
    if not working:
        out[soon & (days == 0)] = "due today"
    progress = (rule_no == 6) | ((rule_no == 7) & schedulable)
    done, spent = percent(100.0 * pct[progress]), percent(used[progress])
    out[progress] = np.char.add(np.char.add(done, "% done, "), np.char.add(spent, "% of time used"))
    return out


def _old(frame, as_of, cfg, working):
    """What the numpy rule gave for ``frame``: rule, RAG, reason, days, working days, off days."""
    with warnings.catch_warnings():  # the cast of a percentage beyond 64 bits warns
        warnings.simplefilter("ignore", RuntimeWarning)
        judged = _old_judged(_old_frame_inputs(frame), as_of, cfg)
        today, due, has_due, status, pct, used, sched, days, rule_no = judged
        work, off = _old_working_days(due, has_due, today)
        reason = _old_reasons(rule_no, status, has_due, work if working else days, pct, used, sched, working)
    blank = lambda a: [int(v) if ok else None for v, ok in zip(a.tolist(), has_due.tolist(), strict=True)]  # noqa: E731
    return {
        "rule": rule_no.tolist(),
        "rag": np.asarray(RAG_BY_RULE, dtype=object)[rule_no].tolist(),
        "reason": [str(r) for r in reason.tolist()],
        "days_to_due": blank(days),
        "working_days_to_due": blank(work),
        "due_on_non_working_day": off.tolist(),
    }


def _new(frame, as_of, cfg, working):
    out = rag_frame(frame, as_of, cfg, working_days=working)
    assert (out["rule"].dtype, out["due_on_non_working_day"].dtype) == (np.int8, np.bool_)
    assert str(out["days_to_due"].dtype) == str(out["working_days_to_due"].dtype) == "Int64"
    plain = lambda v: None if v is pd.NA else v  # noqa: E731
    return {k: [plain(v) for v in out[k].tolist()] for k in _old(frame.iloc[:0], as_of, cfg, working)}


# ---------------------------------------------------------------- hypothesis

_statuses = st.one_of(
    st.none(),
    st.sampled_from([*REF.status_names, "Done", "Sort of", "", "complete "]),
    st.just(float("nan")),
)
_days_away = st.one_of(st.integers(-1000, 1000), st.integers(-80_000, 80_000))  # past the 60-year window
_dates = st.one_of(st.none(), _days_away.map(lambda d: BASE + dt.timedelta(days=d)))
_pcts = st.one_of(
    st.none(),
    st.floats(-2, 2, allow_nan=False),
    st.sampled_from([0.29, 0.45, 0.5, 0.995, 1e17, -1e17, 1e300, -1e300]),
    st.floats(allow_nan=True, allow_infinity=True),
)
_actions = st.lists(st.tuples(_statuses, _dates, _dates, _pcts), min_size=1, max_size=30)
_settings = st.builds(
    Settings,
    amber_days=st.integers(-5, 120),
    progress_tolerance=st.one_of(st.floats(-50, 150, allow_nan=False), st.sampled_from([0, 10, 20, 20.0])),
)


@settings(max_examples=300, deadline=None)
@given(_actions, st.integers(-800, 800).map(lambda d: BASE + dt.timedelta(days=d)), _settings, st.booleans())
def test_the_rule_gives_what_its_numpy_form_gave(rows, as_of, cfg, working):
    frame = _frame(rows)
    assert _new(frame, as_of, cfg, working) == _old(frame, as_of, cfg, working)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_lag_rounds_as_numpy_rounds(x):
    with np.errstate(over="ignore"):
        want = float(np.round(np.float64(x), LAG_DECIMALS))
    got = rule._lag(x)
    assert got == want or (math.isnan(got) and math.isnan(want))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(-1e6, 1e6)))
def test_percent_is_what_numpy_showed(x):
    """Inside the 64-bit range as numpy's cast showed it; beyond it, in short scientific form."""
    if -(2.0**63) <= x + 0.5 < 2.0**63:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            want = str(np.floor(np.array([x]) + 0.5).astype(np.int64)[0])
    else:
        want = f"{x:.3g}"
    assert rule._percent(x) == want


def test_a_percentage_beyond_64_bits_is_shown_as_typed_not_as_the_least_integer():
    """A % complete typed as a huge number: its reason was "-9223372036854775808% done" (numpy's cast)."""
    assert (rule._percent(1e302), rule._percent(-1e20), rule._percent(float("inf"))) == (
        "1e+302",
        "-1e+20",
        "inf",
    )


# ---------------------------------------------------------------- plans


@pytest.mark.parametrize("shift", [-4000, -30, 0, 31, 25_000])
def test_every_fixture_plan_is_rated_as_before_both_ways(shift):
    as_of = BASE + dt.timedelta(days=shift)
    for plan in fixture_plans():
        for working in (False, True):
            new, old = (f(plan.frame, as_of, plan.settings, working) for f in (_new, _old))
            assert new == old, plan.name
        old = _old(plan.frame, as_of, plan.settings, False)
        cols = rag_columns(plan, as_of=as_of)
        assert (cols.rag, cols.reason, cols.days_to_due) == (old["rag"], old["reason"], old["days_to_due"])
        assert rag(plan, as_of=as_of).frame["reason"].tolist() == old["reason"]


# ---------------------------------------------------------------- working days


@settings(max_examples=300, deadline=None)
@given(st.integers(-40_000, 40_000), st.integers(-2_000, 2_000), st.integers(1950, 2100), st.integers(0, 8))
def test_calendar_counts_what_numpy_busday_count_counts(start, length, first, years):
    a = BASE + dt.timedelta(days=start)
    b = a + dt.timedelta(days=length)
    window = range(first, first + years)
    cal = workdays.Calendar.of(window)
    hols = np.array(sorted(workdays.bank_holidays(window)), dtype="datetime64[D]")
    busday = np.busdaycalendar(holidays=hols)
    assert cal.count(a, b) == int(np.busday_count(np.datetime64(a), np.datetime64(b), busdaycal=busday))
    assert cal.is_working_day(a) == bool(np.is_busday(np.datetime64(a), busdaycal=busday))
    between = range(min(a, b).year, max(a, b).year + 1)
    hols = np.array(sorted(workdays.bank_holidays(between)), dtype="datetime64[D]")
    want = int(np.busday_count(np.datetime64(a), np.datetime64(b), holidays=hols))
    assert workdays.working_days_between(a, b) == want


@pytest.mark.parametrize("due", ["12000-01-01", "-0100-01-01", "0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("working", [False, True])
def test_due_dates_beyond_the_years_a_date_holds_are_rated_as_numpy_rated_them(due, working):
    """A frame's ``datetime64[s]`` dates (pandas 3 keeps the unit) may lie outside years 1-9999:
    the plain-Python rule raised "year 12000 is out of range" for them (found by review)."""
    frame = pd.DataFrame(
        {
            "action_id": ["A1"],
            "status": ["Not started"],
            "due_date": pd.Series(np.array([due], dtype="datetime64[s]")),
            "pct_complete": [0.0],
        }
    )
    cfg = Settings(amber_days=14, progress_tolerance=10.0)
    assert _new(frame, BASE, cfg, working) == _old(frame, BASE, cfg, working)
