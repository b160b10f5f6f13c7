"""Write-back safety: backup first, atomic replace, no temp left behind, locked and read-only fallback."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from edi_workbook.errors import EXIT_UNREADABLE, WriteBackError
from edi_workbook.writeback import CellMark, write_back
from edi_workbook.writeback.package import Package
from tests.fixtures.writeback import books
from tests.writeback.support import MARK
from tests.writeback.support import files as _files


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return books.openpyxl_book(tmp_path / "plan.xlsx")


def test_backup_is_a_copy_of_the_original_made_first(plan: Path) -> None:
    before = plan.read_bytes()
    result = write_back(plan, MARK)
    assert result.path == plan
    assert result.fallback is False
    assert result.backup is not None
    assert result.backup.parent == plan.parent
    assert result.backup.name.startswith("plan.backup-")
    assert result.backup.suffix == ".xlsx"
    assert result.backup.read_bytes() == before
    assert plan.read_bytes() != before
    assert result.describe() == f"wrote plan.xlsx (backup: {result.backup.name})"


def test_a_second_backup_never_overwrites_the_first(plan: Path) -> None:
    first_bytes = plan.read_bytes()
    first = write_back(plan, MARK).backup
    second_bytes = plan.read_bytes()
    second = write_back(plan, [CellMark("Action Plan", "B2", "Changed again")]).backup
    assert first is not None
    assert second is not None
    assert first != second
    assert first.read_bytes() == first_bytes
    assert second.read_bytes() == second_bytes


def test_a_run_that_changes_nothing_writes_nothing(plan: Path) -> None:
    write_back(plan, MARK)
    after_first = plan.read_bytes()
    files = _files(plan.parent)
    again = write_back(plan, MARK)
    assert (again.unchanged, again.backup, again.path) == (True, None, plan)
    assert plan.read_bytes() == after_first
    assert _files(plan.parent) == files
    assert "nothing written" in again.describe()


def test_no_backup_when_not_asked(plan: Path) -> None:
    result = write_back(plan, MARK, backup=False)
    assert result.backup is None
    assert _files(plan.parent) == {"plan.xlsx"}


def test_failure_mid_write_leaves_the_original_and_no_temp_file(plan: Path, monkeypatch) -> None:
    before = plan.read_bytes()

    def broken_save(self: Package, out) -> None:
        out.write(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Package, "save", broken_save)
    with pytest.raises(WriteBackError) as info:
        write_back(plan, MARK, backup=False)
    assert info.value.exit_code == EXIT_UNREADABLE
    assert plan.read_bytes() == before
    assert _files(plan.parent) == {"plan.xlsx"}


def test_failure_at_replace_leaves_the_original_and_no_temp_file(plan: Path, monkeypatch) -> None:
    before = plan.read_bytes()

    def broken_replace(src, dst) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(WriteBackError):
        write_back(plan, MARK, backup=False)
    assert plan.read_bytes() == before
    assert _files(plan.parent) == {"plan.xlsx"}


def test_interrupt_mid_write_removes_the_temp_file(plan: Path, monkeypatch) -> None:
    before = plan.read_bytes()

    def interrupted(self: Package, out) -> None:
        out.write(b"PK")
        raise KeyboardInterrupt

    monkeypatch.setattr(Package, "save", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_back(plan, MARK, backup=False)
    assert plan.read_bytes() == before
    assert _files(plan.parent) == {"plan.xlsx"}


def test_open_in_excel_writes_the_validated_copy(plan: Path) -> None:
    (plan.parent / "~$plan.xlsx").write_bytes(b"owner")
    before = plan.read_bytes()
    result = write_back(plan, MARK)
    assert (result.path.name, result.fallback, result.backup) == ("plan.validated.xlsx", True, None)
    assert plan.read_bytes() == before
    assert "open in Excel" in result.describe()
    assert "plan.validated.xlsx" in result.describe()
    ws = openpyxl.load_workbook(result.path)["Action Plan"]
    assert (ws["C4"].value, ws["C4"].fill.fgColor.rgb) == ("Jo Bloggs", "FFFFC7CE")
    assert _files(plan.parent) == {"plan.xlsx", "~$plan.xlsx", "plan.validated.xlsx"}


def test_read_only_file_writes_the_validated_copy(plan: Path) -> None:
    before = plan.read_bytes()
    plan.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        result = write_back(plan, MARK)
    finally:
        plan.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert (result.path.name, result.fallback) == ("plan.validated.xlsx", True)
    assert result.reason == "it is read-only"
    assert plan.read_bytes() == before


def test_macro_enabled_fallback_stays_xlsm(tmp_path: Path) -> None:
    book = books.foreign_xlsm(tmp_path / "macros.xlsm")
    (tmp_path / "~$macros.xlsm").write_bytes(b"owner")
    result = write_back(book, [CellMark("My Plan", "J1", value=1)])
    assert result.path.name == "macros.validated.xlsm"


def test_file_mode_is_kept(plan: Path) -> None:
    plan.chmod(0o640)
    write_back(plan, MARK)
    assert stat.S_IMODE(plan.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("plan.csv", b"Action ID,Action\nA1,Do\n", "CSV"),
        ("plan.xls", b"\xd0\xcf\x11\xe0 legacy", ".xls"),
        ("plan.xlsx", b"just some text", "not an Excel workbook (its content is something else)"),
        ("plan.ods", b"PK", ".xlsx"),
    ],
)
def test_refused_inputs_say_why_and_write_nothing(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WriteBackError) as info:
        write_back(path, MARK)
    assert words in str(info.value)
    assert info.value.path == path
    assert _files(tmp_path) == {name}
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    "mark",
    [
        CellMark("No such sheet", "A1", value=1),
        CellMark("Action Plan", "A1:B2", value=1),
        CellMark("Action Plan", "7"),
    ],
)
def test_bad_marks_are_refused_before_anything_is_written(plan: Path, mark: CellMark) -> None:
    before = plan.read_bytes()
    with pytest.raises(WriteBackError, match="nothing was written"):
        write_back(plan, [mark])
    assert plan.read_bytes() == before
    assert _files(plan.parent) == {"plan.xlsx"}


def test_importing_the_package_does_not_load_lxml() -> None:
    code = "import sys, edi_workbook, edi_workbook.writeback.commit; print('lxml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_file_that_cannot_be_opened_for_writing_writes_the_validated_copy(plan: Path, monkeypatch) -> None:
    import builtins

    from edi_workbook.writeback import replace as writeback

    real_open = builtins.open

    def sharing_violation(file, mode="r", *args, **kwargs):
        if Path(file) == plan and mode == "r+b":
            raise PermissionError(13, "Permission denied")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(writeback, "open", sharing_violation, raising=False)
    before = plan.read_bytes()
    result = write_back(plan, MARK)
    assert (result.path.name, result.fallback) == ("plan.validated.xlsx", True)
    assert result.reason == "it cannot be opened for writing (Permission denied)"
    assert plan.read_bytes() == before


def test_replace_refused_like_windows_does_writes_the_validated_copy(plan: Path, monkeypatch) -> None:
    real_replace = os.replace

    def held_open(src, dst) -> None:
        if Path(dst) == plan:
            raise PermissionError(13, "The process cannot access the file")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", held_open)
    before = plan.read_bytes()
    result = write_back(plan, MARK)
    assert (result.path.name, result.fallback, result.backup) == ("plan.validated.xlsx", True, None)
    assert plan.read_bytes() == before
    assert _files(plan.parent) == {"plan.xlsx", "plan.validated.xlsx"}


def test_fallback_copy_is_readable_like_the_original_and_editable(plan: Path) -> None:
    plan.chmod(0o444)
    try:
        result = write_back(plan, MARK)
    finally:
        plan.chmod(0o644)
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o644


def test_a_symlink_keeps_pointing_at_the_written_workbook(plan: Path) -> None:
    link = plan.with_name("link.xlsx")
    link.symlink_to(plan)
    result = write_back(link, MARK, backup=False)
    assert link.is_symlink()
    assert result.path == plan
    assert openpyxl.load_workbook(link)["Action Plan"]["C4"].value == "Jo Bloggs"


def test_a_damaged_sheet_part_is_refused(plan: Path) -> None:
    parts = {}
    with zipfile.ZipFile(plan) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:200]
    with zipfile.ZipFile(plan, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    before = plan.read_bytes()
    with pytest.raises(WriteBackError, match="the workbook is damaged"):
        write_back(plan, MARK)
    assert plan.read_bytes() == before
    assert _files(plan.parent) == {"plan.xlsx"}


def test_validate_write_back_from_the_command_line(plan: Path, capsys) -> None:
    from edi_workbook.cli import main

    (plan.parent / "~$plan.xlsx").write_bytes(b"owner")
    code = main(["validate", str(plan), "--as-of", "2025-01-15", "--write-back"])
    out = capsys.readouterr()
    assert code == 1  # the plan has errors (a missing owner)
    assert "plan.xlsx: it is open in Excel (~$plan.xlsx is beside it); wrote plan.validated.xlsx instead" in (
        out.out + out.err
    )
    validated = openpyxl.load_workbook(plan.parent / "plan.validated.xlsx")
    codes = [row[1] for row in validated["Validation"].iter_rows(min_row=2, values_only=True)]
    assert "missing-owner" in codes
