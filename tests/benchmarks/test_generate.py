"""The benchmark corpus generator: varied wording, the same for a seed, its shapes and mistakes."""

from __future__ import annotations

import collections
from pathlib import Path

from benchmarks.generate import LAYOUTS, actions, generate, statements
from edi_workbook.read import read_plan


def test_nearly_every_action_text_of_a_200_plan_corpus_is_distinct():
    texts = [a["action"] for i in range(200) for a in actions(50, seed=i * 100_003)]
    counts = collections.Counter(texts)
    assert len(texts) == 10_000
    assert len(counts) >= 9_900, counts.most_common(5)  # was about 130 texts before issue 18
    measures = {a["measure"] for i in range(20) for a in actions(50, seed=i)}
    assert len(measures) > 500


def test_wording_comes_from_the_real_statements_with_their_labels():
    corpus = statements()
    assert len(corpus) == 1_230
    by_text = {text: hias for text, _, hias, _ in corpus}
    rows = actions(200, seed=3)
    found = 0
    for row in rows:
        base = max((t for t in by_text if t[1:] in row["action"]), key=len, default=None)
        if base is not None:
            found += 1
            assert set(by_text[base]) <= set(row["hias"]), row
    assert found == len(rows)


def test_the_same_seed_gives_the_same_actions_and_another_seed_others():
    assert actions(30, seed=5) == actions(30, seed=5)
    assert [a["action"] for a in actions(30, seed=5)] != [a["action"] for a in actions(30, seed=6)]


def test_about_one_action_in_twenty_carries_a_usual_mistake():
    rows = [a for i in range(100) for a in actions(50, seed=i)]
    wrong = (None, "TBC", "Sort of")
    mistakes = sum(
        1 for a in rows if wrong.count(a["owner"]) or wrong.count(a["due"]) or wrong.count(a["status"])
    )
    assert 0.03 < mistakes / len(rows) < 0.07


def test_every_shape_is_written_and_reads_back_with_its_wording(tmp_path: Path):
    paths = generate(tmp_path, 5, 4, seed=2)
    assert [p.name.split("_", 2)[2] for p in paths] == [
        f"{layout}.{'csv' if layout == 'csv' else 'xlsx'}" for layout in LAYOUTS
    ]
    for i, path in enumerate(paths):
        expected = [a["action"] for a in actions(4, seed=2 * 100_003 + i)]
        plan = read_plan(path)
        assert plan.frame["action"].tolist() == expected, path.name
