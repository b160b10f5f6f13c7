"""The package's public surface: lazy exports, fast import, no name clashes with submodules."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import types

import edi_workbook


def test_every_export_resolves_to_its_object_even_after_importing_every_submodule():
    for info in pkgutil.walk_packages(edi_workbook.__path__, "edi_workbook."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    for name in edi_workbook.__all__:
        value = getattr(edi_workbook, name)
        if name in edi_workbook._MODULES:
            assert isinstance(value, types.ModuleType), name
        else:
            assert not isinstance(value, types.ModuleType), f"edi_workbook.{name} is a module"


def test_import_is_light():
    code = (
        "import sys, edi_workbook\n"
        "print(sorted(m for m in ('pandas', 'openpyxl', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_cli_help_does_not_import_heavy_libraries():
    code = (
        "import sys\nfrom edi_workbook.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('pandas', 'openpyxl', 'numpy', 'yaml')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().splitlines()[-1] == "[]"
