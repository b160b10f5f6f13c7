"""``edi-workbook excel-setup``, the macro-enabled workbook, and what xlwings Lite can install."""

from __future__ import annotations

import tomllib
import zipfile
from importlib.metadata import distribution
from pathlib import Path

import openpyxl
import pytest
import xlwings as xw

from edi_workbook.cli import excel_setup as es
from edi_workbook.cli import main
from tests.conftest import ROOT

TEMPLATES = ROOT / "workbook_templates"


def test_prints_every_route_with_this_python(capsys):
    import sys

    assert main(["excel-setup"]) == 0
    out = capsys.readouterr().out
    assert sys.executable in out
    assert all(title in out for title in ("Classic xlwings", "xlwings Lite", "xlwings Server"))


def test_writes_the_lite_files(tmp_path):
    assert (
        main(["excel-setup", "--route", "lite", "--write", str(tmp_path), "--wheel-url", "https://x/e.whl"])
        == 0
    )
    names = [".edi-workbook-files.json", "main.py", "requirements.txt"]  # the list of what it wrote
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert (tmp_path / "main.py").read_bytes() == (TEMPLATES / "xlwings_lite" / "main.py").read_bytes()
    lines = [x for x in (tmp_path / "requirements.txt").read_text().splitlines() if not x.startswith("#")]
    assert lines == ["https://x/e.whl"]


def test_writes_the_classic_files(tmp_path):
    assert main(["excel-setup", "--route", "classic", "--write", str(tmp_path)]) == 0
    names = [".edi-workbook-files.json", "EdiWorkbook.bas", es.SHIM_NAME, es.XLSM_NAME]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert (tmp_path / "EdiWorkbook.bas").read_bytes() == (TEMPLATES / "vba" / "EdiWorkbook.bas").read_bytes()
    assert "from edi_workbook.excel.addin import main" in (tmp_path / es.SHIM_NAME).read_text()


def test_committed_addin_files_are_up_to_date(tmp_path):
    es.build_xlsm(tmp_path / es.XLSM_NAME)
    stale = "the template changed: run scripts/build_xlsm.py and commit workbook_templates/"
    assert (tmp_path / es.XLSM_NAME).read_bytes() == (TEMPLATES / es.XLSM_NAME).read_bytes(), stale
    assert (TEMPLATES / "vba" / "EdiWorkbook.bas").read_bytes() == es.VBA_MODULE.encode("ascii")
    assert (TEMPLATES / "vba" / es.SHIM_NAME).read_text() == es.SHIM
    assert (TEMPLATES / "xlwings_lite" / "requirements.txt").read_text() == es.lite_requirements()


def test_xlsm_is_the_template_plus_xlwings_vba_project():
    path = TEMPLATES / es.XLSM_NAME
    source = Path(xw.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(source) as q:
        assert z.read("xl/vbaProject.bin") == q.read("xl/vbaProject.bin")
        types = z.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
        assert "vbaProject" in z.read("xl/_rels/workbook.xml.rels").decode()
    wb = openpyxl.load_workbook(path, keep_vba=True)
    template = openpyxl.load_workbook(TEMPLATES / "edi_action_plan.xlsx")
    assert wb.sheetnames == [*template.sheetnames, es.ADDIN_SHEET]
    assert wb["Action Plan"].tables.keys() == template["Action Plan"].tables.keys()
    dest = next(iter(wb.defined_names["EdiCommand"].destinations))
    assert dest == (es.ADDIN_SHEET, "$B$4")
    assert wb[es.ADDIN_SHEET][es.COMMAND_CELL].value == es.COMMAND_LABELS[0]


def test_libreoffice_reads_the_macros_of_the_xlsm(libreoffice, tmp_path):
    ods = libreoffice.convert(TEMPLATES / es.XLSM_NAME, tmp_path, fmt="ods")
    with zipfile.ZipFile(ods) as z:
        modules = {n.rsplit("/", 1)[-1] for n in z.namelist() if n.startswith("Basic/VBAProject/")}
        sample = z.read("Basic/VBAProject/Module1.xml").decode()
    assert {"xlwings.xml", "Module1.xml"} <= modules
    assert "Sub SampleCall" in sample
    assert "RunPython" in sample


def test_every_runtime_dependency_installs_in_xlwings_lite():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {d.split(";")[0].split(">")[0].split("=")[0].split("[")[0].strip() for d in deps}
    assert names - {"xlwings"} == set(es.LITE_DEPENDENCIES)
    assert all(";" in d and "Emscripten" in d for d in deps if d.startswith("xlwings"))


@pytest.mark.parametrize("name", [n for n, kind in es.LITE_DEPENDENCIES.items() if kind == "pure"])
def test_pure_dependencies_are_pure_python_wheels(name):
    wheel = distribution(name).read_text("WHEEL") or ""
    assert "Root-Is-Purelib: true" in wheel


def test_the_package_itself_is_pure_python():
    compiled = [
        p for p in (ROOT / "edi_workbook").rglob("*") if p.suffix in {".c", ".pyx", ".so", ".pyd", ".rs"}
    ]
    assert compiled == []
    setuptools_cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "ext-modules" not in setuptools_cfg
