"""How well published plans are read: the layout corpus, tuning and held-out parts apart (issue 12).

    .venv/bin/python benchmarks/bench_layouts.py

Prints, for each split, the share of layouts read entirely right and per aspect (fields, action
count, due dates, reported RAG, sections), and the share with error findings. The held-out
layouts (a third of the organisations) were never looked at while the reader was tuned.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.read.layout_eval import ASPECTS, evaluate_all, summary  # noqa: E402


def main() -> int:
    print("| split | layouts | all right | " + " | ".join(ASPECTS) + " | with error findings |")
    print("| --- " * (4 + len(ASPECTS)) + "|")
    for split in ("tune", "holdout"):
        outcomes = evaluate_all(split)
        series = sorted({o.layout[0] for o in outcomes})  # L, M, N: the transcriptions, in turn
        for label, part in [(split, outcomes)] + [
            (f"{split} {x}", [o for o in outcomes if o.layout[0] == x]) for x in series
        ]:
            s = summary(part)
            cells = " | ".join(f"{100 * s[a]:.0f}%" for a in ASPECTS)
            right, errors = f"{100 * s['all_right']:.0f}%", f"{100 * s['with_errors']:.0f}%"
            print(f"| {label} | {s['layouts']} | {right} | {cells} | {errors} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
