"""What a batch does around its worker processes: warm up the main process, show progress.

:func:`warm_up` imports and primes everything once in the main process before the workers are
forked, so that each worker inherits it instead of redoing it; :func:`progress_bar` is the bar on
the terminal (tqdm), or nothing at all when no bar is shown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from edi_workbook import collector

if TYPE_CHECKING:
    from edi_workbook.plan import Plan

__all__ = ["WARM_UP_PLAN", "NoProgress", "progress_bar", "warm_up"]

WARM_UP_PLAN = [
    {"Action ID": "A1", "Action": "Warm up", "HIA": "HIA 1"},
    {  # values in the shapes plans write them, so their parsers (and regular expressions) are ready
        "Action ID": "A2",
        "Action": "Train 20 line managers in inclusive recruitment by March 2025",
        "Success measure": "90% of panels include a trained member",
        "HIA": "HIA 2, HIA 3",
        "PSED aim": "a; c",
        "Protected characteristics": "Race, Disability",
        "Owner": "Head of HR",
        "Start date": "01/04/2024",
        "Due date": "Q4 2024/25",
        "Status": "In progress",
        "% complete": "50%",
        "Completed date": "March 2025",
    },
    {"Action ID": "A3", "Action": "Raise awareness", "Due date": "Ongoing", "Status": "Complete"},
]
"""A small plan analysed by :func:`warm_up`: every rule runs, most of the parsers' paths are taken."""


def warm_up(analyse: Callable[[Plan], object]) -> bool:
    """Import and prime everything once here, so forked workers inherit it instead of each redoing it.

    ``analyse`` is what a worker does with a plan (``run.analyse_plan`` with the batch's ``as_of``
    and ``need``); it is given :data:`WARM_UP_PLAN`.

    As the standard library advises before ``fork``: with Python's cyclic garbage collector paused,
    then frozen (``gc.freeze``), so that it neither walks these few hundred thousand long-lived
    objects again and again while they are made (about 40 ms of the batch's fixed cost) nor, in
    each worker, writes to the pages they share with this process. Returns whether it froze (it
    does not when something is frozen already): the freeze takes every object of the calling
    program too, so the caller undoes it (``gc.unfreeze()``) once its workers are done.
    """
    with collector.paused(freeze=True) as pause:
        # the readers of .xlsx and .csv and the renderer, imported for the workers to inherit: about
        # 20 ms of every worker's first file, and of every fresh worker's after a recycle
        import python_calamine  # noqa: F401

        from edi_workbook.batch import render  # noqa: F401
        from edi_workbook.plan import Plan
        from edi_workbook.read import columns, delimited, workbook  # noqa: F401

        analyse(Plan.from_records(WARM_UP_PLAN))
    return pause.froze


class NoProgress:
    """What :func:`progress_bar` gives when nothing is shown: tqdm is not even imported (12 ms)."""

    def __enter__(self) -> NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        """Nothing to show."""


def progress_bar(total: int, show: bool) -> Any:
    """A tqdm bar of ``total`` files on stderr if ``show`` and it is a terminal, else :class:`NoProgress`."""
    if not (show and sys.stderr.isatty()):
        return NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, unit="file", file=sys.stderr, leave=False, mininterval=0.2)
