"""``edi-workbook carry-over PLAN -o NEXT.xlsx``: next year's plan from this year's.

Calls :func:`edi_workbook.read_plan` and :func:`edi_workbook.template.carry_over`: a new template
workbook with Plan details and settings copied, every open action carried (with a note of its
original due date and how often it slipped) and the closed ones on a ``Completed last year`` sheet.
``--history`` takes the year's earlier returns, oldest first, to count the slips. Exit code 0 when
written; 2 if a file cannot be read or NEXT cannot be written.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("plan", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The new workbook (.xlsx).",
)
@click.option("--plan-period", help="The new plan's period, e.g. 2027/28 (default: PLAN's own, a year on).")
@click.option(
    "--history",
    multiple=True,
    type=click.Path(path_type=Path),
    help="An earlier return of this plan this year (repeat, oldest first), to count the slipped due dates.",
)
@click.option("--force", is_flag=True, help="Replace OUT if it already exists.")
def carry_over(plan: Path, out: Path, plan_period: str | None, history: tuple[Path, ...], force: bool) -> int:
    """Start next year's plan from PLAN: open actions carried, completed ones listed."""
    from edi_workbook.read import read_plan
    from edi_workbook.template import carry_over as run

    current = read_plan(plan)
    earlier = [read_plan(p) for p in history]
    done = run(current, out, plan_period=plan_period, history=earlier, overwrite=force)
    period = f" for {done.plan_period}" if done.plan_period else ""
    if done.period_from_name and done.plan_period:
        period += f" (a year on from {done.period_from_name}, in the file name)"
    click.echo(
        f"Wrote {done.path}{period}: {done.carried} open actions carried over, "
        f"{done.completed} closed actions on the 'Completed last year' sheet."
    )
    if done.columns_in_notes:
        more = len(done.columns_in_notes) - 10
        names = ", ".join(done.columns_in_notes[:10]) + (f" and {more} more" if more > 0 else "")
        click.echo(
            f"Columns that are not plan columns, carried in each open action's Evidence / notes "
            f"and as columns of their own on 'Completed last year': {names}"
        )
    return 0
