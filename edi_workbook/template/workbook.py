"""The template workbook and the filled example, built with openpyxl.

``build_workbook(example)`` makes the workbook in memory; ``new_workbook(path)`` writes it, and
never over an existing file unless asked. The sheets, the table ``ActionPlan`` and the defined
names are the contract in docs/ARCHITECTURE.md ("The template's contract"); docs/template.md
explains them to users. The output is deterministic: the same code and reference data give the
same cells and, after :func:`save_deterministic`, the same bytes.

The per-sheet builders live in :mod:`edi_workbook.template.start`,
:mod:`edi_workbook.template.sheets` (Plan details, Lists, Validation),
:mod:`edi_workbook.template.action_plan` (the Action Plan table),
:mod:`edi_workbook.template.dashboard`, :mod:`edi_workbook.template.national` (National deadlines)
and :mod:`edi_workbook.template.eds` (the EDS 2022 assessment). The example's actions are data, in
``data/example_plan.yaml``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import zipfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook.atomic import atomic_path
from edi_workbook.errors import UsageError

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "SHEETS",
    "TABLE_NAME",
    "build_workbook",
    "check_target",
    "example_plan",
    "new_workbook",
    "save_deterministic",
]

SHEETS = (
    "Start here",
    "Plan details",
    "Action Plan",
    "Dashboard",
    "National deadlines",
    "EDS 2022",
    "Lists",
    "Validation",
)
"""The template's sheets, in workbook order."""
TABLE_NAME = "ActionPlan"
FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)
"""Stamped into docProps and the zip entries so that two builds give the same bytes."""
_STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
_STAMPED = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def example_plan() -> dict[str, Any]:
    """The built-in example plan (``data/example_plan.yaml``): details, settings and actions."""
    import yaml

    text = resources.files("edi_workbook").joinpath("data/example_plan.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def build_workbook(example: bool = False, *, data: dict[str, Any] | None = None) -> Workbook:
    """The template (``example=False``) or the filled example workbook, in memory.

    ``data`` fills the template with another plan given in the example's shape (``details``,
    ``settings``, ``actions``; see ``data/example_plan.yaml``), as ``carry-over`` does.
    """
    from openpyxl import Workbook

    from edi_workbook.template import action_plan, dashboard, eds, national, sheets, start

    if data is None and example:
        data = example_plan()
    wb = Workbook()
    wb.remove(wb.active)
    ws = {name: wb.create_sheet(name) for name in SHEETS}
    names: dict[str, str] = {}
    start.start_here(ws["Start here"])
    names |= sheets.plan_details(ws["Plan details"], data)
    names |= sheets.lists(ws["Lists"])
    action_plan.action_plan(ws["Action Plan"], data)
    dashboard.dashboard(ws["Dashboard"])
    national.national_deadlines(ws["National deadlines"])
    names |= eds.eds_sheet(ws["EDS 2022"], data)
    sheets.validation(ws["Validation"])
    _define_names(wb, names)
    wb.active = 0
    _stamp(wb, example)
    return wb


def _define_names(wb: Workbook, names: dict[str, str]) -> None:
    """Workbook-level defined names (settings, plan details, dropdown lists), in a stable order."""
    from openpyxl.workbook.defined_name import DefinedName

    for name in sorted(names):
        wb.defined_names[name] = DefinedName(name, attr_text=names[name])


def _stamp(wb: Workbook, example: bool) -> None:
    """Fixed document properties: no build-time timestamps leak into the file."""
    from edi_workbook import __version__

    props = wb.properties
    props.creator = props.lastModifiedBy = f"edi-workbook {__version__}"
    props.created = props.modified = FIXED_TIME
    props.title = "EDI action plan (example)" if example else "EDI action plan"
    props.subject = "Equality, diversity and inclusion action plan"


def save_deterministic(
    wb: Workbook,
    path: Path,
    cached: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    rows: Mapping[str, Path] | None = None,
    compresslevel: int | None = None,
) -> None:
    """Save ``wb`` to ``path`` with fixed zip timestamps, atomically (temp file, then ``os.replace``).

    ``cached`` (``{sheet: {cell: result}}``, from :func:`edi_workbook.template.cached.formula_values`)
    is written into those formula cells as their last calculated results; Excel still recalculates
    everything on open (``fullCalcOnLoad``). Parts are written in Excel's own form
    (:func:`edi_workbook.template.ooxml.polish`), which more readers open.

    ``rows`` (``{sheet: file}``) names files of ready-made ``<row>`` elements to add at the end of
    those sheets' data, copied into the package as it is written (the batch roll-up's big sheets).
    ``compresslevel`` is zlib's (default 6); 1 compresses three times faster, files a fifth larger.

    Streamed: openpyxl writes each part straight into the final zip, and a sheet's data goes from
    the temporary file openpyxl (or ``rows``) wrote it to into the zip, so memory does not grow with
    the sheets' size (the package was once saved into memory, read back and compressed again).
    """
    from openpyxl.writer.excel import ExcelWriter

    if wb.write_only and not wb.worksheets:
        wb.create_sheet()  # as Workbook.save does
    wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)  # stamped below
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
        ExcelWriter(wb, _Package(dst, wb, cached or {}, rows or {}, compresslevel)).write_data()


