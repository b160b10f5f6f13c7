"""Safe writing into a user's workbook: values, highlights, notes and a Validation sheet.

Used by ``validate --write-back``, ``map --write-back`` and ``rag --write-back``. The workbook
is patched as an OOXML package (zip + lxml; see ``package``), not loaded and re-saved by
openpyxl, which would drop charts, images and extensions. Only the parts that change are
rewritten; every other part (charts, images, ``vbaProject.bin``...) is copied byte for byte.

Safety, in order: the workbook's zip directory is checked against :mod:`edi_workbook.limits` and
its content fingerprinted before anything is read; the new workbook is written to a temporary file
in the same folder (parts that do not change are streamed across), checked, and then
:func:`edi_workbook.writeback.replace.install` backs up the original
(``NAME.backup-YYYYmmdd-HHMMSS.xlsx``, never over an older backup) and moves the new file over it
with ``os.replace``. If the workbook is open in Excel or LibreOffice, read-only, cannot be opened
for writing, or was saved by someone else meanwhile, ``NAME.validated.xlsx`` (``.xlsm`` for
macro-enabled books) is written instead and the original is not touched. The temporary file is
removed on any failure. CSV files are refused: a CSV cannot hold notes or highlights.

Each run records what it did in a very hidden sheet, so the next run of the same ``scope`` first
puts the previous highlights and notes back as they were.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook.atomic import temp_path_beside
from edi_workbook.errors import OutputError, WriteBackError
from edi_workbook.findings import Finding
from edi_workbook.writeback.marks import CellMark, Dropdown, marks_for_findings
from edi_workbook.writeback.replace import Snapshot, WriteBackResult, install, locked_reason

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
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"write_back() needs a workbook path (str or pathlib.Path), not {type(path).__name__}"
        )
    if isinstance(marks, (str, bytes, CellMark)) or not all(isinstance(m, CellMark) for m in marks):
        raise TypeError("write_back() needs a list of CellMark values as marks")
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
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"write_findings() needs a workbook path (str or pathlib.Path), not {type(path).__name__}"
        )
    if not hasattr(report, "findings"):
        raise TypeError(
            f"write_findings() needs a ValidationReport (from validate()), not {type(report).__name__}"
        )
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

    names: list[str] = []

    def change(pkg: Package) -> None:
        try:
            names.append(write_listing(pkg, StyleBook(pkg), sheet, headers, rows, widths))
        except ValueError as exc:  # a value Excel cannot hold
            raise _Refused(str(exc)) from exc

    return _safely(Path(path), change, backup, fallback_suffix), names[0]


class _Refused(Exception):
    """A change that cannot be made: nothing is written, and the message says why."""


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
    from edi_workbook.writeback.patch import MarkError, patch

    def change(pkg: Package) -> None:
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
            raise _Refused(str(exc)) from exc

    return _safely(src, change, backup, fallback_suffix)


def _safely(
    src: Path, change: Callable[[Package], None], backup: bool, fallback_suffix: str
) -> WriteBackResult:
    """Open ``src``, make ``change`` to its package, and install the result (backup, temporary
    file, lost-update check); a refused change or a damaged part writes nothing."""
    from lxml import etree

    src = src.resolve() if src.is_symlink() else src  # replace the file, not the link to it
    check_format(src)
    if not src.is_file():
        raise WriteBackError(
            src, "the file does not exist" if not src.exists() else "it is not a regular file"
        )
    try:
        before = Snapshot.of(src)
    except OSError as exc:
        raise WriteBackError(src, f"it cannot be read ({exc.strerror or exc})") from None
    with _load(src) as pkg:
        try:
            change(pkg)
        except _Refused as exc:
            raise WriteBackError(src, f"nothing was written: {exc}") from exc
        except (*_DAMAGE, etree.LxmlError) as exc:
            # a damaged part, a relationship to nothing, an attribute that is not a number
            raise WriteBackError(
                src, f"nothing was written: the workbook is damaged ({_short(exc)})"
            ) from None
        return _commit(src, pkg, before, backup, fallback_suffix)


_DAMAGE: tuple[type[Exception], ...] = (
    LookupError,
    ValueError,
    RecursionError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
)
"""What a damaged package raises while it is read and patched (NotImplementedError: an unknown
compression method in a corrupted zip entry)."""


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 100 else text[:99] + "…"


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
    from lxml import etree

    from edi_workbook import limits
    from edi_workbook.writeback.package import LimitError, Package, StrictError

    if src.stat().st_size > limits.MAX_FILE_BYTES:
        raise WriteBackError(
            src,
            f"nothing was written: the file is {limits.size_text(src.stat().st_size)}, more than the "
            f"{limits.size_text(limits.MAX_FILE_BYTES)} this tool writes back into",
        )
    with open(src, "rb") as fh:
        head = fh.read(8)
    if not head.startswith(b"PK\x03\x04"):
        if head.startswith(bytes.fromhex("D0CF11E0A1B11AE1")):
            raise WriteBackError(
                src, "it is password-protected or a legacy .xls saved under another name; nothing was written"
            )
        raise WriteBackError(
            src, "it is not an Excel workbook (its content is something else); nothing was written"
        )
    pkg = None
    try:
        pkg = Package(src)
        main = pkg.peek(pkg.workbook)
    except StrictError:
        raise WriteBackError(
            src, "it is saved as 'Strict Open XML'; save it as a normal Excel workbook (.xlsx) and run again"
        ) from None
    except LimitError as exc:
        raise WriteBackError(src, f"nothing was written: the workbook is not read: {exc}") from None
    except (*_DAMAGE, OSError, etree.LxmlError):
        if pkg is not None:
            pkg.close()
        raise WriteBackError(src, "it is not a readable Excel workbook (it is damaged)") from None
    if "purl.oclc.org" in str(main.tag):
        pkg.close()
        raise WriteBackError(src, "it is saved as 'Strict Open XML'; save it as a normal Excel workbook")
    return pkg


def _commit(src: Path, pkg: Package, before: Snapshot, backup: bool, fallback_suffix: str) -> WriteBackResult:
    """Save the patched package beside ``src``, check it, close the original, then :func:`install`."""
    fallback = src.with_name(src.stem + fallback_suffix + src.suffix)
    try:
        temp = temp_path_beside(src)
    except OutputError as exc:
        raise WriteBackError(src, f"nothing was changed: writing failed ({exc.reason})") from None
    try:
        with open(temp, "wb") as fh:
            try:
                pkg.save(fh)  # streams the parts not changed: a damaged one shows only now
            except _DAMAGE as exc:
                raise WriteBackError(
                    src, f"nothing was written: the workbook is damaged ({_short(exc)})"
                ) from None
            fh.flush()
            os.fsync(fh.fileno())
        pkg.close()  # Windows cannot replace a file that is still open
        with zipfile.ZipFile(temp) as zf:
            bad = zf.testzip()
        if bad is not None:
            raise WriteBackError(src, f"nothing was written: the new file was damaged at {bad}")
        return install(src, temp, before, backup=backup, fallback=fallback)
    except OSError as exc:
        raise WriteBackError(src, f"nothing was changed: writing failed ({exc.strerror or exc})") from None
    except zipfile.BadZipFile as exc:
        raise WriteBackError(src, f"nothing was written: the new file was damaged ({exc})") from None
    finally:
        temp.unlink(missing_ok=True)
