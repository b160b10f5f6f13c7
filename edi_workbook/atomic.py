"""Writing new output files atomically: a temporary file beside the target, then ``os.replace``.

A reader never sees a half-written file, and a failed write leaves no temporary file behind.
``tempfile.mkstemp`` creates files readable by their owner only (0600); a calendar or report meant
for a shared folder must be readable like any other new file, so the final file gets the usual
mode for new files under the process umask (0644 with the common umask 022). Write-back into a
user's own workbook (``writeback.py``) keeps that workbook's mode instead.

>>> import tempfile, pathlib, stat
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> write_atomic(target, b"hello")
>>> target.read_bytes(), oct(stat.S_IMODE(target.stat().st_mode)) == oct(0o666 & ~current_umask())
(b'hello', True)
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "current_umask", "temp_path_beside", "write_atomic"]


def current_umask() -> int:
    """The process umask (read by setting and restoring it: there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temp_path_beside(target: Path) -> Path:
    """A new, empty temporary file in ``target``'s folder (created, so the name is ours)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    return Path(name)


def commit(temp: Path, target: Path, mode: int | None = None) -> None:
    """Give ``temp`` the permission bits ``mode`` (default: the usual mode for a new file) and
    move it onto ``target``."""
    with contextlib.suppress(OSError):  # e.g. a file system without POSIX modes
        os.chmod(temp, 0o666 & ~current_umask() if mode is None else mode)
    os.replace(temp, target)


@contextlib.contextmanager
def atomic_path(target: str | Path, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target`` (with ``mode``, see
    :func:`commit`), on failure it is removed."""
    target = Path(target)
    temp = temp_path_beside(target)
    try:
        yield temp
        commit(temp, target, mode)
    finally:
        temp.unlink(missing_ok=True)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as temp:
        temp.write_bytes(data)
