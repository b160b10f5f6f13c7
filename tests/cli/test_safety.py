"""Every command's writes are safe (issue 13): never over an input or over what the user made,
through symbolic links, never into a device or a pipe, one line on a full disk, and signals that
leave no temporary file and a truthful message. Each test names the item it covers.

Signals are real: the command runs in a child process, which is told to pause inside the write
window (a patched ``os.fsync`` or ``os.replace``), and the test sends the signal then.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from edi_workbook.cli import main
from tests.batch.test_isolation import _disk_full_after
from tests.paths import ROOT

EXAMPLE = ROOT / "workbook_templates" / "example_action_plan.xlsx"
POSIX = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_report_refuses_an_output_that_is_one_of_its_inputs(tmp_path: Path, capsys) -> None:
    """Item 6: every writer refuses to write over one of its inputs (report as batch does)."""
    page = tmp_path / "board.html"
    page.write_text("<p>the user's own page</p>", encoding="utf-8")
    assert main(["report", str(page), str(EXAMPLE), "-o", str(page)]) == 2
    assert page.read_text(encoding="utf-8") == "<p>the user's own page</p>"
    assert "would replace the input board.html" in capsys.readouterr().err


def test_calendar_refuses_an_output_that_is_the_plan_under_another_name(plan: Path) -> None:
    """Item 6: ``calendar -o`` through a link to the plan itself."""
    link = plan.with_name("link.ics")
    link.symlink_to(plan)
    before = plan.read_bytes()
    assert main(["calendar", str(plan), "-o", str(link)]) == 2
    assert plan.read_bytes() == before


def test_by_owner_never_writes_over_a_plan_csv_in_its_folder(tmp_path: Path) -> None:
    """Item 6: an owner whose file name is the plan's (``Plan`` -> ``plan.csv``) took the plan's name."""
    plan = tmp_path / "plan.csv"
    plan.write_text("Action ID,Action,Owner,Due date\nA1,Train managers,Plan,31/03/2027\n", encoding="utf-8")
    before = plan.read_bytes()
    args = ["calendar", str(plan), "-o", str(tmp_path / "all.csv"), "--format", "outlook-csv"]
    assert main([*args, "--by-owner", str(tmp_path)]) == 0
    assert plan.read_bytes() == before
    assert (tmp_path / "plan-2.csv").exists()


def test_calendar_through_a_symlink_updates_the_published_file(plan: Path, tmp_path: Path) -> None:
    """Item 7: ``-o`` onto a symbolic link replaced the link itself; a link into a shared,
    published folder became a local file and the published calendar never updated."""
    published = tmp_path / "published"
    published.mkdir()
    (published / "plan.ics").write_bytes(b"old")
    link = tmp_path / "plan.ics"
    link.symlink_to(published / "plan.ics")
    assert main(["calendar", str(plan), "-o", str(link), "--as-of", "2026-11-22"]) == 0
    assert link.is_symlink()
    assert (published / "plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert _temp_files(published) == []


def test_batch_through_a_symlink_updates_its_target(plan: Path, tmp_path: Path) -> None:
    """Item 7: the same for every writer (the batch roll-up)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "rollup.json").write_text("{}")
    link = tmp_path / "rollup.json"
    link.symlink_to(shared / "rollup.json")
    assert main(["batch", str(plan), "-o", str(link), "-q"]) == 0
    assert link.is_symlink()
    assert '"files"' in (shared / "rollup.json").read_text()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX pipes")
def test_a_pipe_or_a_device_as_output_is_refused(plan: Path, tmp_path: Path, capsys) -> None:
    """Item 7: a device or a pipe as ``-o`` was replaced by a file (``os.replace`` over the node)."""
    fifo = tmp_path / "out.ics"
    os.mkfifo(fifo)
    assert main(["calendar", str(plan), "-o", str(fifo)]) == 2
    assert "is a pipe, not a file" in capsys.readouterr().err
    assert fifo.is_fifo()
    assert main(["batch", str(plan), "-o", "/dev/null", "--format", "json"]) == 2
    assert Path("/dev/null").is_char_device()


