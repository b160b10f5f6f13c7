"""``edi-workbook new PATH [--example] [--force]``: writes the workbook, never over a file unasked."""

from __future__ import annotations

import subprocess
import sys

import openpyxl

from edi_workbook import reference
from edi_workbook.cli import main
from edi_workbook.errors import EXIT_OK, EXIT_USAGE
from edi_workbook.template import workbook as template
from edi_workbook.template.action_plan import FIRST_ROW


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["new", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _action_ids(path) -> list[str]:
    ws = openpyxl.load_workbook(path)["Action Plan"]
    return [r[0] for r in ws.iter_rows(min_row=FIRST_ROW, values_only=True) if r[0]]


def test_new_writes_the_blank_template_and_says_where(capsys, tmp_path):
    target = tmp_path / "plan.xlsx"
    code, out, err = run(capsys, str(target))
    assert (code, err) == (EXIT_OK, "")
    assert str(target) in out
    assert target.read_bytes() == template.new_workbook(tmp_path / "fresh.xlsx").read_bytes()
    assert _action_ids(target) == []


def test_new_example_writes_the_filled_example(capsys, tmp_path):
    target = tmp_path / "example.xlsx"
    code, out, _ = run(capsys, str(target), "--example")
    assert code == EXIT_OK
    assert str(target) in out
    assert _action_ids(target) == [a["id"] for a in template.example_plan()["actions"]]


def test_new_refuses_an_existing_file_without_force(capsys, tmp_path):
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"someone's plan")
    code, out, err = run(capsys, str(target))
    assert (code, out) == (EXIT_USAGE, "")
    assert len(err.strip().splitlines()) == 1
    assert "--force" in err
    assert "Traceback" not in err
    assert target.read_bytes() == b"someone's plan"
    code, _, _ = run(capsys, str(target), "--force")
    assert code == EXIT_OK
    assert openpyxl.load_workbook(target).sheetnames == list(template.SHEETS)


def test_new_rejects_a_name_that_is_not_xlsx(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "plan.xls"))
    assert code == EXIT_USAGE
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "plan.xls").exists()


def test_new_needs_a_path(capsys):
    code, _, _ = run(capsys)
    assert code == EXIT_USAGE


def test_console_script_runs_new(tmp_path):
    """The real entry point, in a fresh interpreter: exit code and message as a user sees them."""
    target = tmp_path / "plan.xlsx"
    cmd = [sys.executable, "-m", "edi_workbook", "new", str(target)]
    first = subprocess.run(cmd, capture_output=True, text=True, check=False)
    again = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert (first.returncode, again.returncode) == (EXIT_OK, EXIT_USAGE)
    table = openpyxl.load_workbook(target)["Action Plan"].tables["ActionPlan"]
    assert [c.name for c in table.tableColumns][: len(reference.load().headers)] == list(
        reference.load().headers
    )
