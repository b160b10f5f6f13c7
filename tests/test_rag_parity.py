"""Parity: the template's RAG and Days-to-due formulas, recalculated by LibreOffice, equal ``rag()``.

One generated table (every status, every rule branch and boundary: due today, due in exactly
AmberDays and AmberDays + 1, start equal to due, blank or text start, start after as-of, 0%, 100%,
blank and points-style %, a lag of exactly ProgressTolerance, text and blank due dates, times of
day) is written with the formulas of ``edi_workbook.template.formulas`` into a minimal workbook per as-of
date and settings, recalculated by LibreOffice headless, and compared cell by cell.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.workbook.defined_name import DefinedName

from edi_workbook import reference, values
from edi_workbook.plan import Plan, Settings
from edi_workbook.rag_rating import rag
from edi_workbook.read import read_plan
from edi_workbook.template import formulas
from edi_workbook.validation import validate

AS_OF0 = dt.date(2025, 6, 16)  # a Monday
STATUSES = [
    "Not started",
    "In progress",
    "Complete",
    "On hold",
    "Cancelled",
    None,
    "complete ",
    "ON HOLD",
    " cancelled",
    "Sort of",
    # synonyms the tool reads, and so do the formulas (issue 17: "Done" was Amber in the workbook)
    "Done",
    "completed",
    "PAUSED",
    " withdrawn",
    "no  longer required",
    # read by the tool only: flagged by validation (status-not-read-by-formulas)
    "Done.",
    "On hold!",
]
DUE_OFFSETS: list[Any] = [None, "TBC", -400, -31, -1, 0, 1, 6, 7, 8, 29, 30, 31, 50, 51, 100, 365, "text+30"]
PCTS: list[Any] = [None, 0, 1, 0.3, 0.29, 0.5, 50, 0.999, "50%"]
FLAGGED = {"date-stored-as-text", "number-stored-as-text", "status-not-read-by-formulas"}
"""Codes for cells the tool reads and the formulas do not: there the two may differ, and only there."""


def _starts(due: dt.date) -> list[Any]:
    """Start dates worth testing for one due date (relative to it and to the first as-of)."""
    return [
        None,
        "TBC",
        due,
        due + dt.timedelta(days=3),
        AS_OF0,
        AS_OF0 + dt.timedelta(days=1),
        AS_OF0 - dt.timedelta(days=50),
        AS_OF0 - dt.timedelta(days=49),  # with due in 51 days: 49% of time used, 0.29 done -> lag 20
        due - dt.timedelta(days=100),
    ]


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n, (status, offset) in enumerate(itertools.product(STATUSES, DUE_OFFSETS)):
        due = AS_OF0 + dt.timedelta(days=offset) if isinstance(offset, int) else offset
        if offset == "text+30":  # a date typed as text: the tool reads it, the formulas see no date
            due = f"{AS_OF0 + dt.timedelta(days=30):%d/%m/%Y}"
        starts = _starts(due) if isinstance(due, dt.date) else [None, AS_OF0]
        # every status meets every due date; start and % vary along the product, not all of it
        for k, start in enumerate(starts):
            for pct in PCTS[(n + k) % 2 :: 2] if status not in (None, "In progress") else PCTS:
                rows.append({"status": status, "due_date": due, "start_date": start, "pct_complete": pct})
    # a due date with a time of day, and a start with a time: whole days count
    noon = dt.datetime.combine(AS_OF0 + dt.timedelta(days=30), dt.time(15, 30))
    rows.append({"status": "In progress", "due_date": noon, "start_date": None, "pct_complete": None})
    rows.append(
        {
            "status": "In progress",
            "due_date": AS_OF0 + dt.timedelta(days=50),
            "start_date": dt.datetime.combine(AS_OF0 - dt.timedelta(days=50), dt.time(23, 0)),
            "pct_complete": 0.3,
        }
    )
    return rows


ROWS = _rows()


def _workbook(path: Path, as_of: dt.date | None, amber: int, tolerance: float) -> None:
    """A minimal workbook: the canonical columns, the rows, the formulas, and the defined names."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Action Plan"
    ref = reference.load()
    ws.append(list(ref.headers))
    letters = formulas.column_letters()
    for i, row in enumerate(ROWS):
        r = i + 2
        ws[f"{letters['action_id']}{r}"] = f"T{i + 1}"
        for key, value in row.items():
            ws[f"{letters[key]}{r}"] = value
        ws[f"{letters['rag']}{r}"] = formulas.rag_formula(r)
        ws[f"{letters['days_to_due']}{r}"] = formulas.days_to_due_formula(r)
    details = wb.create_sheet("Plan details")
    for r, (name, value) in enumerate(
        [("AsOfDate", as_of), ("AmberDays", amber), ("ProgressTolerance", tolerance)], start=1
    ):
        details.cell(r, 1, name)
        details.cell(r, 2, value)
        wb.defined_names[name] = DefinedName(name, attr_text=f"'Plan details'!$B${r}")
    wb.save(path)


