"""``edi-workbook map``: reports what it would fill; with --write-back fills only empty cells."""

from __future__ import annotations

import json

import openpyxl
import pytest

from edi_workbook.cli import main
from edi_workbook.cli.map import SUGGESTED_FILL, SUGGESTED_FONT
from edi_workbook.errors import EXIT_USAGE
from edi_workbook.read import read_plan

CSV = (
    "Action ID,Action,HIA,PSED aim,Owner\n"
    "A1,Close the ethnicity pay gap,HIA 5,,HR\n"
    "A2,Diverse interview panels for band 8a posts,,,HR\n"
    "A3,Update the intranet page,,,Comms\n"
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["map", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def csv_plan(tmp_path):
    p = tmp_path / "plan.csv"
    p.write_text(CSV, encoding="utf-8")
    return p


def test_json_lists_suggestions_for_empty_cells_only(csv_plan, capsys):
    code, out, _ = run(capsys, str(csv_plan), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["written"] is False
    got = [(s["action_id"], s["column"], s["cell"], s["value"], s["confident"]) for s in data["suggestions"]]
    assert got == [
        ("A1", "PSED aim", "D2", "(b) Advance equality of opportunity", True),
        ("A2", "HIA", "C3", "HIA 2", True),
        ("A2", "PSED aim", "D3", "(b) Advance equality of opportunity", True),
        # governance and publishing serve aim (b) (docs/mapping.md), but one weak word is not enough to write
        ("A3", "PSED aim", "D4", "(b) Advance equality of opportunity", False),
    ]
    assert [(u["action_id"], u["cell"]) for u in data["nothing_fits"]] == [("A3", "C4")]
    assert data["min_score_written"] == 0.7


def test_text_report_does_not_write(csv_plan, capsys):
    before = csv_plan.read_bytes()
    code, out, _ = run(capsys, str(csv_plan))
    assert code == 0
    assert "--write-back" in out
    assert csv_plan.read_bytes() == before


def test_write_back_refuses_a_csv(csv_plan, capsys):
    code, _, err = run(capsys, str(csv_plan), "--write-back")
    assert code == EXIT_USAGE
    assert "xlsx" in err
    assert csv_plan.read_text(encoding="utf-8") == CSV


def test_write_back_fills_and_marks_only_empty_cells(tmp_path, capsys):
    from edi_workbook.template import new_workbook

    path = new_workbook(tmp_path / "plan.xlsx", example=True)
    plan = read_plan(path)
    blank = [(i, plan.cell(i, "hia")) for i in (5, 17)]  # shortlisting; wellbeing conversations
    typed = plan.cell(26, "hia")
    wb = openpyxl.load_workbook(path)
    ws = wb[plan.sheet]
    for _, ref in blank:
        ws[ref].value = None
    typed_value = ws[typed].value
    wb.save(path)

    code, out, _ = run(capsys, str(path), "--write-back")
    assert code == 0, out
    ws = openpyxl.load_workbook(path)[plan.sheet]
    assert [ws[ref].value for _, ref in blank] == ["HIA 2", "HIA 4"]
    for _, ref in blank:
        cell = ws[ref]
        assert cell.comment is not None
        assert cell.comment.text.startswith("Suggested by edi-workbook: evidence")
        assert cell.fill.fgColor.rgb.endswith(SUGGESTED_FILL)
        assert cell.font.color.rgb.endswith(SUGGESTED_FONT)
    assert ws[typed].value == typed_value
    assert ws[typed].comment is None
    assert len(list(tmp_path.glob("plan.backup-*.xlsx"))) == 1  # the original was kept

    # a second run has nothing left to fill and keeps the first run's marks
    code, out, _ = run(capsys, str(path), "--write-back", "--format", "json")
    assert json.loads(out)["suggestions"] == [] or all(
        s["cell"] not in {ref for _, ref in blank} for s in json.loads(out)["suggestions"]
    )
    ws = openpyxl.load_workbook(path)[plan.sheet]
    assert all(ws[ref].comment is not None for _, ref in blank)


def test_suggested_cells_sit_at_the_top_of_their_row_and_wrap(tmp_path, capsys):
    """Issue 17: a suggestion written into a cell with no style sat at the bottom of a tall row
    (reading as the next row's) and long PSED text was cut off; now top-aligned, wrapped, and the
    row is tall enough for it. A cell's own alignment is kept."""
    import xlsxwriter

    path = tmp_path / "foreign.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet("Plan")
    ws.write_row(0, 0, ["Action ID", "Action", "HIA", "PSED aim", "Owner"])
    long_action = "Diverse interview panels for every band 8a post, with a trained panel chair " * 2
    ws.write_row(1, 0, ["A1", long_action, None, None, "HR"])
    ws.set_row(1, 75)  # a tall row, as wrapped action text makes it
    ws.write_row(2, 0, ["A2", "Close the ethnicity pay gap", "HIA 5", None, "HR"])
    ws.write(2, 3, None, book.add_format({"valign": "vcenter"}))  # the user's own choice: kept
    ws.set_column(3, 3, 14)  # narrow PSED column: the aim's label needs three lines
    book.close()

    code, out, _ = run(capsys, str(path), "--write-back")
    assert code == 0, out
    ws = openpyxl.load_workbook(path)["Plan"]
    for ref in ("C2", "D2", "D3"):
        assert ws[ref].value, ref
    for ref in ("C2", "D2"):  # no style of their own: top and wrapped, like the template
        assert (ws[ref].alignment.vertical, ws[ref].alignment.wrap_text) == ("top", True), ref
    assert (ws["D3"].alignment.vertical, ws["D3"].alignment.wrap_text) == ("center", True)
    assert ws.row_dimensions[2].height == 75  # tall enough already: never shrunk
    assert ws.row_dimensions[3].height >= 3 * 15  # "(b) Advance equality of opportunity" in 14 chars
    assert ws["D2"].fill.fgColor.rgb.endswith(SUGGESTED_FILL)  # the suggested look is still there


def test_write_back_writes_only_confident_suggestions_and_lists_the_rest(tmp_path, capsys):
    from edi_workbook.mapping import CONFIDENT, suggest
    from edi_workbook.template import new_workbook

    path = new_workbook(tmp_path / "plan.xlsx", example=True)
    plan = read_plan(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[plan.sheet]
    ws[plan.cell(3, "action")].value = "Update the intranet page"  # governance: aim (b), weakly
    for key in ("hia", "psed_aim", "success_measure"):
        ws[plan.cell(3, key)].value = None
    wb.save(path)
    assert 0 < suggest("Update the intranet page").psed[0].score < CONFIDENT

    code, out, _ = run(capsys, str(path), "--write-back")
    assert code == 0, out
    ws = openpyxl.load_workbook(path)[plan.sheet]
    assert (ws[plan.cell(3, "hia")].value, ws[plan.cell(3, "psed_aim")].value) == (None, None)
    assert f"below {CONFIDENT:.2f}: listed, not written" in out
