"""The batch gives the same findings, RAG and output rows on the whole benchmark corpus (issue 18).

The corpus is the one ``make bench`` times: 200 plans x 50 actions from ``benchmarks.generate`` at
seed 0 (its four shapes: our template, titled foreign sheets, ``Table1`` tables and CSV exports,
with the usual mistakes), judged as on 2025-03-31. It is the full size of the batch benchmark, so
every speed change to reading, validation, RAG, the workers or the writers is checked on exactly the
plans it is timed on; it costs about 20 s (generation 6 s, the json run 4 s, the xlsx run 7 s on two
cores).

The golden, ``tests/golden/benchmark/outputs.json``, was taken from the code of main at 1a8adee
(before the speed work of issue 18). It is compact and readable: per plan, the counts (actions,
errors, warnings, infos, RAG, findings by code) in clear, and short sha256 digests of the canonical
JSON of its json findings, its json action rows and the rest of its json entry, and of its rows on
the xlsx roll-up's ``Summary``, ``All actions``, ``Findings`` and ``Coverage`` sheets (cell values
as read back); then the json totals and a digest of each whole sheet. A change to one finding,
one RAG status or one output cell changes a digest and names the plan and the part.

When it fails: the actual digests are written next to the outputs (the message gives the folder);
``diff`` them against the golden to see which counts moved. If the change is meant, refresh with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/benchmarks/test_same_outputs.py`` and say why in
the commit message.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import actions, generate
from edi_workbook.cli import main
from tests.paths import TESTS

GOLDEN = TESTS / "golden" / "benchmark" / "outputs.json"
FILES, ACTIONS, SEED, AS_OF = 200, 50, 0, "2025-03-31"
PER_PLAN_SHEETS = ("Summary", "All actions", "Findings", "Coverage")
REFRESH = "UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/benchmarks/test_same_outputs.py"


def digest(value: Any) -> str:
    """First 16 hex digits of the sha256 of ``value`` as canonical JSON."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def corpus_digest() -> str:
    """The generated actions of every plan: tells a changed corpus from changed code."""
    return digest([actions(ACTIONS, seed=SEED * 100_003 + i) for i in range(FILES)])


