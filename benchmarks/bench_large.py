"""One plan of 10,000 actions: read + validate + RAG against python-calamine merely reading it.

Both run in this process after one warm-up each (imports and caches excluded on both sides);
medians of several runs. Target (issue 18): read + validate + RAG within 2.5x of the calamine read.

``python -m benchmarks.bench_large [--actions N] [--repeats R]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import Figure, cache_dir, print_table


def big_plan(actions: int) -> Path:
    """Our template with ``actions`` rows in its ActionPlan table, made once and cached."""
    from benchmarks.generate import VERSION, generate

    folder = cache_dir(f"large-{actions}-v{VERSION}")
    path = folder / "plan_00001_template.xlsx"
    if not path.exists():
        generate(folder, 1, actions, layouts=("template",))
    return path


def _timed(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(actions: int = 10_000, repeats: int = 5) -> list[Figure]:
    import python_calamine

    from edi_workbook import rag_rating as rag
    from edi_workbook import validation
    from edi_workbook.read import read_plan

    path = big_plan(actions)

    def calamine_read() -> object:
        return (
            python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Action Plan").to_python()
        )

    def ours() -> object:
        plan = read_plan(path)
        validation.validate(plan)
        return rag.rag(plan)

    def read_only() -> object:
        return read_plan(path)

    base = _timed(calamine_read, repeats)
    return [
        Figure(
            f"read + validate + RAG, {actions:,} actions", _timed(ours, repeats), "calamine read", base, 2.5
        ),
        Figure(f"read_plan alone, {actions:,} actions", _timed(read_only, repeats), "calamine read", base),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actions", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    print_table("large plan benchmark", measure(args.actions, args.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
