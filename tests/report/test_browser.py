"""The board report in a real browser: Debian's Chromium, headless, driven over the DevTools protocol.

The page must load with no console message, no exception, no failed or outside request, every chart
decoded, nothing wider than the window, the navigation hidden when printed; a screenshot and a PDF
are taken. Set ``EDI_REPORT_SHOTS=DIR`` to keep the screenshots for a look.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from edi_workbook.report import render as report_mod
from tests.batch.support import AS_OF, make_inbox, tricky_plan
from tests.conftest import need_tool

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)


class Cdp:
    """A minimal Chrome DevTools Protocol client over one page's websocket."""

    def __init__(self, url: str) -> None:
        import websocket

        with pytest.MonkeyPatch.context() as mp:  # a local socket never goes through a proxy
            mp.setenv("no_proxy", "127.0.0.1,localhost")
            self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return dict(msg["result"])
            self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > end:
                raise TimeoutError(method)
            self.events.append(json.loads(self.ws.recv()))

    def evaluate(self, expression: str) -> Any:
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    need_tool(CHROMIUM is not None, "Chromium")
    try:
        import websocket  # noqa: F401
    except ImportError:
        need_tool(False, "websocket-client")
    profile = tmp_path_factory.mktemp("chromium-profile")
    log = (profile / "stderr.log").open("w")
    proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"], stderr=log)
    try:
        port_file = profile / "DevToolsActivePort"
        end = time.monotonic() + 60
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > end or proc.poll() is not None:
                pytest.fail(f"Chromium did not start: {(profile / 'stderr.log').read_text()[-2000:]}")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
        with no_proxy.open(f"http://127.0.0.1:{port}/json/list", timeout=30) as resp:
            pages = json.loads(resp.read())
        page = next(p for p in pages if p["type"] == "page")
        cdp = Cdp(page["webSocketDebuggerUrl"])
        for domain in ("Page", "Runtime", "Log", "Network"):
            cdp.call(f"{domain}.enable")
        yield cdp
        cdp.ws.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _load(cdp: Cdp, html: Path) -> None:
    cdp.events.clear()
    cdp.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
    cdp.call("Page.navigate", url=html.resolve().as_uri())
    cdp.wait_for("Page.loadEventFired")
    cdp.evaluate("new Promise(r => setTimeout(r, 300))")  # let late messages arrive


def _problems(cdp: Cdp) -> list[str]:
    out = []
    for e in cdp.events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            out.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled":
            out.append(f"console.{params['type']}: {params.get('args')}")
        elif method == "Log.entryAdded":
            out.append(f"log {params['entry']['level']}: {params['entry']['text']}")
        elif method == "Network.loadingFailed":
            out.append(f"failed request: {params.get('errorText')}")
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(("file:", "data:")):
                out.append(f"outside request: {url}")
    return out


