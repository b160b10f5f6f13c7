"""Make the reading fixtures: small real workbooks and CSVs in several layouts, one per failure mode.

Run ``.venv/bin/python -m tests.make_fixtures`` from the repository root; the files are committed
under ``tests/fixtures/read/`` (``ok/`` readable plans, ``bad/`` files that must be refused).
Deterministic: the same script writes the same cells. ``ok/legacy.xls`` is converted by
LibreOffice and ``bad/encrypted.xlsx`` encrypted by msoffcrypto-tool, the real tools.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent / "fixtures" / "read"
OK = ROOT / "ok"
BAD = ROOT / "bad"
D = dt.date

# Rows for the template-shaped fixture: (id, action, measure, hia, psed, chars, owner, start, due,
# status, pct, completed, notes). Each problem row is commented with the code it should raise.
TEMPLATE_ROWS: list[tuple[Any, ...]] = [
    (
        "A1",
        "Set SMART EDI objectives for all 8 board members by March 2025",
        "8 of 8 objectives signed off",
        "HIA 1",
        "(b) Advance equality of opportunity",
        "All",
        "Chief Executive",
        D(2024, 4, 1),
        D(2025, 3, 31),
        "Complete",
        1,
        D(2025, 3, 20),
        "Board minutes",
    ),
    (
        "A2",
        "Publish a pay gap improvement plan for sex and race",
        "Plan published on website",
        "HIA 3",
        "(a) Eliminate discrimination",
        "Sex; Race",
        "HR Director",
        D(2024, 9, 1),
        D(2024, 12, 31),
        "In progress",
        0.6,
        None,
        None,
    ),  # overdue
    (
        "A3",
        "Raise awareness of EDI",
        None,
        "HIA 6",
        None,
        None,
        None,
        None,
        "TBC",
        "Ongoing",
        None,
        None,
        None,
    ),  # missing-owner, unreadable-due-date, missing-psed-aim, action-not-smart
    (
        "A3",
        "Run 4 listening events with internationally recruited staff",
        "4 events, 60 attendees",
        "HIA 5",
        "c",
        None,
        "EDI Lead",
        D(2025, 9, 1),
        D(2025, 6, 30),
        "Not started",
        0,
        None,
        None,
    ),  # duplicate-action-id, due-before-start
    (
        "A5",
        "Deliver wellbeing conversations training to 50 line managers",
        "50 managers trained",
        "HIA 7",
        "(d)",
        None,
        "OD Lead",
        D(2025, 1, 1),
        D(2026, 3, 31),
        "Done",
        0.8,
        None,
        None,
    ),  # hia-out-of-range, unknown-psed-aim, complete-below-100, complete-without-completed-date
    (
        "A6",
        "Cut time to hire for posts at band 8a and above to 40 days",
        "Improved experience",
        "HIA 2",
        "b",
        None,
        "Recruitment Lead",
        D(2025, 4, 1),
        D(2025, 12, 31),
        "Nearly there",
        1.5,  # 150% as Excel stores it in the template's %-formatted column
        D(2026, 1, 15),
        None,
    ),  # measure, unknown-status, pct-out-of-range, completed-in-future, national
    (
        None,
        "Review disciplinary cases by ethnicity every quarter",
        "Quarterly report to board",
        "HIA 6",
        "a",
        None,
        "Employee Relations",
        D(2025, 4, 1),
        D(2026, 3, 31),
        "In progress",
        "about half",
        None,
        '=HYPERLINK("http://example.org")',
    ),  # missing-action-id, unreadable-value, formula-like-text
]


TEMPLATE_NAMES: dict[str, Any] = {
    "OrgName": "Northgate Primary Care Network",
    "OrgType": "PCN",
    "PlanPeriod": "2025/26",
    "PlanOwner": "PCN Manager",
    "ReviewDate": D(2026, 3, 31),
    "AsOfDate": D(2025, 6, 1),
    "AmberDays": 21,
}


def _save(wb: Workbook, path: Path) -> None:
    """Save with fixed timestamps, so re-running the script gives the same bytes."""
    from edi_workbook.template.workbook import FIXED_TIME, save_deterministic

    wb.properties.created = wb.properties.modified = FIXED_TIME
    save_deterministic(wb, path)


def _template_fixture(path: Path) -> None:
    """The project's own template with crafted rows typed into the ActionPlan table."""
    from edi_workbook.template import workbook as template

    wb = template.build_workbook(example=False)
    ws = wb["Action Plan"]
    first = int(ws.tables["ActionPlan"].ref.split(":")[0][1:]) + 1
    for i, row in enumerate(TEMPLATE_ROWS):
        for j, value in enumerate(row[:12]):
            ws.cell(first + i, j + 1, value)
        ws.cell(first + i, 15, row[12])
        if isinstance(row[12], str) and row[12].startswith("="):
            ws.cell(first + i, 15).data_type = "s"  # text that looks like a formula, kept as text
    ws.cell(first + len(TEMPLATE_ROWS), 1, "A8")
    ws.cell(first + len(TEMPLATE_ROWS), 2, "Broken link to last year's tracker")
    ws.cell(first + len(TEMPLATE_ROWS), 7, "#REF!")  # an error value: cell-error-value
    ws.cell(first + len(TEMPLATE_ROWS), 9, D(2026, 3, 31))
    for name, value in TEMPLATE_NAMES.items():  # settings and details, through the defined names
        sheet, coord = next(iter(wb.defined_names[name].destinations))
        wb[sheet][coord.replace("$", "")] = value
    template.save_deterministic(wb, path)


