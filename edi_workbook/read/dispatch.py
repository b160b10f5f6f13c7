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
_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods"}


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
            encrypted = head.startswith(_OLE2_MAGIC) and _is_encrypted(fh)
    except OSError as exc:
        raise PlanReadError(p, f"the file cannot be opened ({exc.strerror or exc})") from None
    if not head:
        raise PlanReadError(p, "the file is empty (0 bytes)")
    if encrypted:
        raise PlanReadError(p, _PASSWORD)
    if head.startswith(_OLE2_MAGIC):
        return _read_book(p, sheet, ".xls")  # a legacy workbook (BIFF8): its values, through calamine
    if suffix in _CSV_SUFFIXES:
        from edi_workbook.read.delimited import read_csv

        return read_csv(p)
    if suffix not in _WORKBOOK_SUFFIXES and not head.startswith(_ZIP_MAGIC):
        raise PlanReadError(
            p, f"'{suffix or 'no extension'}' files are not plans; use .xlsx, .xlsm, .xls, .ods or .csv"
        )
    if not head.startswith(_ZIP_MAGIC):
        if _looks_like_text(p):
            raise PlanReadError(
                p, "this is a text file, not an Excel workbook; if it is a CSV export, rename it to .csv"
            )
        raise PlanReadError(
            p, "this is not an Excel workbook (its content is something else); check the file"
        )
    return _read_zip(p, sheet)


_PASSWORD = "the workbook is password-protected; remove the password in Excel (File > Info) and try again"  # noqa: S105
_DAMAGED = (
    "the file is damaged or incomplete (it could not be opened as a workbook); "
    "open it in Excel and save it again"
)


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


def _is_opendocument(zf: zipfile.ZipFile) -> bool:
    """An ODF package names its type in a first, stored ``mimetype`` entry (ODF 1.2 Part 3, 3.3)."""
    try:
        return zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except KeyError:
        return False


def _is_encrypted(fh: IO[bytes]) -> bool:
    """An OLE2 file whose directory (not its whole content) names an ``EncryptionInfo`` stream:
    an encrypted OOXML workbook (MS-OFFCRYPTO); any other OLE2 file is taken as a legacy ``.xls``."""
    return "EncryptionInfo" in _ole2_names(fh)


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
    """A zip package: an Excel workbook (``xl/``), binary (``xl/workbook.bin``) or OpenDocument.

    The zip is opened once: an Excel workbook is read through the same open package.
    """
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise PlanReadError(p, _DAMAGED) from None
    with zf:
        try:
            names = zf.namelist()
            if _is_opendocument(zf):
                content = ".ods"
            elif "xl/workbook.bin" in names:
                content = ".xlsb"
            elif any(n.startswith("xl/") for n in names):
                content = ".xlsx"
            else:
                raise PlanReadError(p, _DAMAGED)
            _check_limits(p, zf)
        except PlanReadError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
            raise PlanReadError(p, _DAMAGED) from None
        return _read_book(p, sheet, content, zf if content == ".xlsx" else None)


def _read_book(p: Path, sheet: str | None, content: str, zf: zipfile.ZipFile | None = None) -> Plan:
    """Read a workbook whose content is of type ``content`` (``.xlsx``, ``.xlsb``, ``.ods``, ``.xls``);
    ``zf`` is its package when it is open already."""
    import python_calamine as pc

    from edi_workbook.read.workbook import read_xlsx

    try:
        return read_xlsx(p, sheet=sheet, content=content, zf=zf)
    except PlanReadError:
        raise
    except pc.PasswordError:
        raise PlanReadError(p, _PASSWORD) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, pc.CalamineError, KeyError, ValueError, OSError):
        raise PlanReadError(p, _DAMAGED) from None
    except (NotImplementedError, LookupError):  # a zip "version" or an XML encoding that does not exist
        raise PlanReadError(p, _DAMAGED) from None
    except (SyntaxError, TypeError, RecursionError):  # malformed XML in a part (lxml's and ElementTree's)
        raise PlanReadError(p, _DAMAGED) from None
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":  # python-calamine's Rust panics are BaseExceptions
            raise
        raise PlanReadError(p, _DAMAGED) from None


def _check_limits(p: Path, zf: zipfile.ZipFile) -> None:
    """The zip directory against :mod:`edi_workbook.limits`, then the XML parts python-calamine
    reads against their declared sizes (it does not stop where the directory says a part ends)."""
    problem = limits.zip_problem(zf)
    for info in zf.infolist():
        sheet = info.filename.startswith("xl/worksheets/")  # checked as it is read (read/workbook.py)
        if problem is None and info.filename.endswith((".xml", ".rels")) and not sheet:
            problem = limits.check_part_stream(p, info)
    if problem is not None:
        raise PlanReadError(p, f"the workbook is not read: {problem}")
