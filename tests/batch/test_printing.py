"""The roll-up workbook as a printer gets it: LibreOffice prints it to PDF (issue 17).

It had no page setup: 23 portrait pages, tables cut between columns, charts split. Now every sheet
is A4 landscape and one page wide, each table's header row is repeated on every page, and the
Charts sheet (totals and both charts) prints whole on one page. Page images are left in the
test's folder.
"""

from __future__ import annotations

import collections
import shutil

import pytest

from edi_workbook.batch import batch
from edi_workbook.batch.outputs import ALL_ACTION_COLUMNS, COVERAGE_COLUMNS, FINDING_COLUMNS, SUMMARY_COLUMNS
from edi_workbook.batch.workbook import NATIONAL_COLUMNS
from tests.paths import ROOT
from tests.written import EXAMPLE_AS_OF

COLUMNS = {
    "Summary": SUMMARY_COLUMNS,
    "All actions": ALL_ACTION_COLUMNS,
    "Findings": FINDING_COLUMNS,
    "Coverage": COVERAGE_COLUMNS,
    "National deadlines": NATIONAL_COLUMNS,
}
"""Each table's columns: its header row must start and end every page of it (one page wide)."""


@pytest.fixture(scope="module")
def pages(libreoffice, poppler, tmp_path_factory):
    folder = tmp_path_factory.mktemp("printed-rollup")
    returns = folder / "returns"
    returns.mkdir()
    for i in range(6):  # 204 actions: All actions runs to several pages
        shutil.copy(ROOT / "workbook_templates" / "example_action_plan.xlsx", returns / f"plan-{i}.xlsx")
    out = folder / "rollup.xlsx"
    batch([returns], out=out, as_of=EXAMPLE_AS_OF, jobs=1)
    return poppler.pages(libreoffice.convert(out, folder, "pdf"), images=folder / "pages")


def test_every_page_is_landscape_and_named(pages):
    assert all(p.landscape for p in pages)
    per_sheet = collections.Counter(p.sheet for p in pages)
    assert set(per_sheet) == {*COLUMNS, "Charts"}
    assert per_sheet["Charts"] == per_sheet["Summary"] == per_sheet["Coverage"] == 1
    assert per_sheet["National deadlines"] == 1  # those of the 90 days from the as-of date
    assert per_sheet["All actions"] >= 2
    assert len(pages) <= 10


def test_no_table_is_split_from_its_header(pages):
    for page in pages:
        if page.sheet == "Charts":
            continue
        columns = COLUMNS[str(page.sheet)]
        header = " ".join(page.lines()[0].split())
        assert header.startswith(columns[0]), (page.sheet, page.number)  # the header row, repeated
        assert header.endswith(columns[-1]), (page.sheet, page.number)  # the last column: one page wide


def test_the_charts_print_whole_on_one_page(pages):
    charts = next(p for p in pages if p.sheet == "Charts")
    for text in ("Actions by RAG status", "Coverage of the High Impact", "Plans with an action"):
        assert text in charts.text
