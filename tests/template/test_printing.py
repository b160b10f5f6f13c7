"""The template and the example as a printer gets them: LibreOffice prints each workbook to PDF.

Issue 17: the blank template's Action Plan printed 3 pages, 2 of them only the header row. Now:
one landscape A4 page per 20 rows of actions or fewer, the header row on every page, every other
sheet on one page (the Dashboard's chart whole) but National deadlines, whose four tables start a
page each under the sheet's header row. Page images are left in the test's folder.
"""

from __future__ import annotations

import collections
import math

import pytest

from edi_workbook.template import new_workbook
from edi_workbook.template.action_plan import PRINT_ROWS

SECTIONS = (
    "Due in the next 12 months",
    "The reporting cycle: every recurring obligation",
    "HIA milestones of the EDI improvement plan (history)",
    "HIA success metrics",
)
"""National deadlines' tables, top to bottom, as their title rows read."""


@pytest.fixture(scope="module", params=[False, True], ids=["template", "example"])
def printed(request, libreoffice, poppler, tmp_path_factory):
    folder = tmp_path_factory.mktemp("printed")
    path = new_workbook(folder / "plan.xlsx", example=request.param)
    pdf = libreoffice.convert(path, folder, "pdf")
    return request.param, poppler.pages(pdf, images=folder / "pages")


def test_each_sheet_prints_on_the_pages_it_needs(printed):
    example, pages = printed
    per_sheet = collections.Counter(p.sheet for p in pages)
    actions = 34 if example else 0
    assert per_sheet.pop("Action Plan") == max(1, math.ceil(actions / PRINT_ROWS))
    assert per_sheet.pop("National deadlines") == len(SECTIONS)  # a page per table: each fits one
    assert per_sheet == dict.fromkeys(
        ("Start here", "Plan details", "Dashboard", "EDS 2022", "Validation"), 1
    )
    assert None not in per_sheet  # every page has its sheet's footer


def test_action_plan_pages_are_landscape_with_the_header_on_each(printed):
    example, pages = printed
    plan = [p for p in pages if p.sheet == "Action Plan"]
    for page in plan:
        assert page.landscape
        lines = page.lines()
        header = next(i for i, line in enumerate(lines) if "Action ID" in line)
        assert header <= 4, page.number  # the titles (first page only), then the header row
        assert "Success measure" in lines[header]
        assert not any(line.startswith("EDI-") for line in lines[:header])  # no row above it
    if example:
        ids = [line.split()[0] for p in plan for line in p.lines() if line.split()[0].startswith("EDI-")]
        assert ids == [f"EDI-{i:02d}" for i in range(1, 35)]  # every action, once, in order


def test_the_dashboard_prints_whole_with_its_chart(printed):
    _, pages = printed
    dashboard = next(p for p in pages if p.sheet == "Dashboard")
    assert dashboard.landscape
    for text in (
        "RAG status of all actions",
        "Actions per protected characteristic",
        "Actions by HIA and RAG status",
    ):
        assert text in dashboard.text


def test_national_deadlines_tables_each_start_a_page_under_the_header(printed):
    """Issue 16's sheet printed 8 pages, rows up to 14 lines tall, no header after the first page,
    a table title left at a page's foot. Now each table starts its own landscape page, under the
    repeated header row, and no page ends with a table's title."""
    _, pages = printed
    national = [p for p in pages if p.sheet == "National deadlines"]
    titles = []
    for page in national:
        assert page.landscape
        lines = [" ".join(line.split()) for line in page.lines()]
        header = next(i for i, line in enumerate(lines) if line.startswith("Date What is due Applies to"))
        assert header <= (4 if page is national[0] else 1), page.number  # the sheet's titles, page 1 only
        assert "Rule / check Source" in lines[header]  # one page wide: the last column is there too
        titles += [t for t in SECTIONS if any(line.startswith(t) for line in lines[header + 1 : header + 4])]
        assert not any(line.startswith(SECTIONS) for line in lines[-3:-1]), page.number  # none orphaned
    assert titles == list(SECTIONS)


def test_eds_2022_prints_whole_on_one_page(printed):
    example, pages = printed
    (page,) = [p for p in pages if p.sheet == "EDS 2022"]
    assert page.landscape
    lines = [" ".join(line.split()) for line in page.lines()]
    for text in ("Publish by 28/02/2027" if example else "Publish by", "Domain Outcome What the outcome asks",
                 "Rating bands", "Excelling 33 Unverified"):  # fmt: skip
        assert any(text in line for line in lines), text
    assert any(line.startswith("3C") or " 3C " in line for line in lines)  # the last outcome, not cut