def _plan(seen: Callable[[dict[str, Any]], dict[str, Any]] = dict) -> Plan:
    return Plan.from_records([{"action_id": f"T{i + 1}", **seen(row)} for i, row in enumerate(ROWS)])


CASES = [
    (AS_OF0, 30, 20.0),
    (AS_OF0 + dt.timedelta(days=1), 30, 20.0),
    (AS_OF0 + dt.timedelta(days=30), 7, 20.0),
    (AS_OF0 - dt.timedelta(days=7), 0, 0.0),
    (AS_OF0 + dt.timedelta(days=50), 30, 21.0),
]


def test_generated_table_covers_every_rule_and_is_big_enough():
    plan = _plan()
    fired = set()
    for as_of, amber, tol in CASES:
        fired |= set(
            rag(plan, settings=Settings(as_of=as_of, amber_days=amber, progress_tolerance=tol))
            .frame["rule"]
            .tolist()
        )
    assert len(ROWS) >= 500
    assert fired == set(range(1, 8))


@pytest.mark.parametrize(("as_of", "amber", "tolerance"), CASES, ids=[str(c[0]) + f"-{c[1]}" for c in CASES])
def test_libreoffice_equals_python(libreoffice, tmp_path, as_of, amber, tolerance):
    src = tmp_path / "parity.xlsx"
    _workbook(src, as_of, amber, tolerance)
    sheet = libreoffice.recalculated_values(src, tmp_path)["Action Plan"]
    letters = formulas.column_letters()
    rag_col = ord(letters["rag"]) - ord("A")
    days_col = ord(letters["days_to_due"]) - ord("A")
    excel = [(row[rag_col], None if row[days_col] in (None, "") else int(row[days_col])) for row in sheet[1:]]

    settings = Settings(as_of=as_of, amber_days=amber, progress_tolerance=tolerance)
    read_by_formulas = _pairs(rag(_plan(_as_the_formulas_read), settings=settings).frame)
    diffs = [
        (i + 2, ROWS[i], excel[i], read_by_formulas[i])
        for i in range(len(ROWS))
        if excel[i] != read_by_formulas[i]
    ]
    assert diffs[:5] == []
    assert len(excel) == len(ROWS)

    # the tool reads more than the formulas; where that changes an answer, validation says so
    tool = _pairs(rag(_plan(), settings=settings).frame)
    differs = {i + 2 for i in range(len(ROWS)) if excel[i] != tool[i]}
    report = validate(read_plan(src))
    flagged = {f.row for f in report.findings if f.code in FLAGGED}
    assert differs
    assert differs <= flagged


def _pairs(frame: pd.DataFrame) -> list[tuple[str, int | None]]:
    return [
        (r, None if pd.isna(d) else int(d))
        for r, d in zip(frame["rag"], frame["days_to_due"].astype(object), strict=True)
    ]


