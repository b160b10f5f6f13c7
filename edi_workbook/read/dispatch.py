"""Read an action plan from ``.xlsx``, ``.xlsm`` or ``.csv``: :func:`read_plan`.

Before parsing, the file's first bytes say what it really is, so that a mislabelled file gets a
plain sentence rather than a parser's traceback:

- ``PK\\x03\\x04``: a zip package (``.xlsx``/``.xlsm``);
- ``D0 CF 11 E0 A1 B1 1A E1``: an OLE2 compound file, which is either an encrypted OOXML workbook
  (it then holds an ``EncryptionInfo`` stream, MS-OFFCRYPTO 2.3.4) or a legacy ``.xls``;
- a zip that is an OpenDocument package (``.ods``) or an ``.xlsx`` renamed ``.xls`` is named as such;
- anything else named ``.xlsx`` is not a workbook.

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
_XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm"}


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
        raise PlanReadError(p, _ole2_reason(p))
    if suffix in _CSV_SUFFIXES:
        from edi_workbook.read.delimited import read_csv

        return read_csv(p)
    if suffix == ".xls" and not head.startswith(_ZIP_MAGIC):
        raise PlanReadError(p, "this is a legacy .xls workbook; open it in Excel and save it as .xlsx")
    if suffix == ".xls":  # a zip named .xls: an .xlsx someone renamed, which readers refuse
        raise PlanReadError(p, "this is an .xlsx workbook named .xls; rename it to .xlsx and try again")
    if suffix not in _XLSX_SUFFIXES | {".xls"} and not head.startswith(_ZIP_MAGIC):
        raise PlanReadError(p, f"'{suffix or 'no extension'}' files are not plans; use .xlsx, .xlsm or .csv")
    if not head.startswith(_ZIP_MAGIC):
        kind = "a text file" if _looks_like_text(p) else "not a workbook"
        raise PlanReadError(
            p, f"this is {kind}, not an Excel workbook; if it is a CSV export, rename it to .csv"
        )
    return _read_zip(p, sheet)


_ODS = "this is an OpenDocument spreadsheet (.ods); open it in LibreOffice or Excel and save it as .xlsx"


def _is_opendocument(zf: zipfile.ZipFile) -> bool:
    """An ODF package names its type in a first, stored ``mimetype`` entry (ODF 1.2 Part 3, 3.3)."""
    try:
        return zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except KeyError:
        return False


def _ole2_reason(p: Path) -> str:
    data = p.read_bytes()
    if _ENCRYPTION_INFO in data:
        return "the workbook is password-protected; remove the password in Excel (File > Info) and try again"
    return "this is a legacy .xls workbook; open it in Excel and save it as .xlsx"


def _looks_like_text(p: Path) -> bool:
    with p.open("rb") as fh:
        sample = fh.read(4096)
    return b"\x00" not in sample


def _read_zip(p: Path, sheet: str | None) -> Plan:
    import python_calamine as pc

    from edi_workbook.read.xlsx import read_xlsx

    damaged = (
        "the file is damaged or incomplete (it could not be opened as a workbook); "
        "open it in Excel and save it again"
    )
    try:
        with zipfile.ZipFile(p) as zf:
            if not any(n.startswith("xl/") for n in zf.namelist()):
                raise PlanReadError(p, _ODS if _is_opendocument(zf) else damaged)
        return read_xlsx(p, sheet=sheet)
    except PlanReadError:
        raise
    except pc.PasswordError:
        raise PlanReadError(
            p, "the workbook is password-protected; remove the password and try again"
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, pc.CalamineError, KeyError, ValueError, OSError):
        raise PlanReadError(p, damaged) from None
    except (SyntaxError, TypeError):  # malformed XML in a part (lxml's and ElementTree's errors)
        raise PlanReadError(p, damaged) from None
