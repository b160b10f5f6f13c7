"""Where ``batch --format json`` spends its time per plan: cProfile in every process of one run.

``python -m benchmarks.profile_batch [--files N] [--actions M] [--format json] [--top 15]``
(``make profile``) runs ``edi-workbook batch`` in this process over the benchmark corpus (the
plans ``make bench`` times, generated once and cached) with cProfile switched on here and in each
worker process (a fresh profiler is started in every forked worker; each writes its statistics as
it exits, and they are added together). It prints two tables, the workers (reading, validation,
RAG, output rows) and the main process (finding the files, writing the output), each with the
``--top`` functions by cumulative time, in milliseconds per plan, and saves the combined
statistics for ``python -m pstats`` or snakeviz.

The workers' times are CPU spent in all workers together, not wall time. Frames that only pass the
work on (the process pool, threading, click and the CLI's wrapper) are left out of the tables
(``--all`` keeps them). Times are CPU time (``time.process_time``), so other load on the
machine does not inflate them; cProfile still slows small Python functions more than C code, so
compare profiles with each other, never with the benchmark's wall times.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import machine, plans

AS_OF = "2025-03-31"


class _Hook:
    """Kept alive for ``multiprocessing.util.register_after_fork``, which holds it weakly."""


_HOOK = _Hook()


def _start_child_profiler(folder: Path) -> None:
    """In a forked worker: drop the parent's profiler, start a fresh one, dump it when it exits."""
    from multiprocessing import util

    sys.setprofile(None)
    profiler = cProfile.Profile(time.process_time)

    def dump() -> None:
        profiler.disable()
        profiler.dump_stats(folder / f"worker-{os.getpid()}.prof")

    util.Finalize(None, dump, exitpriority=100)
    profiler.enable()


def profile(folder: Path, fmt: str, jobs: int | None, out_dir: Path) -> tuple[pstats.Stats, pstats.Stats]:
    """Run the batch over ``folder`` under cProfile; (workers' statistics, main process's)."""
    from multiprocessing import util

    from edi_workbook.cli import main as cli

    stats_dir = out_dir / "prof"
    stats_dir.mkdir(parents=True, exist_ok=True)
    # multiprocessing clears the finalizers a forked child inherits, then runs its after-fork hooks
    util.register_after_fork(_HOOK, lambda _: _start_child_profiler(stats_dir))
    args = ["batch", str(folder), "-q", "--as-of", AS_OF, "-o", str(out_dir / f"roll-up.{fmt}")]
    if jobs:
        args += ["--jobs", str(jobs)]
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    try:
        cli(args)
    except SystemExit:
        pass
    finally:
        profiler.disable()
    workers = sorted(stats_dir.glob("worker-*.prof"))
    if not workers:
        raise SystemExit("no worker wrote a profile (the batch ran in this process?)")
    return pstats.Stats(*map(str, workers)), pstats.Stats(profiler)


def _where(func: tuple[str, int, str]) -> str:
    path, line, name = func
    if path == "~":
        return name  # a built-in
    for marker in ("site-packages/", "/lib/python3", str(Path(__file__).resolve().parent.parent) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{name} ({path}:{line})"


PLUMBING = ("/multiprocessing/", "/concurrent/futures/", "/threading.py", "/click/", "/edi_workbook/cli/")
"""Frames that only pass the work on (the pool, click, the CLI's wrapper), left out unless ``--all``."""


def _plumbing(func: tuple[str, int, str]) -> bool:
    return any(p in func[0] for p in PLUMBING)


def table(stats: pstats.Stats, n_plans: int, top: int, everything: bool = False) -> list[str]:
    """The ``top`` functions by cumulative time, in ms and calls per plan, as Markdown rows."""
    rows = []
    entries = [(f, v) for f, v in stats.stats.items() if everything or not _plumbing(f)]  # type: ignore[attr-defined]
    by_cum = sorted(entries, key=lambda kv: kv[1][3], reverse=True)[:top]
    for func, (_cc, ncalls, tottime, cumtime, _callers) in by_cum:
        rows.append(
            f"| {1000 * cumtime / n_plans:.2f} | {1000 * tottime / n_plans:.2f} | "
            f"{ncalls / n_plans:g} | `{_where(func)}` |"
        )
    return [
        "| cumulative ms/plan | own ms/plan | calls/plan | function |",
        "| ---: | ---: | ---: | --- |",
        *rows,
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--actions", type=int, default=50)
    ap.add_argument("--format", default="json", choices=("json", "csv", "xlsx"))
    ap.add_argument("--jobs", type=int, default=None, help="worker processes (default: the batch's own)")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--all", action="store_true", help="keep the pool's and click's frames in the tables")
    ap.add_argument("--save", type=Path, help="write the combined statistics here (pstats format)")
    args = ap.parse_args(argv)
    folder = plans(args.files, args.actions)
    with tempfile.TemporaryDirectory() as tmp:
        workers, parent = profile(folder, args.format, args.jobs, Path(tmp))
        print(f"# batch --format {args.format}, {args.files} plans x {args.actions} actions, on {machine()}")
        print(f"\n## Workers (all together): top {args.top} by cumulative time\n")
        print("\n".join(table(workers, args.files, args.top, args.all)))
        print(f"\n## Main process: top {args.top} by cumulative time\n")
        print("\n".join(table(parent, args.files, args.top, args.all)))
        if args.save:
            workers.add(parent)
            workers.dump_stats(str(args.save))
            print(f"\nSaved the combined statistics to {args.save} (python -m pstats {args.save}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
