"""Which files this process holds open (Linux's ``/proc``): a handle left open locks the user's
workbook on Windows, where Excel then cannot save it. No tests here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROC_FDS = Path("/proc/self/fd")
needs_proc = pytest.mark.skipif(not PROC_FDS.is_dir(), reason="reads the open files from Linux's /proc")


def open_fds_on(path: Path) -> int:
    """How many of this process's file descriptors point at ``path``."""
    count = 0
    for fd in PROC_FDS.iterdir():
        try:
            count += Path(os.readlink(fd)) == path.resolve()
        except OSError:  # closed between the listing and the look
            continue
    return count
