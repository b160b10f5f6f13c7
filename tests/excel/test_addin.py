"""The add-in's adapter functions on real xlwings Books (xlwings' remote engine), without Excel.

Each test builds the JSON payload an xlwings client sends from a real ``.xlsx`` (the template with
typed rows, recalculated by LibreOffice so formula cells carry values as Excel sends them; and a
foreign layout), runs one adapter function, and checks the actions the client would apply.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from edi_workbook import reference
from edi_workbook.errors import UsageError
from edi_workbook.excel import addin
from edi_workbook.mapping import suggest_plan
from edi_workbook.rag_rating import rag
from tests.xlwings_payload import book_from_payload, payload_from_xlsx

AS_OF = dt.date(2026, 1, 15)
ROWS = [  # Action ID, Action, Success measure, HIA, PSED aim, characteristics, Owner, Start, Due, Status, %
    ("A1", "Publish our gender pay gap report and close the gap by 5% by March 2026", "Gap below 5%",
     "HIA 3", None, None, "HR lead", dt.date(2025, 4, 1), dt.date(2026, 3, 31), "In progress", 0.2),
    ("A2", "Improve culture", None, None, None, None, None, None, dt.date(2025, 12, 1), "Not started", None),
    ("=cmd", "Reverse mentoring for staff from ethnic minority backgrounds by June 2026", "20 pairs",
     None, "(c) Foster good relations", None, "EDI lead", None, dt.date(2026, 6, 30), "Done", 1.0),
]  # fmt: skip


def fill(a: str) -> str:
    return "#" + reference.load().rag(a).fill.lower()


def actions(book, func: str | None = None) -> list[dict]:
    return [a for a in book.json()["actions"] if func is None or a["func"] == func]


def a1(action: dict) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(action['start_column'] + 1)}{action['start_row'] + 1}"


@pytest.fixture(scope="module")
def template_xlsx(tmp_path_factory, libreoffice) -> Path:
    """The template with three typed actions and AsOfDate set, recalculated by LibreOffice."""
    from edi_workbook.template import workbook as template

    d = tmp_path_factory.mktemp("template")
    wb = template.build_workbook()
    name = wb.defined_names["AsOfDate"]
    sheet, ref = next(iter(name.destinations))
    wb[sheet][ref.replace("$", "")] = AS_OF
    ws = wb["Action Plan"]
    for i, row in enumerate(ROWS):
        for j, value in enumerate(row):
            cell = ws.cell(5 + i, 1 + j, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed as text, as Excel keeps '=cmd
    wb.save(d / "plan.xlsx")
    return libreoffice.convert(d / "plan.xlsx", d / "recalc")


@pytest.fixture(scope="module")
def foreign_xlsx(tmp_path_factory) -> Path:
    """Someone's own layout: a title, a blank row, renamed headers, no HIA/PSED/RAG columns."""
    path = tmp_path_factory.mktemp("foreign") / "Riverside plan.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Our plan"
    ws["A1"] = "Riverside Practice EDI plan 2025/26"
    ws.append([])
    ws.append(["Ref", "What we will do", "Lead", "Deadline", "Progress", "Status"])
    ws.append(["R1", "Publish the gender pay gap and reduce it by 5% by March 2026", "Practice manager",
               dt.date(2026, 3, 31), 0.5, "On track"])  # fmt: skip
    ws.append(["R2", "Run reverse mentoring for staff from ethnic minority backgrounds", "Partner",
               dt.date(2025, 12, 31), None, "Not started"])  # fmt: skip
    wb.save(path)
    return path


def test_reads_the_template_table_and_its_settings(template_xlsx):
    bp = addin.read_book_plan(book_from_payload(payload_from_xlsx(template_xlsx)))
    assert (bp.sheet.name, bp.header_row, bp.rows) == ("Action Plan", 4, [5, 6, 7])
    assert bp.formula_columns == {"rag", "days_to_due"}
    assert bp.plan.settings.as_of == AS_OF
    assert list(bp.plan.frame["action_id"]) == ["A1", "A2", "=cmd"]


