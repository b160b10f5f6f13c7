"""``edi-workbook excel-setup [--route classic|lite|server|all] [--write DIR]``: what Excel needs.

Prints, for each way of running the add-in (docs/excel-addin.md), what this machine has and what
to do; with ``--write DIR`` also writes the files that route needs:

- classic: ``edi_action_plan.xlsm`` (the template plus xlwings' BSD-licensed standalone VBA
  project, built with the xlwings installed here so their versions match), ``edi_action_plan.py``
  (the module its macro imports) and ``EdiWorkbook.bas`` (one macro per button);
- lite: ``main.py`` and ``requirements.txt`` for the xlwings Lite editor;
- server: the same ``main.py``, to drop into an xlwings Server app's custom scripts and functions.

The files of ``workbook_templates/`` are written by ``scripts/build_xlsm.py`` from the texts here.
Files in DIR are written atomically, and one of the same name is replaced only if an earlier
``excel-setup`` wrote it and nobody changed it since (:class:`edi_workbook.atomic.OwnFiles`): a
``main.py`` or a macro workbook someone edited is never lost (exit 2 before anything is written).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from edi_workbook import __version__

ROUTES = ("classic", "lite", "server")
XLSM_NAME = "edi_action_plan.xlsm"
SHIM_NAME = "edi_action_plan.py"
FILES = {
    "classic": (XLSM_NAME, SHIM_NAME, "EdiWorkbook.bas"),
    "lite": ("main.py", "requirements.txt"),
    "server": ("edi_workbook_scripts.py",),
}
"""The files ``--write DIR`` writes for each route."""
ADDIN_SHEET = "Excel add-in"
COMMAND_CELL = "B4"
COMMAND_LABELS = ("Validate plan", "Refresh RAG", "Suggest HIA / PSED", "Export calendar")
"""Choices of the command cell; :func:`edi_workbook.excel.addin.run` goes by the first word."""
WHEEL_PLACEHOLDER = "https://YOUR-WEB-SERVER/edi_workbook-{version}-py3-none-any.whl"

# How each runtime dependency installs in xlwings Lite (Pyodide): "pure" = a pure-Python wheel
# from PyPI; "pyodide" = a build in Pyodide's own package repository (pyodide-recipes).
LITE_DEPENDENCIES = {
    "pandas": "pyodide",
    "openpyxl": "pure",
    "python-calamine": "pyodide",
    "icalendar": "pure",
    "holidays": "pure",
    "click": "pure",
    "PyYAML": "pyodide",
    "tqdm": "pure",
    "matplotlib": "pyodide",
    "Jinja2": "pure",
    "lxml": "pyodide",
    "snowballstemmer": "pure",
}
"""xlwings itself is not installed from PyPI in Lite: the add-in brings its own (marker in pyproject)."""

SHIM = '''"""Run by edi_action_plan.xlsm's macro: RunPython imports the module named like the workbook."""

from edi_workbook.excel.addin import main, run  # noqa: F401
'''

VBA_MODULE = """\
Attribute VB_Name = "EdiWorkbook"
' edi-workbook: one macro per button, for classic xlwings (desktop Excel with a local Python).
'
' Import this file into a workbook that has the xlwings VBA module (edi_action_plan.xlsm has it)
' or a reference to the xlwings add-in: Alt+F11, File > Import File..., pick EdiWorkbook.bas.
' Then add a button: Insert > Shapes, draw it, right-click > Assign Macro..., pick one below.
' Each macro runs the same Python function as the xlwings Lite and xlwings Server routes.
Option Explicit

Sub EdiValidatePlan()
    RunPython "import edi_workbook.excel.addin as a; a.run('validate')"
End Sub

Sub EdiRefreshRag()
    RunPython "import edi_workbook.excel.addin as a; a.run('rag')"
End Sub

Sub EdiSuggestMappings()
    RunPython "import edi_workbook.excel.addin as a; a.run('suggest')"
End Sub

Sub EdiExportCalendar()
    RunPython "import edi_workbook.excel.addin as a; a.run('calendar')"
End Sub
""".replace("\n", "\r\n")


LITE_MAIN = '''"""xlwings Lite: the EDI action-plan add-in (paste into the xlwings Lite editor's main.py).

Needs ``edi-workbook`` in the requirements.txt tab (see requirements.txt beside this file). The
scripts appear in the xlwings Lite task pane's Run dropdown; the functions are Excel formulas:
``=EDI_RAG(I5, J5, K5)``, ``=EDI_SUGGEST_HIA(B5)``, ``=EDI_SUGGEST_PSED(B5)``, ``=EDI_SMART(B5)``.
"""

import xlwings as xw
from xlwings import func, script

