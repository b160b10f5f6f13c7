"""The board report over four quarterly returns of three organisations: trends, movement and
slippage, rendered (golden HTML) and loaded in headless Chromium as the one-return report is."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest

from edi_workbook.cli import main
from edi_workbook.report.trends import report_history
from tests import returns
from tests.paths import TESTS
from tests.report.test_browser import _load, _problems, _screenshot, browser  # noqa: F401 - the fixture

GOLDEN = TESTS / "golden" / "history" / "board-over-time.html"


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("board-over-time")
    returns.quarterly_returns(folder / "returns")
    with contextlib.chdir(folder):  # relative paths, so the golden file is the same anywhere
        report_history(["returns"], "board.html", period="auto", jobs=1)
    return folder / "board.html"


def test_report_shows_trends_movement_and_slippage(board):
    html = board.read_text(encoding="utf-8")
    assert '<section id="trends"' in html
    assert 'Overdue (Red)</dt><dd>27</dd><dd class="move">up 18 since Q3 2026/27</dd>' in html
    assert ">Movement since Q3 2026/27 (organisations with an earlier return)</caption>" in html
    assert html.count("<tr><td>riverside</td>") >= 4
    assert "Actions whose due date moved later most often" in html
    assert "<script" not in html


def test_report_matches_golden(board):
    text = re.sub(
        r'src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', 'src="data:CHART"', board.read_text("utf-8")
    )
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_report_over_time_loads_cleanly_in_chromium(browser, board, tmp_path):  # noqa: F811
    _load(browser, board)
    assert _problems(browser) == []
    assert browser.evaluate("document.title") == "EDI action plans: board report over time"
    images = browser.evaluate(
        "[...document.images].map(i => [i.complete, i.naturalWidth > 100, i.alt.length > 0])"
    )
    assert len(images) == 5  # RAG by HIA, heat map, and the three charts over time
    assert all(all(flags) for flags in images)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 1280
    headings = browser.evaluate(
        "[...document.querySelectorAll('#trends h2, #trends h3')].map(h => h.textContent)"
    )
    assert headings == ["Progress over time", "Most slipped actions"]
    moves = browser.evaluate("[...document.querySelectorAll('.card dd.move')].map(d => d.textContent)")
    assert "up 18 since Q3 2026/27" in moves
    png = _screenshot(browser, tmp_path / "board-over-time.png")
    assert len(png) > 50_000
    browser.call("Emulation.setEmulatedMedia", media="print")
    try:
        pdf = browser.call("Page.printToPDF", paperWidth=8.27, paperHeight=11.69)["data"]
    finally:
        browser.call("Emulation.setEmulatedMedia", media="")
    assert pdf.startswith("JVBER")  # %PDF, base64


def test_cli_report_history(tmp_path, capsys):
    returns.quarterly_returns(tmp_path / "returns")
    out = tmp_path / "board.html"
    assert main(["report", str(tmp_path / "returns"), "-o", str(out), "--period", "auto", "--jobs", "1"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"Wrote {out}: 12 returns of 3 organisations, Q1 2026/27, Q2 2026/27, Q3 2026/27, Q4 2026/27; "
        "latest returns: 102 actions, 27 overdue."
    )


def test_report_history_names_its_problems_in_a_fresh_process(tmp_path):
    """With --history the plans are read in worker processes, and the report's own process had not
    imported the rules: the problems table showed bare codes with no severity. Run as a user runs
    it (a new process, the default jobs)."""
    import subprocess
    import sys

    returns.quarterly_returns(tmp_path / "returns")
    out = tmp_path / "board.html"
    done = subprocess.run(
        [sys.executable, "-m", "edi_workbook", "report", str(tmp_path / "returns"), "-o", str(out),
         "--period", "auto", "--jobs", "2"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert 'class="sev-"' not in html
    assert 'class="sev-error"' in html or 'class="sev-warning"' in html


def test_two_returns_of_one_date_say_how_to_date_them(tmp_path, capsys):
    """Without --period, two CSV returns with no AsOfDate are one organisation on one date: the
    second is left out, and the message now says how to date them."""
    import shutil

    paths = returns.quarterly_returns(tmp_path / "all")
    folder = tmp_path / "returns"
    folder.mkdir()
    for p in paths:
        if p.suffix == ".csv" and p.stem.endswith(("Q1", "Q2")):
            shutil.copy(p, folder / p.name)
    assert main(["batch", str(folder), "--history", "--jobs", "1"]) in (0, 1)
    err = capsys.readouterr().err
    assert "same organisation and date as" in err
    assert (
        "left out (to date each return, give --period auto, or set AsOfDate in the plans, or the date in "
        "their titles' 'Position as at ...')" in err
    )
    assert main(["batch", str(folder), "--history", "--period", "auto", "--jobs", "1"]) in (0, 1)
    assert "left out" not in capsys.readouterr().err
