"""A plan over the row limit is refused from the sheet's XML, before its cells are decoded (issue 18).

Before, a 100,000-row sheet was read whole (every cell a Python object: 1.8 s and 400 MB for a
100,000-action template) only to be refused by the row count. The sentence and the exit code are
the same as before; what changes is what is read first. Peak memory is measured with tracemalloc
(Python's own allocations): reading the grid costs many times the sheet's XML, the refusal less.
"""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

from edi_workbook import read_plan
from edi_workbook.cli import main
from edi_workbook.errors import EXIT_UNREADABLE, PlanReadError
from tests.paths import TESTS

HUGE = TESTS / "fixtures" / "read" / "bad" / "huge_100k_rows.xlsx"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_LONG = "Deliver inclusive recruitment training to every line manager, with diverse panels. " * 8


def _relation(*rels: tuple[str, str]) -> str:
    listed = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(rels, start=1)
    )
    return f'<Relationships xmlns="{_PKG}">{listed}</Relationships>'


def _table_workbook(path: Path, value_rows: int, table_rows: int) -> Path:
    """A workbook whose ``Action Plan`` sheet holds the table ``ActionPlan`` (header in row 1,
    ``table_rows`` rows under it), with values in its first ``value_rows`` rows.

    Every action is one long shared string: a few bytes of XML per cell, but a text object per
    cell once the grid is read, so reading the grid shows in the peak memory.
    """
    head = "".join(
        f'<c r="{c}1" t="inlineStr"><is><t>{t}</t></is></c>'
        for c, t in zip("ABC", ("Action ID", "Action", "Owner"), strict=True)
    )
    body = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="s"><v>0</v></c></row>'
        for r in range(2, value_rows + 2)
    )
    sheet = (
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetData><row r="1">{head}</row>{body}</sheetData>'
        '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'
    )
    ref = f"A1:C{table_rows + 1}"
    table = (
        f'<table xmlns="{_MAIN}" id="1" name="ActionPlan" displayName="ActionPlan" ref="{ref}">'
        f'<autoFilter ref="{ref}"/><tableColumns count="3"><tableColumn id="1" name="Action ID"/>'
        '<tableColumn id="2" name="Action"/><tableColumn id="3" name="Owner"/></tableColumns></table>'
    )
    sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(
        f'<Override PartName="/xl/{name}" ContentType="{sml}.{kind}+xml"/>'
        for name, kind in (("workbook.xml", "sheet.main"), ("worksheets/sheet1.xml", "worksheet"),
                           ("tables/table1.xml", "table"), ("sharedStrings.xml", "sharedStrings"))
    )  # fmt: skip
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
        ),
        "_rels/.rels": _relation(("officeDocument", "xl/workbook.xml")),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<sheets><sheet name="Action Plan" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": _relation(
            ("worksheet", "worksheets/sheet1.xml"), ("sharedStrings", "sharedStrings.xml")
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/worksheets/_rels/sheet1.xml.rels": _relation(("table", "../tables/table1.xml")),
        "xl/tables/table1.xml": table,
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}" count="1"><si><t>{_LONG}</t></si></sst>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


def _refused(path: Path) -> tuple[str, float]:
    """The refusal's reason, and the peak of Python's allocations while reading, in multiples of
    the sheet's XML size."""
    with zipfile.ZipFile(path) as zf:
        xml_size = zf.getinfo("xl/worksheets/sheet1.xml").file_size
    tracemalloc.start()
    try:
        with pytest.raises(PlanReadError) as info:
            read_plan(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return info.value.reason, peak / xml_size


def test_foreign_sheet_over_the_limit_is_refused_before_it_is_read():
    reason, peak = _refused(HUGE)
    assert reason == (
        "the plan has 100,000 rows, more than the 50,000 this tool reads; "
        "split it into smaller plans or delete the empty rows at the bottom"
    )
    assert peak < 3  # reading its grid first peaked at 8.7 times the sheet's XML


@pytest.mark.parametrize(
    ("value_rows", "table_rows", "said"), [(60_000, 60_000, "60,000"), (55_000, 70_000, "55,000")]
)
def test_table_over_the_limit_is_refused_before_it_is_read(tmp_path, value_rows, table_rows, said):
    """The count is the one the whole read gave: the table's rows, up to the last row holding a value."""
    path = _table_workbook(tmp_path / "big.xlsx", value_rows, table_rows)
    reason, peak = _refused(path)
    assert reason.startswith(f"the plan has {said} rows, more than the 50,000 this tool reads;")
    assert peak < 3


def test_table_under_the_limit_is_read(tmp_path):
    plan = read_plan(_table_workbook(tmp_path / "ok.xlsx", 2_000, 2_500))
    assert len(plan) == 2_000
    assert plan.table == "ActionPlan"


def test_cli_says_one_line_and_exits_2(capsys):
    assert main(["validate", str(HUGE)]) == EXIT_UNREADABLE
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "100,000 rows, more than the 50,000" in err