from edi_workbook.excel import addin
from edi_workbook.excel import functions as udfs


@script
def validate_plan(book: xw.Book):
    """Check the plan; list findings on the Validation sheet and mark the cells to fix."""
    addin.validate_plan(book)


@script
def refresh_rag(book: xw.Book):
    """Fill RAG and Days to due where the sheet has no formulas."""
    addin.refresh_rag(book)


@script
def suggest_mappings(book: xw.Book):
    """Fill empty HIA and PSED aim cells with suggestions (in italics, with a note)."""
    addin.suggest_mappings(book)


@script
def export_calendar(book: xw.Book):
    """Excel on the web cannot save files: says how to export the calendar instead."""
    addin.export_calendar(book)


@func
def edi_rag(due, status, pct, start=None, as_of=None):
    """RAG of one action (Blue, Green, Amber, Red or Grey) by the template's rule."""
    return udfs.EDI_RAG(due, status, pct, start, as_of)


@func
def edi_suggest_hia(text):
    """The top suggested High Impact Action for an action text."""
    return udfs.EDI_SUGGEST_HIA(text)


@func
def edi_suggest_psed(text):
    """The top suggested PSED aim for an action text."""
    return udfs.EDI_SUGGEST_PSED(text)


@func
def edi_smart(text):
    """SMART, or the reasons an action text is not SMART."""
    return udfs.EDI_SMART(text)
