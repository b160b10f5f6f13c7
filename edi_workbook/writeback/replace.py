"""Putting a patched workbook in place of the user's: checks, backup, ``os.replace``, or a copy.

:func:`install` takes the new workbook, already written to a temporary file beside the original
and checked, and either replaces the original with it or, when that would be unsafe, writes it as
``NAME.validated.xlsx`` beside it. In order:

1. If the new file is byte for byte the original, nothing is written (no backup either).
2. The original must still be the file that was read (:class:`Snapshot`: size, modification time,
   file identity and a SHA-256 of its content, compared just before the replace). If someone
   saved it in between, their save is kept and the results go to the copy: no lost update.
3. It must not be open in Excel (``~$NAME``) or LibreOffice (``.~lock.NAME#``), read-only, or
   refuse to open for writing; otherwise the results go to the copy.
4. A backup ``NAME.backup-YYYYmmdd-HHMMSS.xlsx`` is made (never over another file, never left
   half-written), then the temporary file replaces the original with its permission bits, owner
   and group kept where the system allows. If the replace fails, the backup is removed again and
   the message says nothing was changed.
5. The copy ``NAME.validated.xlsx`` is never replaced blindly either: if one is there and differs
   from the new one (the user may have typed into it), it is backed up first in the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import filecmp
import hashlib
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from edi_workbook.atomic import commit, temp_path_beside
from edi_workbook.errors import OutputError, WriteBackError

__all__ = ["Snapshot", "WriteBackResult", "install", "locked_reason", "make_backup"]


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
            kept = f" (its previous copy kept as {self.backup.name})" if self.backup is not None else ""
            return f"{self.reason}; wrote {self.path.name} instead{kept}"
        if self.backup is not None:
            return f"wrote {self.path.name} (backup: {self.backup.name})"
        return f"wrote {self.path.name}"


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(2**20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class Snapshot:
    """What a file was when it was read: enough to tell, later, whether anyone changed it since."""

    size: int
    mtime_ns: int
    inode: tuple[int, int]
    digest: str

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        st = path.stat()
        return cls(st.st_size, st.st_mtime_ns, (st.st_dev, st.st_ino), _digest(path))

    def still(self, path: Path) -> bool:
        """Whether ``path`` is still this file, unchanged (stat first; the hash only if that agrees)."""
        try:
            st = path.stat()
            if (st.st_size, st.st_mtime_ns, (st.st_dev, st.st_ino)) != (self.size, self.mtime_ns, self.inode):
                return False
            return _digest(path) == self.digest
        except OSError:
            return False


def locked_reason(path: Path) -> str | None:
    """Why ``path`` cannot be replaced now (open in Excel or LibreOffice, read-only, not openable),
    or None.

    Excel keeps an owner file ``~$NAME`` (the first two characters of long names replaced) beside
    an open workbook; LibreOffice keeps ``.~lock.NAME#``.
    """
    for owner in (f"~${path.name}", f"~${path.name[2:]}"):
        if (path.parent / owner).exists():
            return f"it is open in Excel ({owner} is beside it)"
    lock = f".~lock.{path.name}#"
    if (path.parent / lock).exists():
        return f"it is open in LibreOffice ({lock} is beside it)"
    if not path.stat().st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        return "it is read-only"
    try:
        with open(path, "r+b"):
            pass
    except OSError as exc:
        return f"it cannot be opened for writing ({exc.strerror or exc})"
    return None


def make_backup(src: Path) -> Path:
    """Copy ``src`` to a new ``NAME.backup-YYYYmmdd-HHMMSS[-N].ext`` beside it; never over a file.

    The copy is written to a temporary file first and linked to its name only when complete, so a
    failure (a full disk, an interrupt) leaves no partial backup. Keeps times, mode, owner and group.
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        temp = temp_path_beside(src)
    except OutputError as exc:
        raise WriteBackError(
            src, f"nothing was written: the backup could not be made ({exc.reason})"
        ) from None
    try:
        with open(src, "rb") as fin, open(temp, "wb") as fout:
            shutil.copyfileobj(fin, fout, 2**20)
            fout.flush()
            os.fsync(fout.fileno())
        shutil.copystat(src, temp)
        st = src.stat()
        with contextlib.suppress(OSError, AttributeError):
            os.chown(temp, st.st_uid, st.st_gid)
        for n in range(1, 1000):
            dest = src.with_name(f"{src.stem}.backup-{stamp}{'' if n == 1 else f'-{n}'}{src.suffix}")
            if _link_new(temp, dest):
                return dest
    except OSError as exc:
        raise WriteBackError(
            src, f"nothing was written: the backup could not be made ({exc.strerror or exc})"
        ) from None
    finally:
        temp.unlink(missing_ok=True)
    raise WriteBackError(src, "nothing was written: too many backups with the same time stamp")


