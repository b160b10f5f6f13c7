"""The Excel add-in: buttons that act on the open workbook through xlwings' object model.

Every function takes an ``xw.Book`` and works only through xlwings (ranges, values, colours, notes,
sheets, alerts) and the library underneath, so one module serves the three routes
(docs/excel-addin.md):

- classic xlwings: the ``.xlsm``'s macro runs :func:`main` with ``xw.Book.caller()``;
- xlwings Lite: ``workbook_templates/xlwings_lite/main.py`` wraps these in ``@script``;
- xlwings Server: the same ``@script`` functions behind the server's endpoints.

The remote engines (Lite and Server) send values but not formulas nor note texts; where that
matters the fallback is named below. A workbook with no recognisable plan gets one alert line
saying so (the function returns None), never a traceback. Text written to a cell never becomes a
formula (an ``=``, ``+``, ``-`` or ``@`` at the start is written behind Excel's text prefix ``'``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from edi_workbook import reference, values
from edi_workbook.errors import WriteBackError
from edi_workbook.excel.book import BookPlan, names_of, read_book_plan, sheet_grid
from edi_workbook.safe_text import neutralise

if TYPE_CHECKING:
    import xlwings as xw

    from edi_workbook.rag_rating import RagResult
    from edi_workbook.validation import ValidationReport

__all__ = [
    "COMMANDS",
    "BookPlan",
    "export_calendar",
    "main",
    "read_book_plan",
    "refresh_rag",
    "run",
    "suggest_mappings",
    "validate_plan",
]

VALIDATION_SHEET = "Validation"
COMMAND_NAME = "EdiCommand"
"""Defined name of the cell whose value :func:`main` dispatches on (one button, several commands)."""
MARKED_HEADER = "Marked"
"""Extra Validation column recording what was done to a cell, so the next run can undo it."""
NOTE_PREFIX = "edi-workbook: "
SUGGESTED = "Suggested by edi-workbook, please check: "
SEVERITY_FILL = {"error": "Red", "warning": "Amber"}
"""Severity -> RAG value whose fill (``reference.load().rag(name).fill``) highlights the cell."""


def _fill(rag_name: str) -> str:
    return "#" + reference.load().rag(rag_name).fill


def _ensure_column(bp: BookPlan, key: str) -> int:
    """The 1-based column of ``key``, adding it (canonical header) right of the plan if missing."""
    if key not in bp.columns:
        bp.last_column += 1
        bp.columns[key] = bp.last_column
        bp.sheet.range((bp.header_row, bp.last_column)).value = reference.load().header_of(key)
    return bp.columns[key]


def _write_column(
    bp: BookPlan, key: str, by_row: dict[int, Any], colours: dict[int, str | None] | None
) -> None:
    """Write one column over the span of the plan's rows in one go (rows not given: blank)."""
    if not bp.rows:
        return
    col = _ensure_column(bp, key)
    top, bottom = min(bp.rows), max(bp.rows)
    rng = bp.sheet.range((top, col), (bottom, col))
    rng.options(ndim=2).value = [[neutralise(by_row.get(r))] for r in range(top, bottom + 1)]
    if colours is not None:
        rng.set_colors([[colours.get(r)] for r in range(top, bottom + 1)])


def _alert(book: Any, text: str, title: str) -> None:
    book.app.alert(text, title=title)


_F = TypeVar("_F", bound=Callable[..., Any])


def _reported(title: str) -> Callable[[_F], _F]:
    """Turn this package's errors (no plan found...) into one alert line instead of a traceback."""

    def wrap(function: _F) -> _F:
        @functools.wraps(function)
        def inner(book: Any, *args: Any, **kwargs: Any) -> Any:
            from edi_workbook.errors import EdiWorkbookError

            try:
                return function(book, *args, **kwargs)
            except EdiWorkbookError as exc:
                _alert(book, str(exc), title)
                return None

        return inner  # type: ignore[return-value]

    return wrap


@_reported("Refresh RAG")
def refresh_rag(book: Any, as_of: dt.date | None = None) -> RagResult | None:
    """Fill the RAG and Days to due values (and RAG colours) where the sheet has no formulas.

    A template whose RAG and Days to due are formulas is left alone: Excel keeps them current.
    Missing columns are added right of the plan with their canonical headers.
    """
    from edi_workbook.rag_rating import rag

    bp = read_book_plan(book)
    result = rag(bp.plan, as_of=as_of)
    rows = bp.rows
    frame = result.frame
    written = []
    if "rag" not in bp.formula_columns:
        labels = dict(zip(rows, frame["rag"], strict=True))
        _write_column(bp, "rag", labels, {r: _fill(v) for r, v in labels.items()})
        written.append("RAG")
    if "days_to_due" not in bp.formula_columns:
        days = [None if values.is_blank(d) else int(d) for d in frame["days_to_due"]]
        _write_column(bp, "days_to_due", dict(zip(rows, days, strict=True)), None)
        written.append("Days to due")
    totals = ", ".join(f"{n} {name}" for name, n in result.totals.items() if n) or "no actions"
    summary = f"{len(rows)} actions as of {result.as_of:%d/%m/%Y}: {totals}."
    if written:
        text = f"Filled {' and '.join(written)} for {summary}"
    else:
        text = f"RAG and Days to due are formulas, so Excel keeps them up to date. {summary}"
    _alert(book, text, "Refresh RAG")
    return result


