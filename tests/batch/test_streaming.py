"""The roll-up written as streams (issue 18): rows rendered in the workers, big sheets split at
Excel's row limit, the same contents as openpyxl writes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from edi_workbook.batch import run as batch_mod
from edi_workbook.batch.model import ROW_KEYS, FileResult, need_for
from edi_workbook.batch.outputs import ALL_ACTION_COLUMNS, open_writer
from edi_workbook.batch.render import render
from edi_workbook.batch.workbook import XlsxWriter, _Sheet
from edi_workbook.findings import Finding, Severity
from tests.batch.support import AS_OF, make_inbox

TRICKY: list[Any] = [
    " leading space",
    "trailing space ",
    "a & b < c > d \"quoted\" 'single'",
    "line\r\nbreak and\ttab",
    "#N/A",
    "#DIV/0!",
    "=1+1",
    "+44 20 7946 0000",
    "-3",
    "@x",
    "café ☕ 𝔸 ünïcödé",
    "control\x01\x0bcharacters\ufffe",
    "x" * 40_000,
    "",
    None,
    0.4,
    1.0,
    -145,
    3,
    True,
    np.int64(7),
    dt.date(1900, 2, 28),
    dt.date(1900, 3, 1),
    dt.date(2025, 3, 31),
    "   ",
    "\x02",
]


def _rows() -> list[tuple[Any, ...]]:
    """Action rows (``ROW_KEYS``, then reason, cell and other columns) with every tricky value in
    every column."""
    width = len(ROW_KEYS) + 3
    return [tuple(TRICKY[(start + k) % len(TRICKY)] for k in range(width)) for start in range(len(TRICKY))]


def _result() -> FileResult:
    findings = [
        Finding("due-date-missing", Severity.WARNING, text, "Action Plan", f"B{i + 2}", i + 2, 2, "A1")
        for i, text in enumerate(t for t in TRICKY if isinstance(t, str) and t)
    ]
    return FileResult(file="=plans/odd.xlsx", organisation="Café & Co <Trust>", actions=26, findings=findings,
                      rows=_rows(), hia_actions={1: 3})  # fmt: skip


def _cells(ws: Any) -> list[tuple[Any, ...]]:
    return [
        (c.coordinate, c.value, c.data_type, c.number_format, c.alignment.horizontal)
        for row in ws.iter_rows(min_row=2)
        for c in row
        if c.value is not None
    ]


def test_rendered_rows_read_back_as_openpyxl_writes_them(tmp_path: Path) -> None:
    """The worker-rendered SpreadsheetML and openpyxl's write-only cells (what the roll-up used
    before) give the same values, types and styles for texts that are formulas, error words,
    padded, too long or hold characters XML cannot, for numbers, dates, percentages and days."""
    r = _result()
    out = tmp_path / "roll-up.xlsx"
    with open_writer("xlsx", out, as_of=AS_OF) as w:
        w.add(render(r, "xlsx"))  # rendered as a worker does
    ref_path = tmp_path / "openpyxl.xlsx"
    wb = Workbook(write_only=True)
    sheet = _Sheet(wb, "All actions", "AllActions", ALL_ACTION_COLUMNS)
    pct = ALL_ACTION_COLUMNS.index("% complete")
    days = ALL_ACTION_COLUMNS.index("Days to due")
    for row in r.rows:
        sheet.append((r.file, r.organisation, *row), pct_column=pct, days_column=days)
    sheet.close()
    wb.save(ref_path)
    got, want = _cells(load_workbook(out)["All actions"]), _cells(load_workbook(ref_path)["All actions"])
    assert len(got) > 300
    assert got == want


def test_a_result_rendered_in_the_worker_and_one_rendered_by_the_writer_give_the_same_file(tmp_path):
    """iter_batch users and task engines hand the writer results that were not rendered."""
    for fmt, name in (("xlsx", "r.xlsx"), ("json", "r.json"), ("csv", "r.csv")):
        a, b = tmp_path / "a" / name, tmp_path / "b" / name
        with open_writer(fmt, a, as_of=AS_OF) as w:
            w.add(render(_result(), fmt))
        with open_writer(fmt, b, as_of=AS_OF) as w:
            w.add(_result())
        assert a.read_bytes() == b.read_bytes(), fmt


def test_rendered_results_still_count_finding_codes(tmp_path):
    """The board report's commonest problems come from the totals' codes, findings or not."""
    plans = tmp_path / "inbox"
    make_inbox(plans, files=3, actions=6)
    plain = batch_mod.batch([plans / "plans"], as_of=AS_OF, jobs=1)
    rendered = batch_mod.batch([plans / "plans"], as_of=AS_OF, jobs=1, out=tmp_path / "r.xlsx")
    assert plain.totals.codes
    assert rendered.totals.codes == plain.totals.codes
    results = list(batch_mod.iter_batch(sorted((plans / "plans").iterdir()), jobs=1, need=need_for("json")))
    assert all(r.rendered is not None and not r.findings for r in results)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("split")
    make_inbox(folder, files=3, actions=5)
    return folder / "plans"


@pytest.fixture(scope="module")
def split(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same roll-up written whole and with sheets of at most 5 rows (header included)."""
    folder = tmp_path_factory.mktemp("split-out")
    whole, parts = folder / "whole.xlsx", folder / "parts.xlsx"
    batch_mod.batch([inbox], as_of=AS_OF, out=whole, jobs=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(XlsxWriter, "max_rows", 5)
        batch_mod.batch([inbox], as_of=AS_OF, out=parts, jobs=1)
    return whole, parts


def _values(ws: Any) -> list[tuple[Any, ...]]:
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=2)]