def _link_new(temp: Path, dest: Path) -> bool:
    """Give the complete file ``temp`` the name ``dest`` if no file has it; False if one has."""
    try:
        os.link(temp, dest)
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links: rename, if the name is still free
        if dest.exists() or dest.is_symlink():
            return False
        os.replace(temp, dest)
        return True


def install(src: Path, temp: Path, before: Snapshot, *, backup: bool, fallback: Path) -> WriteBackResult:
    """Replace ``src`` with the checked new workbook ``temp``, or write it as ``fallback``.

    ``before`` is ``src`` as it was read. ``temp`` is consumed (moved into place, or removed).
    """
    if filecmp.cmp(temp, src, shallow=False):  # a second run on an unchanged plan: no rewrite, no backup
        return WriteBackResult(src, None, False, unchanged=True)
    st = src.stat()
    reason = (
        None if before.still(src) else "it was saved by someone else while the results were being prepared"
    )
    reason = reason or locked_reason(src)
    if reason is None:
        saved = make_backup(src) if backup else None
        try:
            commit(temp, src, stat.S_IMODE(st.st_mode), owner=(st.st_uid, st.st_gid),
                   note=f"backup: {saved.name}" if saved else "")  # fmt: skip
        except BaseException as exc:
            if not temp.exists():  # replaced: an interrupt arrived just after; the backup stays
                raise
            if saved is not None:
                saved.unlink(missing_ok=True)  # nothing changed, so the backup would only mislead
            if not isinstance(exc, PermissionError):
                if isinstance(exc, OSError):
                    raise WriteBackError(
                        src, f"nothing was changed: writing failed ({exc.strerror or exc})"
                    ) from None
                raise
            reason = f"it could not be replaced ({exc.strerror or exc})"  # Windows, while Excel holds it
        else:
            return WriteBackResult(src, saved, False)
    return _write_copy(src, temp, st, fallback, reason)


_SIGNATURE_NS = 7_357_913
"""The nanoseconds of the modification time write-back gives the copy it writes: a later save of
the copy (by Excel, by anyone) sets a new time, so the copy is known to be untouched since only
while its time still ends in these nanoseconds. A file system that keeps coarser times loses the
mark, and the copy is then always kept before it is replaced: safe, if untidy."""


def _mark_ours(path: Path) -> None:
    with contextlib.suppress(OSError):
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns // 10**9 * 10**9 + _SIGNATURE_NS))


def _ours_unchanged(path: Path) -> bool:
    """Whether ``path`` is still the copy an earlier write-back wrote (see :data:`_SIGNATURE_NS`)."""
    try:
        return path.stat().st_mtime_ns % 10**9 == _SIGNATURE_NS
    except OSError:
        return False


def _write_copy(src: Path, temp: Path, st: os.stat_result, fallback: Path, reason: str) -> WriteBackResult:
    """The results as ``NAME.validated.xlsx``; a copy already there is backed up first if someone
    may have changed it since an earlier run wrote it (see :func:`_ours_unchanged`)."""
    kept = None
    try:
        if (
            fallback.exists()
            and not _ours_unchanged(fallback)
            and not filecmp.cmp(temp, fallback, shallow=False)
        ):
            kept = make_backup(fallback)
        commit(temp, fallback, stat.S_IMODE(st.st_mode) | stat.S_IWUSR, owner=(st.st_uid, st.st_gid),
               note=f"instead of {src.name}")  # the copy is for editing  # fmt: skip
        _mark_ours(fallback)
    except BaseException as exc:
        if not temp.exists():  # written: an interrupt arrived just after
            raise
        if kept is not None:
            kept.unlink(missing_ok=True)
        detail = exc.reason if isinstance(exc, WriteBackError) else getattr(exc, "strerror", None) or exc
        if isinstance(exc, (WriteBackError, OSError)):
            raise WriteBackError(
                src, f"{reason}, and {fallback.name} could not be written either: {detail}"
            ) from None
        raise
    return WriteBackResult(fallback, kept, True, reason)
