"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from tests import libreoffice as lo
from tests.paths import ROOT

IN_CI = bool(os.environ.get("CI"))

# Under CI, property tests explore the same examples every run, so a red build is reproducible.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if IN_CI:
    hypothesis_settings.load_profile("ci")


def need_tool(available: bool, name: str) -> None:
    """Skip when a real tool is missing, but only outside CI: under CI a missing tool fails."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{name} is required under CI (.ci/run installs it) but is missing")
    pytest.skip(f"{name} not installed (it is installed and required under CI)")


@pytest.fixture(scope="session")
def libreoffice():
    """The LibreOffice helper module; skips outside CI if soffice is missing."""
    need_tool(lo.SOFFICE is not None, "LibreOffice")
    return lo


@pytest.fixture(scope="session")
def poppler():
    """The PDF helper module (poppler-utils: pdfinfo, pdftotext, pdftoppm); skips outside CI if missing."""
    from tests import pdf

    need_tool(pdf.AVAILABLE, "poppler-utils (pdfinfo, pdftotext, pdftoppm)")
    return pdf


@pytest.fixture(scope="session")
def node_readers():
    """SheetJS and ExcelJS through node (tests/node_readers.py), installed on first use."""
    import subprocess

    from tests import node_readers as nr

    need_tool(nr.NODE is not None and nr.NPM is not None, "node and npm")
    try:
        nr.install()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        need_tool(False, f"SheetJS and ExcelJS from npm ({exc})")
    return nr


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
