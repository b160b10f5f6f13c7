"""Percentage styles: looking only at the rows that hold a number finds what the whole column finds there."""

from __future__ import annotations

import zipfile

import pytest

from edi_workbook.read.styles import percent_cells, percent_styles
from tests.paths import ROOT

CRAFTED = (
    b'<worksheet><sheetData><row r="5"><c r="K5" s="3"><v>1.5</v></c><c r="K05" s="3"><v>2</v></c></row>'
    b'<row r="6"><c r="K6" s="1"/><c s="3" r="K6"/></row><row r="7"><c t="n" r="K7" s="3"/></row>'
    b'<row r="8"><c r="K0000000008" s="3"/></row><row r="9"><is><t> r="K9" s="3"</t></is></row></sheetData>'
    b"</worksheet>"
)


def _template_sheet() -> tuple[bytes, frozenset[int]]:
    with zipfile.ZipFile(ROOT / "workbook_templates" / "example_action_plan.xlsx") as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        return max(sheets, key=lambda x: x.count(b'r="K')), percent_styles(zf)


@pytest.mark.parametrize("among", [set(range(1, 12)), {5, 7, 8}, {6, 9}, set(), {3, 500}])
def test_rows_among_are_those_of_the_whole_column(among):
    for xml, styles in ((CRAFTED, frozenset({3})), _template_sheet()):
        whole = percent_cells(xml, "K", styles)
        assert percent_cells(xml, "K", styles, among=among) == whole & among
    assert percent_cells(CRAFTED, "K", frozenset({3})) == {5, 6, 7, 8}  # the crafted cells do count
    xml, styles = _template_sheet()
    assert percent_cells(xml, "K", styles)  # and the template's


def test_a_reference_too_long_to_be_a_number_is_refused_as_before():
    """Python will not read 5,000 digits as a number: a percentage cell with such a reference was
    refused (a damaged file), any other such cell passed over; both stay so."""
    long = b'<c r="K' + b"9" * 5000 + b'" s="%d"/>'
    for among in (None, {1}):
        with pytest.raises(ValueError, match="digits"):
            percent_cells(long % 3, "K", frozenset({3}), among=among)
        assert percent_cells(long % 1 + b'<c r="K1" s="3"/>', "K", frozenset({3}), among=among) == {1}


def test_a_huge_styles_part_is_read_but_not_kept(tmp_path):
    """From a review: both styles caches kept up to 32 parts of any size, so a batch of hostile
    files (a styles part may unzip to 256 MiB) could hold gigabytes. A part over STYLES_CACHED is
    read as usual and not kept; one of usual size still is."""
    from edi_workbook.read import parts, styles

    example = ROOT / "workbook_templates" / "example_action_plan.xlsx"
    padded = tmp_path / "padded.xlsx"
    with zipfile.ZipFile(example) as zin, zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/styles.xml":
                data = data.replace(b"<numFmts", b" " * (parts.STYLES_CACHED + 1) + b"<numFmts", 1)
                assert len(data) > parts.STYLES_CACHED
            zout.writestr(info.filename, data)
    for cache in (styles._percent_styles_of, parts.number_formats_of):
        cache.cache_clear()
    with zipfile.ZipFile(example) as zf:
        usual = percent_styles(zf)
    with zipfile.ZipFile(padded) as zf:
        assert percent_styles(zf) == usual != frozenset()
        assert parts.number_formats(zf)[0]
    assert styles._percent_styles_of.cache_info().currsize == 1  # the example's only
    assert parts.number_formats_of.cache_info().currsize == 1
