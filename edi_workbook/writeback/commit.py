"""Safe writing into a user's workbook: values, highlights, notes and a Validation sheet.

Used by ``validate --write-back``, ``map --write-back`` and ``rag --write-back``. The workbook
is patched as an OOXML package (zip + lxml; see ``package``), not loaded and re-saved by
openpyxl, which would drop charts, images and extensions. Only the parts that change are
rewritten; every other part (charts, images, ``vbaProject.bin``...) is copied byte for byte.

Safety, in order: the original is copied to ``NAME.backup-YYYYmmdd-HHMMSS.xlsx`` beside it (never
over an older backup); the new workbook is written to a temporary file in the same folder, checked,
and moved over the original with ``os.replace`` (the temporary file is removed on any failure). If
the workbook is open in Excel (a ``~$NAME`` owner file beside it), read-only, or cannot be opened
for writing, ``NAME.validated.xlsx`` (``.xlsm`` for macro-enabled books) is written instead and the
original is not touched. CSV files are refused: a CSV cannot hold notes or highlights.

Each run records what it did in a very hidden sheet, so the next run of the same ``scope`` first
puts the previous highlights and notes back as they were.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook.atomic import atomic_path
from edi_workbook.errors import WriteBackError
from edi_workbook.findings import Finding
from edi_workbook.writeback.marks import CellMark, Dropdown, marks_for_findings

if TYPE_CHECKING:
    from edi_workbook.writeback.package import Package

__all__ = [
    "WriteBackResult",
    "check_format",
    "locked_reason",
    "write_back",
    "write_findings",
    "write_sheet",
]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_CSV_REFUSED = (
    "write-back needs an Excel workbook; a CSV file cannot hold notes or highlights. "
    "Save it as an Excel workbook (.xlsx) and run again"
)


@dataclass(frozen=True)
class WriteBackResult:
    """Where the results went."""

    path: Path  # the file written (the original, or NAME.validated.xlsx fallback)
    backup: Path | None  # the copy of the original made before writing
    fallback: bool  # True when the original could not be replaced (locked/read-only)
    reason: str | None = None  # why the fallback was used
    unchanged: bool = False  # the workbook already showed these results: nothing written, no backup

    def describe(self) -> str:
        """One line for the CLI."""
        if self.unchanged:
            return f"{self.path.name} already shows these results; nothing written, no backup made"
        if self.fallback:
            return f"{self.reason}; wrote {self.path.name} instead"
        if self.backup is not None:
            return f"wrote {self.path.name} (backup: {self.backup.name})"
        return f"wrote {self.path.name}"


def write_back(
    path: str | Path,
    marks: Sequence[CellMark],
    *,
    findings: Sequence[Finding] | None = None,
    clear_previous: bool = True,
    backup: bool = True,
    fallback_suffix: str = ".validated",
    scope: str = "marks",
    dropdowns: Sequence[Dropdown] = (),
) -> WriteBackResult:
    """Apply ``marks`` (and, with ``findings``, rewrite the Validation sheet) to the workbook.

    ``scope`` names the kind of run (``"validation"``, ``"map"``, ``"rag"``): with
    ``clear_previous`` the highlights and notes of the previous run of the same scope are first
    put back as they were; values that runs wrote stay. Raises :class:`WriteBackError` (the
    original untouched) for a CSV, a file that is not a workbook, an unknown sheet or a bad cell.
    ``dropdowns`` add list choices to ranges of cells (new HIA and PSED aim columns).
    """
    return _run(
        Path(path),
        marks,
        findings,
        clear_previous,
        backup,
        fallback_suffix,
        scope,
        strict=True,
        dropdowns=dropdowns,
    )


def write_findings(path: str | Path, report: Any, *, backup: bool = True) -> WriteBackResult:
    """Write a validation report into its workbook: the Validation sheet, highlights and notes.

    ``report`` is an ``edi_workbook.validation.ValidationReport`` (``.findings``). Findings that
    point at a sheet the workbook does not have are listed but not highlighted.
    """
    findings = list(report.findings)
    marks = marks_for_findings(findings)
    return _run(Path(path), marks, findings, True, backup, ".validated", "validation", strict=False)


def write_sheet(
    path: str | Path,
    sheet: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[int] = (),
    backup: bool = True,
    fallback_suffix: str = ".changes",
) -> tuple[WriteBackResult, str]:
    """Replace (or add) a list sheet in the workbook: ``headers``, then ``rows`` (``diff --write-back``).

    Safe as every write-back (backup, temporary file, ``os.replace``; ``NAME.changes.xlsx`` when the
    workbook is open or read-only), and only that sheet's part and the workbook's list of sheets
    change. Returns the result and the sheet's name (``NAME (edi-workbook)`` when the workbook has
    a sheet of that name that is someone else's).
    """
    from edi_workbook.writeback.sheets import write_listing
    from edi_workbook.writeback.styles import StyleBook

    src = Path(path)
    pkg = _load(src)
    src = src.resolve() if src.is_symlink() else src
    try:
        name = write_listing(pkg, StyleBook(pkg), sheet, headers, rows, widths)
    except ValueError as exc:  # a value Excel cannot hold
        raise WriteBackError(src, f"nothing was written: {exc}") from exc
    return _commit(src, pkg, backup, fallback_suffix), name


def _run(
    src: Path,
    marks: Sequence[CellMark],
    findings: Sequence[Finding] | None,
    clear_previous: bool,
    backup: bool,
    fallback_suffix: str,
    scope: str,
    *,
    strict: bool,
    dropdowns: Sequence[Dropdown] = (),
) -> WriteBackResult:
    pkg = _load(src)
    from lxml import etree

    from edi_workbook.writeback.patch import MarkError, patch

    src = src.resolve() if src.is_symlink() else src  # replace the file, not the link to it
    try:
        patch(
            pkg,
            marks,
            findings,
            clear_previous=clear_previous,
            scope=scope,
            strict=strict,
            dropdowns=dropdowns,
        )
    except MarkError as exc:
        raise WriteBackError(src, f"nothing was written: {exc}") from exc
    except (etree.XMLSyntaxError, KeyError) as exc:  # a damaged part, or a relationship to nothing
        raise WriteBackError(src, f"nothing was written: the workbook is damaged ({exc})") from exc
    return _commit(src, pkg, backup, fallback_suffix)


def check_format(src: str | Path) -> None:
    """Raise :class:`WriteBackError` with one sentence unless ``src`` is a workbook we can patch.

    Every command with ``--write-back`` calls this first, so a CSV gets the same answer from each.
    """
    src = Path(src)
    suffix = src.suffix.lower()
    if suffix in (".csv", ".txt"):
        raise WriteBackError(src, _CSV_REFUSED)
    if suffix == ".xls":
        raise WriteBackError(
            src, "write-back cannot change a legacy .xls file; save it as .xlsx and run again"
        )
    if suffix not in EXCEL_SUFFIXES:
        raise WriteBackError(src, f"write-back works on {', '.join(EXCEL_SUFFIXES)} workbooks only")


def _load(src: Path) -> Package:
    """Open the workbook package, or say in one sentence why write-back cannot work on it."""
    from edi_workbook.writeback.package import Package

    check_format(src)
    if not src.is_file():
        raise WriteBackError(src, "the file does not exist")
    try:
        pkg = Package(src)
        main = pkg.peek(pkg.workbook)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise WriteBackError(
            src, "it is not a readable Excel workbook (corrupt or password-protected)"
        ) from exc
    if "purl.oclc.org" in str(main.tag):
        raise WriteBackError(src, "it is saved as 'Strict Open XML'; save it as a normal Excel workbook")
    return pkg


def locked_reason(path: Path) -> str | None:
    """Why ``path`` cannot be replaced now (open in Excel, read-only, not openable), or None."""
    for owner in (f"~${path.name}", f"~${path.name[2:]}"):
        if (path.parent / owner).exists():
            return f"it is open in Excel ({owner} is beside it)"
    if not path.stat().st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        return "it is read-only"
    try:
        with open(path, "r+b"):
            pass
    except OSError as exc:
        return f"it cannot be opened for writing ({exc.strerror or exc})"
    return None


def _commit(src: Path, pkg: Package, backup: bool, fallback_suffix: str) -> WriteBackResult:
    fallback = src.with_name(src.stem + fallback_suffix + src.suffix)
    buf = io.BytesIO()
    try:
        pkg.save(buf)
    except OSError as exc:
        raise WriteBackError(src, f"nothing was changed: writing failed ({exc.strerror or exc})") from exc
    data = buf.getvalue()
    if data == src.read_bytes():  # a second run on an unchanged plan: no rewrite, no new backup
        return WriteBackResult(src, None, False, unchanged=True)
    reason = locked_reason(src)
    if reason is None:
        saved = _backup(src) if backup else None
        try:
            _atomic_write(src, data, src.stat().st_mode)
            return WriteBackResult(src, saved, False)
        except PermissionError as exc:  # Windows refuses to replace a file Excel holds open
            reason = f"it could not be replaced ({exc.strerror or exc})"
            if saved is not None:
                saved.unlink(missing_ok=True)
        except OSError as exc:
            raise WriteBackError(src, f"nothing was changed: writing failed ({exc.strerror or exc})") from exc
    try:
        _atomic_write(fallback, data, src.stat().st_mode | stat.S_IWUSR)  # the copy is for editing
    except OSError as exc:
        raise WriteBackError(
            src, f"{reason}, and {fallback.name} could not be written either: {exc}"
        ) from exc
    return WriteBackResult(fallback, None, True, reason)


def _backup(src: Path) -> Path:
    """Copy ``src`` to a new ``NAME.backup-YYYYmmdd-HHMMSS[-N].ext`` beside it; never overwrite one."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        name = f"{src.stem}.backup-{stamp}{'' if n == 1 else f'-{n}'}{src.suffix}"
        dest = src.with_name(name)
        try:
            with open(src, "rb") as fin, open(dest, "xb") as fout:
                shutil.copyfileobj(fin, fout)
        except FileExistsError:
            continue
        except OSError as exc:
            raise WriteBackError(src, f"nothing was written: the backup could not be made ({exc})") from exc
        shutil.copystat(src, dest)
        return dest
    raise WriteBackError(src, "nothing was written: too many backups with the same time stamp")


def _atomic_write(target: Path, data: bytes, mode: int) -> None:
    """Write the saved package ``data`` to a temporary file beside ``target``, check it, then
    ``os.replace`` it.

    The new file gets the permission bits ``mode`` (a temporary file starts private).
    """
    with atomic_path(target, stat.S_IMODE(mode)) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with zipfile.ZipFile(tmp) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise WriteBackError(target, f"nothing was written: the new file was damaged at {bad}")
