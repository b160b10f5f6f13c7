"""Write the add-in files of ``workbook_templates/`` from ``edi_workbook.cli.excel_setup``.

- ``edi_action_plan.xlsm``: the template with xlwings' standalone VBA project (from the xlwings
  installed in this environment; its version is printed) and the command cell;
- ``vba/EdiWorkbook.bas``: one macro per button;
- ``xlwings_lite/main.py`` and ``xlwings_lite/requirements.txt``.

Run: ``.venv/bin/python scripts/build_xlsm.py``. Building twice gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import xlwings as xw

from edi_workbook.cli import excel_setup as es

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "workbook_templates"


def main() -> None:
    (OUT / "vba").mkdir(parents=True, exist_ok=True)
    (OUT / "xlwings_lite").mkdir(parents=True, exist_ok=True)
    es.build_xlsm(OUT / es.XLSM_NAME)
    (OUT / "vba" / "EdiWorkbook.bas").write_bytes(es.VBA_MODULE.encode("ascii"))
    (OUT / "vba" / es.SHIM_NAME).write_text(es.SHIM, encoding="utf-8")
    (OUT / "xlwings_lite" / "main.py").write_text(es.lite_main(), encoding="utf-8")
    (OUT / "xlwings_lite" / "requirements.txt").write_text(es.lite_requirements(), encoding="utf-8")
    print(f"Wrote the add-in files in {OUT} (xlwings VBA project {xw.__version__})")


if __name__ == "__main__":
    main()
