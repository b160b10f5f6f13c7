"""Measure how well actions are matched across returns by their wording (``edi_workbook.changes.matching``).

For each kind of rewording in ``tests/data/rewordings.csv`` (light, moderate, typo, heavy): every
action of the example plan reworded at once, the order shuffled and every Action ID removed, so
only the wording can pair them; prints how many were paired with their own original, how many
with another action (false matches) and the similarity scores. Also the highest similarity
between two different actions of the example, the margin the threshold sits in.

    .venv/bin/python benchmarks/bench_matching.py
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edi_workbook.changes.matching import THRESHOLD, Corpus, match_actions  # noqa: E402
from edi_workbook.plan import Plan  # noqa: E402
from edi_workbook.template.workbook import example_plan  # noqa: E402

REWORDINGS = ROOT / "tests" / "data" / "rewordings.csv"


def _plan(rows: list[tuple[str | None, str]]) -> Plan:
    return Plan.from_records([{"Action ID": i, "Action": t} for i, t in rows])


def measure() -> list[str]:
    actions = [(a["id"], a["action"]) for a in example_plan()["actions"]]
    rows = list(csv.DictReader(REWORDINGS.open(encoding="utf-8")))
    lines = [f"threshold {THRESHOLD}"]
    planted = [0, 0]
    for strength in ("light", "moderate", "typo", "heavy"):
        mine = [(r["action_id"], r["text"]) for r in rows if r["strength"] == strength]
        random.Random(15).shuffle(mine)
        pairs = match_actions(_plan(actions), _plan([(None, t) for _, t in mine]))
        right = sum(1 for m in pairs if actions[m.old][0] == mine[m.new][0])
        wrong = len(pairs) - right
        corpus = Corpus([t for _, t in actions], [t for _, t in mine])
        index = {a: k for k, (a, _) in enumerate(actions)}
        own = sorted(corpus.score(index[i], k) for k, (i, _) in enumerate(mine))
        lines.append(
            f"{strength:<9} {right}/{len(mine)} matched ({100 * right / len(mine):.0f}%), "
            f"{wrong} false; similarity to own original: lowest {own[0]:.2f}, median {own[len(own) // 2]:.2f}"
        )
        if strength != "heavy":
            planted[0] += right
            planted[1] += len(mine)
    lines.append(
        f"planted (light + moderate + typo): {planted[0]}/{planted[1]} ({100 * planted[0] / planted[1]:.1f}%)"
    )
    texts = [t for _, t in actions]
    corpus = Corpus(texts, texts)
    worst = max(
        (corpus.score(i, j), actions[i][0], actions[j][0])
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
    )
    lines.append(f"highest similarity between two different actions: {worst[0]:.2f} ({worst[1]}, {worst[2]})")
    return lines


def main(argv: list[str] | None = None) -> int:
    for line in measure():
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
