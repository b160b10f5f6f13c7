"""diff(OLD, NEW) on real returns made from the example plan by scripted edits (tests/returns.py).

The Q2 -> Q3 pair plants slips, a date brought forward, completions, rewordings (one with a new
ID, so it pairs by text), an owner change, status and progress changes, HIA and PSED re-alignment,
two removals, an addition, and reverses the order. The diff must report every planted change and
nothing else: the other kinds (RAG moves, stalls) follow from the dates and are checked against
the golden file and an independent rule. Properties: diff(A, A) is empty, and added/removed compose.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edi_workbook
from edi_workbook.changes import KINDS, diff, series, track
from edi_workbook.plan import Plan
from edi_workbook.read import read_plan
from tests import returns
from tests.paths import TESTS

GOLDEN = TESTS / "golden" / "diff"
DERIVED = {"rag", "stalled"}


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pair")
    return {
        "q2": returns.write(folder / "q2.xlsx", returns.q2()),
        "q3": returns.write(folder / "q3.xlsx", returns.q3()),
        "q3.csv": returns.write(folder / "q3.csv", returns.q3(), "csv"),
        "q3.titled": returns.write(folder / "q3-titled.xlsx", returns.q3(), "titled"),
    }


def _kinds(result, *, derived: bool = False) -> set[tuple[str | None, str]]:
    return {(c.action_id, c.kind) for c in result.changes if derived or c.kind not in DERIVED}


def test_every_planted_change_is_reported_and_nothing_else(pair):
    result = diff(read_plan(pair["q2"]), read_plan(pair["q3"]))
    assert _kinds(result) == returns.PLANTED
    assert (result.old_as_of, result.new_as_of) == (returns.Q_END["Q2"], returns.Q_END["Q3"])


def test_slips_and_completions_carry_their_days_and_values(pair):
    result = diff(read_plan(pair["q2"]), read_plan(pair["q3"]))
    due = {c.action_id: (c.old, c.new, c.days) for c in result.changes if c.kind == "due_date"}
    assert due["EDI-02"] == (dt.date(2027, 3, 31), dt.date(2027, 6, 30), 91)
    assert due["EDI-04"][2] == -30
    removed = {c.action_id: (c.was_complete, c.was_status) for c in result.changes if c.kind == "removed"}
    assert removed == {"EDI-28": (False, "Cancelled"), "EDI-13": (True, "Complete")}
    assert result.headline().startswith("2 slipped, 2 completed, 1 new, ")
    reworded = next(c for c in result.changes if c.action_id == "EDI-9")
    assert reworded.match is not None
    assert reworded.match.startswith("by text (similarity 0.")
    assert reworded.match.endswith("to EDI-09")


def test_stalled_is_every_open_started_untouched_action(pair):
    """Independently of the diff: open at Q3, started by Q2, and not edited by the script."""
    data = returns.q2()
    expected = {
        a["id"]
        for a in data["actions"]
        if a["id"] not in returns.TOUCHED
        and a["status"] not in ("Complete", "Cancelled")
        and (a.get("start") is None or a["start"] <= returns.Q_END["Q2"])
    }
    result = diff(read_plan(pair["q2"]), read_plan(pair["q3"]))
    assert {c.action_id for c in result.changes if c.kind == "stalled"} == expected
    assert all(c.days == 92 for c in result.changes if c.kind == "stalled")


def test_no_stall_between_returns_less_than_a_quarter_apart(pair):
    result = diff(read_plan(pair["q2"]), read_plan(pair["q3"]), new_as_of=dt.date(2026, 11, 30))
    assert not [c for c in result.changes if c.kind == "stalled"]


@pytest.mark.parametrize("other", ["q3.csv", "q3.titled"])
def test_a_change_of_layout_gives_the_same_changes(pair, other):
    old = read_plan(pair["q2"])
    same = diff(old, read_plan(pair["q3"]))
    moved = diff(old, read_plan(pair[other]), new_as_of=returns.Q_END["Q3"])
    assert [c.to_dict() for c in moved.changes] == [c.to_dict() for c in same.changes]


def test_diff_matches_golden_json(pair):
    result = diff(read_plan(pair["q2"]), read_plan(pair["q3"]))
    text = json.dumps(result.to_dict("q2.xlsx", "q3.xlsx"), indent=2, ensure_ascii=False) + "\n"
    golden = GOLDEN / "q2-q3.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_json_contract(pair):
    data = diff(read_plan(pair["q2"]), read_plan(pair["q3"])).to_dict("OLD", "NEW")
    assert list(data)[:3] == ["old", "new", "old_as_of"]
    assert set(data["summary"]) == set(KINDS)
    for change in data["changes"]:
        assert {"action_id", "kind", "old", "new", "days"} <= set(change)
        assert change["kind"] in KINDS
    assert sum(data["summary"].values()) == len(data["changes"])


def test_public_api_is_the_same_function():
    assert edi_workbook.diff is diff


def test_slips_counted_across_a_series(tmp_path):
    data = [returns.as_of(returns.example(), returns.Q_END[q]) for q in ("Q1", "Q2", "Q3")]
    returns.slip(data[1], "EDI-02", 30)
    returns.slip(data[2], "EDI-02", 60)  # 30 more than Q2
    returns.slip(data[2], "EDI-17", 10)
    plans = [Plan.from_records(_records(d)) for d in data]
    for d, p in zip(data, plans, strict=True):
        p.settings = p.settings.replace(as_of=d["settings"]["AsOfDate"])
    last = series(plans)
    slips = {c.action_id: c.slips for c in last.changes if c.kind == "due_date"}
    assert slips == {"EDI-02": 2, "EDI-17": 1}
    _, tracks = track(plans)
    edi02 = next(t for t in tracks if t.action_id == "EDI-02")
    assert (edi02.slips, edi02.days_slipped, edi02.first_due) == (2, 60, dt.date(2027, 3, 31))


# ---------------------------------------------------------------- properties


def _records(data: dict) -> list[dict]:
    return [
        {
            "Action ID": a["id"],
            "Action": a["action"],
            "Owner": a.get("owner"),
            "Due date": a.get("due"),
            "Status": a.get("status"),
            "HIA": "; ".join(f"HIA {n}" for n in a.get("hia") or []),
        }
        for a in data["actions"]
    ]


_BASE = returns.example()["actions"]
_LIGHT = {}
for row in __import__("csv").DictReader((TESTS / "data" / "rewordings.csv").open(encoding="utf-8")):
    if row["strength"] == "light":
        _LIGHT[row["action_id"]] = row["text"]


def _edit(actions: list[dict], rng: random.Random, tag: str) -> list[dict]:
    """Remove some, add some new (unique words), reword some under a new ID, shuffle."""
    out = [dict(a) for a in actions if rng.random() > 0.15]
    for a in out:
        if a["key"] in _LIGHT and rng.random() < 0.2:
            a["action"], a["id"] = _LIGHT[a["key"]], f"R{rng.randrange(10**6)}-{tag}"
    for n in range(rng.randrange(3)):
        key = f"new-{tag}-{n}"
        text = " ".join("".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(7)) for _ in range(5))
        out.append({"key": key, "id": key, "action": text})
    rng.shuffle(out)
    return out


def _plan(actions: list[dict]) -> Plan:
    return Plan.from_records([{"Action ID": a["id"], "Action": a["action"]} for a in actions])


def _added_removed(old: list[dict], new: list[dict]) -> tuple[set[str], set[str]]:
    result = diff(_plan(old), _plan(new), old_as_of=dt.date(2026, 1, 1), new_as_of=dt.date(2026, 1, 2))
    added = {new[c.row]["key"] for c in result.changes if c.kind == "added"}
    removed = {old[c.row]["key"] for c in result.changes if c.kind == "removed"}
    return added, removed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_diff_of_a_plan_with_itself_reports_nothing(seed):
    rng = random.Random(seed)
    actions = [{"key": a["id"], "id": a["id"], "action": a["action"]} for a in _BASE]
    actions = _edit(actions, rng, "a")
    plan = _plan(actions)
    assert diff(plan, plan).changes == ()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_added_and_removed_compose_across_three_returns(seed):
    rng = random.Random(seed)
    a = [{"key": x["id"], "id": x["id"], "action": x["action"]} for x in _BASE]
    b = _edit(a, rng, "b")
    c = _edit(b, rng, "c")
    add_ab, rem_ab = _added_removed(a, b)
    add_bc, rem_bc = _added_removed(b, c)
    add_ac, rem_ac = _added_removed(a, c)
    assert add_ac == (add_ab - rem_bc) | (add_bc - rem_ab)
    assert rem_ac == (rem_ab - add_bc) | (rem_bc - add_ab)
