"""A real CalDAV server for tests: Radicale (from PyPI) on 127.0.0.1, a free port, a temporary folder.

``radicale_server`` is a pytest fixture (import it into a test module); it yields a
:class:`CalDAV` client bound to one user, and stops the server when the test module is done.
No authentication (``auth.type = none``: any user name is accepted), nothing read from the
machine's own Radicale configuration.
"""

from __future__ import annotations

import contextlib
import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest

from tests.conftest import need_tool

USER = "edi-tester"
_CALENDAR_XML = """<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop><D:displayname>{name}</D:displayname></D:prop></D:set>
</C:mkcalendar>"""
_QUERY_XML = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter>
</C:calendar-query>"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class CalDAV:
    """A minimal CalDAV client over ``requests`` (RFC 4791): make calendars, PUT, GET, REPORT."""

    base: str

    def _request(self, method: str, path: str, **kw: object):  # type: ignore[no-untyped-def]
        import requests

        return requests.request(method, self.base + path, auth=(USER, "x"), timeout=30, **kw)  # type: ignore[arg-type]

    def make_calendar(self, name: str) -> str:
        """MKCALENDAR /user/name/ (RFC 4791 5.3.1); returns the collection path."""
        path = f"/{USER}/{name}/"
        body = _CALENDAR_XML.format(name=name).encode()
        r = self._request("MKCALENDAR", path, data=body, headers={"Content-Type": "application/xml"})
        assert r.status_code == 201, (r.status_code, r.text)
        return path

    def put(self, path: str, ics: bytes) -> int:
        """PUT one calendar object resource; returns the HTTP status."""
        r = self._request("PUT", path, data=ics, headers={"Content-Type": "text/calendar; charset=utf-8"})
        return int(r.status_code)

    def get(self, path: str) -> bytes:
        r = self._request("GET", path)
        assert r.status_code == 200, (r.status_code, r.text)
        return bytes(r.content)

    def report(self, collection: str) -> list[str]:
        """calendar-query REPORT (RFC 4791 7.8): the calendar-data of every VEVENT resource."""
        import xml.etree.ElementTree as ET

        r = self._request(
            "REPORT", collection, data=_QUERY_XML.encode(),
            headers={"Content-Type": "application/xml", "Depth": "1"},
        )  # fmt: skip
        assert r.status_code == 207, (r.status_code, r.text)
        tree = ET.fromstring(r.content)
        return [el.text or "" for el in tree.iter("{urn:ietf:params:xml:ns:caldav}calendar-data")]


def _wait(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Radicale exited: {log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError("Radicale did not start within 20 s")


@pytest.fixture(scope="module")
def radicale_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalDAV]:
    """Start Radicale on 127.0.0.1 with a temporary storage folder; stop it afterwards."""
    need_tool(importlib.util.find_spec("radicale") is not None, "Radicale")
    need_tool(importlib.util.find_spec("requests") is not None, "requests")
    folder = tmp_path_factory.mktemp("radicale")
    port = _free_port()
    log = folder / "radicale.log"
    args = [
        sys.executable, "-m", "radicale", "--config", "",
        "--server-hosts", f"127.0.0.1:{port}",
        "--auth-type", "none",
        "--rights-type", "owner_only",
        "--storage-filesystem-folder", str(folder / "collections"),
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait(port, proc, log)
            yield CalDAV(f"http://127.0.0.1:{port}")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def resources(data: bytes) -> dict[str, bytes]:
    """One calendar object resource per VEVENT of ``data`` (RFC 4791 4.1), keyed by its UID, with
    its VALARMs inside and no METHOD: what a CalDAV client PUTs for each event of an export."""
    cal = icalendar.Calendar.from_ical(data)
    out = {}
    for ev in cal.walk("VEVENT"):
        one = icalendar.Calendar()
        one.add("prodid", cal["prodid"])
        one.add("version", "2.0")
        one.add_component(ev)
        out[str(ev["uid"])] = one.to_ical()
    return out
