"""Many plans at once: read, validate, RAG-rate and cover each one, in parallel, streamed.

:func:`discover` turns files, folders (searched recursively) and glob patterns into a sorted list of
plan files; :func:`iter_batch` analyses them across CPU cores and yields one :class:`FileResult` per
file, in input order, holding only a few files' results in memory at a time; :func:`batch` runs the
whole thing and, given ``out``, streams every result into a writer of :mod:`edi_workbook.batch.outputs`.

A file that cannot be read becomes a result with ``error`` set; it never stops the batch, not even
when the reader crashes the process it runs in (a native library aborting, memory running out):
plans are analysed in worker processes, a pool that is rebuilt when a worker dies, and the files
that were in flight are then analysed again one at a time, so the one that crashes is reported as
unreadable and every other file still gets its result. Work the output does not need is skipped
(a JUnit report needs neither RAG nor the action rows): see :class:`Need`.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import glob
import os
import re
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from edi_workbook.batch import warm
from edi_workbook.batch.model import (
    ACTION_COLUMNS,
    FileResult,
    Need,
    Totals,
    exit_code_of,
    need_for,
)
from edi_workbook.batch.pool import CRASHED, isolated, mp_context, worker_count
from edi_workbook.errors import OutputError, PlanReadError, UsageError
from edi_workbook.safe_text import printable_path

if TYPE_CHECKING:
    from edi_workbook.plan import Plan
    from edi_workbook.rag_rating import RagColumns

__all__ = [
    "ACTION_COLUMNS",
    "CRASHED",
    "PLAN_SUFFIXES",
    "BatchResult",
    "FileResult",
    "Need",
    "Totals",
    "analyse_file",
    "analyse_plan",
    "batch",
    "discover",
    "iter_batch",
]

PLAN_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".xls")
"""What a folder search picks up (a legacy ``.xls`` too, so it is listed as unreadable with what to do,
not silently skipped). A file named explicitly is always tried, whatever its suffix."""

_ALL = Need()

_OWN_FILE_STEM = re.compile(r".+\.(?:validated|bak|backup-\d{8}-\d{6}(?:-\d+)?)", re.IGNORECASE)
"""Our own write-back backups (``NAME.backup-YYYYmmdd-HHMMSS[-N].xlsx``, ``writeback._backup``) and
fallbacks (``NAME.validated.xlsx``) are never plans to roll up; a plan whose name merely contains
``.bak`` (``St.Bakers Surgery.xlsx``) is."""


# ---------------------------------------------------------------- finding the files


def _skipped(path: Path) -> bool:
    """Lock files (``~$Plan.xlsx``, ``.~lock.Plan.xlsx#``), hidden files and our own backups."""
    name = path.name
    if name.startswith(("~$", ".~lock", ".")):
        return True
    return _OWN_FILE_STEM.fullmatch(path.stem) is not None


def _in_folder(folder: Path) -> list[Path]:
    """Plan files under ``folder``: regular files only (a pipe named ``*.csv`` would block a reader)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            p = Path(dirpath, name)
            if p.suffix.lower() in PLAN_SUFFIXES and not _skipped(p) and p.is_file():
                found.append(p)
    return found


def _real(path: Path) -> Path:
    """``path`` with its links followed; a link in a loop stays as it is (reading it then fails
    with one line for that file, as any unreadable file does), where ``Path.resolve`` raised."""
    return Path(os.path.realpath(path))


def discover(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    exclude: Iterable[Path] = (),
    outputs: Iterable[Path] = (),
) -> list[Path]:
    """Files to analyse, sorted and without duplicates, from files, folders and glob patterns.

    A path that exists nowhere and matches nothing is kept as it is: analysing it reports
    ``no such file or folder``, so a typo is listed rather than silently dropped. When no path
    given exists at all, or folders and patterns hold no plan file, :class:`UsageError` is raised
    and nothing is written: "0 files, all OK", or a roll-up of typos, would read as success.
    ``outputs`` are the files the command will write: one that an earlier run wrote is not read
    as a plan, and one that is anything else (a plan) raises
    :class:`~edi_workbook.errors.OutputError`: an input is never overwritten.
    """
    from edi_workbook.batch.outputs import is_own_output

    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    outputs = [o for o in outputs if o.is_file()]
    own = [o for o in outputs if is_own_output(o)]
    excluded = {_real(p) for p in [*exclude, *own]}
    out: dict[Path, Path] = {}
    missing = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            candidates = _in_folder(p)
        elif p.exists():
            candidates = [p]
        elif glob.has_magic(str(raw)):
            matched = sorted(Path(m) for m in glob.glob(str(raw), recursive=True))
            candidates = [m for m in matched if m.is_file() and not _skipped(m)]
            candidates += [f for m in matched if m.is_dir() for f in _in_folder(m)]
        else:
            candidates = [p]
            missing.append(p)
        for c in candidates:
            key = _real(c)
            if key not in excluded:
                out.setdefault(key, c)
    if missing and not any(c.exists() for c in out.values()):
        names = ", ".join(dict.fromkeys(printable_path(m) for m in missing))
        raise UsageError(f"no such file or folder: {names}")
    if not out:
        where = ", ".join(str(p) for p in paths) or "nothing given"
        raise UsageError(f"no plan files found in {where} (looked for .xlsx, .xlsm, .csv and .xls)")
    for target in outputs:
        if _real(target) in out and target not in own:
            raise OutputError(
                target, f"the output would replace the input {out[_real(target)].name}; choose another -o"
            )
    return sorted(out.values(), key=lambda q: (str(q.parent), q.name))


# ---------------------------------------------------------------- one file


def analyse_file(path: str | os.PathLike[str], as_of: dt.date | None = None, need: Need = _ALL) -> FileResult:
    """Read, validate, RAG-rate and cover one file; an unreadable file gives a result with ``error``."""
    p = Path(path)
    name = printable_path(p)  # a name that is not UTF-8 must not break a UTF-8 output
    if not p.exists():
        return FileResult(file=name, error="no such file or folder")
    from edi_workbook.read import PlanBuildError, read_plan

    try:
        plan = read_plan(p)
    except PlanReadError as exc:
        return FileResult(file=name, error=exc.reason)
    except PlanBuildError as exc:  # the file was read; the plan could not be made of it: our bug
        return FileResult(file=name, error=f"internal error while reading it ({exc}); please report it")
    except Exception as exc:  # noqa: BLE001 - one file the reader trips on must never stop the batch
        return FileResult(file=name, error=f"could not be read ({type(exc).__name__}: {exc})")
    try:
        return analyse_plan(plan, as_of=as_of, need=need, file=name)
    except Exception as exc:  # noqa: BLE001 - a bug on one plan is reported on that plan only
        return FileResult(
            file=name,
            organisation=plan.details.organisation,
            error=f"internal error while checking it ({type(exc).__name__}: {exc}); please report it",
        )


def analyse_plan(
    plan: Plan, *, as_of: dt.date | None = None, need: Need = _ALL, file: str | None = None
) -> FileResult:
    """Validate, RAG-rate and cover one plan already in memory."""
    from edi_workbook import validation
    from edi_workbook.findings import Severity

    findings = validation.validate(plan, as_of=as_of).findings  # already in Finding.sort_key order
    severities = Counter(f.severity for f in findings)
    parts: dict[str, Any] = {}
    rated = None
    if need.rag or need.rows:
        from edi_workbook import rag_rating

        rated = rag_rating.rag_columns(plan, as_of=as_of)
        parts.update(_rag_parts(rated, plan))
    if need.coverage:
        parts.update(_coverage_parts(plan))
    if need.rows:
        from edi_workbook.batch.rows import action_rows

        parts["rows"] = action_rows(plan, rated)
    return FileResult(
        file=file or printable_path(plan.name),
        organisation=plan.details.organisation,
        actions=len(plan),
        errors=severities[Severity.ERROR],
        warnings=severities[Severity.WARNING],
        infos=severities[Severity.INFO],
        rag_disagrees=sum(1 for f in findings if f.code == "rag-disagrees"),
        findings=findings if need.findings else [],
        **parts,
    )


def _rag_parts(rated: RagColumns, plan: Plan) -> dict[str, Any]:
    """RAG counts, overdue (Red: due date passed, not complete) and RAG per HIA (0: no HIA)."""
    from edi_workbook import reference

    names = reference.load().rag_names
    rags = rated.rag
    counts = Counter(rags)
    rag_counts = {name: counts.get(name, 0) for name in names}
    per_hia: dict[int, Counter[str]] = {}
    for hias, value in zip(plan.column("hia"), rags, strict=True):
        for n in hias if isinstance(hias, tuple) and hias else (0,):
            c = per_hia.get(n)
            if c is None:
                c = per_hia[n] = Counter()
            c[value] += 1
    return {
        "rag": rag_counts,
        "overdue": rag_counts.get("Red", 0),
        "hia_rag": {n: {k: c[k] for k in names if k in c} for n, c in sorted(per_hia.items())},
        "as_of": rated.as_of,
    }


def _coverage_parts(plan: Plan) -> dict[str, Any]:
    """Actions per HIA and per PSED aim, and the gaps, from :func:`edi_workbook.mapping.coverage`."""
    from edi_workbook import mapping

    cover = mapping.coverage(plan)
    return {
        "hia_actions": {int(k): int(v) for k, v in cover.hia.items()},
        "psed_actions": {str(k): int(v) for k, v in cover.psed.items()},
        "gaps": [str(g) for g in cover.gaps],
    }


def _analyse_chunk(paths: Sequence[Path], *, as_of: dt.date | None, need: Need) -> list[FileResult]:
    """A worker's chunk of files; with ``need.render``, each result comes back as its output's text."""
    if need.render is None:
        return [analyse_file(p, as_of, need) for p in paths]
    from edi_workbook.batch.render import render

    return [render(analyse_file(p, as_of, need), need.render) for p in paths]


# ---------------------------------------------------------------- many files


def iter_batch(
    files: Sequence[Path],
    *,
    jobs: int | None = None,
    as_of: dt.date | None = None,
    need: Need = _ALL,
    progress: bool = False,
) -> Iterator[FileResult]:
    """Analyse ``files`` (see :func:`discover`) and yield one result per file, in order.

    ``jobs`` worker processes (default: one per CPU core, at most one per core). At most a few
    chunks of files per worker are in flight, so memory stays bounded however many files there are.
    A file that crashes its worker is reported as unreadable (see the module docstring). Where
    processes cannot be forked (Windows), a single file is analysed in this process. Where they
    are forked, the warm-up freezes the garbage collector's objects, this program's included, for
    the workers to inherit; that is undone when the iteration ends (or is stopped).
    """
    n = worker_count(jobs, len(files))
    context = mp_context()
    froze = False
    try:
        if context.get_start_method() == "fork":
            froze = warm.warm_up(functools.partial(analyse_plan, as_of=as_of, need=need))
        work = functools.partial(_analyse_chunk, as_of=as_of, need=need)
        results = cast("Generator[FileResult, None, None]", isolated(files, n, work, context))
        with warm.progress_bar(len(files), progress) as bar, closing(results):  # closing: its pools first
            for result in results:
                yield result
                bar.update(1)
    finally:  # every worker, recycled ones included, was forked above and is gone: the caller's
        if froze:  # objects, frozen with the warm-up's, are the collector's again
            gc.unfreeze()


@dataclass
class BatchResult:
    """What a batch found: one light result per file (no rows or findings once written out)."""

    files: list[FileResult]
    totals: Totals
    as_of: dt.date | None = None
    out: Path | None = None
    format: str | None = None
    extra_outputs: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 no errors, 1 a plan has errors, 2 a file could not be read (as ``validate``)."""
        return exit_code_of(self.totals)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "files": [f.to_dict() for f in self.files],
            "totals": self.totals.to_dict(),
        }


