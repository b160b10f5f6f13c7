"""``edi-workbook report``: writes one HTML file; exit 0, or 2 when a file could not be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from edi_workbook.cli import main


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from edi_workbook.template import workbook as template

    folder = tmp_path_factory.mktemp("cli-report")
    return template.new_workbook(folder / "example.xlsx", example=True)


def test_report_of_one_plan(example, tmp_path, capsys):
    out = tmp_path / "board.html"
    assert main(["report", str(example), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Northvale Primary Care Training Hub: EDI action plan report" in html
    assert "As of 22 Nov 2026" in html  # the plan's own AsOfDate
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"Wrote {out}: 1 plan, 34 actions")


def test_unreadable_file_is_listed_and_exit_2(example, tmp_path, capsys):
    bad = tmp_path / "broken.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    out = tmp_path / "board.html"
    assert main(["report", str(example), str(bad), "-o", str(out), "--as-of", "2026-11-22", "-q"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().startswith(f"edi-workbook: {bad}:")
    assert "broken.xlsx" in out.read_text(encoding="utf-8")


def test_unreadable_files_are_not_counted_as_plans(example, tmp_path, capsys):
    """A new user's folder of 9 files, 2 unreadable, was reported as "9 plans"."""
    bad = tmp_path / "broken.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    out = tmp_path / "board.html"
    assert main(["report", str(example), str(bad), "-o", str(out), "--as-of", "2026-11-22"]) == 2
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"Wrote {out}: 1 plan (1 file could not be read), 34 actions")
    html = out.read_text(encoding="utf-8")
    assert "Plans read (1 file could not be read)" in html


def test_out_is_required(example, capsys):
    assert main(["report", str(example)]) == 2
    assert "-o" in capsys.readouterr().err


def test_report_refuses_a_name_that_is_not_html(tmp_path):
    from edi_workbook.cli import main
    from tests.conftest import ROOT

    out = tmp_path / "r.pdf"
    example = ROOT / "workbook_templates" / "example_action_plan.xlsx"
    assert main(["report", str(example), "-o", str(out)]) == 2
    assert not out.exists()
