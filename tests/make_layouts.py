"""Write the layout corpus's fixture files from ``tests/fixtures/layouts/manifest.yaml``.

Each layout of the manifest (transcribed from a published plan; its URL is in the manifest) becomes
one small file in ``tests/fixtures/layouts/``: ``.xlsx`` (openpyxl), ``.csv``, and ``.xls`` /
``.ods`` converted from the ``.xlsx`` by LibreOffice headless (so this script needs ``soffice``
for those). Title rows, header rows, section rows and merged ranges are laid out exactly as the
manifest gives them, from column A. Run: ``.venv/bin/python tests/make_layouts.py``; the output is
committed, so the tests need neither this script nor LibreOffice.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent / "fixtures" / "layouts"


def sheet_rows(sheet: dict[str, Any]) -> list[list[str]]:
    """The sheet's rows as laid out: title rows, header rows, then data rows (sections in column A)."""
    width = len(sheet["header_rows"][0])
    out: list[list[str]] = []
    for row in [*sheet.get("title_rows", []), *sheet["header_rows"]]:
        out.append([str(v) for v in row] + [""] * (width - len(row)))
    for row in sheet["rows"]:
        if isinstance(row, dict):
            out.append([str(row["section"])] + [""] * (width - 1))
        else:
            out.append([str(v) for v in row])
    return out


def write_xlsx(layout: dict[str, Any], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in layout["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        for r, row in enumerate(sheet_rows(sheet), start=1):
            for c, value in enumerate(row, start=1):
                if value != "":
                    ws.cell(r, c, value)
        for rng in sheet.get("merged", []):
            ws.merge_cells(rng)
    wb.save(path)


def write_csv(layout: dict[str, Any], path: Path) -> None:
    (sheet,) = layout["sheets"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(sheet_rows(sheet))


def convert(src: Path, fmt: str, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed to write the .xls and .ods fixtures")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
             "--outdir", str(out_dir), str(src)],
            check=True, capture_output=True, timeout=240,
        )  # fmt: skip
    return out_dir / f"{src.stem}.{fmt}"


def main() -> None:
    manifest = yaml.safe_load((HERE / "manifest.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        for layout in manifest["layouts"]:
            fmt, name = layout["format"], layout["id"]
            target = HERE / f"{name}.{fmt}"
            if fmt == "csv":
                write_csv(layout, target)
            elif fmt == "xlsx":
                write_xlsx(layout, target)
            else:
                src = Path(tmp) / f"{name}.xlsx"
                write_xlsx(layout, src)
                shutil.move(convert(src, fmt, Path(tmp)), target)
            print(f"wrote {target.relative_to(HERE.parent.parent.parent)}")


if __name__ == "__main__":
    main()