def batch(
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    as_of: dt.date | None = None,
    progress: bool = False,
    out: str | os.PathLike[str] | None = None,
    fmt: str | None = None,
) -> BatchResult:
    """Analyse every plan under ``paths``; with ``out``, stream the results into that file.

    ``fmt`` is ``xlsx``, ``json``, ``csv``, ``html`` or ``junit`` (default: from ``out``'s suffix).
    Without ``out`` the full results are returned (findings and action rows included); with it only
    light per-file summaries are kept.
    """
    from edi_workbook.batch import outputs

    out_path = Path(out) if out is not None else None
    fmt = outputs.format_for(out_path, fmt) if out_path else fmt
    targets = outputs.output_paths(out_path, fmt) if out_path and fmt else []
    files = discover(paths, outputs=targets)
    need = need_for(fmt if out_path else None)
    results = iter_batch(files, jobs=jobs, as_of=as_of, need=need, progress=progress)
    totals = Totals()
    kept: list[FileResult] = []
    if out_path is None or fmt is None:
        for r in results:
            totals.add(r)
            kept.append(r)
        return BatchResult(kept, totals, as_of=as_of)
    with outputs.open_writer(fmt, out_path, as_of=as_of) as writer:
        for r in results:
            totals.add(r)
            writer.add(r)
            kept.append(r.light())
    return BatchResult(kept, totals, as_of=as_of, out=out_path, format=fmt, extra_outputs=writer.extra_paths)
