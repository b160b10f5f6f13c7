"""Worker processes for a batch, isolated so that one file cannot take the run down.

A plan file can crash the process that reads it: a native library aborting (python-calamine
asked for 512 GiB by a stray cell and aborted), memory running out. :func:`isolated` runs chunks
of files in a process pool; when a worker dies (``BrokenProcessPool``) every chunk in flight is a
suspect, so the pool is started again and the suspects' files are run one at a time in a
one-worker pool: the file whose worker dies is the culprit and gets :data:`CRASHED` as its result,
every other file its real one, in order. Nothing of this costs anything while no worker dies.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook.batch.model import FileResult
from edi_workbook.safe_text import printable_path

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["CRASHED", "isolated"]

Work = Callable[[Sequence[Path]], list[FileResult]]

CRASHED = (
    "the reader stopped on this file (it crashed or ran out of memory), so it could not be read; "
    "open it in Excel, check it and save it again"
)
"""The reason given for a file whose worker process died while reading it."""


def _quiet_worker() -> None:
    """Workers leave Ctrl-C to the main process, which stops the pool, and print nothing: every
    problem comes back as a result, and a native library dying says so on stderr in its own words
    (a Rust backtrace) before the main process reports the file in one line."""
    import faulthandler
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    faulthandler.disable()  # a host (pytest, python -X faulthandler) may have it print crash dumps
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


class _Pool:
    """A process pool that is started again after a worker dies (``BrokenProcessPool``)."""

    def __init__(self, workers: int, context: Any, work: Work) -> None:
        self.workers, self.context, self.work = workers, context, work
        self._pool: Any = None

    def submit(self, paths: Sequence[Path]) -> Future[list[FileResult]]:
        from concurrent.futures import ProcessPoolExecutor

        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=self.context, initializer=_quiet_worker
            )
        future: Future[list[FileResult]] = self._pool.submit(self.work, paths)
        return future

    def restart(self) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _alone(pool: _Pool, path: Path) -> FileResult:
    """One file analysed on its own in ``pool``: if the worker dies, this file is the cause."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return pool.submit([path]).result()[0]
    except BrokenProcessPool:
        pool.restart()
        return FileResult(file=printable_path(path), error=CRASHED)


def isolated(files: Sequence[Path], n: int, work: Work, context: Any) -> Iterator[FileResult]:
    """``work`` over ``files`` in ``n`` worker processes, in chunks; one result per file, in order.

    ``work`` must be picklable (a module-level function or a ``functools.partial`` of one).
    """
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, min(16, len(files) // (n * 8)))
    chunks = (list(files[i : i + size]) for i in range(0, len(files), size))
    pool, lone = _Pool(n, context, work), _Pool(1, context, work)
    try:
        pending: deque[tuple[list[Path], Future[list[FileResult]]]] = deque(
            (c, pool.submit(c)) for c in islice(chunks, n * 3)
        )
        while pending:
            chunk, future = pending.popleft()
            try:
                done = future.result()
            except BrokenProcessPool:  # a worker died: every chunk in flight is a suspect
                suspects = [chunk, *(c for c, _ in pending)]
                pending.clear()
                pool.restart()
                for suspect in suspects:
                    yield from (_alone(lone, p) for p in suspect)
                lone.close()
                pending.extend((c, pool.submit(c)) for c in islice(chunks, n * 3))
                continue
            nxt = next(chunks, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(nxt)))
            yield from done
    finally:
        pool.close()
        lone.close()
