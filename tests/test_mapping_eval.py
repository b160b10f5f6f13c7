"""The measured quality of suggestions on the labelled set (benchmarks/bench_mapping.py)."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_mapping", ROOT / "benchmarks" / "bench_mapping.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_set_is_big_enough_and_split_about_30_percent(bench):
    rows = bench.load_rows()
    held = [r for r in rows if r["split"] == "holdout"]
    assert len(rows) >= 120
    assert 0.25 <= len(held) / len(rows) <= 0.35
    assert sum(not r["hias"] for r in rows) >= 20
    assert sum(len(r["hias"]) == 2 for r in rows) >= 3
    assert {r["split"] for r in rows} == {"tune", "holdout"}


@pytest.mark.parametrize("split", ["tune", "holdout"])
def test_targets_of_the_issue_are_met(bench, split):
    m = bench.evaluate([r for r in bench.load_rows() if r["split"] == split])
    assert m["top1"] >= bench.TARGETS["top1"]
    assert m["none_correct"] >= bench.TARGETS["none_correct"]
    assert m["precision"] >= 0.8
    assert m["recall"] >= 0.8
