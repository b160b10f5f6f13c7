"""Matching actions across returns: planted rewordings are found, different actions never pair.

The rewordings (``tests/data/rewordings.csv``) were written by hand for the 34 actions of the
built-in example plan: ``light`` (a word or two changed), ``moderate`` (rephrased, the same
meaning), ``typo`` (misspellings) and ``heavy`` (different words for the same thing; expected to
fall below the threshold and shown as removed + added). ``python -m benchmarks.bench_matching``
prints the same figures.
"""

from __future__ import annotations

import csv
import random

import pytest

from edi_workbook.changes.matching import THRESHOLD, match_actions, similarity, words
from edi_workbook.plan import Plan
from tests.paths import TESTS
from tests.returns import example

REWORDINGS = list(csv.DictReader((TESTS / "data" / "rewordings.csv").open(encoding="utf-8")))


def _plan(actions: list[dict[str, str | None]]) -> Plan:
    return Plan.from_records([{"Action ID": a["id"], "Action": a["action"]} for a in actions])


def _example_actions() -> list[dict[str, str | None]]:
    return [{"id": a["id"], "action": a["action"]} for a in example()["actions"]]


def _matched_rate(strength: str, *, keep_ids: bool) -> tuple[int, int]:
    """Every action reworded at once, order shuffled; IDs kept or all removed. (right, total)."""
    old = _example_actions()
    texts = {r["action_id"]: r["text"] for r in REWORDINGS if r["strength"] == strength}
    new = [
        {"id": a["id"] if keep_ids else None, "action": texts[a["id"]], "was": a["id"]}
        for a in old
        if a["id"] in texts
    ]
    random.Random(15).shuffle(new)
    pairs = match_actions(_plan(old), _plan(new))  # type: ignore[arg-type]
    right = sum(1 for m in pairs if old[m.old]["id"] == new[m.new]["was"])
    return right, len(new)


@pytest.mark.parametrize("strength", ["light", "moderate", "typo"])
def test_planted_rewordings_are_matched_by_text_alone(strength):
    right, total = _matched_rate(strength, keep_ids=False)
    assert right / total >= 0.95, f"{strength}: {right} of {total}"


def test_all_planted_rewordings_together_reach_95_percent():
    results = [_matched_rate(s, keep_ids=False) for s in ("light", "moderate", "typo")]
    right, total = sum(r for r, _ in results), sum(t for _, t in results)
    assert total == 74
    assert right / total >= 0.95


def test_heavy_rewordings_with_their_ids_still_pair_by_id():
    right, total = _matched_rate("heavy", keep_ids=True)
    assert right == total


def test_no_two_different_actions_of_the_example_are_alike():
    texts = [a["action"] for a in _example_actions()]
    plan = _plan(_example_actions())
    pairs = match_actions(plan, _plan([{"id": None, "action": t} for t in texts]))
    assert [(m.old, m.new) for m in pairs] == [(i, i) for i in range(len(texts))]
    worst = max(similarity(a, b) for i, a in enumerate(texts) for b in texts[i + 1 :])
    assert worst < THRESHOLD


def test_an_action_removed_and_another_added_are_never_paired():
    """For each action, drop it from OLD and drop its most similar neighbour from NEW, IDs gone:
    the two left over must come out unpaired (removed + added), never matched to each other."""
    actions = _example_actions()
    for i, a in enumerate(actions):
        j = max(
            (k for k in range(len(actions)) if k != i),
            key=lambda k: similarity(a["action"], actions[k]["action"]),
        )
        old = [x for k, x in enumerate(actions) if k != j]
        new = [{"id": None, "action": x["action"]} for k, x in enumerate(actions) if k != i]
        pairs = match_actions(_plan(old), _plan(new))
        assert len(pairs) == len(actions) - 2, (a["id"], actions[j]["id"])


def test_renumbered_plan_is_matched_by_text_not_by_reused_ids():
    """EDI-05 removed and every later action renumbered down: IDs now point at other actions."""
    actions = _example_actions()
    new = [a for a in actions if a["id"] != "EDI-05"]
    renumbered = [{"id": f"EDI-{k:02d}", "action": a["action"]} for k, a in enumerate(new, start=1)]
    pairs = match_actions(_plan(actions), _plan(renumbered))
    assert len(pairs) == len(actions) - 1
    assert all(actions[m.old]["action"] == renumbered[m.new]["action"] for m in pairs)
    assert {m.by for m in pairs if m.old >= 5} == {"text"}


def test_reworded_action_keeping_its_id_pairs_by_id():
    actions = _example_actions()
    new = [dict(a) for a in actions]
    new[0]["action"] = "Board appraisal: a personal equality goal for each member."  # heavy rewording
    pairs = match_actions(_plan(actions), _plan(new))
    assert (pairs[0].old, pairs[0].new, pairs[0].by) == (0, 0, "id")


def test_words_drop_function_words_and_stem():
    assert words("Running the sessions for managers") == ("run", "session", "manag")
    assert similarity("", "anything") == 0.0
