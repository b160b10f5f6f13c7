"""Batch outputs: the consolidated workbook (checked in openpyxl and LibreOffice), JSON, CSV, JUnit."""

from __future__ import annotations

import csv
import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from edi_workbook import reference
from edi_workbook.batch import run as batch_mod
from edi_workbook.batch.outputs import (
    ALL_ACTION_COLUMNS,
    COVERAGE_COLUMNS,
    FINDING_COLUMNS,
    SUMMARY_COLUMNS,
    open_writer,
)
from edi_workbook.errors import UsageError
from edi_workbook.safe_text import neutralise
from tests.batch.support import AS_OF, make_inbox, tricky_plan


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outputs")
    make_inbox(folder, files=5, actions=8)
    return folder / "plans"


@pytest.fixture(scope="module")
def xlsx(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, batch_mod.BatchResult]:
    out = tmp_path_factory.mktemp("xlsx") / "roll-up.xlsx"
    return out, batch_mod.batch([inbox], as_of=AS_OF, out=out, jobs=2)


def _tricky_result(tmp_path: Path, fmt: str, name: str) -> Path:
    out = tmp_path / name
    with open_writer(fmt, out, as_of=AS_OF) as w:
        w.add(batch_mod.analyse_plan(tricky_plan(), as_of=AS_OF, file="=evil.xlsx"))
    return out


def test_workbook_has_the_sheets_tables_and_charts(xlsx):
    from openpyxl import load_workbook

    out, result = xlsx
    wb = load_workbook(out)
    assert wb.sheetnames == ["Summary", "Charts", "All actions", "Findings", "Coverage", "National deadlines"]
    tables = {ws.title: dict(ws.tables.items()) for ws in wb}
    n_files, t = len(result.files), result.totals
    n_findings = sum(1 for _ in wb["Findings"].iter_rows(min_row=2))
    assert tables["Summary"] == {"Summary": f"A1:{_col(len(SUMMARY_COLUMNS))}{n_files + 1}"}
    assert tables["All actions"] == {"AllActions": f"A1:{_col(len(ALL_ACTION_COLUMNS))}{t.actions + 1}"}
    assert tables["Findings"] == {"Findings": f"A1:{_col(len(FINDING_COLUMNS))}{n_findings + 1}"}
    assert n_findings == t.errors + t.warnings + sum(r.infos for r in result.files)
    assert len(wb["Charts"]._charts) == 2
    assert [c.value for c in wb["Summary"][1]] == list(SUMMARY_COLUMNS)
    assert wb["All actions"].conditional_formatting  # RAG colours
    assert wb["Coverage"].conditional_formatting  # heat map


def test_codes_fit_their_column_and_days_clear_the_reason(xlsx):
    """Issue 17: the Findings sheet's Code column cut codes off; in All actions "-145" ran into the
    reason's "complete" (a right-aligned number beside left-aligned text)."""
    from openpyxl import load_workbook

    from edi_workbook.findings import REGISTRY
    from edi_workbook.rules import all_rules

    all_rules()
    out, _ = xlsx
    wb = load_workbook(out)
    findings = wb["Findings"]
    code = _col(FINDING_COLUMNS.index("Code") + 1)
    assert findings.column_dimensions[code].width >= max(len(c) for c in REGISTRY) + 1
    actions = wb["All actions"]
    days = ALL_ACTION_COLUMNS.index(reference.load().header_of("days_to_due"))
    assert ALL_ACTION_COLUMNS[days + 1] == "RAG reason"
    cells = [row[days] for row in actions.iter_rows(min_row=2) if isinstance(row[days].value, int)]
    assert cells
    assert {c.alignment.horizontal for c in cells} == {"center"}