def test_big_sheets_continue_on_numbered_sheets_at_the_row_limit(split):
    """Issue 18: the Findings sheet of a national roll-up would pass Excel's 1,048,576 rows at about
    11,500 plans; Excel then refuses the file. Here the limit is 5 rows: each sheet holds its
    header and 4 rows, the rest continue on "All actions (2)"... each its own table, in order."""
    whole, parts = split
    wa, wb = load_workbook(whole), load_workbook(parts)
    for title, table in (("All actions", "AllActions"), ("Findings", "Findings")):
        rows = _values(wa[title])
        n_parts = -(-len(rows) // 4)
        names = [title, *(f"{title} ({i})" for i in range(2, n_parts + 1))]
        assert [s for s in wb.sheetnames if s.startswith(title)] == names
        got = []
        for i, name in enumerate(names):
            ws = wb[name]
            assert [c.value for c in ws[1]] == [c.value for c in wa[title][1]]
            assert ws.max_row <= 5
            assert ws.freeze_panes == "A2"
            (t,) = ws.tables.values()
            assert t.displayName == (table if i == 0 else f"{table}{i + 1}")
            assert t.ref.startswith("A1:")
            assert t.ref.endswith(f"{ws.max_row}")
            got += _values(ws)
        assert got == rows
    assert len(wb["All actions (2)"].conditional_formatting) == 1
    order = wb.sheetnames
    assert order[:3] == ["Summary", "Charts", "All actions"]
    assert order[-2:] == ["Coverage", "National deadlines"]


def test_the_summary_says_where_the_rows_continue(split):
    whole, parts = split
    summary = load_workbook(parts)["Summary"]
    notes = [row[0] for row in summary.iter_rows(values_only=True) if row[0] and "continue" in str(row[0])]
    n = len(_values(load_workbook(whole)["All actions"]))
    more = ", ".join(f"All actions ({i})" for i in range(2, -(-n // 4) + 1))
    assert len(notes) == 2
    assert notes[0] == (
        f"All actions has {n} rows, more than an Excel sheet holds (5 with the header): "
        f"they continue on {more}."
    )
    assert notes[1].startswith("Findings has ")
    (table,) = summary.tables.values()
    assert table.ref == load_workbook(whole)["Summary"].tables["Summary"].ref  # the notes are not in it
    rows = load_workbook(whole)["Summary"].iter_rows(values_only=True)
    assert not any("continue" in str(row[0]) for row in rows)


def test_a_split_roll_up_opens_in_libreoffice(split, libreoffice, tmp_path):
    _, parts = split
    copy = libreoffice.convert(parts, tmp_path / "lo")
    wb = load_workbook(copy, read_only=True)
    assert "Findings (2)" in wb.sheetnames
    assert len(list(wb["All actions (2)"].iter_rows(min_row=2, values_only=True))) == 4


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("&<>\r\n\"' aé€;#x1")) | st.characters(), max_size=40))
def test_rendered_text_is_escaped_as_saxutils_escapes_it(text):
    """The renderer escapes with html.escape (saxutils' import pulls in urllib.request, 17 ms per
    worker): the same text as xml.sax.saxutils.escape with the carriage return entity."""
    from xml.sax.saxutils import escape

    from edi_workbook.batch.render import _escape

    assert _escape(text) == escape(text, {"\r": "&#13;"})


def test_warm_up_leaves_the_workers_nothing_to_import(tmp_path):
    """A worker forked after the warm-up reads an .xlsx and a .csv and renders them without importing
    anything (the readers, calamine and the renderer were imported before the fork)."""
    import subprocess
    import sys

    inbox = make_inbox(tmp_path)
    xlsx = next(p for p in inbox["plans"] if p.suffix == ".xlsx")
    csv = next(p for p in inbox["plans"] if p.suffix == ".csv")
    code = (
        "import sys, datetime as dt, functools\n"
        "from edi_workbook.batch import run, warm\n"
        "from edi_workbook.batch.model import need_for\n"
        "as_of = dt.date(2025, 3, 31)\n"
        "warm.warm_up(functools.partial(run.analyse_plan, as_of=as_of, need=need_for('xlsx')))\n"
        "before = set(sys.modules)\n"
        "for fmt in ('xlsx', 'json', 'csv'):\n"
        "    run._analyse_chunk([sys.argv[1], sys.argv[2]], as_of=as_of, need=need_for(fmt))\n"
        "print(sorted(m for m in set(sys.modules) - before if not m.startswith('encodings.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(xlsx), str(csv)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_printable_text_holds_nothing_xml_cannot(text):
    """render._text cleans only unprintable text (the cleaning was a fifth of a row's rendering)."""
    from edi_workbook.safe_text import xml_text

    if text.isprintable():
        assert xml_text(text) == text


_cell_values = st.one_of(
    st.none(),
    st.integers(-1000, 1000),
    st.booleans(),
    st.floats(-2, 2, allow_nan=False),
    st.sampled_from([0.0, -0.0, 1.0]),
    st.dates(dt.date(1899, 12, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1899, 12, 1), dt.datetime(2100, 1, 1)),
    st.text(max_size=30),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_cell_values, min_size=4, max_size=4), min_size=1, max_size=12))
def test_cells_from_the_caches_are_the_cells_made_afresh(rows):
    """Texts, whole numbers and dates are rendered once and then taken from caches; a value in the
    days column (centred) and elsewhere, or 0 and -0.0, never share a cell."""
    from edi_workbook.batch import render as r

    warm = [r.cells(row, pct_column=1, days_column=2) for row in rows]
    fresh = []
    for row in rows:
        r._text_cache.clear()
        r._number_cache.clear()
        fresh.append(r.cells(row, pct_column=1, days_column=2))
    assert warm == fresh
