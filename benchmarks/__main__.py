"""Run every benchmark: ``python -m benchmarks [--quick]`` (``make bench``).

Prints one Markdown table (the format of ``docs/benchmarks.md``) with the date and the machine,
then the other helpers' benchmarks (RAG engine, mapping quality) when they are present.
``--quick`` runs small sizes and few repeats, to check that everything still runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys

from benchmarks import HEADER, Figure, machine


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run every edi-workbook benchmark.")
    ap.add_argument("--quick", action="store_true", help="small sizes, few repeats: a smoke run")
    args = ap.parse_args(argv)
    from benchmarks import bench_batch, bench_large, bench_startup

    figures: list[Figure] = []
    if args.quick:
        figures += bench_startup.measure(repeats=3)
        figures += bench_large.measure(actions=1_000, repeats=1)
        figures += bench_batch.measure(files=20, actions=20, repeats=1)
    else:
        figures += bench_startup.measure()
        figures += bench_large.measure()
        figures += bench_batch.measure()
    print(f"# edi-workbook benchmarks, {dt.date.today().isoformat()}, on {machine()}")
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
        print(f"\n{len(missed)} target(s) missed: " + "; ".join(f"{f.name} vs {f.baseline}" for f in missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
