"""``edi-workbook validate``: text and JSON output, exit codes, golden reports, --write-back.

Golden reports live in tests/golden/validate/ (one per readable fixture, --as-of 2025-06-01).
After an intended change, regenerate them with ``UPDATE_GOLDEN=1 .venv/bin/python -m pytest
tests/cli/test_validate.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from edi_workbook.cli import main
from edi_workbook.errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE
from tests.paths import ROOT

OK = Path("tests/fixtures/read/ok")
GOLDEN = ROOT / "tests" / "golden" / "validate"
FIXTURES = sorted(p.name for p in (ROOT / OK).iterdir())
FINDING_KEYS = ["code", "severity", "message", "sheet", "cell", "row", "column", "action_id"]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # file names in reports are relative, so goldens are portable


def run(capsys, *args):
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", FIXTURES)
def test_golden_json(capsys, name):
    code, out, err = run(capsys, "--format", "json", "--as-of", "2025-06-01", str(OK / name))
    golden = GOLDEN / (name + ".json")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8"), "report changed; see the module docstring"
    assert code == (EXIT_OK if json.loads(out)["files"][0]["ok"] else EXIT_FINDINGS)
    assert err == ""


def test_json_shape(capsys):
    code, out, _ = run(capsys, "--format", "json", "--as-of", "2025-06-01", str(OK / "title_block.xlsx"))
    doc = json.loads(out)
    assert list(doc) == ["files"]
    (f,) = doc["files"]
    assert list(f) == ["file", "ok", "actions", "errors", "warnings", "columns", "sections", "findings"]
    assert f["columns"]["Owner"] == "Lead"  # issue 12: our header -> the file's own
    assert f["sections"] == []
    assert (f["file"], f["ok"], f["actions"]) == (str(OK / "title_block.xlsx"), False, 6)
    assert all(list(x) == FINDING_KEYS for x in f["findings"])
    assert f["errors"] == sum(x["severity"] == "error" for x in f["findings"])
    assert code == EXIT_FINDINGS


def test_text_groups_findings_per_file_with_cells(capsys):
    code, out, _ = run(
        capsys, "--as-of", "2025-06-01", str(OK / "title_block.xlsx"), str(OK / "export_cp1252.csv")
    )
    assert code == EXIT_FINDINGS
    blocks = out.split("\ntests/")
    assert len(blocks) == 2
    assert blocks[0].startswith("tests/fixtures/read/ok/title_block.xlsx: 6 actions")
    assert "'EDI plan 2025-26'!E9" in blocks[0]
    assert "Ref -> Action ID" in blocks[0]
    assert "export_cp1252.csv: 3 actions" in blocks[1]


def test_exit_zero_when_only_warnings(capsys):
    code, out, _ = run(
        capsys, "--as-of", "2025-06-01", "--ignore", "duplicate-action-id", str(OK / "last_year_copy.xlsx")
    )
    assert code == EXIT_OK
    assert "0 errors" in out


def test_select(capsys):
    code, out, _ = run(
        capsys,
        "--format",
        "json",
        "--as-of",
        "2025-06-01",
        "--select",
        "overdue",
        str(OK / "title_block.xlsx"),
    )
    codes = {x["code"] for x in json.loads(out)["files"][0]["findings"]}
    assert codes == {"overdue"}
    assert code == EXIT_OK


def test_misuse_is_exit_2(capsys):
    assert run(capsys, "--as-of", "31/03/2025", str(OK / "title_block.xlsx"))[0] == EXIT_USAGE
    code, _, err = run(capsys, "--select", "no-such-code", str(OK / "title_block.xlsx"))
    assert code == EXIT_USAGE
    assert "no-such-code" in err
    assert main(["validate"]) == EXIT_USAGE


def test_unreadable_file_is_exit_2_and_others_still_reported(capsys):
    code, out, err = run(capsys, "--as-of", "2025-06-01", "missing.xlsx", str(OK / "title_block.xlsx"))
    assert code == EXIT_UNREADABLE
    assert err.strip() == "edi-workbook: missing.xlsx: file not found"
    assert "title_block.xlsx: 6 actions" in out


def test_write_back(capsys, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "plan.xlsx"
    shutil.copyfile(ROOT / OK / "template_filled.xlsx", target)
    code, _, err = run(capsys, "--as-of", "2025-06-01", "--write-back", str(target))
    assert code == EXIT_FINDINGS
    assert "plan.xlsx" in err
    backups = [p for p in tmp_path.iterdir() if p.name != "plan.xlsx"]
    assert backups, "a backup of the original is kept beside it"
    ws = load_workbook(target)["Validation"]
    cells = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    assert "missing-owner" in cells


def test_write_back_refuses_csv_like_map_and_rag(capsys, tmp_path):
    target = tmp_path / "plan.csv"
    shutil.copyfile(ROOT / OK / "export_cp1252.csv", target)
    before = target.read_bytes()
    code, out, err = run(capsys, "--as-of", "2025-06-01", "--write-back", str(target))
    assert code == 2
    assert "CSV file cannot hold notes or highlights" in err
    assert "plan.csv:" in out
    assert target.read_bytes() == before
    assert list(tmp_path.iterdir()) == [target]


def test_json_lists_unreadable_files_too(capsys, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    code, out, _ = run(capsys, "--format", "json", str(bad), str(ROOT / OK / "export_cp1252.csv"))
    files = json.loads(out)["files"]
    assert code == 2
    assert [(Path(f["file"]).name, f["ok"], "error" in f) for f in files] == [
        ("bad.xlsx", False, True),
        ("export_cp1252.csv", files[1]["ok"], False),
    ]


def test_write_back_on_a_foreign_workbook_keeps_its_cells(capsys, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "riverside.xlsx"
    shutil.copyfile(ROOT / OK / "title_block.xlsx", target)
    before = {
        (ws.title, c.coordinate): c.value
        for ws in load_workbook(target)
        for row in ws.iter_rows()
        for c in row
    }
    code, _, _ = run(capsys, "--as-of", "2025-06-01", "--write-back", str(target))
    assert code == EXIT_FINDINGS
    after = load_workbook(target)
    kept = {
        (ws.title, c.coordinate): c.value
        for ws in after
        if ws.title in {"EDI plan 2025-26", "Notes"}
        for row in ws.iter_rows()
        for c in row
    }
    assert {k: v for k, v in kept.items() if v is not None} == {
        k: v for k, v in before.items() if v is not None
    }
    assert "Validation" in after.sheetnames
    # the findings read back from the written file point at the same cells as before
    code, out, _ = run(
        capsys, "--format", "json", "--as-of", "2025-06-01", "--select", "missing-owner", str(target)
    )
    assert [f["cell"] for f in json.loads(out)["files"][0]["findings"]] == ["D9"]


def test_validate_sets_up_with_the_collector_paused_then_frozen_once_per_process():
    """In a fresh Python (a freeze lasts as long as the process: pytest's own must not depend on
    which test ran first): the imports run with the collector paused, the first command freezes
    what exists (the start-up figure depends on it), a second one in the same host freezes nothing."""
    import subprocess
    import sys

    code = (
        "import gc, json, sys\n"
        "from edi_workbook.cli import main\n"
        "from edi_workbook.cli.options import setting_up\n"
        "before = gc.get_freeze_count()\n"
        "with setting_up('decimal'):\n"
        "    paused = not gc.isenabled()\n"
        "imported = 'decimal' in sys.modules\n"
        "first = main(['validate', '--as-of', '2025-06-01', sys.argv[1]])\n"
        "frozen = gc.get_freeze_count()\n"
        "made = [[] for _ in range(1000)]  # new objects, which a second freeze would take too\n"
        "second = main(['validate', '--as-of', '2025-06-01', sys.argv[1]])\n"
        "print(json.dumps(dict(before=before, paused=paused, imported=imported, codes=[first, second],\n"
        "    frozen=frozen, again=gc.get_freeze_count(), on=gc.isenabled())))\n"
    )
    plan = OK / FIXTURES[0]
    out = subprocess.run([sys.executable, "-c", code, str(plan)], capture_output=True, text=True, check=True)
    seen = json.loads(out.stdout.splitlines()[-1])
    assert seen["before"] == 0
    assert seen["paused"]
    assert seen["imported"]
    assert seen["codes"][0] == seen["codes"][1]
    assert seen["codes"][0] in (EXIT_OK, EXIT_FINDINGS)
    assert seen["frozen"] > 0  # what existed is out of the collector's sight from now on
    assert seen["again"] == seen["frozen"]  # once per process: a host's later garbage stays collectable
    assert seen["on"]


def test_validate_leaves_the_collector_on(capsys):
    import gc

    code, out, _ = run(capsys, "--as-of", "2025-06-01", str(OK / next(iter(FIXTURES))))
    assert code in (EXIT_OK, EXIT_FINDINGS)
    assert out
    assert gc.isenabled()
