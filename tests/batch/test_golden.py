"""Golden outputs of a small batch: the JSON roll-up, the JUnit report and the board report's HTML.

The inputs are made the same way every time (generated plans at a fixed seed, the built-in example,
a corrupt file) and read from a working folder by relative paths, so the goldens are portable.
The report's charts are replaced by a placeholder (their SVG bytes depend on the matplotlib
version); the charts' own determinism is tested in test_report.py. After an intended change,
regenerate with ``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/batch/test_golden.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from benchmarks.generate import generate
from edi_workbook.cli import main
from edi_workbook.template import workbook as template
from tests.paths import TESTS

GOLDEN = TESTS / "golden" / "batch"
AS_OF = "2025-03-31"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("golden-batch")
    plans = folder / "plans"
    generate(plans, 3, 6, seed=11, layouts=("template", "titled", "csv"))
    template.new_workbook(plans / "example_action_plan.xlsx", example=True)
    (plans / "broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
    return folder


def _check(actual: str, name: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "fmt"), [("roll-up.json", "json"), ("roll-up.xml", "junit"), ("board.html", "html")]
)
def test_output_matches_golden(work, monkeypatch, capsys, name, fmt):
    monkeypatch.chdir(work)
    out = work / "out" / name
    assert (
        main(["batch", "plans", "-o", str(out), "--format", fmt, "--as-of", AS_OF, "-q", "--jobs", "1"]) == 2
    )
    capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    if fmt == "html":
        text = re.sub(r'src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', 'src="data:CHART"', text)
    _check(text, name)