def test_workbook_lists_the_national_deadlines_of_the_next_90_days(xlsx):
    """Issue 16: the roll-up shows the national deadlines due within 90 days, unverified marked."""
    from openpyxl import load_workbook

    from edi_workbook.deadlines import entries

    out, _ = xlsx
    ws = load_workbook(out)["National deadlines"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    expected = entries(AS_OF, within_days=90)
    assert expected  # the batch's as-of date has some, so the check below can fail
    assert [(r[0].date(), r[1], r[7]) for r in rows] == [
        (e.date, e.id, "Yes" if e.verified else "Unverified") for e in expected
    ]
    assert all(0 <= r[6] <= 90 for r in rows)
    assert "NationalDeadlines" in ws.tables


def test_national_deadlines_columns_fit_what_they_hold(xlsx):
    """Issue 16's sheet set column C's width after its header row was written, which a write-only
    sheet ignores: every column was 13 wide, cutting ids, titles and statuses off."""
    from openpyxl import load_workbook

    from edi_workbook.batch.workbook import NATIONAL_COLUMNS
    from edi_workbook.deadlines import entries

    out, _ = xlsx
    ws = load_workbook(out)["National deadlines"]
    width = {name: ws.column_dimensions[_col(i)].width for i, name in enumerate(NATIONAL_COLUMNS, start=1)}
    every = entries(AS_OF, years=2, history=True)  # all that can be listed
    assert width["ID"] >= max(len(e.id) for e in every) + 1
    assert width["Deadline"] >= 60
    assert width["Status"] >= len("Due soon") + 1
    days = ws.cell(row=2, column=NATIONAL_COLUMNS.index("Days") + 1)
    assert days.alignment.horizontal == "center"  # clear of the Verified word beside it


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def test_summary_lists_unreadable_files_with_their_reason(xlsx):
    from openpyxl import load_workbook

    out, _ = xlsx
    rows = list(load_workbook(out)["Summary"].iter_rows(min_row=2, values_only=True))
    unreadable = {Path(r[0]).name: (r[2], r[-1]) for r in rows if r[2] == "Unreadable"}
    assert set(unreadable) == {"corrupt.xlsx", "notes.xlsx"}
    assert all(reason for _, reason in unreadable.values())


def test_charts_sheet_totals_match_the_batch(xlsx):
    from openpyxl import load_workbook

    out, result = xlsx
    ws = load_workbook(out)["Charts"]
    rag = {r[0]: r[1] for r in ws.iter_rows(min_row=2, max_row=6, values_only=True)}
    assert rag == {k: result.totals.rag.get(k, 0) for k in reference.load().rag_names}


def test_workbook_opens_in_libreoffice(xlsx, libreoffice, tmp_path):
    from openpyxl import load_workbook

    out, result = xlsx
    copy = libreoffice.convert(out, tmp_path / "lo")
    wb = load_workbook(copy, read_only=True)
    assert wb.sheetnames == ["Summary", "Charts", "All actions", "Findings", "Coverage", "National deadlines"]
    actions = list(wb["All actions"].iter_rows(min_row=2, values_only=True))
    assert len(actions) == result.totals.actions


def test_formula_like_text_stays_text_in_xlsx(tmp_path):
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    out = _tricky_result(tmp_path, "xlsx", "t.xlsx")
    ws = load_workbook(out)["All actions"]
    row = ws[2]
    cells = {c.column_letter: c for c in row}
    assert (cells["A"].value, cells["A"].data_type) == ("=evil.xlsx", "s")
    assert cells["D"].value.startswith("=HYPERLINK")
    assert cells["D"].data_type == "s"
    owner = get_column_letter(ALL_ACTION_COLUMNS.index("Owner") + 1)
    assert (cells[owner].value, cells[owner].data_type) == ("@Director & <Deputy>", "s")
    pct = get_column_letter(ALL_ACTION_COLUMNS.index("% complete") + 1)
    assert ws[f"{pct}2"].number_format == "0%"


def test_csv_writes_four_tables_and_quotes_formula_like_text(tmp_path):
    out = _tricky_result(tmp_path, "csv", "t.csv")
    parts = {p: out.with_name(f"t.{p}.csv") for p in ("actions", "findings", "coverage")}

    def rows(p: Path) -> list[list[str]]:
        with p.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.reader(fh))

    summary, actions = rows(out), rows(parts["actions"])
    assert summary[0] == list(SUMMARY_COLUMNS)
    assert summary[1][0] == "'=evil.xlsx"
    assert actions[0] == list(ALL_ACTION_COLUMNS)
    assert len(actions) == 3
    assert actions[1][3].startswith("'=HYPERLINK")
    assert actions[1][ALL_ACTION_COLUMNS.index("Owner")] == "'@Director & <Deputy>"
    assert actions[2][ALL_ACTION_COLUMNS.index("Success measure")] == "'-5% pay gap by 2026"
    assert rows(parts["findings"])[0] == list(FINDING_COLUMNS)
    assert rows(parts["coverage"])[0] == list(COVERAGE_COLUMNS)


def test_json_has_files_findings_actions_and_totals(inbox, tmp_path):
    out = tmp_path / "r.json"
    result = batch_mod.batch([inbox], as_of=AS_OF, out=out, jobs=1)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["as_of"] == "2025-03-31"
    assert len(doc["files"]) == len(result.files)
    assert doc["totals"] == result.totals.to_dict()
    plan = next(f for f in doc["files"] if f["error"] is None)
    assert len(plan["actions_detail"]) == plan["actions"]
    finding = plan["findings"][0]
    assert set(finding) == {"code", "severity", "message", "sheet", "cell", "row", "column", "action_id"}


def test_junit_has_one_case_per_file(inbox, tmp_path):
    out = tmp_path / "r.xml"
    result = batch_mod.batch([inbox], as_of=AS_OF, out=out)
    suite = ET.parse(out).getroot().find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(result.files) == int(suite.get("tests"))
    errors = {Path(c.get("name")).name for c in cases if c.find("error") is not None}
    failures = [c for c in cases if c.find("failure") is not None]
    assert errors == {"corrupt.xlsx", "notes.xlsx"}
    assert int(suite.get("errors")) == 2
    assert len(failures) == result.totals.with_errors == int(suite.get("failures"))


def _interrupted_write(out: Path) -> None:
    with open_writer("json", out) as w:
        w.add(batch_mod.FileResult(file="a.xlsx"))
        raise RuntimeError("interrupted")


def test_a_failed_run_leaves_no_output_behind(tmp_path):
    with pytest.raises(RuntimeError):
        _interrupted_write(tmp_path / "never.json")
    assert list(tmp_path.iterdir()) == []


