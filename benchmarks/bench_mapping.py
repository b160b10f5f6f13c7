"""Measure HIA / PSED-aim suggestions on labelled statements, and the speed of ``suggest``.

The sets (tests/data/mapping_eval/README.md says where they come from and how they were split):

- ``tune``: 527 statements of the tuning organisations. The model was fitted on them, so these
  figures are flattering; the honest tuning figure is the cross-validation by organisation that
  ``scripts/train_mapping.py`` stored in the model file (printed as ``tune CV``).
- ``holdout``: 301 statements of organisations never looked at while tuning. Only aggregate figures
  are printed, never a statement, and only with ``--holdout``: every such run is recorded in
  docs/mapping.md with its date and what had changed.
- ``project``: the project's own 132 statements (tests/data/mapping_eval.csv), written by the
  engineer who wrote the first vocabulary: reported apart.
- ``example``: the template's example plan, labelled by another engineer.

    .venv/bin/python benchmarks/bench_mapping.py              # tune, project, example, speed
    .venv/bin/python benchmarks/bench_mapping.py --holdout    # and the held-out organisations
    .venv/bin/python benchmarks/bench_mapping.py --errors     # the tuning set's misses
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edi_workbook.mapping import suggest  # noqa: E402

DATA = ROOT / "tests" / "data" / "mapping_eval"
SETS = {
    "tune": ("trusts_tune.csv", "other_tune.csv", "more_tune.csv"),
    "holdout": ("trusts_holdout.csv", "other_holdout.csv"),
    "holdout2": ("more_holdout.csv",),
}
PROJECT = ROOT / "tests" / "data" / "mapping_eval.csv"
TARGETS = {"top1": 0.92, "none_correct": 0.85, "psed": 0.85}
"""The issue's targets, on the held-out organisations."""
BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def load_rows(name: str) -> list[dict[str, Any]]:
    """The labelled rows of one set: text, success measure, HIAs and aims (lists, main first)."""
    if name == "project":
        with PROJECT.open(newline="", encoding="utf-8") as f:
            raw = [{**r, "statement": r["text"], "organisation": "project"} for r in csv.DictReader(f)]
    elif name == "example":
        return example_rows()
    else:
        raw = []
        for file in SETS[name]:
            with (DATA / file).open(newline="", encoding="utf-8") as f:
                raw += list(csv.DictReader(f))
    return [
        {
            "id": r["id"],
            "org": r["organisation"],
            "text": r["statement"],
            "success_measure": r["success_measure"],
            "hias": [int(x) for x in r["hia"].split(";") if x.strip()],
            "aims": [x.strip() for x in r["psed"].split(";") if x.strip()],
        }
        for r in raw
    ]


def example_rows() -> list[dict[str, Any]]:
    """The template's example plan, labelled by another engineer: an outside check of the labels."""
    from edi_workbook.template import example_plan

    return [
        {
            "id": a["id"],
            "org": "example",
            "text": a["action"],
            "success_measure": a.get("success_measure") or "",
            "hias": list(a.get("hia") or ()),
            "aims": list(a.get("psed") or ()),
        }
        for a in example_plan()["actions"]
    ]