def test_demo_never_writes_over_files_it_did_not_write(tmp_path: Path, capsys) -> None:
    """Item 10: ``demo -o DIR`` overwrote same-named files silently."""
    mine = tmp_path / "example_action_plan.xlsx"
    mine.write_bytes(b"the user's own workbook")
    assert main(["demo", "-o", str(tmp_path)]) == 2
    assert mine.read_bytes() == b"the user's own workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example_action_plan.xlsx"]
    assert "was not written by this command" in capsys.readouterr().err


def test_demo_replaces_its_own_files_but_not_one_edited_since(tmp_path: Path) -> None:
    """Item 10: a second demo in the same folder works; a file the user changed stops it."""
    assert main(["demo", "-o", str(tmp_path), "--as-of", "2026-11-22"]) == 0
    assert main(["demo", "-o", str(tmp_path), "--as-of", "2026-11-22"]) == 0
    (tmp_path / "example_action_plan.ics").write_bytes(b"edited")
    assert main(["demo", "-o", str(tmp_path), "--as-of", "2026-11-22"]) == 2
    assert (tmp_path / "example_action_plan.ics").read_bytes() == b"edited"


def test_excel_setup_never_writes_over_a_users_main_py(tmp_path: Path) -> None:
    """Items 6 and 10: ``excel-setup --write DIR`` replaced a main.py someone had written."""
    (tmp_path / "main.py").write_text("# my own xlwings script\n")
    assert main(["excel-setup", "--route", "lite", "--write", str(tmp_path)]) == 2
    assert (tmp_path / "main.py").read_text() == "# my own xlwings script\n"


