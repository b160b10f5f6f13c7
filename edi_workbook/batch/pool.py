"""Worker processes for a batch, isolated so that one file cannot take the run down.

A plan file can crash the process that reads it: a native library aborting (python-calamine
asked for 512 GiB by a stray cell and aborted), memory running out. :func:`isolated` runs chunks
of files in a process pool; when a worker dies (``BrokenProcessPool``) every chunk in flight is a
suspect, so the pool is started again and the suspects' files are run one at a time in a
one-worker pool: the file whose worker dies is the culprit and gets :data:`CRASHED` as its result,
every other file its real one, in order. Nothing of this costs anything while no worker dies.

:func:`worker_count` and :func:`mp_context` say how many workers and how they start; ``batch``
and ``--history`` both go through :func:`isolated`.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from edi_workbook.batch.model import FileResult
from edi_workbook.errors import UsageError
from edi_workbook.safe_text import printable_path

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["CHUNK", "CRASHED", "crashed_result", "isolated", "mp_context", "worker_count"]

T = TypeVar("T")
Work = Callable[[Sequence[Path]], list[T]]

CHUNK = 16
"""At most this many files go to a worker at once (fewer for small batches, so every worker gets
some): one task per chunk, not per file, and one list of results back."""
RECYCLE = 128
"""Files per worker before fresh workers take over (see :class:`_Pool`). On 1,000 plans of varied
wording a worker that ran 500 of them peaked at 336 MiB; with 128 the largest process of 7,000
plans x 60 actions peaked at 228 MiB (256: 314 MiB), in the same time: a fork of the warmed-up
main process costs a few milliseconds."""

CRASHED = (
    "the reader stopped on this file (it crashed or ran out of memory), so it could not be read; "
    "open it in Excel, check it and save it again"
)
"""The reason given for a file whose worker process died while reading it."""


def crashed_result(path: Path) -> FileResult:
    """The result of a file whose worker died while analysing it."""
    return FileResult(file=printable_path(path), error=CRASHED)


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity, where the system tells)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def worker_count(jobs: int | None, n_files: int) -> int:
    """Worker processes: ``jobs`` (default: one per CPU), never more than the CPUs or the files.

    Asking for more workers than CPUs only adds processes competing for the same cores, so
    ``--jobs`` above the CPU count is quietly capped (docs/batch.md says so).
    """
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise UsageError(f"--jobs must be 1 or more, not {jobs}")
    cpus = cpu_count()
    return max(1, min(jobs or cpus, cpus, n_files))


def mp_context() -> Any:
    """``fork`` where it is safe (POSIX, one thread: workers inherit the imports), else the default."""
    import multiprocessing as mp

    if sys.platform != "win32" and "fork" in mp.get_all_start_methods() and threading.active_count() == 1:
        return mp.get_context("fork")
    return mp.get_context()


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


class _Pool(Generic[T]):
    """A process pool that is started again after a worker dies (``BrokenProcessPool``).

    With ``recycle``, fresh workers take over after that many files: the old ones finish what they
    were given and exit, so whatever a worker accumulates (the per-process caches of texts seen,
    which fill up with a batch's distinct wording) is given back, and a long batch's workers stay
    the size of a short one's.
    """

    def __init__(self, workers: int, context: Any, work: Work[T], recycle: int | None = None) -> None:
        self.workers, self.context, self.work, self.recycle = workers, context, work, recycle
        self._pool: Any = None
        self._files = 0
        self._retired: list[Any] = []

    def submit(self, paths: Sequence[Path]) -> Future[list[T]]:
        from concurrent.futures import ProcessPoolExecutor

        if self._pool is not None and self.recycle is not None and self._files >= self.recycle:
            self._pool.shutdown(wait=False)  # its workers finish the chunks they have, then exit
            self._retired.append(self._pool)
            self._pool = None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=self.context, initializer=_quiet_worker
            )
            self._files = 0
        future: Future[list[T]] = self._pool.submit(self.work, paths)
        self._files += len(paths)
        return future

    def restart(self) -> None:
        self.close()

    def close(self) -> None:
        for pool in [*self._retired, self._pool]:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        self._pool, self._retired = None, []


def _alone(pool: _Pool[T], path: Path, crashed: Callable[[Path], T]) -> T:
    """One file analysed on its own in ``pool``: if the worker dies, this file is the cause."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return pool.submit([path]).result()[0]
    except BrokenProcessPool:
        pool.restart()
        return crashed(path)


def _forked(paths: Sequence[Path], work: Work[T], crashed: Callable[[Path], T]) -> list[T]:
    """``work(paths)`` in one forked child process, for a batch of a single file.

    A pool (ProcessPoolExecutor: its import, queues, threads) cost 12 ms of a one-file batch's
    0.22 s; one ``fork`` and a pipe cost 2. The child sends its pickled results and ends at once
    (``os._exit``: nothing of this process's own clean-up runs twice); if it dies before it has
    sent them, each file's result is ``crashed(path)``, as :func:`_alone` gives, and if ``work``
    raised, the same exception is raised here.
    """
    import pickle

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        code = 1
        try:
            os.close(read_end)
            _quiet_worker()
            try:
                payload = pickle.dumps((True, work(paths)), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: BLE001 - raised again in the parent, as a pool would
                payload = _pickled_error(exc)
            with open(write_end, "wb") as pipe:
                pipe.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        with open(read_end, "rb") as pipe:
            payload = pipe.read()
    except BaseException:  # Ctrl-C (the child ignores it): end the child now, not after its file
        _end(pid)
        raise
    _reap(pid)
    try:
        ok, value = pickle.loads(payload)  # noqa: S301 - our own child's, through our own pipe
    except Exception:  # noqa: BLE001 - nothing, or part of it: the child died
        return [crashed(p) for p in paths]
    if not ok:
        raise value
    return value


def _pickled_error(exc: BaseException) -> bytes:
    """``(False, exc)`` pickled for the parent; an exception that cannot be pickled (or unpickled)
    goes as a RuntimeError naming it, so that a bug is reported as one, not as a file that crashed."""
    import pickle

    try:
        payload = pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(payload)  # noqa: S301 - our own, just made
        return payload
    except Exception:  # noqa: BLE001 - any failure of either direction
        return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def _reap(pid: int) -> None:
    """Wait for the child ``pid`` to end; ended at once if the wait is interrupted. A child already
    reaped elsewhere (SIGCHLD ignored, or a host's handler reaping every child) is simply gone."""
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        return
    except BaseException:
        _end(pid)
        raise


def _end(pid: int) -> None:
    """End the child ``pid`` and wait for it (if something else has not reaped it already)."""
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def isolated(
    files: Sequence[Path],
    n: int,
    work: Work[T],
    context: Any,
    crashed: Callable[[Path], T] = crashed_result,  # type: ignore[assignment]
) -> Iterator[T]:
    """``work`` over ``files`` in ``n`` worker processes, in chunks; one result per file, in order.

    ``work`` takes a chunk of paths and returns one result per path; it must be picklable (a
    module-level function or a ``functools.partial`` of one). ``crashed(path)`` is the result of a
    file whose worker died (default: a :class:`FileResult` saying :data:`CRASHED`). A single file
    is analysed in one forked child without a pool (:func:`_forked`), or in this process where
    processes are spawned rather than forked.
    """
    if len(files) == 1:
        if context.get_start_method() != "fork":
            yield from work(files)  # where workers are spawned (Windows), one costs more than one file
        else:
            yield from _forked(files, work, crashed)
        return
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, min(CHUNK, len(files) // (n * 8)))
    chunks = (list(files[i : i + size]) for i in range(0, len(files), size))
    pool, lone = _Pool(n, context, work, recycle=RECYCLE * n), _Pool(1, context, work)
    try:
        pending: deque[tuple[list[Path], Future[list[T]]]] = deque(
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
                    yield from (_alone(lone, p, crashed) for p in suspect)
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
