"""Read an action plan from ``.xlsx``, ``.xlsm`` or ``.csv``: :func:`read_plan`.

Before parsing, the file's first bytes say what it really is, so that a mislabelled file gets a
plain sentence rather than a parser's traceback:

- ``PK\\x03\\x04``: a zip package (``.xlsx``/``.xlsm``);
- ``D0 CF 11 E0 A1 B1 1A E1``: an OLE2 compound file, which is either an encrypted OOXML workbook
  (it then holds an ``EncryptionInfo`` stream, MS-OFFCRYPTO 2.3.4) or a legacy ``.xls``;
- a zip that is an OpenDocument package (``.ods``) or an ``.xlsx`` renamed ``.xls`` is named as such;
- anything else named ``.xlsx`` is not a workbook.

Before that, a path that is not a regular file (a pipe would block the reader for ever) and a file
larger than :data:`~edi_workbook.limits.MAX_FILE_BYTES` are refused, and a workbook's zip directory
is checked against the limits of :mod:`edi_workbook.limits` before any part is unzipped.

Every failure is a :class:`~edi_workbook.errors.PlanReadError` with one sentence saying what to do.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from pathlib import Path
from typing import IO

from edi_workbook import limits
from edi_workbook.errors import PlanReadError
from edi_workbook.plan import Plan

__all__ = ["read_plan"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm"}


def read_plan(path: str | Path, *, sheet: str | None = None) -> Plan:
    """Read the action plan in ``path``; ``sheet`` picks a worksheet instead of searching them all.

    Raises :class:`PlanReadError` (one plain sentence) if the file cannot be read as a plan.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"read_plan() needs a file path (str or pathlib.Path), not {type(path).__name__}")
    p = Path(path)
    _check_file(p)
    suffix = p.suffix.lower()
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
            ole2 = _ole2_reason(fh) if head.startswith(_OLE2_MAGIC) else None
    except OSError as exc:
        raise PlanReadError(p, f"the file cannot be opened ({exc.strerror or exc})") from None
    if not head:
        raise PlanReadError(p, "the file is empty (0 bytes)")
    if ole2 is not None:
        raise PlanReadError(p, ole2)
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
        if _looks_like_text(p):
            raise PlanReadError(
                p, "this is a text file, not an Excel workbook; if it is a CSV export, rename it to .csv"
            )
        raise PlanReadError(
            p, "this is not an Excel workbook (its content is something else); check the file"
        )
    return _read_zip(p, sheet)


def _check_file(p: Path) -> None:
    """Refuse what cannot be a plan file before opening it: missing, a folder, a pipe, too big."""
    try:
        st = p.stat()
    except FileNotFoundError:
        raise PlanReadError(p, "file not found") from None
    except OSError as exc:
        raise PlanReadError(p, f"the file cannot be opened ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise PlanReadError(p, "this is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise PlanReadError(p, "this is not a regular file (a pipe, a device or a socket), so it is not read")
    if st.st_size > limits.MAX_FILE_BYTES:
        raise PlanReadError(
            p,
            f"the file is {limits.size_text(st.st_size)}, more than the "
            f"{limits.size_text(limits.MAX_FILE_BYTES)} this tool reads",
        )


_ODS = "this is an OpenDocument spreadsheet (.ods); open it in LibreOffice or Excel and save it as .xlsx"


def _is_opendocument(zf: zipfile.ZipFile) -> bool:
    """An ODF package names its type in a first, stored ``mimetype`` entry (ODF 1.2 Part 3, 3.3)."""
    try:
        return zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except KeyError:
        return False


def _ole2_reason(fh: IO[bytes]) -> str:
    """Encrypted OOXML or legacy ``.xls``: from the compound file's directory, not its whole content."""
    if "EncryptionInfo" in _ole2_names(fh):
        return "the workbook is password-protected; remove the password in Excel (File > Info) and try again"
    return "this is a legacy .xls workbook; open it in Excel and save it as .xlsx"


def _ole2_names(fh: IO[bytes], most: int = 512) -> set[str]:
    """Stream names in an OLE2 compound file's directory ([MS-CFB] 2.2 header, 2.6 directory).

    Reads the header, then follows the directory's sector chain through the FAT sectors the header
    lists (the first 109), at most ``most`` sectors: a few reads, whatever the file's size. A
    damaged directory gives the names found so far.
    """
    fh.seek(0)
    header = fh.read(512)
    shift = int.from_bytes(header[30:32], "little")
    if len(header) < 512 or shift not in (9, 12):
        return set()
    size, free = 1 << shift, 0xFFFFFFFA
    difat = [int.from_bytes(header[76 + 4 * i : 80 + 4 * i], "little") for i in range(109)]

    def sector(n: int) -> bytes:
        fh.seek((n + 1) * size)
        return fh.read(size)

    names: set[str] = set()
    current, seen = int.from_bytes(header[48:52], "little"), set[int]()
    while current < free and current not in seen and len(seen) < most:
        seen.add(current)
        data = sector(current)
        for at in range(0, len(data) - 127, 128):
            length = int.from_bytes(data[at + 64 : at + 66], "little")
            if 2 <= length <= 64:
                names.add(data[at : at + length - 2].decode("utf-16-le", "replace"))
        per = size // 4
        index = current // per
        if index >= len(difat) or difat[index] >= free:
            break
        fat = sector(difat[index])
        current = int.from_bytes(fat[4 * (current % per) : 4 * (current % per) + 4], "little")
    return names


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
            _check_limits(p, zf)
        return read_xlsx(p, sheet=sheet)
    except PlanReadError:
        raise
    except pc.PasswordError:
        raise PlanReadError(
            p, "the workbook is password-protected; remove the password and try again"
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, pc.CalamineError, KeyError, ValueError, OSError):
        raise PlanReadError(p, damaged) from None
    except (NotImplementedError, LookupError):  # a zip "version" or an XML encoding that does not exist
        raise PlanReadError(p, damaged) from None
    except (SyntaxError, TypeError, RecursionError):  # malformed XML in a part (ElementTree's errors)
        raise PlanReadError(p, damaged) from None
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":  # python-calamine's Rust panics are BaseExceptions
            raise
        raise PlanReadError(p, damaged) from None


def _check_limits(p: Path, zf: zipfile.ZipFile) -> None:
    """The zip directory against :mod:`edi_workbook.limits`, then the XML parts python-calamine
    reads against their declared sizes (it does not stop where the directory says a part ends)."""
    problem = limits.zip_problem(zf)
    for info in zf.infolist():
        sheet = info.filename.startswith("xl/worksheets/")  # checked as it is read (read/xlsx.py)
        if problem is None and info.filename.endswith((".xml", ".rels")) and not sheet:
            problem = limits.check_part_stream(p, info)
    if problem is not None:
        raise PlanReadError(p, f"the workbook is not read: {problem}")
