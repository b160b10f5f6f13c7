"""Read an action plan from ``.xlsx``, ``.xlsm``, ``.csv``, or the values of ``.xls``, ``.xlsb``, ``.ods``.

Before parsing, the file's first bytes say what it really is, so that a mislabelled file gets a
plain sentence rather than a parser's traceback:

- ``PK\\x03\\x04``: a zip package (``.xlsx``/``.xlsm``);
- ``D0 CF 11 E0 A1 B1 1A E1``: an OLE2 compound file, which is either an encrypted OOXML workbook
  (it then holds an ``EncryptionInfo`` stream, MS-OFFCRYPTO 2.3.4; refused) or a legacy ``.xls``
  (read for its values);
- a zip is read by what it holds, whatever its name: an OpenDocument package (``.ods``), a binary
  workbook (``.xlsb``) or an Excel workbook (an ``.xlsx`` renamed ``.xls`` is read as one);
- anything else named as a workbook is not a workbook.

Every failure is a :class:`~edi_workbook.errors.PlanReadError` with one sentence saying what to do.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from edi_workbook.errors import PlanReadError
from edi_workbook.plan import Plan

__all__ = ["read_plan"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods"}


def read_plan(path: str | Path, *, sheet: str | None = None) -> Plan:
    """Read the action plan in ``path``; ``sheet`` picks a worksheet instead of searching them all.

    Raises :class:`PlanReadError` (one plain sentence) if the file cannot be read as a plan.
    """
    p = Path(path)
    if not p.exists():
        raise PlanReadError(p, "file not found")
    if p.is_dir():
        raise PlanReadError(p, "this is a folder, not a file")
    suffix = p.suffix.lower()
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise PlanReadError(p, f"the file cannot be opened ({exc.strerror or exc})") from None
    if not head:
        raise PlanReadError(p, "the file is empty (0 bytes)")
    if head.startswith(_OLE2_MAGIC):
        if _is_encrypted(p):
            raise PlanReadError(p, _PASSWORD)
        return _read_book(p, sheet, ".xls")  # a legacy workbook (BIFF8): its values, through calamine
    if suffix in _CSV_SUFFIXES:
        from edi_workbook.read.delimited import read_csv

        return read_csv(p)
    if suffix not in _WORKBOOK_SUFFIXES and not head.startswith(_ZIP_MAGIC):
        raise PlanReadError(
            p, f"'{suffix or 'no extension'}' files are not plans; use .xlsx, .xlsm, .xls, .ods or .csv"
        )
    if not head.startswith(_ZIP_MAGIC):
        kind = "a text file" if _looks_like_text(p) else "not a workbook"
        raise PlanReadError(
            p, f"this is {kind}, not an Excel workbook; if it is a CSV export, rename it to .csv"
        )
    return _read_zip(p, sheet)


_PASSWORD = "the workbook is password-protected; remove the password in Excel (File > Info) and try again"  # noqa: S105
_DAMAGED = (
    "the file is damaged or incomplete (it could not be opened as a workbook); "
    "open it in Excel and save it again"
)


def _is_opendocument(zf: zipfile.ZipFile) -> bool:
    """An ODF package names its type in a first, stored ``mimetype`` entry (ODF 1.2 Part 3, 3.3)."""
    try:
        return zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except KeyError:
        return False


def _is_encrypted(p: Path) -> bool:
    """An OLE2 file holding an ``EncryptionInfo`` stream: an encrypted OOXML workbook (MS-OFFCRYPTO)."""
    return _ENCRYPTION_INFO in p.read_bytes()


def _looks_like_text(p: Path) -> bool:
    with p.open("rb") as fh:
        sample = fh.read(4096)
    return b"\x00" not in sample


def _read_zip(p: Path, sheet: str | None) -> Plan:
    """A zip package: an Excel workbook (``xl/``), binary (``xl/workbook.bin``) or OpenDocument."""
    try:
        with zipfile.ZipFile(p) as zf:
            names = zf.namelist()
            if _is_opendocument(zf):
                content = ".ods"
            elif "xl/workbook.bin" in names:
                content = ".xlsb"
            elif any(n.startswith("xl/") for n in names):
                content = ".xlsx"
            else:
                raise PlanReadError(p, _DAMAGED)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise PlanReadError(p, _DAMAGED) from None
    return _read_book(p, sheet, content)


def _read_book(p: Path, sheet: str | None, content: str) -> Plan:
    """Read a workbook whose content is of type ``content`` (``.xlsx``, ``.xlsb``, ``.ods``, ``.xls``)."""
    import python_calamine as pc

    from edi_workbook.read.workbook import read_xlsx

    try:
        return read_xlsx(p, sheet=sheet, content=content)
    except PlanReadError:
        raise
    except pc.PasswordError:
        raise PlanReadError(p, _PASSWORD) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, pc.CalamineError, KeyError, ValueError, OSError):
        raise PlanReadError(p, _DAMAGED) from None
    except (SyntaxError, TypeError):  # malformed XML in a part (lxml's and ElementTree's errors)
        raise PlanReadError(p, _DAMAGED) from None
