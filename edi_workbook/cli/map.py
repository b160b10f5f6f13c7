"""``edi-workbook map``: suggest an HIA and a PSED aim for each action whose cell is empty.

Without ``--write-back`` it only reports what it would fill. With it, each empty HIA / PSED aim
cell whose top suggestion scores at least :data:`edi_workbook.mapping.CONFIDENT` (0.7) gets it, in
the template's dropdown form (``HIA 2``, ``(b) Advance equality of opportunity``), marked as
suggested: purple text on a light lilac fill and a note "Suggested by edi-workbook: evidence ...".
Suggestions scored lower are listed, not written. Cells a person typed in are never touched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from edi_workbook.cli.options import format_option
from edi_workbook.findings import cell_ref

SUGGESTED_FILL = "E4DFEC"
"""Light lilac fill of a suggested cell (distinct from every RAG colour)."""
SUGGESTED_FONT = "7030A0"
"""Purple text of a suggested cell."""


def note_for(evidence: list[str], score: float) -> str:
    """The note left on a suggested cell."""
    return f"Suggested by edi-workbook: evidence {', '.join(evidence)} (score {score:.2f}). Check it."


def _empty_unfilled(plan: Any, filled: set[tuple[int, str]]) -> list[dict[str, Any]]:
    """Empty HIA / aim cells of actions for which nothing fits."""
    from edi_workbook import values
    from edi_workbook.reference import load

    out = []
    for i in range(len(plan)):
        if plan.frame["action"].iat[i] is None:
            continue
        for key in ("hia", "psed_aim"):
            if values.is_blank(plan.raw[key].iat[i]) and (i, key) not in filled:
                out.append(
                    {
                        "action_id": plan.action_id(i),
                        "column": load().header_of(key),
                        "sheet": plan.sheet,
                        "cell": plan.cell(i, key),
                    }
                )
    return out


def _write(path: Path, plan: Any, cells: list[Any]) -> str:
    """Fill the suggested cells; a plan without an HIA or PSED aim column gets one (issue 12)."""
    from dataclasses import replace

    from edi_workbook.writeback import CellMark, check_format, new_columns, write_back

    check_format(path)
    missing = [k for k in ("hia", "psed_aim") if k not in plan.column_letters]
    letters, marks, dropdowns = new_columns(plan, missing) if missing else ({}, [], [])
    placed = [
        replace(c, sheet=plan.sheet_of(c.index), cell=f"{letters[c.key]}{plan.rows[c.index]}")
        if c.cell is None and c.key in letters and plan.rows[c.index] is not None
        else c
        for c in cells
    ]
    marks += [
        CellMark(
            c.sheet,
            c.cell,
            value=c.value,
            fill=SUGGESTED_FILL,
            font_color=SUGGESTED_FONT,
            note=note_for(c.evidence, c.score),
            wrap=True,  # at the top of its row and wrapped, like the template's cells (issue 17)
            if_empty=True,  # a cell someone filled (or gave a formula) since it was read stays theirs
        )
        for c in placed
        if c.cell is not None and c.sheet is not None
    ]
    if not marks:
        return "Nothing to write."
    # clear_previous=False: a second run must keep the marks of the cells the first run filled.
    return str(write_back(path, marks, scope="map", clear_previous=False, dropdowns=dropdowns).describe())


def _where(sheet: str | None, cell: str | None) -> str:
    if cell is None:
        return "(new column)"
    return cell_ref(sheet, cell) or cell


def _report_text(
    name: str, cells: list[Any], unfilled: list[dict[str, Any]], written: str | None, write_back: bool
) -> None:
    from edi_workbook.mapping import CONFIDENT

    sure = sum(1 for c in cells if c.confident)
    click.echo(
        f"{name}: {len(cells)} empty cells with a suggestion ({sure} scored {CONFIDENT:.2f} or more), "
        f"{len(unfilled)} where nothing fits."
    )
    for c in cells:
        evidence = ", ".join(c.evidence)
        low = "" if c.confident else f"  (below {CONFIDENT:.2f}: listed, not written)"
        click.echo(
            f"  {_where(c.sheet, c.cell):<16} {c.action_id or '-':<7} {c.value:<38} {c.score:.2f}  "
            f"{evidence}{low}"
        )
    for u in unfilled:
        click.echo(
            f"  {_where(u['sheet'], u['cell']):<16} {u['action_id'] or '-':<7} nothing fits; left empty"
        )
    no_cell = sum(1 for c in cells if c.cell is None)
    if no_cell and not write_back:
        click.echo(f"{no_cell} suggestions have no column yet; --write-back adds the HIA / PSED aim columns.")
    writable = sum(1 for c in cells if c.confident)
    if written is not None:
        click.echo(f"Filled: {written}")
        if len(cells) - no_cell > writable:
            click.echo(
                f"{len(cells) - no_cell - writable} suggestions below {CONFIDENT:.2f} left empty: "
                "check them by hand."
            )
    elif cells and not write_back:
        click.echo(f"Would fill {writable} cells. Run with --write-back to write them.")


@click.command("map")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--write-back", is_flag=True, help="Fill the empty cells in the workbook (backup kept).")
@format_option("text", "json")
def map_(path: Path, write_back: bool, fmt: str) -> int:
    """Suggest an HIA and a PSED aim for each action whose cell is empty; fill them on request."""
    from edi_workbook.mapping import CONFIDENT, suggest_plan
    from edi_workbook.read import read_plan

    plan = read_plan(path)
    cells = suggest_plan(plan)
    unfilled = _empty_unfilled(plan, {(c.index, c.key) for c in cells})
    sure = [c for c in cells if c.confident]
    written = _write(path, plan, sure) if write_back and (cells or unfilled) else None
    if fmt == "json":
        out = {
            "path": str(path),
            "written": bool(written and written != "Nothing to write."),
            "min_score_written": CONFIDENT,
            "suggestions": [c.to_dict() for c in cells],
            "nothing_fits": unfilled,
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    _report_text(plan.name, cells, unfilled, written, write_back)
    return 0