def json_part(path: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Per plan: counts in clear and digests of findings, action rows and the rest; and the totals."""
    data = json.loads(path.read_text(encoding="utf-8"))
    plans = {}
    for entry in data["files"]:
        findings = entry.get("findings") or []
        rows = entry.get("actions_detail") or []
        rest = {k: v for k, v in entry.items() if k not in ("findings", "actions_detail")}
        codes = collections.Counter(f["code"] for f in findings)
        plans[Path(entry["file"]).name] = {
            "counts": {k: entry.get(k) for k in ("actions", "errors", "warnings", "infos", "overdue")},
            "rag": entry.get("rag"),
            "codes": dict(sorted(codes.items())),
            "json": {"findings": digest(findings), "rows": digest(rows), "rest": digest(rest)},
        }
    top = {k: v for k, v in data.items() if k != "files"}
    return plans, {"totals": data.get("totals"), "rest": digest(top)}


def xlsx_part(path: Path) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, Any]]]:
    """Per plan, a digest of its rows on each per-plan sheet; per sheet, its row count and digest."""
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    per_plan: dict[str, dict[str, str]] = collections.defaultdict(dict)
    sheets = {}
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python()
        sheets[name] = {"rows": len(rows), "digest": digest(rows)}
        if name in PER_PLAN_SHEETS:
            groups: dict[str, list[Any]] = collections.defaultdict(list)
            for row in rows[1:]:
                groups[Path(str(row[0])).name].append(row)
            for plan, plan_rows in groups.items():
                per_plan[plan][name] = digest(plan_rows)
    return dict(per_plan), sheets


def snapshot(work: Path) -> dict[str, Any]:
    """Run the batch over ``work/plans`` with json and xlsx output; the digests of both."""
    outputs = {}
    for fmt in ("json", "xlsx"):
        out = work / "out" / f"roll-up.{fmt}"
        code = main(["batch", "plans", "-o", str(out), "--as-of", AS_OF, "-q"])
        assert code in (0, 1), f"batch --format {fmt} exited {code}"
        outputs[fmt] = out
    plans, json_top = json_part(outputs["json"])
    xlsx_plans, sheets = xlsx_part(outputs["xlsx"])
    for name, entry in plans.items():
        entry["xlsx"] = xlsx_plans.get(name, {})
    return {
        "about": (
            f"Digests of `edi-workbook batch` over the benchmark corpus ({FILES} plans x {ACTIONS} "
            f"actions, seed {SEED}, --as-of {AS_OF}); tests/benchmarks/test_same_outputs.py says how "
            "it is made and refreshed."
        ),
        "corpus": corpus_digest(),
        "json": json_top,
        "sheets": sheets,
        "plans": dict(sorted(plans.items())),
    }


def dump(snap: dict[str, Any]) -> str:
    """The golden's text: one line per plan, so a diff names the plans that moved."""
    head = {k: v for k, v in snap.items() if k != "plans"}
    lines = [json.dumps(head, indent=1, sort_keys=True)[:-2] + ',\n "plans": {']
    body = [f" {json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in snap["plans"].items()]
    return "\n".join(lines) + "\n" + ",\n".join(body) + "\n }\n}\n"


def moved(part: str, golden: dict[str, Any], actual: dict[str, Any]) -> str:
    """``rag (Red 21 -> 20, Amber 14 -> 15)``: the counts of ``part`` that moved."""
    keys = sorted(set(golden) | set(actual))
    changes = [
        f"{k} {golden.get(k, 0)} -> {actual.get(k, 0)}" for k in keys if golden.get(k) != actual.get(k)
    ]
    return f"{part} ({', '.join(changes)})"


def differences(golden: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """One line per plan or sheet that differs, naming the parts that moved."""
    out = []
    for name in sorted(set(golden["plans"]) | set(actual["plans"])):
        g, a = golden["plans"].get(name), actual["plans"].get(name)
        if g is None or a is None:
            out.append(f"{name}: {'missing from the output' if a is None else 'not in the golden'}")
            continue
        parts = [moved(k, g[k] or {}, a[k] or {}) for k in ("counts", "rag", "codes") if g[k] != a[k]]
        parts += [f"json {k}" for k in g["json"] if g["json"][k] != a["json"].get(k)]
        sheets = set(g["xlsx"]) | set(a["xlsx"])
        parts += [f"xlsx {k}" for k in sorted(sheets) if g["xlsx"].get(k) != a["xlsx"].get(k)]
        if parts:
            out.append(f"{name}: {', '.join(parts)}")
    if golden["json"] != actual["json"]:
        out.append("json totals or header")
    for sheet in sorted(set(golden["sheets"]) | set(actual["sheets"])):
        if golden["sheets"].get(sheet) != actual["sheets"].get(sheet):
            out.append(f"xlsx sheet {sheet!r} (rows or cells)")
    return out


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("benchmark-corpus")
    generate(folder / "plans", FILES, ACTIONS, seed=SEED)
    return folder


def test_batch_outputs_match_the_golden(work, monkeypatch, capsys):
    monkeypatch.chdir(work)
    actual = snapshot(work)
    capsys.readouterr()
    text = dump(actual)
    (work / "out" / "outputs.json").write_text(text, encoding="utf-8")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.exists(), f"no golden file {GOLDEN}; run {REFRESH}"
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert json.loads(text) == actual  # the dump reads back as what was measured
    assert golden["corpus"] == actual["corpus"], (
        "the benchmark corpus itself changed (benchmarks/generate.py at this seed), so the outputs "
        f"cannot be compared; if that is meant, bump generate.VERSION and run {REFRESH}"
    )
    diffs = differences(golden, actual)
    assert not diffs, (
        f"{len(diffs)} difference(s) from the golden outputs on the benchmark corpus:\n  "
        + "\n  ".join(diffs[:40])
        + ("\n  ..." if len(diffs) > 40 else "")
        + f"\nThe actual outputs and digests are in {work / 'out'}: diff outputs.json against {GOLDEN} "
        f"to see the counts; the plans are in {work / 'plans'}. If the change is meant: {REFRESH}"
    )
