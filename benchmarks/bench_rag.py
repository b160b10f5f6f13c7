"""Time the RAG rule over 100,000 actions, against a baseline measured in the same run.

The baseline is the least any RAG pass must do: one pandas subtraction, due date - as-of, in
days. ``rag_frame`` does the whole rule, the reasons and the working days on the same frame. The
target (issue 5) is "100,000 actions in well under a second"; the ratio says what the rule costs
over the bare subtraction on this machine.

    .venv/bin/python benchmarks/bench_rag.py [--actions N] [--repeat R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from edi_workbook import reference  # noqa: E402
from edi_workbook.rag_rating import rag_frame  # noqa: E402

AS_OF = dt.date(2026, 1, 15)
TARGET_SECONDS = 1.0


def actions(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` actions of canonical keys: every status, 10% without a due date, 30% without a start."""
    rng = np.random.default_rng(seed)
    as_of = np.datetime64(AS_OF, "D")
    due = as_of + rng.integers(-400, 800, n).astype("timedelta64[D]")
    start = due - rng.integers(0, 500, n).astype("timedelta64[D]")
    statuses = np.array([*reference.load().status_names, None], dtype=object)
    frame = pd.DataFrame(
        {
            "action_id": [f"A{i}" for i in range(n)],
            "status": statuses[rng.integers(0, len(statuses), n)],
            "due_date": due.astype("datetime64[ns]"),
            "start_date": start.astype("datetime64[ns]"),
            "pct_complete": rng.random(n).round(2),
        }
    )
    frame.loc[rng.random(n) < 0.1, "due_date"] = pd.NaT
    frame.loc[rng.random(n) < 0.3, "start_date"] = pd.NaT
    frame.loc[rng.random(n) < 0.2, "pct_complete"] = np.nan
    return frame


def baseline(frame: pd.DataFrame) -> pd.Series:
    """Days to due only: the floor under any RAG computation."""
    return (frame["due_date"] - pd.Timestamp(AS_OF)).dt.days


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Best wall-clock seconds of ``repeat`` runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    frame = actions(args.actions)
    base = best_of(lambda: baseline(frame), args.repeat)
    full = best_of(lambda: rag_frame(frame, AS_OF), args.repeat)
    work = best_of(lambda: rag_frame(frame, AS_OF, working_days=True), args.repeat)
    counts = rag_frame(frame, AS_OF)["rag"].value_counts().to_dict()
    print(f"actions: {args.actions:,} (best of {args.repeat})")
    print(f"baseline (due - as-of only):    {base:.4f} s")
    print(f"rag_frame:                      {full:.4f} s  ({full / base:.1f}x baseline)")
    print(f"rag_frame, working-day reasons: {work:.4f} s  ({work / base:.1f}x baseline)")
    print(f"RAG counts: {dict(sorted(counts.items()))}")
    ok = full < TARGET_SECONDS
    print(f"target: under {TARGET_SECONDS:.1f} s for 100,000 actions: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
