"""``edi-workbook new PATH [--example] [--force]``: write the template (or the example) workbook."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Write the filled example plan instead of the blank template.")
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
def new(path: Path, example: bool, force: bool) -> int:
    """Write a new action-plan workbook to PATH (.xlsx), ready to open in Excel or LibreOffice."""
    from edi_workbook.template import new_workbook

    written = new_workbook(path, example=example, overwrite=force)
    kind = "example action plan" if example else "blank action-plan template"
    click.echo(f"Wrote the {kind} to {written}")
    return 0
