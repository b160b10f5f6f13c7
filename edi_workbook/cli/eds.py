"""``edi-workbook eds PATH``: the EDS 2022 assessment of a plan workbook, summed up and rated.

Calls :func:`edi_workbook.read.read_plan` (for the plan's action IDs) and
:func:`edi_workbook.read.read_eds`; the figures are :class:`edi_workbook.eds.Assessment`'s.
Exit code 1 when a score is not a whole number from 0 to 3 (the cell to fix is named).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from edi_workbook.cli.options import format_option

if TYPE_CHECKING:
    from edi_workbook.eds import Assessment

__all__ = ["eds"]


def _text(a: Assessment, name: str) -> str:
    from edi_workbook import reference
    from edi_workbook.eds import band_verified

    ref = reference.load()
    rating = a.rating or f"not rated: {a.scored} of {len(a.outcomes)} outcomes scored"
    lines = [f"{name}: EDS 2022 total {a.total} of {a.maximum}, {rating}"]
    for d in a.domains:
        lines.append(
            f"  Domain {d.domain} {d.name}: {d.total} of {d.maximum} ({d.scored} of {d.outcomes} scored)"
        )
    for o in a.outcomes:
        score = "-" if o.score is None else f"{o.score} {ref.eds_scores[o.score]}"
        mark = "" if o.outcome.verified else " [wording unverified]"
        linked = f"  actions: {', '.join(o.actions)}" if o.actions else ""
        lines.append(f"  {o.outcome.id}  {score:<20}{linked}{mark}".rstrip())
    bands = "; ".join(
        f"{b} from {lowest}" + ("" if band_verified(b, lowest) else " (unverified)") for b, lowest in a.bands
    )
    lines.append(f"Bands: {bands}")
    if a.missing_actions:
        lines.append(f"Linked actions not in the plan: {', '.join(a.missing_actions)}")
    lines += [f"error: {p}" for p in a.problems]
    return "\n".join(lines)


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@format_option("text", "json")
def eds(path: Path, fmt: str) -> int:
    """Summarise the EDS 2022 assessment of a plan workbook: scores, totals, rating band."""
    from edi_workbook.read import read_eds, read_plan

    plan = read_plan(path)
    ids = [str(v) for v in plan.frame["action_id"].tolist() if v is not None]
    assessment = read_eds(path, plan_action_ids=ids)
    if fmt == "json":
        click.echo(json.dumps({"file": str(path)} | assessment.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(_text(assessment, path.name))
    return 1 if assessment.problems else 0
