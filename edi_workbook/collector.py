"""Python's cyclic garbage collector, paused while many objects that are not garbage are made.

The collector runs whenever enough new container objects have been made, and each run walks every
object of the generations it collects. Code that makes very many objects that are not cyclic
garbage (importing pandas and our rules: a few hundred thousand that live as long as the process;
validating 10,000 actions: tens of thousands of findings, lists and tuples) pays for those walks
and gains nothing: about 40 ms of ``validate``'s start-up and a sixth of a 10,000-action run
(issue 18). :func:`paused` stops it for a block and gives it back as it was; reference counting
still frees everything as usual meanwhile.

``freeze=True`` then moves everything that exists out of the collector's sight (``gc.freeze``),
as the standard library advises for long-lived objects, and before ``fork``: later collections,
and those of forked workers (which would otherwise write to the pages they share with their
parent), skip them. That is done once per process: after that, what a host makes stays
collectable. Whoever froze decides whether to ``gc.unfreeze()``: the command line keeps it for
the process's life; a library call that froze only for the workers it forks unfreezes when they
are done (:func:`edi_workbook.batch.iter_batch`).

>>> import gc
>>> with paused() as pause:
...     gc.isenabled()
False
>>> gc.isenabled(), pause.froze
(True, False)
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["Pause", "freeze_for_exit", "paused"]


class Pause:
    """What a :func:`paused` block did; read it after the block.

    ``froze``: the block's end froze what existed (``gc.freeze``), nothing having been frozen before.
    (A plain class, not a dataclass: every command imports this module, even ``--help``.)
    """

    __slots__ = ("froze",)

    def __init__(self) -> None:
        self.froze = False


@contextlib.contextmanager
def paused(*, freeze: bool = False) -> Iterator[Pause]:
    """Run the block with the collector paused, then (``freeze``) freeze what exists, once per process.

    The collector is enabled again afterwards only if it was on before: a caller that had it off
    keeps it off; an exception in the block restores it too, and then nothing is frozen. The
    :class:`Pause` it gives says whether this block froze, so that the caller can undo it
    (``gc.unfreeze()``) when the frozen objects' use is over; nothing is frozen when something
    already was (``gc.get_freeze_count()``).
    """
    pause = Pause()
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield pause
        if freeze and not gc.get_freeze_count():
            gc.freeze()
            pause.froze = True
    finally:
        if was_on:
            gc.enable()


def freeze_for_exit() -> None:
    """Freeze what exists, for a process that ends now (``gc.freeze``): the command line's entry
    point, after its command; never a host that goes on (it keeps its garbage collectable).

    Python collects at exit, walking every object the collector sees: after a batch, whose
    warm-up froze the program's objects for its workers and gave them back when they were done
    (:func:`edi_workbook.batch.iter_batch`), that walk was 22 ms of a one-file batch's 0.23 s
    (issue 18). Frozen, they are skipped; nothing is then left to collect that
    matters, since the process is about to end.
    """
    gc.freeze()
