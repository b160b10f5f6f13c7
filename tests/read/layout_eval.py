"""Read every layout of the corpus (tests/fixtures/layouts/) and compare with its expected reading.

The corpus was transcribed from published plans, and each expected reading written, before the
reader was tuned on it; the manifest marks a third of the organisations ``holdout``: never looked
at while tuning. Used by tests/read/test_layouts.py and benchmarks/bench_layouts.py.

An aspect is right when:
- ``fields``: every field the manifest names reads from that header (or, for a blank header, from
  that column letter), and every field it marks null is not read;
- ``actions``: the number of actions; ``due_dates``, ``reported_rag``, ``sections``: the lists,
  action by action.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

from tests.paths import TESTS

CORPUS = TESTS / "fixtures" / "layouts"
ASPECTS = ("fields", "actions", "due_dates", "reported_rag", "sections")

FIELD_KEYS = {
    "Action ID": "action_id",
    "Action": "action",
    "Success measure": "success_measure",
    "HIA": "hia",
    "PSED aim": "psed_aim",
    "Protected characteristics": "characteristics",
    "Owner": "owner",
    "Start date": "start_date",
    "Due date": "due_date",
    "Status": "status",
    "% complete": "pct_complete",
    "Completed date": "completed_date",
    "RAG": "rag",
    "Evidence / notes": "notes",
    "Objective / theme": "objective",
}


def manifest() -> list[dict[str, Any]]:
    return list(yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["layouts"])


@dataclass
class Outcome:
    """How one layout was read: which aspects are right, and what was wrong."""

    layout: str
    split: str
    right: dict[str, bool] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # error findings of validate on the plan

    @property
    def ok(self) -> bool:
        return all(self.right.values())


def _header_matches(expected: str, got: str | None) -> bool:
    if got is None:
        return False
    want, have = " ".join(expected.split()).lower(), " ".join(got.split()).lower()
    # a column under a two-row header reads "parent / sub": either names it
    return have == want or have.endswith(" / " + want) or have.startswith(want + " / ")


def _fields(layout: dict[str, Any], plan: Any) -> list[str]:
    exp = layout["expected"]
    letters = exp.get("field_columns") or {}
    wrong = []
    for name, header in exp["fields"].items():
        key = FIELD_KEYS[name]
        got = plan.column_map.get(key)
        if header is None:
            if got is not None or key in plan.column_letters:
                wrong.append(f"{name}: read from {got!r}, expected none")
        elif header == "":
            letter = letters.get(name)
            if letter is not None and plan.column_letters.get(key) != letter:
                wrong.append(f"{name}: column {plan.column_letters.get(key)}, expected {letter}")
        elif not _header_matches(header, got):
            wrong.append(f"{name}: read from {got!r}, expected {header!r}")
    return wrong


def _iso(v: Any) -> str | None:
    if v is None or v != v:
        return None
    if hasattr(v, "date"):
        v = v.date()
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def evaluate(layout: dict[str, Any], *, validate: bool = True) -> Outcome:
    """Read one layout's fixture file and compare it with the manifest's expected reading."""
    from edi_workbook import read_plan
    from edi_workbook.errors import PlanReadError

    out = Outcome(layout["id"], layout["split"])
    path = CORPUS / f"{layout['id']}.{layout['format']}"
    exp = layout["expected"]
    try:
        plan = read_plan(path)
    except PlanReadError as exc:
        out.right = dict.fromkeys(ASPECTS, False)
        out.problems.append(f"unreadable: {exc}")
        return out
    wrong = _fields(layout, plan)
    out.right["fields"] = not wrong
    out.problems += wrong
    out.right["actions"] = len(plan) == exp["actions"]
    if not out.right["actions"]:
        out.problems.append(f"{len(plan)} actions, expected {exp['actions']}")
    got = {
        "due_dates": [_iso(v) for v in plan.frame["due_date"].tolist()],
        "reported_rag": list(getattr(plan, "reported_rag", None) or [None] * len(plan)),
        "sections": [s or "" for s in (getattr(plan, "sections", None) or [""] * len(plan))],
    }
    for aspect, values in got.items():
        out.right[aspect] = values == list(exp[aspect])
        if not out.right[aspect]:
            out.problems.append(f"{aspect}: {values} expected {exp[aspect]}")
    if validate:
        from edi_workbook import validate as run

        out.errors = [f"{f.code} {f.where}" for f in run(plan).findings if f.severity.value == "error"]
    return out


def evaluate_all(split: str | None = None) -> list[Outcome]:
    return [evaluate(x) for x in manifest() if split is None or x["split"] == split]


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    """Share of layouts right, in all aspects and per aspect; layouts with error findings."""
    n = len(outcomes) or 1
    return {
        "layouts": len(outcomes),
        "all_right": sum(o.ok for o in outcomes) / n,
        **{a: sum(o.right.get(a, False) for o in outcomes) / n for a in ASPECTS},
        "with_errors": sum(bool(o.errors) for o in outcomes) / n,
    }


def main() -> None:  # pragma: no cover - a report for people
    import sys

    split = sys.argv[1] if len(sys.argv) > 1 else "tune"
    outcomes = evaluate_all(split)
    for o in outcomes:
        mark = "ok " if o.ok else "BAD"
        print(f"{mark} {o.layout} {'' if o.ok else '; '.join(o.problems)[:600]}")
        if o.errors:
            print(f"    errors: {o.errors[:8]}")
    print(summary(outcomes))


if __name__ == "__main__":
    main()
