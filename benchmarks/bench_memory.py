"""Peak memory of ``batch`` with xlsx output: 1,000 plans by default, 7,000 with ``--national``.

Memory has no baseline to divide by, so this is an absolute figure (issue 18: at most 300 MiB for
the national scale, about 7,000 practice, trust and ICB plans a quarter; it was about 1 GB).

Measured on one run of ``edi-workbook batch FOLDER -o roll-up.xlsx -q`` in a fresh process:

- **peak RSS**: the largest resident set of any one process of the batch (the main process, which
  writes the roll-up, or a worker), from ``getrusage(RUSAGE_CHILDREN)`` of a small parent process
  that only starts the batch and waits (so nothing else the benchmarks ran counts). This is the
  figure the target applies to.
- **peak PSS of all its processes**: the main process and its workers together, their shared pages
  split between them (``/proc/PID/smaps_rollup``, sampled every 0.1 s; Linux only).

The plans (50 actions each; the national run 60, the size the issue measured) are generated once
and cached: generating 7,000 takes a few minutes, the national batch itself a few more.

``python -m benchmarks.bench_memory [--files N] [--actions M]``.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import CLI, ROOT, Figure, plans, print_table

MIB = 1024 * 1024
LIMIT_MIB = 300


def _children(pid: int) -> list[int]:
    """``pid`` and all its descendants (``/proc/PID/task/*/children``)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_with_peak(cmd: list[str]) -> tuple[float, float | None]:
    """Run ``cmd``; (peak RSS of its largest process in MiB, peak PSS of its process tree or None)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bench_memory", "--peak-of", *cmd],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss
        while not done.is_set():
            peak_pss = max(peak_pss, sum(_pss_kib(p) for p in _children(proc.pid)))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    rss_kib = int(out.split()[-1])
    return rss_kib / 1024, (peak_pss / 1024 if Path("/proc/self/smaps_rollup").exists() else None)


def measure(files: int = 1_000, actions: int = 50) -> list[Figure]:
    folder = plans(files, actions)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [CLI, "batch", str(folder), "-q", "--as-of", "2025-03-31", "-o", str(Path(tmp) / "r.xlsx")]
        start = time.perf_counter()
        rss, pss = run_with_peak(cmd)
        seconds = time.perf_counter() - start
    label = f"batch, {files:,} plans x {actions} actions, xlsx out ({seconds:.0f} s)"
    figures = [Figure(f"{label}: peak RSS, largest process", rss, unit="MiB", limit=LIMIT_MIB)]
    if pss is not None:
        figures.append(Figure(f"{label}: peak PSS, all processes", pss, unit="MiB"))
    return figures


def _peak_of(cmd: list[str]) -> int:
    """Run ``cmd`` and print the peak RSS (KiB) of the largest process it ran (Linux units)."""
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return 0


def main(argv: list[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["--peak-of"]:
        return _peak_of(args_in[1:])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1_000)
    ap.add_argument("--actions", type=int, default=50)
    ap.add_argument("--national", action="store_true", help="7,000 plans x 60 actions")
    args = ap.parse_args(args_in)
    files, actions = (7_000, 60) if args.national else (args.files, args.actions)
    print_table("batch memory benchmark", measure(files, actions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