def test_reads_a_foreign_layout_by_its_headers(foreign_xlsx):
    bp = addin.read_book_plan(book_from_payload(payload_from_xlsx(foreign_xlsx)))
    assert (bp.sheet.name, bp.header_row, bp.rows, bp.last_column) == ("Our plan", 3, [4, 5], 6)
    assert bp.columns == {
        "action_id": 1,
        "action": 2,
        "owner": 3,
        "due_date": 4,
        "pct_complete": 5,
        "status": 6,
    }
    assert bp.formula_columns == frozenset()


def test_validate_marks_cells_and_lists_findings(template_xlsx):
    book = book_from_payload(payload_from_xlsx(template_xlsx))
    report = addin.validate_plan(book, as_of=AS_OF)
    plan_sheet = book.sheets["Action Plan"].index - 1
    colours = {
        a1(a): a["args"][0][0][0]
        for a in actions(book, "setRangeColors")
        if a["sheet_position"] == plan_sheet
    }
    worst: dict[str, str] = {}
    for f in report.findings:
        if f.cell and str(f.severity) in ("error", "warning"):
            worst[f.cell] = "error" if "error" in (worst.get(f.cell), str(f.severity)) else "warning"
    assert colours == {c: fill("Red" if s == "error" else "Amber") for c, s in worst.items()}
    assert ("G6", fill("Red")) in colours.items()  # A2 has no owner
    notes = {a["args"][0].replace("$", ""): a["args"][1] for a in actions(book, "addNote")}
    assert notes.keys() == worst.keys()
    assert all(text.startswith(addin.NOTE_PREFIX) for text in notes.values())
    (table,) = [
        a for a in actions(book, "setValues") if a["sheet_position"] == book.sheets["Validation"].index - 1
    ]
    header, *rows = table["values"]
    assert header[-1] == addin.MARKED_HEADER
    assert (table["start_row"], table["start_column"]) == (0, 0)
    got = [(r[1], r[3], r[4]) for r in rows]
    assert got == [
        (f.code, f.sheet, f.cell or "") for f in sorted(report.findings, key=lambda f: f.sort_key())
    ]
    assert "'=cmd" in [r[7] for r in rows]  # an Action ID typed as =cmd is written as text
    (alert,) = actions(book, "alert")
    assert alert["args"][1] == "Validate plan"


def apply(payload: dict, book) -> dict:
    """What the Office.js client would leave in the workbook: setValues and addNote applied."""
    for a in book.json()["actions"]:
        sheet = payload["sheets"][a["sheet_position"]] if a["sheet_position"] is not None else None
        if a["func"] == "setValues":
            grid = sheet["values"]
            for i, row in enumerate(a["values"]):
                r = a["start_row"] + i
                while len(grid) <= r:
                    grid.append([""] * len(grid[0]))
                for j, v in enumerate(row):
                    c = a["start_column"] + j
                    for line in grid:
                        line.extend([""] * (c + 1 - len(line)))
                    grid[r][c] = "" if v is None else v
        elif a["func"] == "addNote":
            sheet["notes"].append({"address": a["args"][0]})
    return payload


def test_validate_again_clears_its_previous_marks_first(template_xlsx):
    payload = payload_from_xlsx(template_xlsx)
    first = book_from_payload(payload)
    addin.validate_plan(first, as_of=AS_OF)
    marked = {a["args"][0].replace("$", "") for a in actions(first, "addNote")}
    second = book_from_payload(apply(payload, first))
    addin.validate_plan(second, as_of=AS_OF)
    done = actions(second)
    cleared = {a1(a) for a in done if a["func"] == "setRangeColors" and a["args"] == [[[None]]]}
    deleted = {a["args"][0].replace("$", "") for a in done if a["func"] == "deleteNote"}
    assert cleared == deleted == marked
    first_new_mark = next(i for i, a in enumerate(done) if a["func"] == "addNote")
    assert max(i for i, a in enumerate(done) if a["func"] == "deleteNote") < first_new_mark
    assert {a["args"][0].replace("$", "") for a in actions(second, "addNote")} == marked
    assert actions(second, "rangeClearContents")  # old Validation rows are cleared