def _as_the_formulas_read(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the template's formulas see it: text in date and % cells is no value (ISNUMBER, N),
    and a status is one of the words of ``formulas.status_is`` after TRIM, else any other status."""
    out = dict(row)
    for key in ("due_date", "start_date", "pct_complete"):
        if isinstance(out[key], str):
            out[key] = None
    status = out["status"]
    if isinstance(status, str):
        trimmed = " ".join(p for p in status.split(" ") if p).casefold()  # TRIM: single spaces inside
        words = {w.casefold() for s in ("Complete", "Cancelled", "On hold") for w in values.status_words(s)}
        if trimmed not in words:
            out["status"] = "Sort of"
    return out


def test_blank_as_of_date_means_today(libreoffice, tmp_path):
    src = tmp_path / "today.xlsx"
    _workbook(src, None, 30, 20.0)
    before = dt.date.today()
    sheet = libreoffice.recalculated_values(src, tmp_path)["Action Plan"]
    if dt.date.today() != before:  # the run crossed midnight: today is ambiguous
        pytest.xfail("the recalculation crossed midnight")
    rag_col = ord(formulas.column_letters()["rag"]) - ord("A")
    frame = rag(_plan(_as_the_formulas_read), settings=Settings(as_of=None)).frame
    assert [row[rag_col] for row in sheet[1:]] == frame["rag"].tolist()


def test_the_real_example_workbook_agrees_with_python(libreoffice, tmp_path):
    """The template's own formulas (as built by template.py) on the example plan, as of today."""
    from edi_workbook.read import read_plan
    from edi_workbook.template import new_workbook

    src = new_workbook(tmp_path / "example.xlsx", example=True)
    plan = read_plan(src)
    before = dt.date.today()
    sheet = libreoffice.recalculated_values(src, tmp_path)[plan.sheet]
    if dt.date.today() != before:
        pytest.xfail("the recalculation crossed midnight")
    letters = plan.column_letters
    rag_col = ord(letters["rag"]) - ord("A")
    days_col = ord(letters["days_to_due"]) - ord("A")
    excel = [(sheet[r - 1][rag_col], sheet[r - 1][days_col]) for r in plan.rows]
    frame = rag(plan).frame
    python = [
        (r, None if pd.isna(d) else int(d)) for r, d in zip(frame["rag"], frame["days_to_due"], strict=True)
    ]
    assert "rag" in plan.formula_columns
    assert len(excel) >= 20
    assert excel == python


def test_settings_typed_as_text_are_flagged_where_the_formulas_read_them_differently(libreoffice, tmp_path):
    """Issue 17: AsOfDate typed as text ("16/06/2025") is used by the tool while the workbook's
    formulas use today; AmberDays and ProgressTolerance typed as text compare as text there (a
    number is less than any text, in Excel and LibreOffice alike). Each such cell is flagged."""
    src = tmp_path / "text-settings.xlsx"
    _workbook(src, f"{AS_OF0:%d/%m/%Y}", "30", "20")  # type: ignore[arg-type]
    before = dt.date.today()
    sheet = libreoffice.recalculated_values(src, tmp_path)["Action Plan"]
    if dt.date.today() != before:
        pytest.xfail("the recalculation crossed midnight")
    rag_col = ord(formulas.column_letters()["rag"]) - ord("A")
    # as the formulas read them: today; due - today <= "30" always true; lag > "20" never
    formulas_read = Settings(as_of=before, amber_days=10**9, progress_tolerance=float("inf"))
    frame = rag(_plan(_as_the_formulas_read), settings=formulas_read).frame
    assert [row[rag_col] for row in sheet[1:]] == frame["rag"].tolist()

    plan = read_plan(src)
    assert (plan.settings.as_of, plan.settings.amber_days, plan.settings.progress_tolerance) == (
        AS_OF0,
        30,
        20,
    )
    flagged = {(f.code, f.sheet, f.cell) for f in validate(plan).findings if f.sheet == "Plan details"}
    assert flagged == {
        ("date-stored-as-text", "Plan details", "B1"),
        ("number-stored-as-text", "Plan details", "B2"),
        ("number-stored-as-text", "Plan details", "B3"),
    }