class _Package:
    """The zip archive openpyxl's ``ExcelWriter`` writes into, made deterministic on the way.

    Every part gets the fixed timestamp and mode; ``polish`` and the fixed ``docProps/core.xml``
    times apply to the small parts openpyxl hands over as bytes; sheets, which openpyxl hands over
    as files, are copied in blocks (with the ``rows`` spliced in), except those given ``cached``
    results, which are small (the template).
    """

    def __init__(
        self,
        dst: zipfile.ZipFile,
        wb: Workbook,
        cached: Mapping[str, Mapping[str, Any]],
        rows: Mapping[str, Path],
        compresslevel: int | None = None,
    ) -> None:
        self.dst, self.wb, self.cached, self.rows = dst, wb, cached, rows
        self.compresslevel = compresslevel

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        if self.compresslevel is not None:  # named compress_level from Python 3.13
            setattr(
                info,
                "compress_level" if hasattr(info, "compress_level") else "_compresslevel",
                self.compresslevel,
            )
        return info

    def namelist(self) -> list[str]:
        return self.dst.namelist()

    def writestr(self, name: str | zipfile.ZipInfo, data: str | bytes) -> None:
        from edi_workbook.template.ooxml import polish

        name = name.filename if isinstance(name, zipfile.ZipInfo) else name
        raw = data.encode("utf-8") if isinstance(data, str) else data
        raw = polish(name, raw)
        if name == "docProps/core.xml":  # openpyxl stamps the save time here
            raw = _STAMPED.sub(rb"\g<1>" + _STAMP + rb"\g<3>", raw)
        self.dst.writestr(self._info(name), raw)

    def write(self, filename: str, arcname: str) -> None:
        """A sheet openpyxl wrote to the file ``filename``: copied into the package as ``arcname``."""
        from edi_workbook.template.cached import with_values

        sheet = next((str(ws.title) for ws in self.wb.worksheets if ws.path[1:] == arcname), "")
        if sheet in self.cached:
            self.writestr(arcname, with_values(Path(filename).read_bytes(), self.cached[sheet]))
            return
        extra = self.rows.get(sheet)
        info = self._info(arcname)
        info.file_size = os.path.getsize(filename) + (os.path.getsize(extra) if extra else 0)
        with open(filename, "rb") as src, self.dst.open(info, "w") as out:
            if extra is None:
                shutil.copyfileobj(src, out, _BLOCK)
                return
            head, sep, tail = src.read().partition(b"</sheetData>")  # the sheet holds only its header
            if not sep:
                raise ValueError(f"{arcname}: no sheet data to add rows to")
            out.write(head)
            with open(extra, "rb") as more:
                shutil.copyfileobj(more, out, _BLOCK)
            out.write(sep + tail)


_BLOCK = 1 << 20


def check_target(target: Path, overwrite: bool) -> None:
    """Raise :class:`UsageError` unless a new workbook may be written to ``target``.

    It must end in ``.xlsx``; an existing file is replaced only with ``overwrite`` (``--force``), and
    never one that is open in Excel or read-only (the checks write-back makes).
    """
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"{target.name}: the workbook's name must end in .xlsx")
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name ending in .xlsx")
    if target.exists() and not overwrite:
        raise UsageError(f"{target} already exists; choose another name or use --force to replace it")
    if target.exists():  # --force: still never over a workbook open in Excel or made read-only
        from edi_workbook.writeback import locked_reason

        if reason := locked_reason(target):
            raise UsageError(f"{target.name}: {reason}; close it or choose another name")
    if not target.parent.exists():
        raise UsageError(f"the folder {target.parent} does not exist")


def new_workbook(
    path: str | Path,
    *,
    example: bool = False,
    overwrite: bool = False,
    today: dt.date | None = None,
    dated: bool = True,
) -> Path:
    """Write the template (or the example, ``example=True``) to ``path`` and return the path.

    Refuses to replace an existing file unless ``overwrite=True``, and even then one that is open in
    Excel or read-only (the checks write-back makes); ``path`` must end in ``.xlsx``.

    Every formula carries its result (:mod:`edi_workbook.template.cached`), so a preview that does
    not recalculate shows RAG and the Dashboard. Results that depend on today's date (``AsOfDate``
    blank) are as of ``today`` (default: the system date); with ``dated=False`` those cells carry
    no result, so the file does not depend on the day it was written (the committed template).
    """
    target = Path(path)
    check_target(target, overwrite)
    try:
        from edi_workbook.template.cached import formula_values

        wb = build_workbook(example)
        when = (today or dt.date.today()) if dated else None
        save_deterministic(wb, target, formula_values(wb, when))
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target
