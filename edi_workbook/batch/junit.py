"""JUnit XML for CI dashboards: one test case per plan file.

A plan with errors is a ``<failure>`` listing them (cell, code, message); a file that cannot be
read is an ``<error>`` with its reason; warnings go to the case's ``<system-out>``. This is the
schema Jenkins, GitLab and GitHub test reporters read (``testsuites/testsuite/testcase``).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from edi_workbook.batch.model import FileResult
from edi_workbook.batch.outputs import Writer
from edi_workbook.findings import Finding
from edi_workbook.safe_text import xml_text

__all__ = ["JunitWriter"]

_SUITE = "edi-workbook batch"


def _clean(text: str | None) -> str | None:
    """Text without the characters XML 1.0 cannot hold."""
    return None if text is None else xml_text(text)


def _line(f: Finding) -> str:
    where = f.where or "plan"
    return _clean(f"{where} {f.code}: {f.message}") or ""


def junit_case(r: FileResult) -> ET.Element:
    """The ``<testcase>`` of one file."""
    case = ET.Element("testcase", {"classname": "edi-workbook.validate", "name": _clean(r.file) or ""})
    if not r.readable:
        reason = _clean(r.error) or "unreadable"
        ET.SubElement(case, "error", {"message": reason, "type": "unreadable"}).text = reason
        return case
    errors = [f for f in r.findings if f.severity == "error"]
    others = [f for f in r.findings if f.severity != "error"]
    if errors:
        failure = ET.SubElement(case, "failure", {"message": f"{len(errors)} errors", "type": "validation"})
        failure.text = "\n".join(_line(f) for f in errors)
    if others:
        ET.SubElement(case, "system-out").text = "\n".join(f"{f.severity.value} {_line(f)}" for f in others)
    return case


class JunitWriter(Writer):
    """Streams test cases to a spool file, then writes the suite with its counts around them."""

    def __init__(self, out: Path, *, as_of: dt.date | None = None) -> None:
        super().__init__(out, as_of=as_of)
        self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in finish/abort
        self._failures = 0

    def add(self, r: FileResult) -> None:
        super().add(r)
        self._failures += r.readable and r.errors > 0
        self._spool.write(ET.tostring(junit_case(r), encoding="unicode"))
        self._spool.write("\n")

    def finish(self) -> None:
        t = self.totals
        attrs = {
            "name": _SUITE,
            "tests": str(t.files),
            "failures": str(self._failures),
            "errors": str(t.unreadable),
        }
        head = " ".join(f'{k}="{v}"' for k, v in attrs.items())
        with self.temp_for(self.out).open("w", encoding="utf-8") as fh:
            fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            fh.write(f"<testsuites {head}>\n<testsuite {head}>\n")
            self._spool.seek(0)
            shutil.copyfileobj(self._spool, fh)
            fh.write("</testsuite>\n</testsuites>\n")
        self._spool.close()

    def abort(self) -> None:
        self._spool.close()
