"""Batch: finding files, analysing them in parallel, unreadable files listed, only needed work done."""

from __future__ import annotations

import dataclasses
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from edi_workbook.batch import run as batch_mod
from edi_workbook.batch import warm
from edi_workbook.batch.model import ROW_KEYS, Need, need_for
from edi_workbook.errors import UsageError
from tests.batch.support import AS_OF, make_inbox, tricky_plan


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[Path]]]:
    folder = tmp_path_factory.mktemp("inbox")
    return folder, make_inbox(folder)


def test_discover_recurses_sorts_and_skips_lock_files_and_own_outputs(inbox):
    folder, made = inbox
    found = batch_mod.discover([folder / "plans"])
    assert sorted(found) == sorted([*made["plans"], *made["unreadable"]])
    assert not set(made["skipped"]) & set(found)
    assert found == sorted(found, key=lambda p: (str(p.parent), p.name))


def test_discover_globs_dedupes_keeps_missing_and_excludes(inbox):
    folder, made = inbox
    pattern = str(folder / "plans" / "*_csv.csv")
    missing = folder / "nope.xlsx"
    found = batch_mod.discover([pattern, made["plans"][4], missing], exclude=[made["plans"][0]])
    assert [p.name for p in found] == ["nope.xlsx", "plan_00005_csv.csv"]


def test_batch_reads_every_plan_and_lists_unreadable_files_without_stopping(inbox):
    folder, made = inbox
    result = batch_mod.batch([folder / "plans", folder / "missing.xlsx"], jobs=2, as_of=AS_OF)
    by_name = {Path(r.file).name: r for r in result.files}
    assert {n for n, r in by_name.items() if not r.readable} == {"corrupt.xlsx", "notes.xlsx", "missing.xlsx"}
    assert by_name["missing.xlsx"].error == "no such file or folder"
    readable = [r for r in result.files if r.readable]
    assert len(readable) == len(made["plans"])
    assert all(r.actions == 12 for r in readable)
    assert result.totals.actions == 12 * len(made["plans"])
    assert result.exit_code == 2


def test_parallel_and_in_process_give_the_same_results(inbox):
    folder, _ = inbox
    one = batch_mod.batch([folder / "plans"], jobs=1, as_of=AS_OF)
    two = batch_mod.batch([folder / "plans"], jobs=2, as_of=AS_OF)
    assert [r.to_dict() for r in one.files] == [r.to_dict() for r in two.files]


def test_counts_of_one_plan_add_up():
    r = batch_mod.analyse_plan(tricky_plan(), as_of=AS_OF)
    assert (r.actions, r.overdue, r.rag["Red"], r.rag["Blue"]) == (2, 1, 1, 1)
    assert r.hia_actions == {1: 0, 2: 1, 3: 1, 4: 0, 5: 0, 6: 0}
    assert r.hias_covered == (2, 3)
    assert r.hia_rag == {2: {"Red": 1}, 3: {"Blue": 1}}
    assert sum(r.rag.values()) == r.actions
    assert (r.errors, r.warnings) == (
        sum(f.severity == "error" for f in r.findings),
        sum(f.severity == "warning" for f in r.findings),
    )
    row = dict(zip((*ROW_KEYS, "rag_reason", "cell", "other_columns"), r.rows[0], strict=True))
    assert (row["action_id"], row["hia"], row["rag"], row["days_to_due"], row["cell"]) == (
        "T1",
        "HIA 2",
        "Red",
        -59,
        "'Action Plan'!A2",
    )
    assert (row["objective"], row["reported_rag"]) == (None, None)


def test_only_the_work_an_output_needs_is_done(inbox):
    _folder, made = inbox
    junit = batch_mod.analyse_file(made["plans"][0], AS_OF, need_for("junit"))
    assert (junit.rows, junit.hia_actions) == ([], {})
    assert junit.rag  # the summary line's overdue count needs it
    assert junit.findings
    summary = batch_mod.analyse_file(made["plans"][0], AS_OF, need_for("text"))
    assert summary.rag
    assert summary.hia_actions
    assert (summary.rows, summary.findings) == ([], [])
    assert summary.errors + summary.warnings + summary.infos == len(junit.findings)
    full = batch_mod.analyse_file(made["plans"][0], AS_OF, Need())
    assert len(full.rows) == full.actions == 12


def test_results_stream_in_order_and_written_results_are_light(inbox, tmp_path):
    folder, _ = inbox
    files = batch_mod.discover([folder / "plans"])
    stream = batch_mod.iter_batch(files, jobs=2, as_of=AS_OF)
    first = next(stream)
    assert Path(first.file) == files[0]
    stream.close()  # stopping early shuts the workers down
    result = batch_mod.batch([folder / "plans"], as_of=AS_OF, out=tmp_path / "roll-up.json")
    assert all(not r.findings and not r.rows for r in result.files)
    assert result.totals.errors == sum(r.errors for r in result.files)


def test_a_bug_on_one_plan_is_reported_on_that_plan(monkeypatch, inbox):
    _, made = inbox

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(batch_mod, "analyse_plan", broken)
    r = batch_mod.analyse_file(made["plans"][0], AS_OF)
    assert not r.readable
    assert r.error.startswith("internal error")


def test_jobs_below_one_is_a_usage_error():
    with pytest.raises(UsageError):
        list(batch_mod.iter_batch([Path("x.xlsx")], jobs=0))