def _clear_previous(book: Any, sheet: Any) -> None:
    """Undo the highlights and notes that the last validation run recorded on the Validation sheet."""
    grid = sheet_grid(sheet)
    if not grid:
        return
    head = {str(h).strip(): j for j, h in enumerate(grid[0]) if isinstance(h, str)}
    if not {"Sheet", "Cell", MARKED_HEADER} <= head.keys():
        return
    for row in grid[1:]:
        sheet_name, ref, marked = (
            row[head[h]] if head[h] < len(row) else None for h in ("Sheet", "Cell", MARKED_HEADER)
        )
        if not (sheet_name and ref and marked):
            continue
        try:
            target = book.sheets[str(sheet_name)].range(str(ref))
        except Exception:  # noqa: BLE001, S112 - a sheet renamed or deleted since: nothing to undo
            continue
        target.set_colors([[None]])
        if "note" in str(marked) and target.note is not None:
            target.note.delete()


def _validation_sheet(book: Any) -> Any:
    """The findings sheet: ``Validation`` if it is empty or ours, else a new ``EDI validation``.

    A workbook's own ``Validation`` sheet (often the source of its dropdown lists) is never cleared.
    """
    from edi_workbook.template.sheets import VALIDATION_HEADERS

    existing = [s.name for s in book.sheets]
    names = [VALIDATION_SHEET, *(f"EDI validation{'' if i == 1 else f' {i}'}" for i in range(1, 100))]
    for name in names:
        if name not in existing:
            return book.sheets.add(name, after=book.sheets[len(existing) - 1])
        grid = sheet_grid(book.sheets[name])
        first = [v for v in (grid[0] if grid else []) if v is not None]
        if not first or first[: len(VALIDATION_HEADERS)] == list(VALIDATION_HEADERS):
            return book.sheets[name]
    raise WriteBackError(book.name, "no free sheet name for the findings")


def _mark(book: Any, sheet_name: str, ref: str, findings: Sequence[Any]) -> str:
    """Highlight one cell by its worst finding and add a note unless it has one; say what was done."""
    try:
        target = book.sheets[sheet_name].range(ref)
    except Exception:  # noqa: BLE001 - a finding on a sheet the workbook does not have: nothing to mark
        return ""
    worst = min(findings, key=lambda f: ("error", "warning", "info").index(str(f.severity)))
    colour = SEVERITY_FILL.get(str(worst.severity))
    if colour is None:
        return ""
    target.set_colors([[_fill(colour)]])
    if target.note is not None:
        return "fill"
    text = NOTE_PREFIX + "\n".join(f"[{f.severity}] {f.message}" for f in findings)
    try:
        target.add_note(text)
    except NotImplementedError:  # xlwings Server clients other than Office.js cannot add notes
        return "fill"
    return "fill+note"


@_reported("Validate plan")
def validate_plan(book: Any, as_of: dt.date | None = None) -> ValidationReport | None:
    """Check the plan; list findings on the Validation sheet and mark the cells to fix.

    Previous highlights and notes of this add-in (recorded in the Validation sheet's ``Marked``
    column) are removed first. Errors fill the cell red, warnings amber; each marked cell gets a
    note with its messages unless it already has a note of its own.
    """
    from edi_workbook.template.sheets import VALIDATION_HEADERS
    from edi_workbook.validation import validate

    bp = read_book_plan(book)
    report = validate(bp.plan, as_of=as_of)
    out = _validation_sheet(book)
    _clear_previous(book, out)
    findings = sorted(report.findings, key=lambda f: f.sort_key())
    by_cell: dict[tuple[str, str], list[Any]] = {}
    for f in findings:
        if f.sheet and f.cell:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    marked = {key: _mark(book, *key, group) for key, group in by_cell.items()}
    headers = [*VALIDATION_HEADERS, MARKED_HEADER]
    rows = [[*f.as_row(), marked.get((f.sheet or "", f.cell or ""), "")] for f in findings]
    old = sheet_grid(out)
    if len(old) > 1:
        out.range((2, 1), (len(old), max(len(headers), len(old[0])))).clear_contents()
    out.range((1, 1)).value = [headers, *[[neutralise(v) for v in r] for r in rows]]
    errors = sum(str(f.severity) == "error" for f in findings)
    warnings = sum(str(f.severity) == "warning" for f in findings)
    _alert(
        book,
        f"{errors} errors and {warnings} warnings in {len(bp.rows)} actions. "
        f"See the {out.name} sheet; marked cells are red (errors) or amber (warnings).",
        "Validate plan",
    )
    return report