def _title_block(path: Path) -> None:
    """A practice's own layout: title block, merged cells, renamed columns, varied values."""
    wb = Workbook()
    ws = wb.active
    ws.title = "EDI plan 2025-26"
    ws["A1"] = "Riverside Surgery – Equality, Diversity and Inclusion Action Plan 2025/26"
    ws.merge_cells("A1:I1")
    ws["A2"] = "Organisation:"
    ws["B2"] = "Riverside Surgery"
    ws["D2"] = "Plan owner: Practice Manager"
    ws.merge_cells("B2:C2")
    headers = [
        "Ref",
        "High Impact Action",
        "Action",
        "Lead",
        "Deadline",
        "Progress",
        "Status",
        "PSED",
        "Comments",
        "Budget £",
    ]
    ws.append([])
    ws.append(headers)
    rows = [
        (
            "1",
            "HIA2",
            "Train 12 interview panel chairs in inclusive recruitment by March 2026",
            "Practice Manager",
            "March 2026",
            "50%",
            "On track",
            "b",
            "Booked with the ICB",
            500,
        ),
        (
            "2",
            "1, 3",
            "Report the gender pay gap to the partners every year",
            "Senior Partner",
            "Q4 2024/25",
            0.5,
            "Delayed",
            "a; b",
            None,
            None,
        ),
        (
            "3",
            "High Impact Action 4",
            "Hold a wellbeing conversation with every team member",
            "Nurse Lead",
            "31/03/2026",
            "50",
            "Not yet started",
            "all",
            None,
            None,
        ),
        (
            "4",
            "HIA 1 & 3",
            "Agree board EDI objectives",
            "Senior Partner",
            "2025/26",
            "100%",
            "Done",
            "c",
            "Signed off",
            None,
        ),  # complete-without-completed-date can't fire: no column
        ("5", "", "Explore options for a staff network", "", "Ongoing", "", "Started", "", None, None),
        (None, None, None, None, None, None, None, None, None, None),  # a blank row in the middle
        (
            "6",
            "HIA 6",
            "Publish a zero-tolerance statement on abuse of staff by 30/06/2025",
            "Practice Manager",
            "30 June 2025",
            "",
            "Completed",
            "(a) Eliminate discrimination",
            None,
            None,
        ),
    ]
    for r in rows:
        ws.append(list(r))
    notes = wb.create_sheet("Notes")
    notes["A1"] = "Agreed at the practice meeting."
    _save(wb, path)


