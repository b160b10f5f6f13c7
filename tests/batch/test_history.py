"""Several returns per organisation: grouped, dated, followed; the Trend sheet and the JSON history.

The inputs are four quarterly returns of three organisations made from the example plan by
scripted edits (tests/returns.py): two in our template (named by Plan details, dated by AsOfDate),
one a CSV export named only by its file (``riverside_2026-27_Q1.csv``).
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from edi_workbook.batch.history import analyse_history, period_label
from edi_workbook.batch.periods import compile_period, organisation_from_name, period_from_name
from edi_workbook.batch.trend import batch_history
from edi_workbook.cli import main
from edi_workbook.errors import UsageError
from tests import returns
from tests.paths import TESTS

GOLDEN = TESTS / "golden" / "history"
QUARTERS = ["Q1 2026/27", "Q2 2026/27", "Q3 2026/27", "Q4 2026/27"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("history")
    returns.quarterly_returns(root / "returns")
    return root


def test_grouped_by_organisation_and_dated_by_period(folder):
    history = analyse_history([folder / "returns"], period="auto", jobs=1)
    assert history.organisations == ["Eastmoor PCN", "Northvale Primary Care Training Hub", "riverside"]
    assert history.periods == QUARTERS
    for org, lines in history.by_organisation().items():
        assert [x.period for x in lines] == QUARTERS, org
        assert [x.date for x in lines] == list(returns.Q_END.values())
        assert {x.dated_by for x in lines} == {"file name"}
    assert len(history.latest) == 3
    assert all("Q4" in r.file for r in history.latest)


def test_without_period_the_as_of_date_dates_each_return(folder):
    history = analyse_history([folder / "returns"], as_of=dt.date(2027, 3, 31), jobs=1)
    by_org = history.by_organisation()
    assert [x.dated_by for x in by_org["Eastmoor PCN"]] == ["AsOfDate"] * 4
    # the CSV returns carry no date: all four get --as-of, so only the last file of them is kept
    assert [x.dated_by for x in by_org["riverside"]] == ["--as-of"]
    assert len(history.same_date) == 3


def test_a_csv_return_is_dated_by_its_titles_as_at_date(tmp_path):
    """CSV exports have no AsOfDate: a "Position as at" line above the table dates each return."""
    for day, status in (("30/06/2026", "Not started"), ("30/09/2026", "In progress")):
        (tmp_path / f"elm-{day[3:5]}.csv").write_text(
            f"Organisation:,Elm Street Surgery\nPosition as at {day}\n\nRef,Action,Lead,Due date,Status\n"
            f"E1,Review the recruitment panel guidance,Practice manager,31/03/2027,{status}\n",
            encoding="utf-8",
        )
    lines = analyse_history([tmp_path], jobs=1).by_organisation()["Elm Street Surgery"]
    assert [(x.date, x.dated_by) for x in lines] == [
        (dt.date(2026, 6, 30), "as at"),
        (dt.date(2026, 9, 30), "as at"),
    ]


def test_each_return_is_judged_at_its_own_date(folder):
    """Q1's overdue count is as on 30 June 2026, not as on today or on Q4's date."""
    history = analyse_history([folder / "returns"], period="auto", jobs=1)
    north = history.by_organisation()["Northvale Primary Care Training Hub"]
    assert [x.overdue for x in north] == [0, 0, 2, 8]
    assert [x.rag.get("Blue") for x in north] == [6, 7, 8, 9]


def test_changes_between_returns(folder):
    history = analyse_history([folder / "returns"], period="auto", jobs=1)
    east = history.by_organisation()["Eastmoor PCN"]
    assert east[0].slipped is None  # nothing before the first return
    # Q2: EDI-02 +60; Q3: EDI-14 +60 (EDI-02 +31 but then brought back to 21/12/2026); Q4: EDI-02, EDI-17
    assert [(x.slipped, x.completed, x.added, x.removed) for x in east[1:]] == [
        (1, 1, 0, 0),
        (1, 1, 0, 0),
        (2, 1, 0, 0),
    ]
    top = history.slipped[0]  # Riverside's EDI-02 moved three times: +90, +31, +45 days
    assert (top.organisation, top.action_id, top.slips, top.days) == ("riverside", "EDI-02", 3, 166)
    assert top.first_due == dt.date(2027, 3, 31)
    east02 = next(s for s in history.slipped if (s.organisation, s.action_id) == ("Eastmoor PCN", "EDI-02"))
    assert (east02.slips, east02.days) == (2, 60 + 45)


def test_movement_since_the_previous_returns(folder):
    history = analyse_history([folder / "returns"], period="auto", jobs=1)
    moved, since = history.movement()
    assert since == "Q3 2026/27"
    latest = sum(r.overdue for r in history.latest)
    previous = sum(lines[-2].overdue for lines in history.by_organisation().values())
    assert moved["overdue"] == (latest, previous)


def test_roll_up_workbook_has_a_trend_sheet_with_native_charts(folder, tmp_path):
    out = tmp_path / "rollup.xlsx"
    result = batch_history([folder / "returns"], out=out, period="auto", jobs=1)
    assert result.exit_code == 1  # one organisation's plan has a due date before its start
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["Summary", "Charts", "Trend"]
    ws = wb["Trend"]
    assert len(ws._charts) == 2
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "Period"
    assert [r[0] for r in rows[2:6]] == QUARTERS
    summary = list(wb["Summary"].iter_rows(values_only=True))
    assert len(summary) == 4  # the header and each organisation's latest return
    with zipfile.ZipFile(out) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        xml = b"".join(zf.read(n) for n in charts)
    assert b'<grouping val="stacked"/>' in xml
    assert b"<lineChart>" in xml


def test_json_history_matches_golden(folder, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(folder)
    out = tmp_path / "rollup.json"
    assert main(["batch", "returns", "--period", "auto", "-o", str(out), "-q", "--jobs", "1"]) == 1
    capsys.readouterr()
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data) == ["version", "as_of", "files", "history", "totals"]
    text = json.dumps(data["history"], indent=2, ensure_ascii=False) + "\n"
    golden = GOLDEN / "history.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_json_on_screen_is_the_document_a_file_gets(folder, tmp_path, monkeypatch, capsys):
    """A new user found only the history's own keys on screen, without files, totals or version."""
    monkeypatch.chdir(folder)
    out = tmp_path / "rollup.json"
    args = ["batch", "returns", "--period", "auto", "--jobs", "1", "--as-of", "2026-11-22"]
    assert main([*args, "-o", str(out), "-q"]) == 1
    capsys.readouterr()
    assert main([*args, "--format", "json"]) == 1
    screen = json.loads(capsys.readouterr().out)
    assert list(screen) == ["version", "as_of", "files", "history", "totals"]
    assert screen == json.loads(out.read_text(encoding="utf-8"))


