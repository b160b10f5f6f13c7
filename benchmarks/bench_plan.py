"""Where a batch worker's time goes per plan: reading, validation, the wording hints, RAG, the rest.

The 200 x 50 benchmark corpus (every action worded differently), each file once, in a fresh process
per repeat that first analyses the 20 x 20 corpus, as a batch worker is warmed up: imports and
regular expressions are ready, the 200 x 50 corpus's wording is new to it. Stages, summed over the
files, medians of ``--repeats`` processes, each against python-calamine merely reading the same
files in the same process (``CalamineWorkbook.from_path``, the plan sheet's ``to_python``; csv
files through the ``csv`` module):

- ``read_plan`` of the xlsx files, and of the csv files;
- ``validate`` of every plan (all rules), and of it the two wording hints
  (``hia-differs-from-text``, ``psed-differs-from-text``), timed apart on a second set of
  processes so that their caches are as cold as in the first;
- ``analyse_plan`` after validation: RAG, coverage and the roll-up's rows (its own validation,
  with warm caches, timed just before and taken off).

No targets here: issue 18's targets are on whole commands (``bench_batch``); these say which stage
to work on. ``python -m benchmarks.bench_plan [--repeats R]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import ROOT, Figure, plans, print_table
from benchmarks.bench_batch import read_rows

AS_OF = dt.date(2025, 3, 31)
HINTS = ("hia-differs-from-text", "psed-differs-from-text")


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".xlsx", ".csv"))


def stages(folder: Path, warm: Path, hints_only: bool) -> dict[str, float]:
    """Seconds per stage over ``folder``'s files, in this process, after analysing ``warm``'s."""
    from edi_workbook.batch.run import analyse_file, analyse_plan
    from edi_workbook.read import read_plan
    from edi_workbook.validation import validate

    for p in _files(warm):
        analyse_file(p, AS_OF)
    out = dict.fromkeys(("calamine xlsx", "calamine csv", "read xlsx", "read csv", "validate", "rest"), 0.0)
    clock = time.perf_counter
    for p in _files(folder):
        kind = "csv" if p.suffix == ".csv" else "xlsx"
        start = clock()
        read_rows(p, "calamine")
        out[f"calamine {kind}"] += clock() - start
        start = clock()
        plan = read_plan(p)
        out[f"read {kind}"] += clock() - start
        start = clock()
        if hints_only:
            validate(plan, AS_OF, select=HINTS)
            out["validate"] += clock() - start
            continue
        validate(plan, AS_OF)
        out["validate"] += clock() - start
        start = clock()
        validate(plan, AS_OF)  # again, its caches warm: what analyse_plan's own validation costs
        warm_validate = clock() - start
        start = clock()
        analyse_plan(plan, as_of=AS_OF)
        out["rest"] += clock() - start - warm_validate
    return out


def _run(folder: Path, warm: Path, hints_only: bool) -> dict[str, float]:
    cmd = [sys.executable, "-m", "benchmarks.bench_plan", "--stages", str(folder), str(warm)]
    cmd += ["--hints"] if hints_only else []
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
    return dict(json.loads(done.stdout))


def measure(files: int = 200, actions: int = 50, repeats: int = 3) -> list[Figure]:
    folder, warm = plans(files, actions), plans(20, 20)
    full = [_run(folder, warm, False) for _ in range(repeats)]
    hints = [_run(folder, warm, True) for _ in range(repeats)]

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    n_xlsx = sum(1 for p in _files(folder) if p.suffix == ".xlsx")
    n_csv = len(_files(folder)) - n_xlsx
    cal = med(full, "calamine xlsx") + med(full, "calamine csv")
    base = f"calamine read, {n_xlsx} xlsx + {n_csv} csv"
    return [
        Figure(f"read_plan, {n_xlsx} xlsx plans x {actions}", med(full, "read xlsx"),
               f"calamine read, {n_xlsx} xlsx", med(full, "calamine xlsx")),
        Figure(f"read_plan, {n_csv} csv plans x {actions}", med(full, "read csv"),
               f"csv module read, {n_csv} csv", med(full, "calamine csv")),
        Figure(f"validate, {files} plans (wording new to the process)", med(full, "validate"), base, cal),
        Figure("  of which the two wording hints", med(hints, "validate"), base, med(hints, "calamine xlsx")
               + med(hints, "calamine csv")),
        Figure(f"RAG, coverage, rows, {files} plans (after validation)", med(full, "rest"), base, cal),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--actions", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--stages", nargs=2, type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--hints", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stages:
        folder, warm = args.stages
        print(json.dumps(stages(folder, warm, hints_only=args.hints)))
        return 0
    print_table("per-plan stages", measure(args.files, args.actions, args.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
