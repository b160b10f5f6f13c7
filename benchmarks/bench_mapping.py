"""Measure HIA / PSED-aim suggestions against the labelled set tests/data/mapping_eval.csv.

Prints, for the tuning split, the held-out split (about 30%, never looked at while tuning the
vocabulary) and all rows: top-1 HIA accuracy, HIA precision and recall (micro, over every
suggested HIA), PSED-aim accuracy (top aim among the expected ones), the rate of correct "no HIA"
answers, and the throughput against a baseline measured in the same run (tokenising only).

    .venv/bin/python benchmarks/bench_mapping.py            # the figures
    .venv/bin/python benchmarks/bench_mapping.py --errors   # misses of the tuning split only
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edi_workbook.mapping import suggest  # noqa: E402

EVAL = ROOT / "tests" / "data" / "mapping_eval.csv"
TARGETS = {"top1": 0.90, "none_correct": 0.80}


def load_rows(path: Path = EVAL) -> list[dict[str, Any]]:
    """The labelled rows: text, success measure, expected HIAs (set) and aims (set), split."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["hias"] = {int(x) for x in r["hia"].split(";") if x.strip()}
        r["aims"] = {x.strip() for x in r["psed"].split(";") if x.strip()}
    return rows


def example_rows() -> list[dict[str, Any]]:
    """The template's example plan, labelled by another engineer: an outside check of the labels."""
    from edi_workbook.template import example_plan

    return [
        {
            "id": a["id"],
            "split": "example",
            "text": a["action"],
            "success_measure": a.get("success_measure") or "",
            "hias": set(a.get("hia") or ()),
            "aims": set(a.get("psed") or ()),
        }
        for a in example_plan()["actions"]
    ]


def evaluate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Metrics over ``rows``; each rate is None when no row qualifies."""
    top1 = with_hia = none_ok = without = aim_ok = with_aim = tp = fp = fn = 0
    misses = []
    for r in rows:
        s = suggest(r["text"], r["success_measure"] or None)
        got = [h.hia for h in s.hia]
        tp += len(set(got) & r["hias"])
        fp += len(set(got) - r["hias"])
        fn += len(r["hias"] - set(got))
        ok = bool(got and got[0] in r["hias"]) if r["hias"] else not got
        if r["hias"]:
            with_hia += 1
            top1 += ok
        else:
            without += 1
            none_ok += ok
        aim_hit = True
        if r["aims"]:
            with_aim += 1
            aim_hit = bool(s.psed and s.psed[0].aim in r["aims"])
            aim_ok += aim_hit
        if not ok or not aim_hit:
            misses.append((r, s))

    def rate(a: int, b: int) -> float | None:
        return a / b if b else None

    return {
        "rows": len(rows),
        "top1": rate(top1, with_hia),
        "precision": rate(tp, tp + fp),
        "recall": rate(tp, tp + fn),
        "psed": rate(aim_ok, with_aim),
        "none_correct": rate(none_ok, without),
        "misses": misses,
    }


def _fmt(x: float | None) -> str:
    return "  n/a" if x is None else f"{100 * x:5.1f}%"


def throughput(rows: list[dict[str, Any]], repeat: int = 20) -> tuple[float, float]:
    """Suggestions per second, and the same-run baseline (a regex word split of each text)."""
    texts = [r["text"] for r in rows] * repeat
    t0 = time.perf_counter()
    for t in texts:
        re.findall(r"[a-z0-9]+", t.lower())
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    for t in texts:
        suggest(t)
    took = time.perf_counter() - t0
    return len(texts) / took, took / base


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--errors", action="store_true", help="list the tuning split's misses")
    args = p.parse_args(argv)
    rows = load_rows()
    splits = {
        "tuning": [r for r in rows if r["split"] == "tune"],
        "held-out": [r for r in rows if r["split"] == "holdout"],
        "all": rows,
        "example": example_rows(),
    }
    print(f"{'split':9} {'rows':>4} {'top-1':>7} {'prec':>7} {'recall':>7} {'PSED':>7} {'none ok':>7}")
    results = {}
    for name, part in splits.items():
        m = results[name] = evaluate(part)
        print(
            f"{name:9} {m['rows']:4d} {_fmt(m['top1'])} {_fmt(m['precision'])} {_fmt(m['recall'])} "
            f"{_fmt(m['psed'])} {_fmt(m['none_correct'])}"
        )
    rate, ratio = throughput(rows)
    print(f"throughput: {rate:,.0f} suggestions/s ({ratio:.0f}x the cost of a plain word split)")
    allm = results["all"]
    for key, target in TARGETS.items():
        verdict = "met" if (allm[key] or 0) >= target else "NOT met"
        print(f"target {key} >= {target:.0%} on all rows: {verdict}")
    if args.errors:
        for r, s in results["tuning"]["misses"]:
            got = [(h.hia, h.score, h.evidence) for h in s.hia]
            aims = [(a.aim, a.score) for a in s.psed]
            print(f"{r['id']} want {sorted(r['hias'])} {sorted(r['aims'])} got {got} {aims}\n   {r['text']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
