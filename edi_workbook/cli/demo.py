"""``edi-workbook demo``: the whole job, end to end, on the built-in example plan.

It writes the example workbook, reads it back, validates it, rates every action RAG, suggests
HIAs and PSED aims, exports calendar reminders and writes the board report, all into one folder,
and says where each file is. Every step is a library call; this module only narrates.

A file of the same name already in the folder is replaced only if an earlier demo wrote it and
nobody changed it since (:class:`edi_workbook.atomic.OwnFiles`); otherwise the demo stops before
writing anything (exit 2), so an example workbook someone typed into is never lost.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import click

from edi_workbook.cli.options import as_of_option
from edi_workbook.errors import OutputError

NAMES = ("example_action_plan.xlsx", "example_action_plan.ics", "example_report.html")
"""The files the demo writes into its folder."""


def _step(title: str) -> None:
    click.echo()
    click.secho(f"== {title}", bold=True)


@click.command()
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-output"),
    show_default=True,
    help="Folder for the files the demo writes.",
)
@as_of_option
def demo(out_dir: Path, as_of: dt.date | None) -> int:
    """Run the whole job on the built-in example plan and write the results to a folder."""
    from edi_workbook import mapping, validation
    from edi_workbook import rag_rating as rag
    from edi_workbook.atomic import OwnFiles, write_atomic
    from edi_workbook.calendar import to_ics
    from edi_workbook.read import read_plan
    from edi_workbook.report import report
    from edi_workbook.template import new_workbook

    own = OwnFiles(out_dir)
    own.check(NAMES)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(out_dir, f"the folder cannot be made ({exc.strerror or exc})") from None
    _step("1. The example action plan workbook")
    workbook = new_workbook(out_dir / NAMES[0], example=True, overwrite=True)
    own.record([workbook])
    plan = read_plan(workbook)
    click.echo(f"Wrote {workbook} ({len(plan)} actions, {plan.details.organisation}).")

    _step("2. Validation: what to fix, cell by cell")
    result = validation.validate(plan, as_of=as_of)
    click.echo(f"{result.errors} errors, {result.warnings} warnings.")
    for f in result.findings[:8]:
        where = f.where or "plan"
        click.echo(f"  {f.severity.value:<7} {where:<18} {f.code}: {f.message}")
    if len(result.findings) > 8:
        click.echo(f"  ... and {len(result.findings) - 8} more (edi-workbook validate {workbook})")

    _step("3. RAG status against deadlines")
    rated = rag.rag(plan, as_of=as_of)
    counts = Counter(rated.frame["rag"])
    click.echo(f"As of {rated.as_of:%d %B %Y}: " + ", ".join(f"{counts[k]} {k}" for k in sorted(counts)))

    _step("4. HIA and PSED aim coverage")
    cover = mapping.coverage(plan)
    for gap in cover.gaps or ["Every HIA and every PSED aim has at least one action."]:
        click.echo(f"  {gap}")
    sample = plan.frame["action"].dropna().iloc[0]
    best = mapping.suggest(sample)
    if best.hia:
        top = best.hia[0]
        click.echo(f'  "{sample[:60]}..." suggests HIA {top.hia} because of: {", ".join(top.evidence)}')

    _step("5. Calendar reminders for Outlook")
    ics = out_dir / NAMES[1]
    write_atomic(ics, to_ics(plan, as_of=as_of))
    own.record([ics])
    click.echo(f"Wrote {ics}: subscribe to it from Outlook (see docs/calendar.md).")

    _step("6. Board report")
    html = out_dir / NAMES[2]
    report([plan], html, as_of=as_of)
    own.record([html])
    click.echo(f"Wrote {html}: open it in any browser.")
    click.echo()
    click.secho(f"Done. Everything is in {out_dir}/", fg="green")
    return 0