def test_clients_without_notes_get_highlights_only(template_xlsx):
    book = book_from_payload(payload_from_xlsx(template_xlsx, client="Microsoft Office Scripts"))
    addin.validate_plan(book, as_of=AS_OF)
    assert actions(book, "addNote") == []
    assert actions(book, "setRangeColors")
    (table,) = [
        a for a in actions(book, "setValues") if a["sheet_position"] == book.sheets["Validation"].index - 1
    ]
    assert {r[-1] for r in table["values"][1:]} <= {"fill", ""}


def test_validate_adds_a_validation_sheet_when_missing(foreign_xlsx):
    book = book_from_payload(payload_from_xlsx(foreign_xlsx))
    addin.validate_plan(book, as_of=AS_OF)
    (added,) = actions(book, "addSheet")
    assert added["args"] == [1, addin.VALIDATION_SHEET]


def test_refresh_rag_leaves_template_formulas_alone(template_xlsx):
    book = book_from_payload(payload_from_xlsx(template_xlsx))
    addin.refresh_rag(book)
    assert [a["func"] for a in actions(book)] == ["alert"]


def test_refresh_rag_fills_values_and_colours_on_a_foreign_layout(foreign_xlsx):
    book = book_from_payload(payload_from_xlsx(foreign_xlsx))
    result = addin.refresh_rag(book, as_of=AS_OF)
    expected = rag(addin.read_book_plan(book_from_payload(payload_from_xlsx(foreign_xlsx))).plan, as_of=AS_OF)
    labels = list(expected.frame["rag"])
    assert list(result.frame["rag"]) == labels == ["Green", "Red"]
    writes = {(a1(a), tuple(map(tuple, a["values"]))) for a in actions(book, "setValues")}
    assert writes == {("G3", (("RAG",),)), ("G4", (("Green",), ("Red",))),
                      ("H3", (("Days to due",),)), ("H4", ((75,), (-15,)))}  # fmt: skip
    (colours,) = actions(book, "setRangeColors")
    assert (a1(colours), colours["args"]) == ("G4", [[[fill("Green")], [fill("Red")]]])


def test_suggest_fills_only_empty_cells_marked_as_suggestions(template_xlsx):
    book = book_from_payload(payload_from_xlsx(template_xlsx))
    filled = addin.suggest_mappings(book)
    plan = addin.read_book_plan(book_from_payload(payload_from_xlsx(template_xlsx))).plan
    assert filled == [(cs.cell, cs.value) for cs in suggest_plan(plan) if cs.confident]
    assert filled
    assert {c for c, _ in filled}.isdisjoint({"D5", "E7"})
    assert {a1(a) for a in actions(book, "setFontProperty")} == {c for c, _ in filled}
    notes = [a["args"][1] for a in actions(book, "addNote")]
    assert len(notes) == len(filled)
    assert all(n.startswith(addin.SUGGESTED) for n in notes)


def test_suggest_adds_missing_columns_with_canonical_headers(foreign_xlsx):
    book = book_from_payload(payload_from_xlsx(foreign_xlsx))
    filled = addin.suggest_mappings(book)
    headers = {a1(a): a["values"][0][0] for a in actions(book, "setValues") if a["start_row"] == 2}
    assert headers == {"G3": "HIA", "H3": "PSED aim"}
    assert [c for c, _ in filled] == ["G4", "H4", "G5", "H5"]


def test_export_calendar_writes_next_to_a_chosen_folder(foreign_xlsx, tmp_path):
    import icalendar

    book = book_from_payload(payload_from_xlsx(foreign_xlsx))
    path = addin.export_calendar(book, folder=tmp_path, as_of=AS_OF)
    assert path == tmp_path / "Riverside plan.ics"
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    assert len(list(cal.walk("VEVENT"))) >= 2
    (alert,) = actions(book, "alert")
    assert str(path) in alert["args"][0]


def test_export_calendar_without_a_folder_says_what_to_do(foreign_xlsx):
    book = book_from_payload(payload_from_xlsx(foreign_xlsx))  # a remote book has no folder
    assert addin.export_calendar(book) is None
    (alert,) = actions(book, "alert")
    assert "edi-workbook calendar" in alert["args"][0]


