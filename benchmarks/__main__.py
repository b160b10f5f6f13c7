"""Run every benchmark: ``python -m benchmarks [--quick]`` (``make bench``).

Prints one Markdown table (the format of ``docs/benchmarks.md``) with the date and the machine,
then the other helpers' benchmarks (RAG engine, mapping quality) when they are present.
``--quick`` runs small sizes and few repeats, to check that everything still runs; ``--national``
adds the peak memory of a 7,000-plan batch (slow; its plans are generated once and cached).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys

from benchmarks import HEADER, Figure, load, machine


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run every edi-workbook benchmark.")
    ap.add_argument("--quick", action="store_true", help="small sizes, few repeats: a smoke run")
    ap.add_argument(
        "--national",
        action="store_true",
        help="also the peak memory of a 7,000-plan batch (generating the plans once takes minutes)",
    )
    args = ap.parse_args(argv)
    from benchmarks import bench_batch, bench_large, bench_memory, bench_plan, bench_startup

    started, load_at_start = dt.datetime.now(dt.UTC), load()
    figures: list[Figure] = []
    if args.quick:
        figures += bench_startup.measure(repeats=3)
        figures += bench_large.measure(actions=1_000, repeats=1)
        figures += bench_batch.measure(files=20, actions=20, repeats=1)
        figures += bench_plan.measure(files=20, actions=20, repeats=1)
        figures += bench_memory.measure(files=20, actions=20)
    else:
        figures += bench_startup.measure()
        figures += bench_large.measure()
        figures += bench_batch.measure()
        figures += bench_plan.measure()
        figures += bench_memory.measure()
    if args.national:
        figures += bench_memory.measure(files=7_000, actions=60)
    ended = dt.datetime.now(dt.UTC)
    print(f"# edi-workbook benchmarks, {started:%Y-%m-%d %H:%M}-{ended:%H:%M} UTC, on {machine()}")
    print(f"\nLoad average (1, 5, 15 min) at the start: {load_at_start}; at the end: {load()}.")
    print()
    print(HEADER)
    for f in figures:
        print(f.line())
    missed = [f for f in figures if f.met is False]
    for name in ("bench_rag", "bench_mapping", "bench_matching"):
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ImportError:
            continue
        print(f"\n# {name}")
        module.main([])
    if missed:
        what = [
            f"{f.name} vs {f.baseline}" if f.baseline else f"{f.name} (limit {f.limit:g} {f.unit})"
            for f in missed
        ]
        print(f"\n{len(missed)} target(s) missed: " + "; ".join(what))
    return 0


if __name__ == "__main__":
    sys.exit(main())