def _sectioned(path: Path) -> None:
    """Actions grouped under merged section rows ("HIA 1 - ..."), which are headings, not actions."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Action plan"
    ws["A1"] = "Northside PCN EDI improvement plan"
    ws.append([])
    ws.append(["No.", "Action", "Owner(s)", "By when", "HIA(s)", "PSED aim", "Status", "% Complete"])
    sections = {
        "HIA 1 - Board and executive objectives": [
            (
                "1.1",
                "Agree 1 EDI objective for each of the 6 partners",
                "Clinical Director",
                "30/06/2025",
                "1",
                "b",
                "Complete",
                1,
            ),
            (
                "1.2",
                "Report EDI progress to the PCN board every quarter",
                "PCN Manager",
                "31/03/2026",
                "1",
                "b",
                "In progress",
                0.25,
            ),
        ],
        "HIA 2 - Inclusive recruitment": [
            (
                "2.1",
                "Use diverse panels for all 12 planned appointments",
                "PCN Manager",
                "Q3 2025/26",
                "2",
                "b",
                "Not started",
                0,
            ),
            (
                "2.1",
                "Advertise 3 roles through local community groups",
                "Practice Manager",
                "TBC",
                "2",
                "c",
                "Not started",
                None,
            ),
        ],
    }
    for title, rows in sections.items():
        ws.append([title])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=8)
        for r in rows:
            ws.append(list(r))
    _save(wb, path)


def _last_year(path: Path) -> None:
    """Last year's copy: canonical headers with extra columns, a different sheet name, no table."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Cover"
    ws["A1"] = "Organisation"
    ws["B1"] = "Hillside Community Trust"
    ws["A2"] = "Plan period"
    ws["B2"] = "2024/25"
    plan = wb.create_sheet("2024-25 Plan")
    plan.append(
        [
            "Action ID",
            "Action",
            "Success measure",
            "HIA",
            "PSED aim",
            "Owner",
            "Start date",
            "Due date",
            "Status",
            "% complete",
            "Completed date",
            "Q1 update",
            "Q2 update",
            "RAG last year",
        ]
    )
    plan.append(
        [
            "H1",
            "Publish WRES and WDES action plans by 31 October 2024",
            "Both plans published",
            "HIA 2",
            "b",
            "Head of EDI",
            D(2024, 4, 1),
            D(2024, 10, 31),
            "Complete",
            1,
            D(2024, 10, 20),
            "Drafted",
            "Published",
            "Green",
        ]
    )
    plan.append(
        [
            "H2",
            "Reduce the bullying reported in the staff survey by 5 points",
            "5 point fall",
            "HIA 6",
            "a",
            "Head of People",
            D(2024, 4, 1),
            D(2025, 3, 31),
            "In progress",
            0.4,
            None,
            "Survey booked",
            None,
            "Amber",
        ]
    )
    plan.append(
        [
            "H2",
            "Offer a mentor to all 30 internationally recruited nurses",
            "30 mentors matched",
            "HIA 5",
            "c",
            "Chief Nurse",
            D(2024, 6, 1),
            D(2025, 9, 30),
            "In progress",
            0.25,
            None,
            None,
            None,
            None,
        ]
    )
    _save(wb, path)


def _formulas_errors(path: Path) -> None:
    """Formulas in data cells, a typed error value and a formula-like text: read, reported, no crash."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Action ID", "Action", "Owner", "Due date", "Status", "% complete", "HIA", "PSED aim"])
    ws.append(
        [
            "F1",
            "Train 10 managers by March 2026",
            '="EDI"&" Lead"',
            D(2026, 3, 31),
            "In progress",
            "=1/2",
            "HIA 2",
            "b",
        ]
    )
    ws.append(["F2", "=B2", "Practice Manager", "#REF!", "Not started", 0, "#N/A", "a"])
    ws.append(
        ["F3", "@SUM(1,2) from a pasted cell", "Nurse Lead", D(2026, 3, 31), "#VALUE!", 0, "HIA 4", "c"]
    )
    ws["B4"].data_type = "s"
    _save(wb, path)


def _template_empty(path: Path) -> None:
    """The blank template: a table, formula rows, no actions (the plan-level empty-plan error)."""
    from edi_workbook.template import workbook as template

    template.save_deterministic(template.build_workbook(example=False), path)


def _csv_cp1252(path: Path) -> None:
    text = (
        "Ref,Action,Lead,Deadline,HIA,PSED,Status,% Complete,Notes\r\n"
        'C1,"Fund £2,000 of BSL training for 6 reception staff by Q2 2025/26",Practice Manager,'
        "30/09/2025,HIA 2,b,In progress,25%,Budget £2k agreed\r\n"
        "C2,Review the practice’s dignity at work policy,Partner,TBC,HIA6,a,Not started,0,"
        "“Awaiting ICB template”\r\n"
        "C3,Hold 2 listening sessions for staff from overseas,Nurse Lead,Oct 2025,HIA 5,c,Done,100,\r\n"
    )
    path.write_bytes(text.encode("cp1252"))


def _csv_bom_semicolon(path: Path) -> None:
    text = (
        "Action ID;Action;Owner;Due date;HIA(s);PSED aim;Status;Progress\n"
        "S1;Publish our disability pay gap by 31 December 2025;Finance Lead;2025-12-31;3;b;Ongoing;0,5\n"
        "S2;Pilot reverse mentoring for 5 board members;Chair;31/03/2026;1;c;Planned;\n"
        "S3;=cmd|' /C calc'!A0;Someone;01/01/2026;2;a;Open;10%\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def _no_table(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["Line", "Cost centre", "Amount £"])
    ws.append(["Training", "EDI01", 2000])
    _save(wb, path)


def _empty_workbook(path: Path) -> None:
    _save(Workbook(), path)


def _huge(path: Path, rows: int = 100_000) -> None:
    """A 100,000-row plan sheet (write-only mode keeps making it cheap)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Plan")
    ws.append(["Action ID", "Action", "Owner"])
    for _ in range(rows):
        ws.append([1])
    _save(wb, path)