def evaluate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures over ``rows`` (aggregate only); each rate is None when no row qualifies.

    top-1 HIA: the top suggestion is one of the labelled HIAs (rows with an HIA); "no HIA"
    correct: nothing suggested (rows without); PSED: the top aim is one of the labelled aims (rows
    with an aim), ``psed_main`` the first labelled; precision and recall over every HIA suggested;
    per HIA: top-1 on the rows whose main HIA it is; the reliability of the top suggestions' scores.
    """
    c: dict[str, int] = defaultdict(int)
    per: dict[int, list[int]] = {h: [0, 0] for h in range(1, 7)}
    bins: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0, 0.0, 0])
    misses = []
    for r in rows:
        s = suggest(r["text"], r["success_measure"] or None)
        got = [h.hia for h in s.hia]
        want = set(r["hias"])
        c["tp"] += len(set(got) & want)
        c["fp"] += len(set(got) - want)
        c["fn"] += len(want - set(got))
        ok = bool(got and got[0] in want) if want else not got
        if want:
            c["with_hia"] += 1
            c["top1"] += ok
            per[r["hias"][0]][0] += 1
            per[r["hias"][0]][1] += ok
        else:
            c["without"] += 1
            c["none_ok"] += ok
        aim_ok = True
        if r["aims"]:
            c["with_aim"] += 1
            aim_ok = bool(s.psed and s.psed[0].aim in r["aims"])
            c["aim_ok"] += aim_ok
            c["aim_main"] += bool(s.psed and s.psed[0].aim == r["aims"][0])
        for kind, top, right in (
            ("HIA", s.hia[0] if s.hia else None, bool(s.hia) and s.hia[0].hia in want),
            ("PSED aim", s.psed[0] if s.psed else None, bool(s.psed) and s.psed[0].aim in r["aims"]),
        ):
            if top is not None:
                b = next(i for i in range(len(BINS) - 1) if top.score < BINS[i + 1])
                cell = bins[kind, b]
                cell[0] += 1
                cell[1] += top.score
                cell[2] += right
        if not ok or not aim_ok:
            misses.append((r, s))

    def rate(a: int, b: int) -> float | None:
        return a / b if b else None

    return {
        "rows": len(rows),
        "top1": rate(c["top1"], c["with_hia"]),
        "none_correct": rate(c["none_ok"], c["without"]),
        "psed": rate(c["aim_ok"], c["with_aim"]),
        "psed_main": rate(c["aim_main"], c["with_aim"]),
        "precision": rate(c["tp"], c["tp"] + c["fp"]),
        "recall": rate(c["tp"], c["tp"] + c["fn"]),
        "per_hia": {h: (rate(ok, n), n) for h, (n, ok) in per.items()},
        "reliability": {k: (int(v[0]), v[1] / v[0], v[2] / v[0]) for k, v in sorted(bins.items())},
        "misses": misses,
    }


def _fmt(x: float | None) -> str:
    return "  n/a" if x is None else f"{100 * x:5.1f}%"


def table(results: dict[str, dict[str, Any]]) -> list[str]:
    """The figures as a Markdown table, one row per set."""
    out = [
        '| set | rows | top-1 HIA | "no HIA" correct | top PSED aim | main aim | HIA precision | HIA recall '
        "| HIA 1 | HIA 2 | HIA 3 | HIA 4 | HIA 5 | HIA 6 |",
        "| --- " * 14 + "|",
    ]
    for name, m in results.items():
        per = " | ".join(f"{_fmt(v).strip()} ({n})" for v, n in m["per_hia"].values())
        out.append(
            f"| {name} | {m['rows']} | {_fmt(m['top1'])} | {_fmt(m['none_correct'])} | {_fmt(m['psed'])} "
            f"| {_fmt(m['psed_main'])} | {_fmt(m['precision'])} | {_fmt(m['recall'])} | {per} |"
        )
    return out


def reliability_table(results: dict[str, dict[str, Any]]) -> list[str]:
    """Per set and kind, per score bin: suggestions, mean score, share right."""
    out = ["| set | suggestion | score | suggestions | mean score | right |", "| --- " * 6 + "|"]
    for name, m in results.items():
        for (kind, b), (n, mean, right) in m["reliability"].items():
            span = f"{BINS[b]:.1f}-{min(BINS[b + 1], 1.0):.1f}"
            out.append(f"| {name} | {kind} | {span} | {n} | {mean:.2f} | {100 * right:.0f}% |")
    return out


def cross_validated() -> dict[str, Any]:
    """The tuning organisations' cross-validated figures, stored in the model file at training."""
    from edi_workbook.mapping import model

    figures: dict[str, Any] = model.load().info["figures"]["tune_cv"]
    return figures


def _clear_caches() -> None:
    from edi_workbook.mapping import features, suggestions, words

    words.stem.cache_clear()
    features.read.cache_clear()
    suggestions._shared.cache_clear()
    suggestions._interned.cache_clear()


def throughput(texts: list[str]) -> tuple[float, float]:
    """Seconds to suggest for ``texts`` (caches of earlier runs cleared; vocabulary and model
    loaded), and the same-run baseline: a regex word split of each text."""
    suggest("warm up: load the vocabulary and the model")
    best = base = float("inf")
    for _ in range(5):
        _clear_caches()
        t0 = time.perf_counter()
        for t in texts:
            suggest(t)
        best = min(best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for t in texts:
            re.findall(r"[a-z0-9]+", t.lower())
        base = min(base, time.perf_counter() - t0)
    return best, base


def speed_texts(n: int = 1000) -> list[str]:
    """``n`` distinct statements: the tuning and project sets, then numbered variants of them."""
    texts = [r["text"] for name in ("tune", "project") for r in load_rows(name)]
    out = list(dict.fromkeys(texts))
    i = 0
    while len(out) < n:
        out.append(f"Year {2 + i // len(texts)}: {texts[i % len(texts)]}")
        i += 1
    return out[:n]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--holdout", action="store_true", help="also the held-out organisations (aggregate only)")
    p.add_argument("--errors", action="store_true", help="list the tuning set's misses")
    args = p.parse_args(argv)
    names = ["tune", *(["holdout", "holdout2"] if args.holdout else []), "project", "example"]
    results = {name: evaluate(load_rows(name)) for name in names}
    cv = cross_validated()
    shown = {
        "tune CV (by organisation)": {**cv, "per_hia": {int(h): tuple(v) for h, v in cv["per_hia"].items()}}
    }
    shown.update({"tune (fitted on)" if k == "tune" else k: v for k, v in results.items()})
    print("\n".join(table(shown)))
    print()
    print(
        "\n".join(
            reliability_table({k: v for k, v in results.items() if k in ("holdout", "holdout2", "tune")})
        )
    )
    seconds, base = throughput(speed_texts())
    print(f"\nsuggest, 1,000 distinct statements: {seconds:.3f} s ({seconds / base:.0f}x a plain word split)")
    if args.holdout:
        for key, target in TARGETS.items():
            value = results["holdout"][key] or 0.0
            print(
                f"target {key} >= {target:.0%} on the held-out organisations: {value:.1%}, "
                f"{'met' if value >= target else 'NOT met'}"
            )
    if args.errors:
        for r, s in results["tune"]["misses"]:
            got = [(h.hia, h.score, h.evidence) for h in s.hia]
            aims = [(a.aim, a.score) for a in s.psed]
            print(f"{r['id']} want {r['hias']} {r['aims']} got {got} {aims}\n   {r['text']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
