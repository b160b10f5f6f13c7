"""The template and the example as a printer gets them: LibreOffice prints each workbook to PDF.

Issue 17: the blank template's Action Plan printed 3 pages, 2 of them only the header row. Now:
one landscape A4 page per 20 rows of actions or fewer, the header row on every page, every other
sheet on one page (the Dashboard's chart whole). Page images are left in the test's folder.
"""

from __future__ import annotations

import collections
import math

import pytest

from edi_workbook.template import new_workbook
from edi_workbook.template.action_plan import PRINT_ROWS


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
    assert per_sheet == dict.fromkeys(
        ("Start here", "Plan details", "Dashboard", "National deadlines", "Validation"), 1
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
