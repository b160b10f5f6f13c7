"""Reading the EDS 2022 assessment of a workbook (the template's ``EDS 2022`` sheet).

The sheet is found by its name (``EDS 2022``), else by where the workbook-level name
``EDSAssessment`` points. Its rows are found by content, not by fixed cells: an outcome row has an
outcome id (``1A``..``3C``) in column B and the score, evidence and linked actions in D, F and G;
a band row has a band name in column A and its lowest total in B. Scores are parsed and judged
by :func:`edi_workbook.eds.assess`; a score that is not 0-3 is reported, never guessed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from edi_workbook import reference
from edi_workbook.eds import Assessment, assess
from edi_workbook.errors import PlanReadError

__all__ = ["SHEET", "read_eds"]

SHEET = "EDS 2022"


def _sheet(wb: Any, path: Path) -> Any:
    if SHEET in wb.sheetnames:
        return wb[SHEET]
    name = wb.defined_names.get("EDSAssessment")
    for title, _ in name.destinations if name is not None else ():
        if title in wb.sheetnames:
            return wb[title]
    raise PlanReadError(path, f"it has no '{SHEET}' sheet (workbooks made with `edi-workbook new` have one)")


def _ids(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(p for p in (x.strip() for x in re.split(r"[;,\n]", str(value))) if p)


def read_eds(path: str | Path, *, plan_action_ids: list[str] | None = None) -> Assessment:
    """The EDS 2022 assessment in the workbook ``path``; ``PlanReadError`` if it has none."""
    import openpyxl

    p = Path(path)
    if p.suffix.lower() in (".csv", ".txt", ".tsv"):
        raise PlanReadError(p, f"a CSV file has no '{SHEET}' sheet; give the workbook (.xlsx)")
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure to open is one plain sentence
        raise PlanReadError(p, f"the workbook cannot be opened ({type(exc).__name__})") from None
    try:
        ws = _sheet(wb, p)
        ref = reference.load()
        outcome_ids = {o.id for o in ref.eds_outcomes}
        band_names = {b.band for b in ref.eds_bands}
        scores: dict[str, Any] = {}
        evidence: dict[str, str | None] = {}
        actions: dict[str, tuple[str, ...]] = {}
        bands: dict[str, int] = {}
        for row in ws.iter_rows(min_row=1, max_col=9, values_only=True):
            cells = list(row) + [None] * (9 - len(row))
            key = str(cells[1]).strip().upper() if cells[1] is not None else ""
            if key in outcome_ids and key not in scores:
                scores[key] = cells[3]
                evidence[key] = None if cells[5] is None else str(cells[5])
                actions[key] = _ids(cells[6])
            elif (
                cells[0] in band_names
                and isinstance(cells[1], (int, float))
                and not isinstance(cells[1], bool)
            ):
                bands[str(cells[0])] = int(cells[1])
    finally:
        wb.close()
    if not scores:
        raise PlanReadError(p, f"the '{SHEET}' sheet has no outcome rows (1A to 3C in column B)")
    order = [(b.band, bands.get(b.band, b.lowest)) for b in ref.eds_bands]
    return assess(scores, evidence=evidence, actions=actions, bands=order, plan_action_ids=plan_action_ids)
