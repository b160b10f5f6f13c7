"""Test helper: open workbooks with SheetJS and ExcelJS, the readers Node tools use, through node.

The versions are pinned in ``tests/node/package.json`` and ``package-lock.json``; ``npm ci``
installs them on first use into a cache folder outside the repository (``EDI_NODE_CACHE``, else
``~/.cache/edi-workbook-tests/node-<hash of the lock file>``), so node_modules never enters git
and a changed pin gets a fresh folder. ``.ci/run`` installs them before the tests::

    python3 -m tests.node_readers install

Tests use the ``node_readers`` fixture (tests/conftest.py), which skips only outside CI when node
or npm is missing or the install fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "node"
NODE = shutil.which("node")
NPM = shutil.which("npm")
PACKAGES = ("exceljs", "xlsx")


def cache_dir() -> Path:
    """Where the pinned packages are installed (one folder per lock file)."""
    if os.environ.get("EDI_NODE_CACHE"):
        return Path(os.environ["EDI_NODE_CACHE"])
    lock = hashlib.sha256((HERE / "package-lock.json").read_bytes()).hexdigest()[:12]
    return Path.home() / ".cache" / "edi-workbook-tests" / f"node-{lock}"


def install() -> Path:
    """Install the pinned packages once (``npm ci``, into a temporary folder, then renamed)."""
    target = cache_dir()
    if all((target / "node_modules" / p / "package.json").exists() for p in PACKAGES):
        return target
    if NPM is None:
        raise RuntimeError("npm is not installed")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        for name in ("package.json", "package-lock.json"):
            shutil.copy(HERE / name, work / name)
        cmd = [NPM, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
        proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=600, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"npm ci failed: {proc.stderr.strip()[-1500:]}")
        if target.exists():  # another run finished first
            return target
        work.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def read(spec: Mapping[Path, Sequence[tuple[str, str]]], workdir: Path) -> dict[str, dict[str, Any]]:
    """Open each workbook with ExcelJS and SheetJS: ``{path: {reader: {ok, sheets, values, error}}}``.

    ``spec`` names the cells to read in each (``[("Action Plan", "M5"), ...]``); ``values`` are
    keyed ``"Sheet!A1"`` (a formula cell's cached result).
    """
    if NODE is None:
        raise RuntimeError("node is not installed")
    modules = install() / "node_modules"
    spec_file = workdir / "node-spec.json"
    spec_file.write_text(json.dumps({str(p): list(cells) for p, cells in spec.items()}), encoding="utf-8")
    env = {**os.environ, "NODE_PATH": str(modules)}
    proc = subprocess.run(
        [NODE, str(HERE / "read.js"), str(spec_file)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"node read.js failed: {proc.stderr.strip()[-2000:]}")
    out: dict[str, dict[str, Any]] = json.loads(proc.stdout)
    return out


if __name__ == "__main__":
    if sys.argv[1:] != ["install"]:
        sys.exit("usage: python3 -m tests.node_readers install")
    print(f"node readers ({', '.join(PACKAGES)}) installed in {install()}")
