"""Benchmarks: each target is a ratio to a baseline measured in the same run, never a wall time.

``python -m benchmarks`` runs them all (``make bench``); each ``bench_*.py`` also runs alone.
The helpers here time commands in fresh processes (medians of many runs), keep generated plans in
a cache folder between runs, and describe the machine for the figures in ``docs/benchmarks.md``.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).with_name("edi-workbook"))


@dataclass(frozen=True)
class Figure:
    """One measured figure and, when it has one, its target as a ratio to a baseline."""

    name: str
    seconds: float  # the measured value, in ``unit``
    baseline: str | None = None
    baseline_seconds: float | None = None
    target: float | None = None  # at most this many times the baseline
    unit: str = "s"
    limit: float | None = None  # an absolute target, in ``unit`` (memory: there is no baseline)

    @property
    def ratio(self) -> float | None:
        return None if not self.baseline_seconds else self.seconds / self.baseline_seconds

    @property
    def met(self) -> bool | None:
        if self.limit is not None:
            return self.seconds <= self.limit
        return None if self.target is None or self.ratio is None else self.ratio <= self.target

    def line(self) -> str:
        """A Markdown table row: name, value, baseline, ratio, target, met."""
        ratio = f"{self.ratio:.2f}x" if self.ratio is not None else ""
        target = f"<= {self.target:g}x" if self.target is not None else ""
        if self.limit is not None:
            target = f"<= {self.limit:g} {self.unit}"
        met = {True: "yes", False: "**no**", None: ""}[self.met]
        value = f"{self.seconds:.3f} s" if self.unit == "s" else f"{self.seconds:,.0f} {self.unit}"
        base = f"{self.baseline} ({self.baseline_seconds:.3f} s)" if self.baseline else ""
        return f"| {self.name} | {value} | {base} | {ratio} | {target} | {met} |"


HEADER = (
    "| measure | median | baseline (median) | ratio | target | met |\n| --- | --- | --- | --- | --- | --- |"
)


def print_table(heading: str, figures: Iterable[Figure]) -> None:
    """A benchmark's report: ``# heading on <machine>``, then its figures as a Markdown table."""
    print(f"# {heading} on {machine()}")
    print(HEADER)
    for f in figures:
        print(f.line())


def load() -> str:
    """The load averages (1, 5 and 15 minutes), for the figures' caption."""
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> str:
    """CPU model, core count, Python and OS, for the figures' caption."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    system = f"{platform.system()} {platform.release()}"
    return f"{model}, {cpus} CPUs, Python {platform.python_version()}, {system}{load}"


def run_seconds(cmd: Sequence[str], *, env: dict[str, str] | None = None) -> float:
    """Wall time of one run of ``cmd`` in a fresh process (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(
        list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env, cwd=ROOT
    )
    return time.perf_counter() - start


def bytecode_compiled() -> None:
    """Compile the package's modules to bytecode (``__pycache__``) once, as installing it from a wheel does.

    Command benchmarks start fresh processes. In a checkout installed in editable mode with
    ``PYTHONDONTWRITEBYTECODE=1`` set (as on our development machines), nothing writes the bytecode,
    so every fresh process compiled every module of the package from source again, about 70 ms of a
    ``validate`` start; pandas, the baseline, was compiled when pip installed it. A user's installation
    has the bytecode, so the benchmarks measure with it. Up-to-date files are left alone.
    """
    import compileall

    import edi_workbook

    compileall.compile_dir(Path(edi_workbook.__file__).parent, quiet=2)


def median_of(fn: Callable[[], float], repeats: int) -> float:
    """Median of ``repeats`` timings returned by ``fn``."""
    return statistics.median(fn() for _ in range(repeats))


def interleaved(cmds: dict[str, Sequence[str]], repeats: int) -> dict[str, float]:
    """Median wall time of each command, run in turn (A B C A B C ...) so drift hits all alike."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(repeats):
        for name, cmd in cmds.items():
            times[name].append(run_seconds(cmd))
    return {k: statistics.median(v) for k, v in times.items()}


def cache_dir(name: str) -> Path:
    """A folder kept between runs for generated plans (``EDI_BENCH_CACHE`` or the temp folder)."""
    base = Path(os.environ.get("EDI_BENCH_CACHE") or Path(tempfile.gettempdir()) / "edi-workbook-bench")
    return base / name


def plans(files: int, actions: int, seed: int = 0) -> Path:
    """A folder of generated plans, made once and reused (a marker file says it is complete)."""
    from benchmarks.generate import VERSION, generate

    folder = cache_dir(f"plans-{files}x{actions}-s{seed}-v{VERSION}")
    done = folder / ".complete"
    if not done.exists():
        generate(folder, files, actions, seed=seed)
        done.write_text("ok\n")
    return folder
