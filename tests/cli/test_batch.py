"""``edi-workbook batch``: exit codes, outputs, one line per unreadable file, no progress bar when piped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from edi_workbook.cli import main
from tests.batch.support import make_inbox


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-batch")
    make_inbox(folder, files=3, actions=6)
    return folder / "plans"


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One plan with no errors: the built-in example, judged on its own as-of date."""
    from edi_workbook.template import workbook as template

    folder = tmp_path_factory.mktemp("clean")
    template.new_workbook(folder / "example.xlsx", example=True)
    return folder


def test_exit_0_when_no_plan_has_errors(clean, capsys):
    assert main(["batch", str(clean), "--as-of", "2026-11-22"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("OK ")
    assert out[-1].startswith("1 file: 1 OK, 0 with errors, 0 unreadable")


@pytest.mark.parametrize("suffix", [".xml", ".json", ".csv", ".html", ".xlsx"])
def test_every_output_format_counts_the_same_overdue(clean, tmp_path, capsys, suffix):
    """Issue 17: ``-o X.xml`` printed "0 overdue" where every other format printed 2."""
    assert main(["batch", str(clean), "-o", str(tmp_path / f"out{suffix}"), "--as-of", "2026-11-22"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(", 2 overdue.")


def test_exit_1_when_a_plan_has_errors(clean, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Action ID,Action,Owner,Due date,HIA\nA1,Train panel chairs by March 2025,,31/03/2025,HIA 2\n",
        encoding="utf-8",
    )
    assert main(["batch", str(clean), str(bad), "--as-of", "2026-11-22"]) == 1
    out = capsys.readouterr().out
    assert f"ERRORS      {bad}" in out


def test_exit_2_and_one_stderr_line_per_unreadable_file(inbox, tmp_path, capsys):
    out = tmp_path / "roll-up.xlsx"
    code = main(["batch", str(inbox), str(tmp_path / "missing.csv"), "-o", str(out), "--as-of", "2025-03-31"])
    captured = capsys.readouterr()
    assert code == 2
    assert out.exists()
    errors = [line for line in captured.err.splitlines() if line.startswith("edi-workbook: ")]
    assert sorted(Path(line.split(": ")[1]).name for line in errors) == [
        "corrupt.xlsx",
        "missing.csv",
        "notes.xlsx",
    ]


@pytest.mark.parametrize(
    ("name", "fmt"), [("r.json", None), ("r.txt", "json"), ("r.xml", None), ("r.html", None)]
)
def test_output_format_from_suffix_or_option(inbox, tmp_path, name, fmt, capsys):
    out = tmp_path / name
    args = ["batch", str(inbox), "-o", str(out), "-q", "--jobs", "1"] + (["--format", fmt] if fmt else [])
    assert main(args) == 2
    capsys.readouterr()
    head = out.read_text(encoding="utf-8")[:60]
    assert head.startswith({"r.json": "{", "r.txt": "{", "r.xml": "<?xml", "r.html": "<!DOCTYPE html>"}[name])


def test_json_to_stdout_without_out(inbox, capsys):
    assert main(["batch", str(inbox), "--format", "json", "--as-of", "2025-03-31"]) == 2
    doc = json.loads(capsys.readouterr().out)
    assert doc["totals"]["unreadable"] == 2
    assert len(doc["files"]) == doc["totals"]["files"]


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "xlsx"],  # a file format needs -o
        ["-o", "r.pdf"],  # unknown suffix
        ["--jobs", "0"],
        ["--as-of", "31/03/2025"],
    ],
)
def test_misuse_is_exit_2_with_one_line(inbox, tmp_path, args, capsys):
    args = [str(tmp_path / a) if a == "r.pdf" else a for a in args]
    assert main(["batch", str(inbox), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err
    assert "Traceback" not in "\n".join(err)


def test_no_progress_bar_when_not_a_terminal(inbox, tmp_path):
    cli = Path(sys.executable).with_name("edi-workbook")
    proc = subprocess.run(
        [str(cli), "batch", str(inbox), "-o", str(tmp_path / "r.json")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 2
    assert "file/s" not in proc.stderr
    assert "%|" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 2  # the two unreadable files, nothing else