'''
"""The xlwings Lite ``main.py`` (also an xlwings Server custom scripts/functions module)."""


def lite_main() -> str:
    """The xlwings Lite ``main.py`` (``workbook_templates/xlwings_lite/main.py`` is written from it)."""
    return LITE_MAIN


def lite_requirements(wheel_url: str | None = None) -> str:
    """The xlwings Lite ``requirements.txt``: the wheel of this package (its dependencies follow)."""
    url = wheel_url or WHEEL_PLACEHOLDER.format(version=__version__)
    return (
        "# xlwings Lite: paste into the requirements.txt tab. edi-workbook is installed from its wheel\n"
        "# (pure Python). Host the wheel where Excel can fetch it (HTTPS, CORS allowed) and put its URL\n"
        "# here; `pip wheel . --no-deps` builds it. pandas, PyYAML, lxml, matplotlib and python-calamine\n"
        "# come from Pyodide's own builds, the other dependencies as pure-Python wheels from PyPI.\n"
        f"{url}\n"
    )


def build_xlsm(path: Path) -> Path:
    """The template as a macro-enabled workbook with xlwings' standalone VBA project and a command cell.

    The VBA project is ``vbaProject.bin`` of xlwings' ``quickstart_standalone.xlsm`` (BSD-3-Clause):
    the xlwings VBA module (``RunPython``) and ``Module1.SampleCall``, which runs ``main()`` of the
    Python module named like the workbook. openpyxl carries the binary (``vba_archive``); it cannot
    write VBA source. The added sheet holds the command cell (defined name ``EdiCommand``) that
    :func:`edi_workbook.excel.addin.main` dispatches on.
    """
    import zipfile

    import xlwings as xw
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    from edi_workbook.excel.addin import COMMAND_NAME
    from edi_workbook.template import build_workbook, formula_values, save_deterministic

    wb = build_workbook()
    ws = wb.create_sheet(ADDIN_SHEET)
    ws["A1"] = "Excel add-in (classic xlwings)"
    ws["A2"] = "Pick a command, then run the macro SampleCall (Alt+F8) or a button assigned to it."
    ws["A4"] = "Command"
    ws[COMMAND_CELL] = COMMAND_LABELS[0]
    dv = DataValidation(type="list", formula1='"' + ",".join(COMMAND_LABELS) + '"', allow_blank=False)
    ws.add_data_validation(dv)
    dv.add(COMMAND_CELL)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 24
    wb.defined_names[COMMAND_NAME] = DefinedName(COMMAND_NAME, attr_text=f"'{ADDIN_SHEET}'!$B$4")
    source = Path(xw.__file__).parent / "quickstart_standalone.xlsm"
    wb.vba_archive = zipfile.ZipFile(source)
    wb.code_name = "ThisWorkbook"
    for i, sheet in enumerate(wb.worksheets, start=1):
        sheet.sheet_properties.codeName = f"Sheet{i}"
    save_deterministic(wb, path, formula_values(wb))  # no date: the committed file stays put
    wb.vba_archive.close()
    return path


def _xlwings_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("xlwings")
    except Exception:  # noqa: BLE001 - not installed, or broken metadata: reported as missing
        return None


def _classic(out: Path | None) -> list[str]:
    xw_version = _xlwings_version()
    lines = [
        "Classic xlwings (desktop Excel on Windows or macOS, with Python on this computer)",
        f"  Python:  {sys.executable}",
        f"  xlwings: {xw_version or 'not installed: pip install xlwings'}",
        "  1. Tell Excel which Python to use:  xlwings config create --force",
        "     (on macOS also: xlwings runpython install)",
        f"  2. Keep {XLSM_NAME} and {SHIM_NAME} in the same folder; open the .xlsm, enable macros.",
        f"  3. Pick a command in '{ADDIN_SHEET}'!{COMMAND_CELL}, run the macro SampleCall (Alt+F8);",
        "     or import EdiWorkbook.bas (Alt+F11, File > Import File) for one macro per button.",
        "  4. Worksheet functions (Windows): add a sheet xlwings.conf with 'UDF Modules' in A1 and",
        "     'edi_workbook.excel.functions' in B1, then run ImportPythonUDFs (Alt+F8).",
    ]
    if out is not None and xw_version:
        from edi_workbook.atomic import write_atomic

        build_xlsm(out / XLSM_NAME)
        write_atomic(out / SHIM_NAME, SHIM.encode("utf-8"))
        write_atomic(out / "EdiWorkbook.bas", VBA_MODULE.encode("ascii"))
        lines.append(f"  Wrote {out / XLSM_NAME}, {out / SHIM_NAME} and {out / 'EdiWorkbook.bas'}")
    return lines


def _lite(out: Path | None, wheel_url: str | None) -> list[str]:
    lines = [
        "xlwings Lite (Excel on Windows, macOS or the web; no Python on this computer)",
        "  1. In Excel: Home > Add-ins, search 'xlwings', Add.",
        "  2. Paste main.py into the xlwings Lite editor's main.py tab,",
        "     and requirements.txt into its requirements.txt tab (it installs the package).",
        "  3. Run validate_plan, refresh_rag or suggest_mappings from the task pane;",
        "     type =EDI_RAG(I5,J5,K5), =EDI_SUGGEST_HIA(B5), =EDI_SUGGEST_PSED(B5), =EDI_SMART(B5).",
        "  Dependencies in Pyodide: "
        + ", ".join(f"{name} ({kind})" for name, kind in LITE_DEPENDENCIES.items()),
    ]
    if out is not None:
        from edi_workbook.atomic import write_atomic

        write_atomic(out / "main.py", lite_main().encode("utf-8"))
        write_atomic(out / "requirements.txt", lite_requirements(wheel_url).encode("utf-8"))
        lines.append(f"  Wrote {out / 'main.py'} and {out / 'requirements.txt'}")
    return lines


def _server(out: Path | None) -> list[str]:
    lines = [
        "xlwings Server (your organisation runs it; Excel needs no local Python)",
        "  1. pip install edi-workbook on the server, next to xlwings Server.",
        "  2. Add main.py's functions to the server's custom scripts and custom functions modules.",
        "  3. xlwings Server needs an xlwings PRO licence key (PolyForm Noncommercial or commercial);",
        "     the classic and Lite routes do not.",
    ]
    if out is not None:
        from edi_workbook.atomic import write_atomic

        write_atomic(out / "edi_workbook_scripts.py", lite_main().encode("utf-8"))
        lines.append(f"  Wrote {out / 'edi_workbook_scripts.py'}")
    return lines


@click.command(name="excel-setup")
@click.option("--route", type=click.Choice([*ROUTES, "all"]), default="all", show_default=True,
              help="Which way of running the add-in to show.")  # fmt: skip
@click.option("--write", "write", type=click.Path(file_okay=False, path_type=Path),
              help="Also write the files the route needs into this folder.")  # fmt: skip
@click.option("--wheel-url", help="URL of the edi-workbook wheel for xlwings Lite's requirements.txt.")
def excel_setup(route: str, write: Path | None, wheel_url: str | None) -> int:
    """Show what Excel needs to run the add-in, per route; --write DIR writes the files."""
    chosen = ROUTES if route == "all" else (route,)
    own = None
    if write is not None:
        from edi_workbook.atomic import OwnFiles
        from edi_workbook.errors import OutputError

        own = OwnFiles(write)
        own.check(name for r in chosen for name in FILES[r])
        try:
            write.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(write, f"the folder cannot be made ({exc.strerror or exc})") from None
    blocks = {
        "classic": lambda: _classic(write),
        "lite": lambda: _lite(write, wheel_url),
        "server": lambda: _server(write),
    }
    text = "\n\n".join("\n".join(blocks[r]()) for r in chosen)
    if own is not None and write is not None:
        own.record(write / name for r in chosen for name in FILES[r] if (write / name).exists())
    click.echo(text)
    click.echo("\nDetails: docs/excel-addin.md")
    return 0