def test_format_comes_from_the_suffix_or_is_a_usage_error(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "p.csv").write_text("Action ID,Action,Owner,Due date\nA1,Train staff,Jo,31/03/2027\n")
    with pytest.raises(UsageError):
        batch_mod.batch([plans], out=tmp_path / "x.pdf")
    assert batch_mod.batch([plans], out=tmp_path / "x.out", fmt="json").format == "json"


def test_nothing_found_is_a_usage_error_not_success(tmp_path):
    with pytest.raises(UsageError, match="no plan files found"):
        batch_mod.batch([tmp_path], out=tmp_path / "x.json")
    with pytest.raises(UsageError, match="no plan files found"):
        batch_mod.batch([str(tmp_path / "nomatch*.xlsx")])


def test_only_mistyped_paths_are_a_usage_error_and_nothing_is_written(tmp_path):
    """A new user's typo wrote a roll-up of one unreadable file, which looked like a real one."""
    out = tmp_path / "roll-up.xlsx"
    with pytest.raises(UsageError, match=r"no such file or folder: .*missing_dir, .*typo\.xlsx"):
        batch_mod.batch([tmp_path / "missing_dir", tmp_path / "typo.xlsx", tmp_path / "typo.xlsx"], out=out)
    assert not out.exists()


def test_neutralise():
    assert [neutralise(v) for v in ("=1+1", "+44", "-3", "@x", "ok", -3)] == [
        "'=1+1",
        "'+44",
        "'-3",
        "'@x",
        "ok",
        -3,
    ]


def test_xlsx_roll_up_is_byte_for_byte_deterministic(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "p.csv").write_text("Action ID,Action,Owner,Due date\nA1,Train staff,Jo,31/03/2027\n")
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    batch_mod.batch([plans], out=first, as_of=AS_OF, jobs=1)
    time.sleep(1.1)  # openpyxl stamps the save time to the second
    batch_mod.batch([plans], out=second, as_of=AS_OF, jobs=1)
    assert first.read_bytes() == second.read_bytes()


def test_a_members_own_columns_reach_the_roll_up(tmp_path):
    """A foreign layout's columns that no field reads (Budget, Board sponsor) are in every output's
    Other columns, as lines a person reads; one that would start a formula stays text."""
    from openpyxl import load_workbook

    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "elm.csv").write_text(
        "Ref,Action,Lead,Due date,@risk,Budget £,Board sponsor,Review date\n"
        "E1,Review the recruitment panel guidance,Practice manager,31/03/2027,,5000,J Khan,31/12/2026\n"
        "E2,Publish the pay gap report,Practice manager,31/03/2027,high,,,\n"
        "E3,Run the staff survey,Practice manager,31/03/2027,,,,\n",
        encoding="utf-8",
    )
    want = ["Budget £: 5000; Board sponsor: J Khan; Review date: 31/12/2026", "@risk: high", None]
    col = ALL_ACTION_COLUMNS.index("Other columns")
    out = tmp_path / "roll-up.xlsx"
    batch_mod.batch([plans], as_of=AS_OF, out=out, jobs=1)
    ws = load_workbook(out)["All actions"]
    cells = [ws.cell(row=r, column=col + 1) for r in (2, 3, 4)]
    assert [c.value for c in cells] == want
    assert cells[1].data_type == "s"  # text, never a live formula
    batch_mod.batch([plans], as_of=AS_OF, out=tmp_path / "r.json", jobs=1)
    detail = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["files"][0]["actions_detail"]
    assert [a["other_columns"] for a in detail] == want
    batch_mod.batch([plans], as_of=AS_OF, out=tmp_path / "r.csv", jobs=1)
    with (tmp_path / "r.actions.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert [r[col] for r in rows[1:]] == [want[0], "'@risk: high", ""]


def test_other_columns_too_long_for_one_cell_are_cut_with_a_note(tmp_path):
    """From a review: each value fit a cell, all of them joined did not, and Excel's limit cut the
    last ones off silently."""
    from openpyxl import load_workbook

    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "elm.csv").write_text(
        "Ref,Action,Lead,Due date,Board sponsor,Budget £\n"
        f"E1,Review the recruitment panel guidance,Practice manager,31/03/2027,{'J' * 32_760},5000\n",
        encoding="utf-8",
    )
    out = tmp_path / "roll-up.xlsx"
    batch_mod.batch([plans], as_of=AS_OF, out=out, jobs=1)
    value = (
        load_workbook(out)["All actions"]
        .cell(row=2, column=ALL_ACTION_COLUMNS.index("Other columns") + 1)
        .value
    )
    assert len(value) == 32_767
    assert value.startswith("Board sponsor: JJJ")
    assert value.endswith("[cut: Excel cells hold 32,767 characters; the rest is in the plan]")
    batch_mod.batch([plans], as_of=AS_OF, out=tmp_path / "r.json", jobs=1)  # JSON has no such limit
    whole = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["files"][0]["actions_detail"]
    assert whole[0]["other_columns"] == f"Board sponsor: {'J' * 32_760}; Budget £: 5000"
