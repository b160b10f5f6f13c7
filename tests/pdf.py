"""Test helper: what a printer gets. PDFs read with poppler-utils (pdfinfo, pdftotext, pdftoppm).

Workbooks are printed to PDF by LibreOffice headless (tests/libreoffice.py), the report by
Chromium. Each page's text comes from ``pdftotext -layout``; PNG images of the pages are left in
the test's folder for a person to look at. Tests that need poppler use the ``poppler`` fixture
(tests/conftest.py), which skips only outside CI when it is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

TOOLS = ("pdfinfo", "pdftotext", "pdftoppm")
AVAILABLE = all(shutil.which(t) for t in TOOLS)
_FOOTER = re.compile(r"^\s*(.+?) - page (\d+) of (\d+)\s*$", re.M)


@dataclass(frozen=True)
class Page:
    """One printed page: its number, size in points and text (layout kept)."""

    number: int
    width: float
    height: float
    text: str

    @property
    def sheet(self) -> str | None:
        """The sheet named in the footer ``Sheet - page 2 of 7`` (the workbooks' footer), if any."""
        m = _FOOTER.search(self.text)
        return m[1].strip() if m else None

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def lines(self) -> list[str]:
        return [line for line in self.text.splitlines() if line.strip()]


def pages(pdf: Path, images: Path | None = None, dpi: int = 60) -> list[Page]:
    """Every page of ``pdf``; with ``images``, also writes ``page-N.png`` files there."""
    out = []
    n = int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M)[1])  # type: ignore[index]
    for i in range(1, n + 1):
        info = _run("pdfinfo", "-f", str(i), "-l", str(i), str(pdf))
        w, h = (float(x) for x in re.search(rf"Page\s+{i} size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
        text = _run("pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-")
        out.append(Page(i, w, h, text))
    if images is not None:
        images.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(images / "page")], check=True, timeout=120
        )
    return out


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120).stdout