def test_main_dispatches_on_the_command_cell(foreign_xlsx):
    payload = payload_from_xlsx(foreign_xlsx)
    payload["sheets"][0]["values"][0].extend(["", "", "", "", "", "", "Refresh RAG"])
    for row in payload["sheets"][0]["values"][1:]:
        row.extend([""] * (len(payload["sheets"][0]["values"][0]) - len(row)))
    name = {"name": addin.COMMAND_NAME, "sheet_index": 0, "address": "$M$1", "book_scope": True}
    payload["names"].append({**name, "scope_sheet_name": None, "scope_sheet_index": None})
    book = book_from_payload(payload)
    addin.main(book)
    assert actions(book, "alert")[0]["args"][1] == "Refresh RAG"


def test_unknown_command_is_a_usage_error(foreign_xlsx):
    with pytest.raises(UsageError):
        addin.run("format-disk", book_from_payload(payload_from_xlsx(foreign_xlsx)))


@pytest.mark.parametrize("name", ["validate_plan", "refresh_rag", "suggest_mappings"])
def test_a_workbook_without_a_plan_gets_one_alert_line(tmp_path, name):
    path = tmp_path / "notes.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Shopping list"
    wb.save(path)
    book = book_from_payload(payload_from_xlsx(path))
    assert getattr(addin, name)(book) is None
    (alert,) = actions(book)
    assert alert["func"] == "alert"
    assert alert["args"][0].startswith("notes.xlsx: no sheet has a header row")


def test_a_workbook_s_own_validation_sheet_is_never_cleared(foreign_xlsx, tmp_path):
    wb = openpyxl.load_workbook(foreign_xlsx)
    lists = wb.create_sheet("Validation")
    for word in ("Yes", "No", "Maybe"):
        lists.append([word])
    wb.save(tmp_path / "own.xlsx")
    book = book_from_payload(payload_from_xlsx(tmp_path / "own.xlsx"))
    addin.validate_plan(book, as_of=AS_OF)
    (added,) = actions(book, "addSheet")
    assert added["args"][1] == "EDI validation"
    own = book.sheets["Validation"].index - 1
    assert [a for a in actions(book) if a["sheet_position"] == own] == []


@pytest.fixture(scope="module")
def example_xlsx(tmp_path_factory, libreoffice, root) -> Path:
    """The committed example workbook (34 actions), recalculated as Excel would send it."""
    d = tmp_path_factory.mktemp("example")
    return libreoffice.convert(root / "workbook_templates" / "example_action_plan.xlsx", d)


@pytest.mark.parametrize("fixture", ["example_xlsx", "template_xlsx", "foreign_xlsx"])
def test_the_book_reads_the_same_plan_as_the_file_reader(fixture, request):
    import pandas as pd

    from edi_workbook.read import read_plan

    path = request.getfixturevalue(fixture)
    via_xlwings = addin.read_book_plan(book_from_payload(payload_from_xlsx(path)))
    from_file = read_plan(path)
    pd.testing.assert_frame_equal(via_xlwings.plan.frame, from_file.frame)
    pd.testing.assert_frame_equal(via_xlwings.plan.cells, from_file.cells)
    assert (via_xlwings.plan.settings, via_xlwings.plan.details) == (from_file.settings, from_file.details)
    assert via_xlwings.formula_columns == from_file.formula_columns


def test_validate_the_example_lists_what_the_library_finds(example_xlsx):
    from edi_workbook.read import read_plan
    from edi_workbook.validation import validate

    book = book_from_payload(payload_from_xlsx(example_xlsx))
    addin.validate_plan(book, as_of=AS_OF)
    expected = sorted(validate(read_plan(example_xlsx), as_of=AS_OF).findings, key=lambda f: f.sort_key())
    (table,) = [
        a for a in actions(book, "setValues") if a["sheet_position"] == book.sheets["Validation"].index - 1
    ]
    assert [(r[1], r[4]) for r in table["values"][1:]] == [(f.code, f.cell or "") for f in expected]
