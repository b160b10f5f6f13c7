"""Test helper: recalculate workbooks with LibreOffice headless, a real spreadsheet engine.

LibreOffice is told to recalculate every formula when it loads an OOXML file (the
``OOXMLRecalcMode`` setting, 0 = always) through a private user profile, then saves a copy; the
copy's cached values are read back with openpyxl (``data_only=True``). Tests that need it use the
``libreoffice`` fixture, which skips only outside CI (``CI`` unset) when soffice is missing.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

_PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


_PROFILE: Path | None = None


def _profile_dir() -> Path:
    """A user profile of this process's own: two test runs at once must not share one (the
    second soffice would hand its job to the first, or fail on the profile's lock)."""
    global _PROFILE
    if _PROFILE is None:
        _PROFILE = Path(tempfile.mkdtemp(prefix="edi-workbook-lo-profile-"))
        atexit.register(shutil.rmtree, _PROFILE, ignore_errors=True)
    d = _PROFILE
    user = d / "user"
    user.mkdir(parents=True, exist_ok=True)
    xcu = user / "registrymodifications.xcu"
    if not xcu.exists():
        xcu.write_text(_PROFILE_XCU, encoding="utf-8")
    return d


def convert(src: Path, out_dir: Path, fmt: str = "xlsx", timeout: int = 240) -> Path:
    """Open ``src`` in LibreOffice (recalculating everything) and save it as ``fmt`` in ``out_dir``."""
    return convert_many([src], out_dir, fmt, timeout)[0]


def convert_many(sources: list[Path], out_dir: Path, fmt: str = "xlsx", timeout: int = 600) -> list[Path]:
    """:func:`convert` for several files in one LibreOffice run (their names must differ)."""
    if SOFFICE is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        SOFFICE,
        f"-env:UserInstallation=file://{_profile_dir()}",
        "--headless",
        "--norestore",
        "--convert-to",
        fmt,
        "--outdir",
        str(out_dir),
        *map(str, sources),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    outs = [out_dir / (src.stem + "." + fmt.split(":")[0]) for src in sources]
    missing = [o.name for o in outs if not o.exists()]  # one run for all: they need different stems
    if proc.returncode != 0 or missing:
        raise RuntimeError(f"LibreOffice failed on {missing}: {proc.stdout} {proc.stderr}")
    return outs


def recalculated_values(src: Path, tmp_dir: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cell values after LibreOffice recalculated ``src``: {sheet: rows of values}."""
    return recalculated_many([src], tmp_dir)[0]


def recalculated_many(srcs: list[Path], tmp_dir: Path) -> list[dict[str, list[list[object]]]]:
    """:func:`recalculated_values` of several workbooks, recalculated in one LibreOffice run."""
    import openpyxl

    out = []
    for path in convert_many(srcs, tmp_dir / "recalc", "xlsx"):
        wb = openpyxl.load_workbook(path, data_only=True)
        try:
            out.append({ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets})
        finally:
            wb.close()
    return out