def _stray_cell(path: Path) -> None:
    """A small plan with a stray value in XFD2000: 32 million cells from A1 to the last used cell."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Action ID", "Action", "Owner", "Due date"])
    ws.append(["A1", "Train 5 managers by May 2026", "Practice Manager", "31/05/2026"])
    ws["XFD2000"] = "x"
    _save(wb, path)


def _legacy_xls(path: Path) -> None:
    """A real BIFF8 .xls, converted by LibreOffice from a small workbook."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "legacy.xlsx"
        _last_year(src)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "xls", "--outdir", tmp, str(src)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        shutil.copyfile(Path(tmp) / "legacy.xls", path)


def _encrypted(path: Path) -> None:
    """A real password-protected workbook (ECMA-376 agile encryption, by msoffcrypto-tool).

    The only fixture whose bytes change on each run: encryption uses a random salt.
    """
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    wb = Workbook()
    wb.active.append(["Action ID", "Action", "Owner", "Due date"])
    wb.save(plain)
    plain.seek(0)
    with path.open("wb") as out:
        OOXMLFile(plain).encrypt("secret", out)


def _truncated(path: Path, source: Path) -> None:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _corrupt_member(path: Path, source: Path) -> None:
    """A valid zip whose workbook part is not XML."""
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = b"<workbook this is not xml"
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), data)


def main() -> None:
    OK.mkdir(parents=True, exist_ok=True)
    BAD.mkdir(parents=True, exist_ok=True)
    _template_fixture(OK / "template_filled.xlsx")
    _template_empty(OK / "template_empty.xlsx")
    _title_block(OK / "title_block.xlsx")
    _last_year(OK / "last_year_copy.xlsx")
    _sectioned(OK / "sectioned_plan.xlsx")
    shutil.copyfile(OK / "last_year_copy.xlsx", OK / "macro_enabled.xlsm")
    _formulas_errors(OK / "formulas_errors.xlsx")
    _csv_cp1252(OK / "export_cp1252.csv")
    _csv_bom_semicolon(OK / "export_bom_semicolon.csv")
    _no_table(BAD / "no_plan_table.xlsx")
    _empty_workbook(BAD / "empty_workbook.xlsx")
    _huge(BAD / "huge_100k_rows.xlsx")
    _stray_cell(BAD / "stray_cell_xfd2000.xlsx")
    _legacy_xls(OK / "legacy.xls")
    if not (BAD / "encrypted.xlsx").exists():  # random salt: keep the committed bytes
        _encrypted(BAD / "encrypted.xlsx")
    _truncated(BAD / "truncated.xlsx", OK / "title_block.xlsx")
    _corrupt_member(BAD / "corrupt_member.xlsx", OK / "title_block.xlsx")
    (BAD / "text_named.xlsx").write_text("Action ID,Action\nA1,Do something\n", encoding="utf-8")
    (BAD / "zero_bytes.xlsx").write_bytes(b"")
    shutil.copyfile(OK / "title_block.xlsx", OK / "xlsx_named.xls")
    _opendocument(BAD / "opendocument.ods")


def _opendocument(path: Path) -> None:
    """The start of an ODF spreadsheet package: the stored ``mimetype`` entry comes first."""
    import zipfile

    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("mimetype", date_time=(2026, 1, 1, 0, 0, 0))
        zf.writestr(info, "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        info = zipfile.ZipInfo("content.xml", date_time=(2026, 1, 1, 0, 0, 0))
        zf.writestr(info, '<?xml version="1.0"?><office:document-content/>', zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    main()
