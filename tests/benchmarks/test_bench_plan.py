"""The per-plan stage benchmark runs and accounts for every file (its figures are not asserted)."""

from __future__ import annotations

from benchmarks import bench_plan, plans


def test_stages_cover_every_file_and_time_each_stage():
    folder = plans(4, 5)
    out = bench_plan.stages(folder, folder, hints_only=False)
    assert set(out) == {"calamine xlsx", "calamine csv", "read xlsx", "read csv", "validate", "rest"}
    kinds = {p.suffix for p in bench_plan._files(folder)}
    assert all(out[f"read {k.lstrip('.')}"] > 0 for k in kinds)
    assert out["validate"] > 0
