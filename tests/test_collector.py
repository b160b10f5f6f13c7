"""edi_workbook.collector: the cyclic garbage collector paused for a block, then frozen once per process.

Each check runs in a fresh Python: freezing is for the life of a process, and pytest's own must
not depend on which test ran first.
"""

from __future__ import annotations

import json
import subprocess
import sys


def _python(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh Python; it prints one JSON object, returned here."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_paused_pauses_then_gives_the_collector_back_as_it_was():
    seen = _python(
        "import gc, json\n"
        "from edi_workbook import collector\n"
        "with collector.paused() as pause:\n"
        "    inside = gc.isenabled()\n"
        "after = gc.isenabled()\n"
        "try:\n"
        "    with collector.paused(freeze=True):\n"
        "        1 / 0\n"
        "except ZeroDivisionError:\n"
        "    pass\n"
        "after_error = gc.isenabled()\n"
        "frozen_after_error = gc.get_freeze_count()\n"
        "gc.disable()\n"
        "with collector.paused():\n"
        "    pass\n"
        "kept_off = not gc.isenabled()\n"
        "print(json.dumps(dict(inside=inside, after=after, froze=pause.froze, after_error=after_error,\n"
        "    frozen_after_error=frozen_after_error, kept_off=kept_off, frozen=gc.get_freeze_count())))\n"
    )
    assert seen == {
        "inside": False,
        "after": True,
        "froze": False,  # not asked to
        "after_error": True,  # a failure inside still gives the collector back...
        "frozen_after_error": 0,  # ...and freezes nothing
        "kept_off": True,  # a caller that had it off keeps it off
        "frozen": 0,
    }


def test_paused_freezes_what_exists_once_per_process_and_says_so():
    seen = _python(
        "import gc, json\n"
        "from edi_workbook import collector\n"
        "before = gc.get_freeze_count()\n"
        "with collector.paused(freeze=True) as first:\n"
        "    import decimal\n"
        "frozen = gc.get_freeze_count()\n"
        "made = [[] for _ in range(1000)]  # new objects, which a second freeze would take too\n"
        "with collector.paused(freeze=True) as second:\n"
        "    pass\n"
        "again = gc.get_freeze_count()\n"
        "gc.unfreeze()  # whoever froze may undo it; the next block then freezes again\n"
        "with collector.paused(freeze=True) as third:\n"
        "    pass\n"
        "print(json.dumps(dict(before=before, frozen=frozen, again=again, first=first.froze,\n"
        "    second=second.froze, third=third.froze, on=gc.isenabled())))\n"
    )
    assert seen["before"] == 0
    assert seen["frozen"] > 0  # what existed is out of the collector's sight from now on
    assert seen["again"] == seen["frozen"]  # once: a host's later objects stay collectable
    assert (seen["first"], seen["second"], seen["third"], seen["on"]) == (True, False, True, True)


def test_the_command_line_exits_with_the_batchs_objects_frozen(tmp_path):
    """A batch gives its warm-up's frozen objects back when its workers are done (a library call
    must); the command line's process then ends, and Python's collection at exit walked them all:
    22 ms of a one-file batch (issue 18). The entry point freezes them again before it exits; a
    host calling ``main`` keeps its garbage collectable."""
    from tests.paths import ROOT

    plan = ROOT / "workbook_templates" / "example_action_plan.xlsx"
    out = tmp_path / "out.json"
    code = (
        "import atexit, gc, json, sys\n"
        "from edi_workbook.cli import main, run\n"
        f"args = ['batch', {str(plan)!r}, '-q', '--as-of', '2025-03-31', '-o', {str(out)!r}]\n"
        "main(args)\n"
        "after_main = gc.get_freeze_count()\n"
        "def report():\n"
        "    print(json.dumps(dict(after_main=after_main, at_exit=gc.get_freeze_count())), flush=True)\n"
        "atexit.register(report)\n"
        "sys.argv = ['edi-workbook', *args]\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr  # the example plan has errors to find
    seen = json.loads(done.stdout)
    assert seen["after_main"] == 0
    assert seen["at_exit"] > 10_000
    assert json.loads(out.read_text(encoding="utf-8"))["totals"]["files"] == 1
