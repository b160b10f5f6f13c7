"""Writing output files safely: atomically, onto a real file, never over what the user made.

Every file this package writes goes through :func:`atomic_path` (or :func:`write_atomic`):

- The data goes to a temporary file beside the target, then ``os.replace`` moves it into place: a
  reader never sees half a file, and a failure (an error, a full disk, Ctrl-C, ``SIGTERM`` under
  the command line) removes the temporary file and leaves the target as it was.
- A target that is a symbolic link is written through the link: the file it points at is
  replaced (atomically, in its own folder) and the link stays, so a link into a published folder
  keeps publishing. A target that exists and is not a regular file (a device, a pipe, a folder)
  is refused with :class:`~edi_workbook.errors.OutputError`.
- :func:`check_not_input` refuses an output that is one of the command's own inputs, and
  :class:`OwnFiles` refuses to replace a file in a folder that the command did not write there
  itself (or that someone changed since).
- The move into place is not interrupted half-way: Ctrl-C or ``SIGTERM`` arriving then is
  handled just after it, and :func:`written` lists what was completed, so the command line can say
  truthfully what was written before it stopped.

``tempfile.mkstemp`` creates files readable by their owner only (0600); a calendar or report meant
for a shared folder must be readable like any other new file, so the final file gets the usual
mode for new files under the process umask (0644 with the common umask 022). Write-back into a
user's own workbook (``writeback/commit.py``) keeps that workbook's mode, owner and group instead.

>>> import tempfile, pathlib, stat
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> write_atomic(target, b"hello")
>>> target.read_bytes(), oct(stat.S_IMODE(target.stat().st_mode)) == oct(0o666 & ~current_umask())
(b'hello', True)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from edi_workbook.errors import OutputError

__all__ = [
    "OwnFiles",
    "atomic_path",
    "check_not_input",
    "commit",
    "current_umask",
    "deferred_signals",
    "forget_written",
    "output_target",
    "same_file",
    "temp_path_beside",
    "through_link",
    "write_atomic",
    "written",
]

_written: list[str] = []


def current_umask() -> int:
    """The process umask (read by setting and restoring it: there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def written() -> list[str]:
    """What this process has written so far (paths, with a note such as the backup made)."""
    return list(_written)


def forget_written() -> None:
    """Start a new list for :func:`written` (the command line does, once per command)."""
    _written.clear()


def _reason(exc: OSError) -> str:
    return str(exc.strerror or exc)


def through_link(path: Path) -> Path:
    """The file a symbolic link ``path`` leads to (what is written, and what sits beside it), else
    ``path`` itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def output_target(target: str | Path) -> Path:
    """The file to replace for ``target``: through a symbolic link, and never a device or a pipe.

    Raises :class:`OutputError` when the target exists and is not a regular file (or a link to one).
    """
    path = Path(target)
    real = through_link(path)
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return real
    except OSError as exc:
        raise OutputError(path, f"cannot be written ({_reason(exc)})") from None
    if stat.S_ISDIR(mode):
        raise OutputError(path, "is a folder; give a file name")
    if not stat.S_ISREG(mode):
        kind = (
            "a pipe"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "not a file"
        )
        raise OutputError(path, f"is {kind}, not a file; give a file name to write")
    return real


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name the same file (the same one on disk, or the same resolved path)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_not_input(target: str | Path, inputs: Iterable[str | Path], what: str = "the output") -> None:
    """Raise :class:`OutputError` if ``target`` is one of ``inputs``: an input is never overwritten."""
    for source in inputs:
        if same_file(target, source):
            raise OutputError(
                target, f"{what} would replace the input {Path(source).name}; choose another name"
            )


def temp_path_beside(target: Path) -> Path:
    """A new, empty temporary file in ``target``'s folder (created, so the name is ours)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(target, f"cannot be written ({_reason(exc)})") from None
    os.close(fd)
    return Path(name)


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM until the block is done, then deliver them.

    For the few steps that must not be cut in half (a file moved into place and recorded as
    written). Only the main thread can change signal handlers; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    saved: dict[int, Any] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(sig)
        if handler is None:  # installed outside Python: cannot be put back, so left alone
            continue
        saved[sig] = handler
        signal.signal(sig, lambda signum, _frame: pending.append(signum))
    try:
        yield
    finally:
        for held, handler in saved.items():
            signal.signal(held, handler)
        for signum in pending:
            signal.raise_signal(signum)


def commit(
    temp: Path, target: Path, mode: int | None = None, *, owner: tuple[int, int] | None = None, note: str = ""
) -> None:
    """Give ``temp`` the permission bits ``mode`` (default: the usual mode for a new file) and the
    ``owner`` (uid, gid) where the system allows, and move it onto ``target``."""
    with contextlib.suppress(OSError):  # e.g. a file system without POSIX modes
        os.chmod(temp, 0o666 & ~current_umask() if mode is None else mode)
    if owner is not None and hasattr(os, "chown"):
        _keep_owner(temp, *owner)
    with deferred_signals():
        os.replace(temp, target)
        _written.append(f"{target}{f' ({note})' if note else ''}")


def _keep_owner(path: Path, uid: int, gid: int) -> None:
    """Owner and group as they were, where allowed: only root may give a file to someone else, and
    a member of a group may set it. A workbook replaced by another user stays readable by its owner."""
    st = path.stat()
    if (st.st_uid, st.st_gid) == (uid, gid):
        return
    try:
        os.chown(path, uid, gid)
    except OSError:
        if st.st_gid != gid:
            with contextlib.suppress(OSError):
                os.chown(path, -1, gid)


@contextlib.contextmanager
def atomic_path(
    target: str | Path, mode: int | None = None, *, owner: tuple[int, int] | None = None, note: str = ""
) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target`` (see :func:`commit`).

    On any failure, Ctrl-C included, the temporary file is removed and ``target`` is untouched;
    an ``OSError`` (a full disk, no permission) becomes an :class:`OutputError` naming the target.
    """
    real = output_target(target)
    temp = temp_path_beside(real)
    try:
        yield temp
        commit(temp, real, mode, owner=owner, note=note)
    except OSError as exc:
        raise OutputError(target, f"could not be written ({_reason(exc)}); it is as it was") from None
    finally:
        temp.unlink(missing_ok=True)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as temp:
        temp.write_bytes(data)


def _digest(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(2**20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


class OwnFiles:
    """The files one command writes into a folder, and what it wrote there before.

    A hidden list (``.edi-workbook-files.json``) records a SHA-256 of each file as written. A file
    of the same name is replaced only if the list has it and it is unchanged since; otherwise
    (the user's own file, or one they edited) :meth:`check` raises :class:`OutputError` before
    anything is written.
    """

    LIST = ".edi-workbook-files.json"

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._hashes: dict[str, str] = {}
        with contextlib.suppress(OSError, ValueError, TypeError):
            data = json.loads((self.folder / self.LIST).read_text(encoding="utf-8"))
            self._hashes = {str(k): str(v) for k, v in dict(data).items()}

    def check(self, names: Iterable[str]) -> None:
        """Refuse (before anything is written) if any of ``names`` is a file this folder's list
        does not have as written by us, unchanged."""
        for name in names:
            path = self.folder / name
            if not path.exists() and not path.is_symlink():
                continue
            output_target(path)
            if self._hashes.get(name) is None or _digest(path) != self._hashes[name]:
                raise OutputError(
                    path,
                    "exists and was not written by this command (or was changed since); "
                    "move it away or choose another folder",
                )

    def record(self, paths: Iterable[Path]) -> None:
        """Note the files just written (their names in the folder and their content)."""
        for path in paths:
            digest = _digest(path)
            if digest is not None:
                self._hashes[path.name] = digest
        text = json.dumps(self._hashes, indent=1, sort_keys=True) + "\n"
        write_atomic(self.folder / self.LIST, text.encode("utf-8"))
