"""``edi-workbook validate PATH...``: check plans and say what to fix, cell by cell.

Calls :func:`edi_workbook.read_plan` and :func:`edi_workbook.validate` for each file. A file that
cannot be read gets one line on stderr and the others are still checked. Exit code: 0 no errors,
1 at least one error in a plan, 2 a file could not be read (or the command was misused).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from edi_workbook.cli.options import as_of_option, format_option, plural, setting_up
from edi_workbook.errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, EdiWorkbookError

if TYPE_CHECKING:
    from edi_workbook.findings import Finding
    from edi_workbook.validation import ValidationReport


def _where(f: Finding) -> str:
    return f.where or "plan"


def _text(report: ValidationReport) -> str:
    plan = report.plan
    lines = [
        f"{plan.source}: {plural(len(plan), 'action')}, {plural(report.errors, 'error')}, "
        f"{plural(report.warnings, 'warning')}"
        + (f" (as of {report.as_of.isoformat()})" if report.findings else "")
    ]
    from edi_workbook.validation import columns_read

    taken = ", ".join(
        f"{header} -> {canon}" for canon, header in columns_read(plan).items() if header != canon
    )
    if taken:
        lines.append(f"  columns read: {taken}")
    if plan.row_sheets:
        lines.append(f"  sheets read: {', '.join(dict.fromkeys(plan.row_sheets))}")
    sections = list(dict.fromkeys(s for s in plan.sections if s))
    if sections:
        shown = "; ".join(s if len(s) <= 50 else s[:49] + "…" for s in sections[:4])
        lines.append(
            f"  sections: {shown}" + (f" (and {len(sections) - 4} more)" if len(sections) > 4 else "")
        )
    for f in report.findings:
        who = f" [{f.action_id}]" if f.action_id else ""
        lines.append(f"  {f.severity.value:<7} {_where(f):<22} {f.code}{who}: {f.message}")
    return "\n".join(lines)


def _write_back(path: Path, report: ValidationReport) -> None:
    from edi_workbook.writeback import write_findings

    result = write_findings(path, report)
    click.echo(f"{path}: {result.describe()}", err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option("text", "json")
@as_of_option
@click.option("--write-back", is_flag=True, help="Write the findings into each workbook (a backup is kept).")
@click.option("--select", multiple=True, metavar="CODE", help="Only report these codes (repeatable).")
@click.option("--ignore", multiple=True, metavar="CODE", help="Do not report these codes (repeatable).")
def validate(
    paths: tuple[Path, ...],
    fmt: str,
    as_of: dt.date | None,
    write_back: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> int:
    """Check plans and say what to fix, cell by cell.

    Exit code 0: no errors (warnings allowed); 1: errors found; 2: a file could not be read, or the
    command was misused.
    """
    with setting_up():  # no pandas: reading and validating a plan never need it
        from edi_workbook.read import read_plan
        from edi_workbook.validation import check_codes
        from edi_workbook.validation import validate as run

        check_codes(select, ignore)  # also imports every rule
    reports: list[ValidationReport] = []
    entries: list[dict[str, object]] = []  # the JSON "files", unreadable ones included, in order
    unreadable = False
    for path in paths:
        try:
            plan = read_plan(path)
        except EdiWorkbookError as exc:
            reason = str(getattr(exc, "reason", exc))
            click.echo(f"edi-workbook: {path}: {reason}", err=True)
            entries.append(_unreadable_entry(path, reason))
            unreadable = True
            continue
        report = run(plan, as_of=as_of, select=select or None, ignore=ignore or None)
        reports.append(report)
        entries.append(report.to_dict())
        if fmt == "text":
            click.echo(_text(report))
        if write_back:
            try:
                _write_back(path, report)
            except EdiWorkbookError as exc:
                click.echo(f"edi-workbook: {path}: {getattr(exc, 'reason', exc)}", err=True)
                unreadable = True
    if fmt == "json":
        click.echo(json.dumps({"files": entries}, indent=2, ensure_ascii=False))
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_OK if all(r.ok for r in reports) else EXIT_FINDINGS


def _unreadable_entry(path: Path, reason: str) -> dict[str, object]:
    """A JSON entry for a file that could not be read: the same keys, plus ``error``."""
    return {
        "file": str(path),
        "ok": False,
        "actions": 0,
        "errors": 0,
        "warnings": 0,
        "findings": [],
        "error": reason,
    }
