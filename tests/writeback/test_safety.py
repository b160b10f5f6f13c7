"""Write-back never loses what a user made (issue 13): each test names the item it covers.

Faults are real where they can be (a second save by "the user" while write-back runs, lock files,
owners, a workbook with a large image); a full disk is injected into the copy (``ENOSPC``).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest

from edi_workbook.errors import WriteBackError
from edi_workbook.writeback import CellMark, write_back
from edi_workbook.writeback.package import Package
from tests.fixtures.writeback import books
from tests.writeback.support import MARK
from tests.writeback.support import files as _files


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return books.openpyxl_book(tmp_path / "plan.xlsx")


def _cell(path: Path, ref: str, sheet: str = "Action Plan") -> object:
    return openpyxl.load_workbook(path)[sheet][ref].value


def test_the_validated_copy_someone_typed_into_is_kept_before_it_is_replaced(plan: Path) -> None:
    """Item 1: NAME.validated.xlsx was overwritten on the next run with no backup."""
    (plan.parent / "~$plan.xlsx").write_bytes(b"owner")
    first = write_back(plan, MARK)
    assert first.path.name == "plan.validated.xlsx"
    wb = openpyxl.load_workbook(first.path)
    wb["Action Plan"]["B6"] = "Typed into the copy by the user"
    wb.save(first.path)
    typed = first.path.read_bytes()
    second = write_back(plan, [CellMark("Action Plan", "C5", value="Sam Patel", fill="FFEB9C")])
    assert second.path == first.path
    assert second.backup is not None
    assert second.backup.name.startswith("plan.validated.backup-")
    assert second.backup.read_bytes() == typed
    assert "its previous copy kept as plan.validated.backup-" in second.describe()
    assert _cell(second.path, "C5") == "Sam Patel"


def test_a_validated_copy_nobody_touched_is_replaced_without_a_backup(plan: Path) -> None:
    """Item 1: the copy is kept only when someone may have changed it since it was written (or
    it is not this package's): runs while Excel holds the workbook do not pile up backups."""
    (plan.parent / "~$plan.xlsx").write_bytes(b"owner")
    write_back(plan, MARK)
    files = _files(plan.parent)
    again = write_back(plan, [CellMark("Action Plan", "C5", value="Sam Patel", fill="FFEB9C")])
    assert (again.fallback, again.backup) == (True, None)
    assert _files(plan.parent) == files
    assert _cell(again.path, "C5") == "Sam Patel"


def test_a_workbook_open_in_libreoffice_is_not_replaced(plan: Path) -> None:
    """Item 2: only Excel's ~$NAME owner file was checked; LibreOffice's lock was ignored."""
    (plan.parent / ".~lock.plan.xlsx#").write_text(",Jo Bloggs,laptop,22.11.2026 10:02,file:///home/jo;")
    before = plan.read_bytes()
    result = write_back(plan, MARK)
    assert (result.path.name, result.fallback) == ("plan.validated.xlsx", True)
    assert result.reason == "it is open in LibreOffice (.~lock.plan.xlsx# is beside it)"
    assert plan.read_bytes() == before


@pytest.mark.parametrize("how", ["replaced", "in place"])
def test_a_save_by_the_user_while_write_back_runs_is_not_reverted(
    plan: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Item 3: the workbook was read, then replaced later with no check that it changed meanwhile."""
    users_save = plan.with_name("users-save.xlsx")
    wb = openpyxl.load_workbook(plan)
    wb["Action Plan"]["B2"] = "The user's own edit, saved while write-back ran"
    wb.save(users_save)
    real_save = Package.save

    def save_then_the_user_saves(self: Package, out) -> None:
        real_save(self, out)
        if how == "replaced":  # as Excel and LibreOffice save: a new file moved into place
            os.replace(users_save, plan)
        else:
            plan.write_bytes(users_save.read_bytes())

    monkeypatch.setattr(Package, "save", save_then_the_user_saves)
    result = write_back(plan, MARK)
    assert _cell(plan, "B2") == "The user's own edit, saved while write-back ran"
    assert (result.path.name, result.fallback, result.backup) == ("plan.validated.xlsx", True, None)
    assert result.reason == "it was saved by someone else while the results were being prepared"
    assert _cell(result.path, "C4") == "Jo Bloggs"


def test_a_full_disk_while_backing_up_leaves_no_partial_backup(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 20: a failed backup left a 0-byte or partial copy while saying nothing was written."""
    real = shutil.copyfileobj

    def disk_full(fin, fout, length=0) -> None:
        if getattr(fin, "name", None) != str(plan):  # only the copy of the plan: the backup
            return real(fin, fout, length or 2**20)
        fout.write(fin.read(100))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", disk_full)
    before = plan.read_bytes()
    with pytest.raises(WriteBackError, match="nothing was written: the backup could not be made"):
        write_back(plan, MARK)
    monkeypatch.setattr(shutil, "copyfileobj", real)
    assert plan.read_bytes() == before
    assert _files(plan.parent) == {"plan.xlsx"}


def test_a_replace_that_fails_leaves_no_backup_behind(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 20: after a failed replace the message said nothing was changed, but a backup stayed."""
    real_replace = os.replace

    def io_error(src, dst) -> None:
        if Path(dst) == plan:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", io_error)
    before = plan.read_bytes()
    with pytest.raises(WriteBackError, match="nothing was changed"):
        write_back(plan, MARK)
    assert plan.read_bytes() == before
    assert _files(plan.parent) == {"plan.xlsx"}


def test_a_deeply_nested_workbook_part_is_refused_in_one_sentence(plan: Path) -> None:
    """Item 23: ~100,000 nested elements in workbook.xml made write-back exit 3 (XMLSyntaxError)."""
    _rewrite(
        plan,
        "xl/workbook.xml",
        lambda xml: xml.replace(b"</workbook>", b"<a>" * 100_000 + b"</a>" * 100_000 + b"</workbook>"),
    )
    before = plan.read_bytes()
    with pytest.raises(WriteBackError, match="damaged"):
        write_back(plan, MARK)
    assert plan.read_bytes() == before
    assert _files(plan.parent) == {"plan.xlsx"}


@pytest.mark.parametrize("name", ["VALIDATION", "validation"])
def test_a_validation_sheet_in_other_case_is_reused_not_doubled(tmp_path: Path, name: str) -> None:
    """Item 24: a sheet named VALIDATION got a second sheet Validation beside it; Excel compares
    sheet names without case, so the file was invalid there."""
    from edi_workbook.read import read_plan
    from edi_workbook.validation import validate
    from edi_workbook.writeback import write_findings

    path = books.openpyxl_book(tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.create_sheet(name)
    wb.save(path)
    write_findings(path, validate(read_plan(path)))
    names = openpyxl.load_workbook(path).sheetnames
    assert len({n.casefold() for n in names}) == len(names), names
    assert name in names
    assert openpyxl.load_workbook(path)[name]["B1"].value == "Code"


def test_a_strict_open_xml_workbook_is_named_as_such(tmp_path: Path) -> None:
    """Item 25: write-back called a Strict Open XML workbook 'corrupt or password-protected'."""
    path = books.openpyxl_book(tmp_path / "plan.xlsx")
    _rewrite(
        path,
        "_rels/.rels",
        lambda xml: xml.replace(
            b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
            b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
        ),
    )
    with pytest.raises(WriteBackError, match="Strict Open XML"):
        write_back(path, MARK)


@pytest.mark.skipif(not hasattr(os, "chown"), reason="POSIX owners")
def test_the_workbook_keeps_its_owner_and_group(plan: Path) -> None:
    """Item 27: write-back by another user left the file owned by that user (owner 660 locked out).

    As root (a shared-folder administrator, or CI in a container) the file belongs to someone
    else; otherwise to another of our groups, which is all a user may give a file.
    """
    plan.chmod(0o660)
    if os.geteuid() == 0:
        owner = (4321, 4321)
    else:
        others = [g for g in os.getgroups() if g != os.getegid()]
        if not others:
            pytest.skip("needs root, or a user in a second group")
        owner = (os.geteuid(), others[0])
    os.chown(plan, *owner)
    write_back(plan, MARK)
    st = plan.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (*owner, 0o660)


def test_an_unused_large_image_is_streamed_not_loaded(tmp_path: Path) -> None:
    """Item 13: Package.__init__ loaded every part, so an unused 3 GB image cost write-back 6 GB.

    A 40 MB image (incompressible) is copied through while Python's own allocations stay a few
    megabytes; loading it would have cost at least its size.
    """
    import tracemalloc

    path = books.openpyxl_book(tmp_path / "plan.xlsx")
    image = os.urandom(40 * 2**20)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/media/unused.bin", image, compress_type=zipfile.ZIP_STORED)
    tracemalloc.start()
    try:
        write_back(path, MARK, backup=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    with zipfile.ZipFile(path) as zf:
        assert zf.read("xl/media/unused.bin") == image


def test_a_zip_bomb_is_refused_before_it_is_unzipped(tmp_path: Path) -> None:
    """Item 13: no limit on unzipped size (2 GB of spaces in 2 MB took 27 s and 4 GB)."""
    path = books.openpyxl_book(tmp_path / "plan.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/spaces.xml", b" " * (300 * 2**20))
    before = path.read_bytes()
    with pytest.raises(WriteBackError, match=r"unzips to 300\.0 MB"):
        write_back(path, MARK)
    assert path.read_bytes() == before


def test_a_second_write_back_is_linear_in_the_number_of_marks(tmp_path: Path) -> None:
    """Item 14: the second write-back was quadratic (20,000 rows, 31k marks: 79 s, 1.3 GB):
    each undone note scanned every comment, each undo scanned the whole record.

    Counted, not timed: the Python lines run by a second write-back of 8x the marks must grow
    about 8x (quadratic work grows 64x; the old code grew 14x here).
    """
    import sys

    def lines_for(n: int) -> int:
        path = _sheet_with_rows(tmp_path / f"big{n}.xlsx", n)
        marks = [CellMark("Plan", f"B{r}", fill="FFC7CE", note=f"Finding {r}") for r in range(2, n + 2)]
        write_back(path, marks, backup=False, scope="validation")
        count = 0

        def tracer(frame, event, arg):
            nonlocal count
            if event == "line" and "edi_workbook" in frame.f_code.co_filename:
                count += 1
            return tracer

        sys.settrace(tracer)
        try:
            write_back(path, marks[::-1], backup=False, scope="validation")
        finally:
            sys.settrace(None)
        return count

    small, large = lines_for(150), lines_for(1200)
    assert large / small < 10, (small, large)


def _sheet_with_rows(path: Path, n: int) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Action ID", "Action"])
    for r in range(n):
        ws.append([f"A{r}", f"Action {r}"])
    wb.save(path)
    return path


def _rewrite(path: Path, part: str, change) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _foreign_plan_with_notes_beside(path: Path) -> Path:
    """A plan without RAG columns; right of its header, unlabelled notes and a formula in its rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Action ID", "Action", "Owner", "Due date", "Status"])
    ws.append(["A1", "Publish the pay gap report", "Jo", "2025-03-31", "In progress", "call Jo back"])
    ws.append(["A2", "Run listening events", "Sam", "2025-06-30", "Not started", None, "=1+1"])
    ws.append(["A3", "Review shortlisting", "Ali", "2025-09-30", "Not started"])
    wb.save(path)
    return path


def test_rag_write_back_never_takes_a_column_with_notes_or_formulas(tmp_path: Path) -> None:
    """Item 4: RAG and Days to due went into the first columns whose header was empty, over a
    user's unlabelled notes and formulas; a column is free only if it is empty in every plan row."""
    from edi_workbook.rag_rating import rag
    from edi_workbook.read import read_plan
    from edi_workbook.writeback import write_rag

    path = _foreign_plan_with_notes_beside(tmp_path / "plan.xlsx")
    plan = read_plan(path)
    write_rag(plan, rag(plan, as_of=dt.date(2025, 5, 1)))
    ws = openpyxl.load_workbook(path)["Plan"]
    assert (ws["F2"].value, ws["G3"].value) == ("call Jo back", "=1+1")
    assert (ws["H1"].value, ws["I1"].value) == ("RAG", "Days to due")
    assert [ws[f"H{r}"].value for r in (2, 3, 4)] == ["Red", "Green", "Green"]


def test_a_plan_full_to_column_xfd_gets_no_columns_past_it(tmp_path: Path) -> None:
    """RAG and Days to due went into XFE and XFF, past Excel's last column: a workbook Excel
    cannot open. Now nothing is written, the file is unchanged, and the command says why."""
    from edi_workbook.cli import main

    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Action ID", "Action", "Due date", "Status", *(f"X{k}" for k in range(16_380))])
    wb.active.append(["A1", "Publish the pay gap report", "2026-03-31", "In progress", *["v"] * 16_380])
    wb.save(path)
    before = path.read_bytes()
    assert main(["rag", str(path), "--write-back", "--as-of", "2026-01-01"]) == 2
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]  # no backup of nothing


def test_map_write_back_leaves_a_formula_that_shows_nothing(tmp_path: Path) -> None:
    """Item 5: map --write-back replaced formulas whose cached value was "" (it looked at values)."""
    from edi_workbook.cli import main

    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Action ID", "Action", "HIA", "PSED aim"])
    ws.append(["A1", "Introduce reverse mentoring between board members and network staff", '=IF(1=1,"","")'])
    ws.append(["A2", "Launch a buddy scheme for internationally educated nurses", None])
    wb.save(path)
    assert main(["map", str(path), "--write-back"]) == 0
    ws = openpyxl.load_workbook(path)["Plan"]
    assert ws["C2"].value == '=IF(1=1,"","")'
    assert ws["C3"].value == "HIA 5"


def _mark_encrypted(path: Path, part: str) -> None:
    """Set ``part``'s encryption flag (APPNOTE 4.4.4 bit 0) in its local header and in the central
    directory: the one-bit flip the fuzz test found."""
    import struct

    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        local = zf.getinfo(part).header_offset
        at = zf.start_dir
    data[local + 6] |= 0x1
    while data[at : at + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, at + 28)
        if data[at + 46 : at + 46 + name_len].decode() == part:
            data[at + 8] |= 0x1
        at += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))


def test_a_part_marked_as_encrypted_is_refused_in_one_sentence(plan: Path) -> None:
    """The fuzz test: a flipped flag bit made Python's zip reader raise RuntimeError in write-back
    (exit 3, a traceback); the reader and write-back now refuse it from the zip's directory."""
    from edi_workbook.errors import PlanReadError
    from edi_workbook.read import read_plan

    _mark_encrypted(plan, "_rels/.rels")
    before = plan.read_bytes()
    with pytest.raises(WriteBackError, match=r"_rels/\.rels is marked as encrypted"):
        write_back(plan, MARK)
    with pytest.raises(PlanReadError, match=r"_rels/\.rels is marked as encrypted"):
        read_plan(plan)
    assert plan.read_bytes() == before
    assert _files(plan.parent) == {"plan.xlsx"}