def _screenshot(cdp: Cdp, path: Path) -> bytes:
    size = cdp.call("Page.getLayoutMetrics")["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": 1280, "height": min(size["height"], 12000), "scale": 1}
    png = base64.b64decode(
        cdp.call("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)["data"]
    )
    path.write_bytes(png)
    keep = os.environ.get("EDI_REPORT_SHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)
    return png


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("board")
    make_inbox(folder, files=6, actions=15)
    out = folder / "board.html"
    report_mod.report([folder / "plans", tricky_plan()], out, as_of=AS_OF, jobs=2)
    return out


def test_report_loads_cleanly_and_is_screenshotted(browser, board, tmp_path):
    _load(browser, board)
    assert _problems(browser) == []
    assert browser.evaluate("document.title") == "EDI action plans: board report"
    images = browser.evaluate(
        "[...document.images].map(i => [i.complete, i.naturalWidth > 100, i.alt.length > 0])"
    )
    assert images
    assert all(all(flags) for flags in images)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 1280
    png = _screenshot(browser, tmp_path / "board-report.png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 50_000


def test_report_prints(browser, board, tmp_path):
    _load(browser, board)
    browser.call("Emulation.setEmulatedMedia", media="print")
    try:
        assert browser.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    finally:
        browser.call("Emulation.setEmulatedMedia", media="")
    pdf = base64.b64decode(browser.call("Page.printToPDF", paperWidth=8.27, paperHeight=11.69)["data"])
    (tmp_path / "board-report.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    assert _problems(browser) == []


def test_one_plan_report_loads_cleanly(browser, tmp_path):
    out = tmp_path / "one-plan-report.html"
    report_mod.report(tricky_plan(), out, as_of=AS_OF)
    _load(browser, out)
    assert _problems(browser) == []
    text = browser.evaluate("document.body.innerText")
    assert "<script>alert('x')</script>" in text  # shown as text, never run
    _screenshot(browser, tmp_path / "one-plan-report.png")


# ---------------------------------------------------------------- issue 17: print and small screens

_HEADINGS_JS = """(() => {
  const words = el => el.innerText.split(/\\s+/).filter(Boolean).join(' ');
  return {
    captions: [...document.querySelectorAll('caption')].map(words),
    headings: [...document.querySelectorAll('h2, h3, p.note')].map(words),
    headers: [...document.querySelectorAll('thead tr')].map(r => [...r.cells].map(words).join(' ')),
    tables: [...document.querySelectorAll('table')].map(t => ({
      caption: words(t.caption), height: t.getBoundingClientRect().height,
      // the first word of each cell of the last row: cells are top-aligned, so they share a line
      last: [...[...t.tBodies[0].rows].at(-1).cells].map(c => words(c).split(' ')[0]).filter(Boolean),
    })),
  };
})()"""
A4_CONTENT = (688, 1016)
"""A4 less the report's 14 mm margins, in CSS pixels (96 per inch)."""

_BREAKS_JS = """(() => {
  // Where each file name's text wraps: the character before each line break.
  const out = [];
  for (const td of document.querySelectorAll('td.path')) {
    const text = td.textContent, range = document.createRange();
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    let last = null, before = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const r = range.getClientRects()[0];
        if (!r) continue;
        if (last !== null && r.top > last + 2) out.push([text, before]);
        last = r.top; before = node.data[i];
      }
    }
  }
  return out;
})()"""


def _words(line: str) -> str:
    return " ".join(line.split())


def _in_order(wanted: list[str], tokens: list[str]) -> bool:
    """Every one of ``wanted`` is in ``tokens``, in that order (other tokens may come between); a
    token may be the start of a wanted word that wraps onto the next line (``notes.`` of ``notes.xlsx``)."""
    it = iter(tokens)
    return all(any(w == t or (len(t) >= 3 and w.startswith(t)) for t in it) for w in wanted)


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's report: the example plan, a CSV export from another practice, a non-workbook."""
    from tests.paths import ROOT

    folder = tmp_path_factory.mktemp("returns")
    shutil.copy(ROOT / "workbook_templates" / "example_action_plan.xlsx", folder / "example.xlsx")
    (folder / "riverside.csv").write_text(
        "Action ID,Action,HIA,PSED aim,Owner,Due date,Status\n"
        "R1,Publish the gender pay gap report,HIA 3,b,Practice Manager,30/11/2026,In progress\n",
        encoding="utf-8",
    )
    (folder / "minutes.xlsx").write_text("not a workbook", encoding="utf-8")
    out = folder / "board.html"
    report_mod.report([folder], out, as_of=dt.date(2026, 11, 22))
    return out


@pytest.mark.parametrize("which", ["board", "returns"])
def test_report_prints_on_a4_with_no_orphaned_table_header(browser, which, request, poppler, tmp_path):
    """Issue 17: a table's title and header were left alone at the foot of a page."""
    _load(browser, request.getfixturevalue(which))
    width, height = A4_CONTENT
    browser.call(
        "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False
    )
    browser.call("Emulation.setEmulatedMedia", media="print")
    try:  # the tables' heights as printed: one that fits on a page must not be split
        marks = browser.evaluate(_HEADINGS_JS)
    finally:
        browser.call("Emulation.setEmulatedMedia", media="")
    pdf = tmp_path / "board-report-a4.pdf"
    data = browser.call("Page.printToPDF", paperWidth=8.27, paperHeight=11.69, preferCSSPageSize=True)
    pdf.write_bytes(base64.b64decode(data["data"]))
    pages = poppler.pages(pdf, images=tmp_path / "a4-pages")
    assert len(pages) >= 3
    alone = {*marks["captions"], *marks["headings"], *marks["headers"]}
    # a page's last line is one of them, or part of one: a note split after its first lines left
    # its heading alone too (the national deadlines' note, issue 16)
    orphans = [
        (p.number, last)
        for p in pages[:-1]
        if (last := _words(p.lines()[-1])) and any(last in text for text in alone)
    ]
    assert orphans == []
    assert all(not p.landscape for p in pages)
    split = []
    assert any(t["height"] < height / 2 for t in marks["tables"])  # the check below checks something
    for table in marks["tables"]:
        if table["height"] > height * 0.9:  # taller than a page, less headings: it must break
            continue
        page = next(p for p in pages if table["caption"] in map(_words, p.lines()))
        after = page.text.split(table["caption"], 1)[-1].splitlines()
        if not any(_in_order(table["last"], line.split()) for line in after):  # the last row went on
            split.append((page.number, table["caption"]))
    assert split == []


def test_file_names_break_only_between_their_parts(browser, board, tmp_path):
    """Issue 17: the Plans table broke file names mid-word (``overflow-wrap: anywhere``)."""
    _load(browser, board)
    for width, media in ((688, "print"), (390, "")):  # A4's printable width; a phone
        browser.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                     mobile=not media)  # fmt: skip
        browser.call("Emulation.setEmulatedMedia", media=media)
        try:
            breaks = browser.evaluate(_BREAKS_JS)
        finally:
            browser.call("Emulation.setEmulatedMedia", media="")
        assert breaks, width  # the names are long enough to wrap: the check checks something
        assert [(t, c) for t, c in breaks if c not in "/\\_-. "] == [], width


def test_report_fits_a_phone_without_sideways_scrolling(browser, board, tmp_path):
    """Issue 17: at 390 px the page scrolled sideways to 943 px; tables now scroll inside a box."""
    _load(browser, board)
    browser.call(
        "Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1, mobile=True
    )
    browser.evaluate("new Promise(r => setTimeout(r, 200))")
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    wide = browser.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391"
        " && !e.closest('.table-scroll')).map(e => e.tagName + '.' + e.className)"
    )
    assert wide == []
    boxes = browser.evaluate(
        "[...document.querySelectorAll('.table-scroll')].map(b => [b.tabIndex, b.getAttribute('role'),"
        " !!b.getAttribute('aria-labelledby'), b.scrollWidth > b.clientWidth])"
    )
    assert boxes
    assert all(tab == 0 and role == "region" and named for tab, role, named, _ in boxes)
    assert any(scrolls for *_, scrolls in boxes)  # the wide ones scroll inside their box
    png = base64.b64decode(
        browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
    )
    (tmp_path / "board-report-390px.png").write_bytes(png)
    assert png.startswith(b"\x89PNG")