@_reported("Suggest HIA / PSED")
def suggest_mappings(book: Any) -> list[tuple[str, str]] | None:
    """Fill empty HIA and PSED aim cells with the top suggestion, marked in italics with a note.

    The suggestions are ``mapping.suggest_plan``'s (the ``edi-workbook map`` command's), written
    only when they score at least ``mapping.CONFIDENT``, as ``map --write-back`` does. Returns
    ``(cell, value)`` for every cell filled; cells that hold anything are never changed.
    """
    from edi_workbook.mapping import CONFIDENT, suggest_plan

    bp = read_book_plan(book)
    filled = []
    unsure = 0
    for cs in suggest_plan(bp.plan):
        row = bp.plan.rows[cs.index]
        if row is None:
            continue
        if not cs.confident:
            unsure += 1
            continue
        target = bp.sheet.range((int(row), _ensure_column(bp, cs.key)))
        target.value = neutralise(cs.value)
        target.font.italic = True
        if target.note is None:
            why = f" (because of: {', '.join(cs.evidence)})" if cs.evidence else ""
            with contextlib.suppress(NotImplementedError):  # a Server client other than Office.js
                target.add_note(SUGGESTED + cs.value + why)
        filled.append((target.address.replace("$", ""), cs.value))
    more = f" {unsure} weaker suggestions (score under {CONFIDENT:.2f}) were not written." if unsure else ""
    _alert(
        book,
        f"Suggested {len(filled)} HIA / PSED aim values (in italics, with a note): please check them.{more}",
        "Suggest HIA / PSED",
    )
    return filled


def _book_folder(book: Any) -> Path | None:
    path = Path(book.fullname)
    return path.parent if path.is_absolute() and path.parent.is_dir() else None


@_reported("Export calendar")
def export_calendar(book: Any, folder: str | Path | None = None, as_of: dt.date | None = None) -> Path | None:
    """Write the plan's reminders as ``<workbook name>.ics`` next to the workbook or in ``folder``.

    Says where in an alert. Excel on the web and xlwings Lite have no folder to write to: then
    the alert says so and points to ``edi-workbook calendar``, and None is returned.
    """
    from edi_workbook.atomic import write_atomic
    from edi_workbook.calendar import to_ics

    target_dir = Path(folder) if folder is not None else _book_folder(book)
    if target_dir is None:
        _alert(
            book,
            "This Excel cannot save files from Python. Save the workbook and run "
            "'edi-workbook calendar' on it, or use the classic add-in.",
            "Export calendar",
        )
        return None
    bp = read_book_plan(book)
    path = target_dir / f"{Path(book.name).stem}.ics"
    previous = path.read_bytes() if path.is_file() else None
    write_atomic(path, to_ics(bp.plan, as_of=as_of, previous=previous))
    _alert(book, f"Saved the calendar reminders for {len(bp.rows)} actions to {path}", "Export calendar")
    return path


COMMANDS: dict[str, Callable[[Any], Any]] = {
    "validate": validate_plan,
    "rag": refresh_rag,
    "suggest": suggest_mappings,
    "calendar": export_calendar,
}
"""Command words accepted by :func:`run` and in the ``EdiCommand`` cell (its first word counts)."""


def run(command: str, book: xw.Book | None = None) -> Any:
    """Run one command (``validate``, ``rag``, ``suggest``, ``calendar``) on ``book`` or the caller."""
    from edi_workbook.errors import UsageError

    word = (command or "").strip().split(" ")[0].casefold()
    aliases = {"refresh": "rag", "suggest": "suggest", "export": "calendar"}
    word = aliases.get(word, word)
    if word not in COMMANDS:
        raise UsageError(f"unknown add-in command {command!r}; use one of {', '.join(COMMANDS)}")
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    return COMMANDS[word](book)


def main(book: xw.Book | None = None) -> Any:
    """Entry point of the ``.xlsm``'s macro: run the command chosen in the ``EdiCommand`` cell."""
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    command = "validate"
    if COMMAND_NAME in names_of(book):
        command = str(book.names[COMMAND_NAME].refers_to_range.value or command)
    return run(command, book)
