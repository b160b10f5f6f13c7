"""``batch`` over 200 plans of 50 actions against two plain read loops, each in a fresh process.

Baselines (the same files, one process, one file after another):

1. ``openpyxl``: ``openpyxl.load_workbook(path, data_only=True)`` and every value of the plan's
   sheet (``Action Plan`` if there is one, else the first sheet); CSVs through ``csv``;
2. ``calamine``: the same with ``python_calamine`` (``CalamineWorkbook.from_path`` and ``to_python``).

For the reader's choice, the same loop with openpyxl's read-only mode is timed too.

Measured: ``edi-workbook batch FOLDER -o roll-up.xlsx`` (every file read, validated, RAG-rated,
covered, written to the consolidated workbook) with the default jobs (one per core) and with
``--jobs 1``; the same with json and csv outputs (cheap writers: against xlsx, the xlsx writer's
share shows); and, for the scale note, csv with ``--jobs 1`` and ``--jobs 2``.
Targets (issue 18): batch with xlsx output <= 4x the calamine loop, with json output <= 3x; and
(earlier) xlsx <= 1x the openpyxl loop. The targets' commands are interleaved with their baselines
(medians of ``--repeats``, default 5); the informative ones run 3 times in a second group.

``python -m benchmarks.bench_batch [--files N] [--actions M] [--repeats R]``.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import CLI, Figure, bytecode_compiled, interleaved, plans, print_table


def _csv_rows(p: Path) -> int:
    with p.open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.reader(fh))


def baseline(reader: str, folder: Path) -> int:
    """Read every plan's cells with ``reader`` (``openpyxl`` or ``calamine``); returns the row count."""
    files = sorted(p for p in folder.iterdir() if p.suffix in (".xlsx", ".csv"))
    return sum(read_rows(p, reader) for p in files)


def read_rows(p: Path, reader: str) -> int:
    """The rows of one plan's sheet (``Action Plan`` if there is one, else the first), as ``reader``
    reads them; a CSV through the ``csv`` module."""
    if p.suffix == ".csv":
        return _csv_rows(p)
    if reader in ("openpyxl", "openpyxl-read-only"):
        import openpyxl

        wb = openpyxl.load_workbook(p, data_only=True, read_only=reader == "openpyxl-read-only")
        ws = wb["Action Plan"] if "Action Plan" in wb.sheetnames else wb.worksheets[0]
        rows = sum(1 for _ in ws.iter_rows(values_only=True))
        wb.close()
        return rows
    import python_calamine

    cwb = python_calamine.CalamineWorkbook.from_path(str(p))
    name = "Action Plan" if "Action Plan" in cwb.sheet_names else cwb.sheet_names[0]
    return len(cwb.get_sheet_by_name(name).to_python())


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def headroom(n: int = 10_000_000) -> Figure:
    """Control: a pure-Python CPU task in 2 processes vs 1, i.e. how many cores were really free.

    1.0x means two cores were free (perfect scaling); 2.0x means only one (other load on the machine).
    """
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    _burn(n)
    one = time.perf_counter() - start
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_burn, [n // 100, n // 100]))  # start the workers first
        start = time.perf_counter()
        list(pool.map(_burn, [n, n]))
        two = time.perf_counter() - start
    return Figure("control: CPU task x2 in 2 processes vs x1 in 1", two, "x1 in 1 process", one)


def measure(files: int = 200, actions: int = 50, repeats: int = 5) -> list[Figure]:
    """The targets' commands interleaved ``repeats`` times; the others (reader choice, jobs) 3 times."""
    folder = plans(files, actions)
    bytecode_compiled()  # as installed: see its docstring
    py = sys.executable

    def loop(reader: str) -> list[str]:
        return [py, "-m", "benchmarks.bench_batch", "--baseline", reader, str(folder)]

    with tempfile.TemporaryDirectory() as tmp:
        args = [CLI, "batch", str(folder), "-q", "--as-of", "2025-03-31"]
        xlsx, csv_out, json_out = (
            [*args, "-o", str(Path(tmp) / "roll-up.xlsx")],
            [*args, "-o", str(Path(tmp) / "r.csv")],
            [*args, "-o", str(Path(tmp) / "r.json")],
        )
        times = interleaved(
            {
                "calamine": loop("calamine"),
                "openpyxl": loop("openpyxl"),
                "batch": xlsx,
                "batch-json": json_out,
            },
            repeats,
        )
        times |= interleaved(
            {
                "calamine-2": loop("calamine"),
                "openpyxl-ro": loop("openpyxl-read-only"),
                "batch-csv": csv_out,
                "batch-xlsx-1": [*xlsx, "--jobs", "1"],
                "batch-csv-1": [*csv_out, "--jobs", "1"],
                "batch-csv-2": [*csv_out, "--jobs", "2"],
            },
            min(repeats, 3),
        )
    label = f"batch, {files} plans x {actions} actions, xlsx out"
    return [
        headroom(),
        Figure(label, times["batch"], "calamine read loop", times["calamine"], 4.0),
        Figure(
            label.replace("xlsx", "json"), times["batch-json"], "calamine read loop", times["calamine"], 3.0
        ),
        Figure(label, times["batch"], "openpyxl read loop", times["openpyxl"], 1.0),
        Figure(label.replace("xlsx", "csv"), times["batch-csv"], "calamine read loop", times["calamine-2"]),
        Figure(
            "calamine read loop (reader choice)",
            times["calamine-2"],
            "openpyxl read-only loop",
            times["openpyxl-ro"],
        ),
        Figure("batch xlsx, --jobs 1", times["batch-xlsx-1"], "default jobs", times["batch"]),
        Figure("batch csv, --jobs 2 vs --jobs 1", times["batch-csv-2"], "--jobs 1", times["batch-csv-1"]),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--actions", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument(
        "--baseline", choices=("openpyxl", "openpyxl-read-only", "calamine"), help=argparse.SUPPRESS
    )
    ap.add_argument("folder", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.baseline:
        print(baseline(args.baseline, args.folder))
        return 0
    print_table("batch benchmark", measure(args.files, args.actions, args.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
