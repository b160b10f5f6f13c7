"""``edi-workbook suggest``: HIAs and PSED aims for action texts, with the words that led to them.

Texts come from the arguments, or ``--file``: a plan workbook or plan CSV (its Action column, with
its Success measure), or any other text file with one action per line (``-`` reads stdin).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from edi_workbook.cli.options import format_option
from edi_workbook.errors import PlanReadError, UsageError

if TYPE_CHECKING:
    from edi_workbook.mapping import Suggestion

_WORKBOOKS = {".xlsx", ".xlsm", ".xltx", ".xltm"}


def _lines(path: Path) -> list[str]:
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise PlanReadError(path, "file not found") from None
    except UnicodeDecodeError:
        raise PlanReadError(path, "not a UTF-8 text file; save it as UTF-8 or as a workbook") from None
    except OSError as exc:
        raise PlanReadError(path, f"the file cannot be opened ({exc.strerror or exc})") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def read_texts(path: Path) -> tuple[list[str], list[str | None]]:
    """Action texts and success measures from a plan (workbook or CSV) or a one-per-line file."""
    suffix = path.suffix.lower()
    if suffix in _WORKBOOKS or suffix == ".csv":
        from edi_workbook.read import read_plan

        try:
            plan = read_plan(path)
        except PlanReadError:
            if suffix != ".csv":
                raise
            plan = None  # a CSV that is not a plan: one text per line
        if plan is not None and "action" in plan.column_map:
            rows = [i for i in range(len(plan)) if plan.frame["action"].iat[i] is not None]
            return (
                [str(plan.frame["action"].iat[i]) for i in rows],
                [_text_or_none(plan.frame["success_measure"].iat[i]) for i in rows],
            )
        if suffix != ".csv":
            raise PlanReadError(path, "the plan has no Action column to take texts from")
    texts = _lines(path)
    return texts, [None] * len(texts)


def _show(s: Suggestion) -> None:
    from edi_workbook.reference import load

    ref = load()
    click.echo(s.text)
    rows = [(ref.hia(h.hia).label, h.score, ref.hia(h.hia).short_title, h.evidence) for h in s.hia]
    rows += [(f"PSED ({a.aim})", a.score, ref.aim(a.aim).short, a.evidence) for a in s.psed]
    for label, score, title, evidence in rows:
        click.echo(f"  {label:<9} {score:.2f}  {title}")
        click.echo(f"  {'':<9}       because: {', '.join(evidence)}")
    if not rows:
        click.echo("  nothing fits: no HIA or PSED aim suggested")


@click.command()
@click.argument("texts", nargs=-1)
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A plan (.xlsx/.xlsm/.csv: its Action column) or a text file with one action per line; - for stdin.",
)
@format_option("text", "json")
def suggest(texts: tuple[str, ...], file: Path | None, fmt: str) -> int:
    """Suggest HIAs and PSED aims for action texts, and say which words led to each."""
    from edi_workbook.mapping import suggest_many

    measures: list[str | None] = [None] * len(texts)
    items = list(texts)
    if file is not None:
        more, more_measures = read_texts(file)
        items += more
        measures += more_measures
    if not items:
        raise UsageError("give one or more action texts, or --file FILE")
    results = suggest_many(items, measures)
    if fmt == "json":
        click.echo(json.dumps([s.to_dict() for s in results], indent=2, ensure_ascii=False))
    else:
        for n, s in enumerate(results):
            if n:
                click.echo()
            _show(s)
    return 0