def test_excel_setup_into_a_folder_that_cannot_be_made_is_one_line(capsys) -> None:
    """Item 25: ``excel-setup --write /proc/x`` exited 3."""
    assert main(["excel-setup", "--route", "lite", "--write", "/proc/edi-workbook-test/x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot be made" in err


@pytest.mark.parametrize(
    "command",
    [
        ["calendar", "{plan}", "-o", "{out}/plan.ics"],
        ["calendar", "{plan}", "-o", "{out}/plan.ics", "--by-owner", "{out}/owners"],
        ["report", "{plan}", "-o", "{out}/board.html"],
        ["excel-setup", "--route", "lite", "--write", "{out}"],
    ],
)
def test_a_full_disk_is_one_line_and_leaves_nothing_behind(
    plan: Path, tmp_path: Path, command: list[str], monkeypatch, capsys
) -> None:
    """Item 20: on a full disk calendar, --by-owner, report and excel-setup exited 3 (batch is in
    tests/batch/test_isolation.py)."""
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(plan=plan, out=out) for a in command]
    room = 500
    if "--by-owner" in args:  # the main calendar fits, the owners' files do not
        main(args[:4])
        (out / "owners").mkdir()
        room = (out / "plan.ics").stat().st_size + 500
    _disk_full_after(monkeypatch, room)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err
    assert err.count("\n") == 1
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def _run_paused(code: str, *args: str) -> subprocess.Popen[str]:
    """A child process running ``code`` (which prints PAUSED and sleeps at the moment wanted)."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


_PAUSE_IN_FSYNC = """
import os, sys, time
real = os.fsync
def slow(fd):
    real(fd)
    print("PAUSED", flush=True)
    time.sleep(60)
os.fsync = slow
from edi_workbook.cli import main
sys.exit(main(sys.argv[1:]))
"""

_PAUSE_AFTER_REPLACE = """
import os, signal, sys, time
# Ctrl-C as in a terminal: a shell starts a background job (a CI runner's script, say) with SIGINT
# ignored, the child inherits that, and an ignored SIGINT is rightly never delivered (exit 0)
signal.signal(signal.SIGINT, signal.default_int_handler)
real = os.replace
def slow(src, dst):
    real(src, dst)
    if str(dst).endswith("plan.xlsx"):
        print("PAUSED", flush=True)
        # an interrupt that arrives now is held until the write is recorded; wait until the test
        # says it has sent it
        sent = os.path.join(os.path.dirname(str(dst)), "signal-sent")
        for _ in range(600):
            if os.path.exists(sent):
                break
            time.sleep(0.1)
os.replace = slow
from edi_workbook.cli import main
sys.exit(main(sys.argv[1:]))
"""


@POSIX
def test_sigterm_while_the_workbook_is_written_leaves_no_temporary_file(plan: Path) -> None:
    """Item 20: SIGTERM in the write window left full-size temporary files (6 of 9 tries)."""
    before = plan.read_bytes()
    proc = _run_paused(_PAUSE_IN_FSYNC, "validate", str(plan), "--write-back", "--as-of", "2026-11-22")
    assert proc.stdout is not None
    while "PAUSED" not in proc.stdout.readline():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "Aborted."
    assert plan.read_bytes() == before
    assert sorted(p.name for p in plan.parent.iterdir()) == ["plan.xlsx"]


@POSIX
def test_sigint_just_after_the_replace_says_the_workbook_was_written(plan: Path) -> None:
    """Item 20: one SIGINT printed "Aborted." after the workbook had been replaced."""
    proc = _run_paused(_PAUSE_AFTER_REPLACE, "validate", str(plan), "--write-back", "--as-of", "2026-11-22")
    assert proc.stdout is not None
    while "PAUSED" not in proc.stdout.readline():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGINT)
    (plan.parent / "signal-sent").touch()
    _, err = proc.communicate(timeout=90)
    (plan.parent / "signal-sent").unlink()
    assert proc.returncode == 130, err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"Aborted after writing {plan} (backup: plan.backup-"), last
    with zipfile.ZipFile(plan) as zf:
        assert "xl/worksheets/sheet7.xml" in zf.namelist()
    backups = [p for p in plan.parent.iterdir() if p.name.startswith("plan.backup-")]
    assert len(backups) == 1
    assert backups[0].read_bytes() == EXAMPLE.read_bytes()
    assert _temp_files(plan.parent) == []


@POSIX
def test_sigterm_while_a_roll_up_is_written_leaves_no_temporary_file(plan: Path, tmp_path: Path) -> None:
    """Item 20: the same for batch's streamed outputs."""
    out = tmp_path / "out"
    out.mkdir()
    code = """
import sys, time, json
import edi_workbook.batch.outputs as o
real = o.JsonWriter.add
def slow(self, r):
    real(self, r)
    print("PAUSED", flush=True)
    time.sleep(60)
o.JsonWriter.add = slow
from edi_workbook.cli import main
sys.exit(main(sys.argv[1:]))
"""
    proc = _run_paused(code, "batch", str(plan), "-o", str(out / "rollup.json"), "-q")
    assert proc.stdout is not None
    while "PAUSED" not in proc.stdout.readline():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("where", ["batch", "report", "calendar -o", "carry-over -o"])
def test_a_symbolic_link_in_a_loop_is_one_line_not_an_internal_error(
    plan: Path, tmp_path: Path, capsys, where
):
    """From a hostile-input trial: ``Path.resolve`` raised on a link leading back to itself (exit 3,
    and the whole batch stopped); now that file gets one line and exit 2, and the others are read."""
    a, b = tmp_path / "loop_a.xlsx", tmp_path / "loop_b.xlsx"
    a.symlink_to(b)
    b.symlink_to(a)
    args = {
        "batch": ["batch", str(plan), str(a), "-o", str(tmp_path / "out.json"), "-q"],
        "report": ["report", str(plan), str(a), "-o", str(tmp_path / "out.html"), "-q"],
        "calendar -o": ["calendar", str(plan), "-o", str(a)],
        "carry-over -o": ["carry-over", str(plan), "-o", str(a)],
    }[where]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert "loop_a.xlsx" in err
    if where == "batch":
        assert "plan.xlsx" in (tmp_path / "out.json").read_text()


def test_batch_csv_siblings_sit_beside_the_file_a_link_points_at(plan: Path, tmp_path: Path) -> None:
    """From a hostile-input trial: ``-o /dev/stdout --format csv`` wrote the three sibling CSVs into
    ``/dev``, beside the link, not beside the file it leads to."""
    shared, links = tmp_path / "shared", tmp_path / "links"
    shared.mkdir()
    links.mkdir()
    (shared / "rollup.csv").write_text("")
    (links / "rollup.csv").symlink_to(shared / "rollup.csv")
    assert main(["batch", str(plan), "-o", str(links / "rollup.csv"), "--format", "csv", "-q"]) == 0
    assert sorted(p.name for p in links.iterdir()) == ["rollup.csv"]
    assert (shared / "rollup.actions.csv").read_text(encoding="utf-8-sig").startswith("File,")