def test_exit_code_is_as_validate():
    ok = batch_mod.FileResult(file="a.xlsx", actions=3)
    bad = dataclasses.replace(ok, errors=2)
    gone = batch_mod.FileResult(file="b.xlsx", error="file not found")
    codes = []
    for files in ([ok], [ok, bad], [ok, bad, gone]):
        totals = batch_mod.Totals()
        for f in files:
            totals.add(f)
        codes.append(batch_mod.BatchResult(files, totals).exit_code)
    assert codes == [0, 1, 2]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("progress", "shown"), [(True, True), (False, False)])
def test_progress_bar_only_on_a_terminal_and_when_asked(inbox, monkeypatch, progress, shown):
    _, made = inbox
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    results = list(batch_mod.iter_batch(made["plans"][:2], jobs=1, as_of=AS_OF, progress=progress))
    assert len(results) == 2
    assert ("0/2" in term.getvalue()) is shown


def _python(code: str, *args: object) -> dict[str, Any]:
    """Run ``code`` in a fresh Python (a freeze lasts as long as the process: pytest's own must not
    depend on which test ran first); it prints one JSON object, returned here."""
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_warm_up_freezes_once_per_process_says_so_and_leaves_the_collector_on():
    seen = _python(
        "import datetime as dt, functools, gc, json\n"
        "from edi_workbook.batch import run, warm\n"
        "from edi_workbook.batch.model import Need\n"
        "analyse = functools.partial(run.analyse_plan, as_of=dt.date(2025, 3, 31), need=Need())\n"
        "before = gc.get_freeze_count()\n"
        "first = warm.warm_up(analyse)\n"
        "frozen = gc.get_freeze_count()\n"
        "made = [[] for _ in range(1000)]  # new objects, which a second freeze would take too\n"
        "second = warm.warm_up(analyse)\n"
        "print(json.dumps(dict(before=before, first=first, frozen=frozen, second=second,\n"
        "    again=gc.get_freeze_count(), on=gc.isenabled())))\n"
    )
    assert seen["before"] == 0
    assert seen["first"] is True
    assert seen["frozen"] > 1000  # what the workers inherit is out of the collector's sight
    assert seen["second"] is False
    assert seen["again"] == seen["frozen"]
    assert seen["on"]


_WORKERS_SEE = (  # a fresh Python runs a batch whose workers report the freeze they inherited
    "import gc, json, os, sys\n"
    "from pathlib import Path\n"
    "from edi_workbook.batch import pool, run\n"
    "from edi_workbook.batch.model import FileResult\n"
    "def chunk(paths, *, as_of, need):\n"
    "    return [FileResult(file=f'{os.getpid()} {gc.get_freeze_count()}') for _ in paths]\n"
    "run._analyse_chunk = chunk\n"
    "pool.RECYCLE = 1  # fresh workers every few files: they too are forked before the unfreeze\n"
    "if sys.argv[1] == 'host-froze':\n"
    "    gc.freeze()\n"
    "before = gc.get_freeze_count()\n"
    "files = [Path(f'plan_{i}.csv') for i in range(12)]\n"
    "seen = [r.file.split() for r in run.iter_batch(files, jobs=2)]\n"
    "after_iter = gc.get_freeze_count()\n"
    "stopped = run.iter_batch(files, jobs=2)\n"
    "next(stopped)\n"
    "stopped.close()  # a caller that stops early\n"
    "after_close = gc.get_freeze_count()\n"
    "print(json.dumps(dict(before=before, workers=seen, after_iter=after_iter,\n"
    "    after_close=after_close, on=gc.isenabled())))\n"
)


def test_iter_batch_unfreezes_the_callers_objects_once_its_workers_are_done():
    """A library call must not leave a notebook's or a script's objects frozen for good; the
    workers, recycled ones included, still start from the frozen warm-up."""
    seen = _python(_WORKERS_SEE, "fresh")
    assert seen["before"] == 0
    assert seen["after_iter"] == 0
    assert seen["after_close"] == 0
    assert seen["on"]
    pids = {pid for pid, _ in seen["workers"]}
    assert len(pids) > 2  # recycled workers took over
    assert all(int(frozen) > 1000 for _, frozen in seen["workers"])


def test_iter_batch_leaves_a_freeze_that_was_not_its_own():
    seen = _python(_WORKERS_SEE, "host-froze")
    assert seen["before"] > 0
    assert seen["after_iter"] > 0  # (fewer than before: frozen objects freed by reference counting leave)
    assert seen["after_close"] > 0


def test_batch_unfreezes_the_callers_objects(inbox, tmp_path):
    _, made = inbox
    seen = _python(
        "import gc, json, sys\n"
        "from edi_workbook.batch import batch\n"
        "before = gc.get_freeze_count()\n"
        "kept = batch(sys.argv[1:3], jobs=2)\n"
        "written = batch(sys.argv[1:3], jobs=2, out=sys.argv[3])\n"
        "print(json.dumps(dict(before=before, files=[len(kept.files), len(written.files)],\n"
        "    after=gc.get_freeze_count())))\n",
        *made["plans"][:2],
        tmp_path / "rollup.xlsx",
    )
    assert seen == {"before": 0, "files": [2, 2], "after": 0}


def test_no_progress_bar_without_a_terminal_needs_no_tqdm(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # importing it would fail
    with warm.progress_bar(3, True) as bar:
        bar.update(1)
