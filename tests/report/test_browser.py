"""The board report in a real browser: Debian's Chromium, headless, driven over the DevTools protocol.

The page must load with no console message, no exception, no failed or outside request, every chart
decoded, nothing wider than the window, the navigation hidden when printed; a screenshot and a PDF
are taken. Set ``EDI_REPORT_SHOTS=DIR`` to keep the screenshots for a look.
"""

from __future__ import annotations

import base64
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
