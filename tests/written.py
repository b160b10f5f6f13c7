"""Every workbook this package writes, made fresh in one folder for the tests that check them all.

No tests here: :func:`write_all` returns ``{name: path}`` for the blank template and the example
(as ``edi-workbook new`` writes them, and as committed in ``workbook_templates/``), the
macro-enabled template, the batch roll-up, and the example after each write-back (``validate``,
``map`` and ``rag`` on a foreign layout). Used by the reader matrix (tests/test_reader_matrix.py).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from tests.paths import ROOT

COMMITTED = ROOT / "workbook_templates"
EXAMPLE_AS_OF = dt.date(2026, 11, 22)


def _foreign(path: Path) -> Path:
    """Someone's own layout (no RAG formulas), for ``rag --write-back`` to fill in."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Our plan"
    ws.append(["Ref", "What we will do", "Lead", "Deadline", "Progress", "RAG", "Days to due"])
    ws.append(["P1", "Publish the gender pay gap report", "HR", dt.date(2026, 12, 1), "In progress"])
    ws.append(["P2", "Reverse mentoring for the board", "Chair", dt.date(2026, 10, 1), "Not started"])
    ws.append(["P3", "Train every interview panel chair", "HR", dt.date(2027, 3, 31), "Done"])
    wb.save(path)
    return path


def write_all(folder: Path) -> dict[str, Path]:
    """Write every kind of workbook into ``folder``; ``{name: path}`` in a stable order."""
    from edi_workbook import rag, validate
    from edi_workbook.batch import batch
    from edi_workbook.cli import main
    from edi_workbook.read import read_plan
    from edi_workbook.template import new_workbook
    from edi_workbook.writeback import CellMark, write_back, write_findings, write_rag

    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    out["template"] = new_workbook(folder / "template.xlsx")
    out["example"] = new_workbook(folder / "example.xlsx", example=True)
    for name in ("edi_action_plan.xlsx", "example_action_plan.xlsx", "edi_action_plan.xlsm"):
        stem, kind = name.split(".")  # names distinct without their suffix, for one LibreOffice run
        out[f"committed {name}"] = shutil.copy(COMMITTED / name, folder / f"committed-{stem}-{kind}.{kind}")

    returns = folder / "returns"
    returns.mkdir(exist_ok=True)
    shutil.copy(out["example"], returns / "example.xlsx")
    (returns / "practice.csv").write_text(
        "Action ID,Action,HIA,Owner,Due date,Status\n"
        "P1,Publish the gender pay gap report,HIA 3,HR,30/11/2026,In progress\n",
        encoding="utf-8",
    )
    batch([returns], out=folder / "rollup.xlsx", as_of=EXAMPLE_AS_OF, jobs=1)
    out["roll-up"] = folder / "rollup.xlsx"

    validated = shutil.copy(out["example"], folder / "validated.xlsx")
    write_findings(validated, validate(read_plan(validated), as_of=EXAMPLE_AS_OF), backup=False)
    out["validate --write-back"] = validated

    mapped = shutil.copy(out["example"], folder / "mapped.xlsx")
    blank = [CellMark("Action Plan", ref, value=None) for ref in ("D9", "E10")]  # cells for map to fill
    write_back(mapped, blank, backup=False)
    assert main(["map", str(mapped), "--write-back"]) == 0
    out["map --write-back"] = mapped

    foreign = _foreign(folder / "foreign.xlsx")
    plan = read_plan(foreign)
    write_rag(plan, rag(plan, as_of=EXAMPLE_AS_OF), backup=False)
    out["rag --write-back"] = foreign
    return out