def test_text_lines_per_organisation(folder, monkeypatch, capsys):
    monkeypatch.chdir(folder)
    assert main(["batch", "returns", "--period", "auto", "--jobs", "1"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(
        "Eastmoor PCN: 4 returns, Q1 2026/27 to Q4 2026/27; 34 actions, overdue 11, up 6 since Q3"
    )
    assert out[-1].startswith("Latest returns: 3 files:")


def test_history_refuses_csv_and_junit_outputs(folder, tmp_path, capsys):
    assert main(["batch", str(folder / "returns"), "--history", "-o", str(tmp_path / "x.csv")]) == 2
    assert "--history writes xlsx, json, html" in capsys.readouterr().err


def test_unreadable_return_is_listed_and_the_rest_go_on(folder, tmp_path, capsys):
    work = tmp_path / "returns"
    shutil.copytree(folder / "returns", work)
    (work / "broken Q2 2026-27.xlsx").write_bytes(b"PK\x03\x04 not really")
    assert main(["batch", str(work), "--period", "auto", "--jobs", "2"]) == 2
    captured = capsys.readouterr()
    assert "broken Q2 2026-27.xlsx: the file is damaged" in captured.err
    assert captured.out.count("4 returns") == 3


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch")
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_return_that_crashes_the_reader_is_listed_and_the_rest_go_on(folder, tmp_path, monkeypatch, jobs):
    """Issue 18: --history ran its plans in a plain process pool (or in the command's own process
    for --jobs 1), so a file that kills its reader took the whole run down; it now goes through the
    same isolated pool as batch. The extent check that prevents python-calamine's abort is switched
    off here, so the reader really aborts, in a worker."""
    from tests.batch.test_isolation import _far

    monkeypatch.setattr("edi_workbook.limits.sheet_extent", lambda xml: (1, 1), raising=False)
    work = tmp_path / "returns"
    shutil.copytree(folder / "returns", work)
    _far(work / "crash Q2 2026-27.xlsx")
    history = analyse_history([work], period="auto", jobs=jobs)
    assert [Path(r.file).name for r in history.unreadable] == ["crash Q2 2026-27.xlsx"]
    assert history.unreadable[0].error.startswith("the reader stopped on this file")
    assert len(history.lines) == 12


@pytest.mark.parametrize(
    ("name", "day", "org"),
    [
        ("riverside_2026-27_Q1.csv", dt.date(2026, 6, 30), "riverside"),
        ("Eastmoor PCN Q3 2026-27.xlsx", dt.date(2026, 12, 31), "Eastmoor PCN"),
        ("Hillcross 2026-27 Q4.xlsx", dt.date(2027, 3, 31), "Hillcross"),
        ("hillcross-2026-09-30.xlsx", dt.date(2026, 9, 30), "hillcross"),
        ("Hillcross 2026Q3.xlsx", dt.date(2026, 9, 30), "Hillcross"),
        ("Hillcross Sept 2026.xlsx", dt.date(2026, 9, 30), "Hillcross"),
        ("Hillcross 2026-09.xlsx", dt.date(2026, 9, 30), "Hillcross"),
    ],
)
def test_period_and_organisation_from_file_names(name, day, org):
    found = period_from_name(name, None)
    assert found is not None
    assert found[0] == day
    assert organisation_from_name(name, found[1]) == org


def test_period_regex_and_its_errors():
    pattern = compile_period(r"return (\d\d\.\d\d\.\d{4})")
    assert period_from_name("Kingsford return 31.03.2027.xlsx", pattern) == (
        dt.date(2027, 3, 31),
        "return 31.03.2027",
    )
    assert period_from_name("Kingsford 2026-27.xlsx", None) is None  # a financial year alone is no period
    with pytest.raises(UsageError, match="not a regular expression"):
        compile_period("(unclosed")


def test_period_label():
    assert [period_label(d) for d in returns.Q_END.values()] == QUARTERS


def test_trend_sheet_opens_in_libreoffice_with_its_charts(folder, tmp_path, libreoffice):
    out = tmp_path / "rollup.xlsx"
    batch_history([folder / "returns"], out=out, period="auto", jobs=1)
    pdf = libreoffice.convert(out, tmp_path / "pdf", "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    again = libreoffice.convert(out, tmp_path / "lo", "xlsx")  # LibreOffice's own save of it
    wb = load_workbook(again)
    assert "Trend" in wb.sheetnames
    assert len(wb["Trend"]._charts) == 2
