"""A batch survives whatever is in its folder (issue 13): a file that kills its reader, pipes,
names that are not UTF-8, characters XML cannot hold, an output naming an input, a full disk.

Each test names the item it covers.
"""

from __future__ import annotations

import errno
import io
import json
import multiprocessing
import os
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from edi_workbook.batch import batch, iter_batch
from edi_workbook.batch.pool import worker_count
from edi_workbook.cli import main
from edi_workbook.errors import EdiWorkbookError
from tests.paths import ROOT

EXAMPLE = ROOT / "workbook_templates" / "example_action_plan.xlsx"
FORMATS = ("json", "xlsx", "html", "csv", "xml")


def _far(path: Path) -> Path:
    """The example with one value at XFD1048576 on its plan sheet."""
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    with zipfile.ZipFile(EXAMPLE) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet3.xml":
                data = data.replace(b"</sheetData>", far)
            zout.writestr(info.filename, data)
    return path


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch")
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_that_crashes_the_reader_is_reported_and_the_others_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """Item 12: python-calamine aborting on one file killed the batch (exit 134 with --jobs 1,
    BrokenProcessPool with --jobs 2). The extent check that now prevents that abort is switched
    off here, so python-calamine really aborts, in a worker process; the batch reports that file
    as unreadable and finishes every other file."""
    monkeypatch.setattr("edi_workbook.limits.sheet_extent", lambda xml: (1, 1), raising=False)
    names = []
    for i in range(5):
        (tmp_path / f"plan{i}.xlsx").write_bytes(EXAMPLE.read_bytes())
        names.append(f"plan{i}.xlsx")
        if i in (1, 3):
            _far(tmp_path / f"crash{i}.xlsx")
            names.append(f"crash{i}.xlsx")
    files = sorted(tmp_path.iterdir())
    results = list(iter_batch(files, jobs=jobs))
    assert [Path(r.file).name for r in results] == [p.name for p in files]
    crashed = {Path(r.file).name for r in results if r.error and r.error.startswith("the reader stopped")}
    assert crashed == {"crash1.xlsx", "crash3.xlsx"}
    assert all(r.actions == 34 for r in results if Path(r.file).name.startswith("plan"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX pipes")
def test_a_pipe_in_the_folder_is_skipped(tmp_path: Path) -> None:
    """Item 17: a pipe named ``*.csv`` in a batch folder hung the batch."""
    import subprocess

    (tmp_path / "plan.xlsx").write_bytes(EXAMPLE.read_bytes())
    os.mkfifo(tmp_path / "pipe.csv")
    code = "import sys; from edi_workbook.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, "batch", str(tmp_path)], capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "1 file: 1 OK" in done.stdout


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_name_that_is_not_utf8_is_written_as_escapes(tmp_path: Path, fmt: str, capsys) -> None:
    """Item 18: a non-UTF-8 file name made batch (json, xlsx, html, csv) and report exit 3 with
    UnicodeEncodeError (the xlsx case printed ~40 traceback lines)."""
    folder = tmp_path / "returns"
    folder.mkdir()
    Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9.xlsx")).write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / f"rollup.{fmt}"
    assert main(["batch", str(folder), "-o", str(out), "-q"]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "internal error" not in err
    if fmt == "json":
        assert json.loads(out.read_text(encoding="utf-8"))["files"][0]["file"].endswith("caf\\xe9.xlsx")
    else:
        assert b"caf\\xe9.xlsx" in _text_of(out)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_the_report_of_a_file_whose_name_is_not_utf8(tmp_path: Path, capsys) -> None:
    """Item 18: ``report`` exited 3 as well."""
    Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.xlsx")).write_bytes(EXAMPLE.read_bytes())
    assert main(["report", str(tmp_path), "-o", str(tmp_path / "board.html"), "-q"]) == 0
    assert "internal error" not in capsys.readouterr().err


def _text_of(path: Path) -> bytes:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as zf:
            return b"".join(zf.read(n) for n in zf.namelist())
    if path.suffix == ".html":  # the report offers line breaks in paths: <wbr> after each "/", "_"
        return path.read_bytes().replace(b"<wbr>", b"")
    return path.read_bytes()


def test_characters_xml_cannot_hold_are_dropped_from_the_roll_up(tmp_path: Path) -> None:
    """Item 19: U+FFFE (and other XML-illegal characters) in a cell made ``batch -o X.xlsx``
    exit 3 with tracebacks."""
    import openpyxl

    plan = tmp_path / "plan.csv"
    plan.write_text(
        "Action ID,Action,Owner,Due date\nA1,Train managers\ufffe\uffff,Jo,31/03/2027\n", encoding="utf-8"
    )
    out = tmp_path / "rollup.xlsx"
    assert main(["batch", str(plan), "-o", str(out), "-q"]) == 0
    ws = openpyxl.load_workbook(out)["All actions"]
    assert "Train managers" in [c.value for c in ws[2]]


def test_jobs_are_capped_at_the_cpu_count() -> None:
    """Item 28: ``--jobs 1000`` started a worker per file."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert worker_count(1000, 5000) == cpus
    assert worker_count(None, 1) == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_output_that_names_an_input_is_refused(tmp_path: Path, fmt: str) -> None:
    """Item 6: ``batch -o`` could name one of its own inputs: the plan was dropped from the run and
    overwritten by the roll-up, no backup. Now exit 2 before anything is written."""
    plan = tmp_path / f"plan.{fmt}"
    plan.write_bytes(EXAMPLE.read_bytes() if fmt == "xlsx" else b"Action ID,Action\nA1,Do it\n")
    (tmp_path / "other.xlsx").write_bytes(EXAMPLE.read_bytes())
    before = plan.read_bytes()
    with pytest.raises(EdiWorkbookError, match="would replace the input"):
        batch([tmp_path], out=plan)
    assert plan.read_bytes() == before
    assert main(["batch", str(tmp_path), "-o", str(plan)]) == 2
    assert plan.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["other.xlsx", plan.name])


def test_a_roll_up_written_before_in_the_same_folder_is_replaced(tmp_path: Path) -> None:
    """Item 6: the output of an earlier run is not an input: it is replaced, as before."""
    (tmp_path / "plan.xlsx").write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "rollup.xlsx"
    first = batch([tmp_path], out=out)
    second = batch([tmp_path], out=out)
    assert first.totals.files == second.totals.files == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_full_disk_leaves_no_temporary_file_and_one_line(
    tmp_path: Path, fmt: str, monkeypatch, capsys
) -> None:
    """Item 20: on a full disk batch exited 3 and left hidden ``.NAME.*.tmp`` files
    (``Writer.__exit__`` skipped the clean-up when ``finish()`` raised)."""
    (tmp_path / "plan.xlsx").write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "out" / f"rollup.{fmt}"
    out.parent.mkdir()
    _disk_full_after(monkeypatch, 1000)  # every output of the example plan is longer (xml: 1.5 KB)
    assert main(["batch", str(tmp_path / "plan.xlsx"), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err
    assert err.count("\n") == 1
    assert list(out.parent.iterdir()) == []


def _disk_full_after(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    """Files opened for writing under a temporary name (``.NAME.*.tmp``) fail with ENOSPC once
    ``limit`` bytes in all are written to them: a disk filling up mid-write."""
    import builtins

    real_open = builtins.open
    total = [0]

    class Full(io.RawIOBase):
        def __init__(self, fh) -> None:
            self.fh = fh

        def writable(self) -> bool:
            return True

        def readable(self) -> bool:
            return self.fh.readable()

        def seekable(self) -> bool:
            return self.fh.seekable()

        def write(self, data) -> int:
            total[0] += len(data)
            if total[0] > limit:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.fh.write(data)

        def readinto(self, b) -> int:
            return self.fh.readinto(b)

        def seek(self, *args) -> int:
            return self.fh.seek(*args)

        def tell(self) -> int:
            return self.fh.tell()

        def flush(self) -> None:
            if not self.fh.closed:
                self.fh.flush()

        def fileno(self) -> int:
            return self.fh.fileno()

        def close(self) -> None:
            self.fh.close()
            super().close()

    def full_open(file, mode="r", *args, **kwargs):
        name = os.path.basename(os.fspath(file)) if isinstance(file, (str, os.PathLike)) else ""
        if name.startswith(".") and name.endswith(".tmp") and any(m in mode for m in "wax"):
            if "b" in mode:
                return Full(real_open(file, mode, buffering=0))
            raw = Full(real_open(file, mode.replace("t", "") + ("b" if "b" not in mode else ""), buffering=0))
            return io.TextIOWrapper(io.BufferedWriter(raw), encoding=kwargs.get("encoding") or "utf-8",
                                    newline=kwargs.get("newline"))  # fmt: skip
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", full_open)
    monkeypatch.setattr(io, "open", full_open)


def _pids(paths: list[Path]) -> list[tuple[str, int]]:
    return [(p.name, os.getpid()) for p in paths]


def test_workers_are_replaced_after_their_share_of_files(tmp_path: Path, monkeypatch) -> None:
    """Issue 18: a worker's caches of the texts it has seen grew with the batch (336 MiB after 500
    plans of varied wording); fresh workers now take over every RECYCLE files per worker, and the
    results still come back one per file, in order."""
    from edi_workbook.batch import pool

    monkeypatch.setattr(pool, "RECYCLE", 4)
    files = [tmp_path / f"plan{i:03}.xlsx" for i in range(40)]
    got = list(pool.isolated(files, 2, _pids, pool.mp_context()))
    assert [name for name, _ in got] == [p.name for p in files]
    assert len({pid for _, pid in got}) >= 40 // (4 * 2)  # at least one pair of workers per 8 files
    assert os.getpid() not in {pid for _, pid in got}


def test_one_file_where_workers_are_spawned_is_analysed_here_and_many_are_not(tmp_path: Path) -> None:
    """Where processes start by spawning (Windows), a worker for a single file costs more than the
    file; ``isolated`` decides this once for ``batch`` and ``--history`` alike."""
    import multiprocessing

    from edi_workbook.batch import pool

    spawn = multiprocessing.get_context("spawn")
    one = [tmp_path / "plan.xlsx"]
    assert list(pool.isolated(one, 2, _pids, spawn)) == [("plan.xlsx", os.getpid())]
    forked = list(pool.isolated(one, 2, _pids, multiprocessing.get_context("fork")))
    assert [pid for _, pid in forked] != [os.getpid()]


def _boom(paths: list[Path]) -> list[str]:
    raise ValueError(f"cannot do {len(paths)}")


def _die(paths: list[Path]) -> list[str]:
    os._exit(3)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="a forked child")
def test_a_single_file_runs_in_one_forked_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 18: a one-file batch forks one child with a pipe instead of starting a process pool
    (12 ms of its 0.22 s). The child still isolates: its death is that file's CRASHED result, an
    exception in the work is raised here, and the child never runs the caller's code after it."""
    from edi_workbook.batch import pool

    monkeypatch.setattr(pool, "_Pool", None)  # no pool is started
    one = [tmp_path / "plan.xlsx"]
    fork = multiprocessing.get_context("fork")
    [(name, pid)] = pool.isolated(one, 1, _pids, fork)
    assert (name, pid == os.getpid()) == ("plan.xlsx", False)
    [dead] = pool.isolated(one, 1, _die, fork)
    assert dead.error == pool.CRASHED
    with pytest.raises(ValueError, match="cannot do 1"):
        list(pool.isolated(one, 1, _boom, fork))
    monkeypatch.setattr("edi_workbook.limits.sheet_extent", lambda xml: (1, 1), raising=False)
    [crashed] = iter_batch([_far(tmp_path / "crash.xlsx")], jobs=1)
    assert crashed.error == pool.CRASHED


def _sleep(paths: list[Path]) -> list[str]:
    (paths[0].parent / "child.pid").write_text(str(os.getpid()))
    time.sleep(60)
    return ["late"]


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="a forked child")
def test_ctrl_c_ends_the_forked_child_at_once(tmp_path: Path) -> None:
    """Ctrl-C during a one-file batch ends its child (which ignores Ctrl-C) at once; before, the
    parent waited for the child to finish its file (here a minute) before it stopped."""
    import signal

    from edi_workbook.batch import pool

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            list(pool.isolated([tmp_path / "plan.xlsx"], 1, _sleep, multiprocessing.get_context("fork")))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
    assert time.monotonic() - start < 30  # the child sleeps 60 s
    child = int((tmp_path / "child.pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # ended and reaped


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="a forked child")
def test_a_one_file_batch_works_where_children_are_reaped_by_the_system(tmp_path: Path) -> None:
    """Started with SIGCHLD ignored (it survives exec; a host may also reap every child itself), the
    forked child is reaped by the system: its result was read all the same, but the wait then failed
    and the good file ended "No such process", exit 2 (found by review)."""
    import signal
    import subprocess

    out = tmp_path / "r.json"
    done = subprocess.run(
        [sys.executable, "-m", "edi_workbook", "batch", str(EXAMPLE), "-q", "-o", str(out)],
        preexec_fn=lambda: signal.signal(signal.SIGCHLD, signal.SIG_IGN),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    [result] = json.loads(out.read_text(encoding="utf-8"))["files"]
    assert (result["error"], result["actions"]) == (None, 34)


class _Unpicklable(Exception):
    def __reduce__(self) -> Any:
        raise TypeError("not to be pickled")


def _unpicklable(paths: list[Path]) -> list[str]:
    raise _Unpicklable("a bug")


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="a forked child")
def test_a_bug_in_the_one_file_child_is_raised_not_called_a_crash(tmp_path: Path) -> None:
    """An exception that cannot be pickled was reported as the file crashing the reader ("open it in
    Excel, check it and save it again"); it is raised as the bug it is, named."""
    from edi_workbook.batch import pool

    with pytest.raises(RuntimeError, match="_Unpicklable: a bug"):
        list(pool.isolated([tmp_path / "plan.xlsx"], 1, _unpicklable, multiprocessing.get_context("fork")))
