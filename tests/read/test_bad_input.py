"""Every failure mode of reading: one plain sentence (PlanReadError), exit code 2, never a traceback."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from edi_workbook import read_plan
from edi_workbook.cli import main
from edi_workbook.errors import EXIT_UNREADABLE, PlanReadError
from tests.open_files import needs_proc, open_fds_on
from tests.paths import TESTS

BAD = TESTS / "fixtures" / "read" / "bad"
OK = TESTS / "fixtures" / "read" / "ok"

CASES = {
    "truncated.xlsx": "damaged or incomplete",
    "corrupt_member.xlsx": "damaged or incomplete",
    "text_named.xlsx": "text file, not an Excel workbook",
    "encrypted.xlsx": "password-protected",
    "empty_workbook.xlsx": "the workbook is empty",
    "no_plan_table.xlsx": "no plan table found",
    "huge_100k_rows.xlsx": "100,000 rows",
    "stray_cell_xfd2000.xlsx": "reaches column XFD and row 2,000",
    "zero_bytes.xlsx": "empty (0 bytes)",
    "opendocument.ods": "damaged or incomplete",
}


@pytest.mark.parametrize(("name", "phrase"), sorted(CASES.items()))
def test_bad_file_gives_one_sentence(name, phrase):
    with pytest.raises(PlanReadError) as info:
        read_plan(BAD / name)
    assert phrase in info.value.reason
    assert "\n" not in str(info.value)
    assert info.value.path.name == name


@pytest.mark.parametrize(("name", "fmt"), [("legacy.xls", "xls"), ("xlsx_named.xls", "xlsx")])
def test_legacy_and_misnamed_workbooks_are_read(name, fmt):
    """A legacy .xls is read for its values (issue 12); an .xlsx named .xls is read as what it is."""
    plan = read_plan(OK / name)
    assert len(plan) > 0
    assert plan.format == fmt
    assert next(iter(plan.frame["action"]))


def test_every_bad_fixture_has_a_case():
    assert {p.name for p in BAD.iterdir()} == set(CASES)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(PlanReadError, match="file not found"):
        read_plan(tmp_path / "nope.xlsx")
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(PlanReadError, match="folder"):
        read_plan(tmp_path / "folder.xlsx")


def test_unknown_extension(tmp_path):
    p = tmp_path / "plan.pdf"
    p.write_bytes(b"%PDF-1.4")
    with pytest.raises(PlanReadError, match="not plans"):
        read_plan(p)


def test_binary_csv(tmp_path):
    p = tmp_path / "plan.csv"
    p.write_bytes(b"Action ID,Action\x00\x01,Owner\n")
    with pytest.raises(PlanReadError, match="binary"):
        read_plan(p)


def test_cli_reports_each_unreadable_file_and_still_validates_the_rest(capsys):
    paths = [str(BAD / n) for n in sorted(CASES)] + [str(OK / "last_year_copy.xlsx")]
    code = main(["validate", "--format", "json", "--as-of", "2025-06-01", *paths])
    out, err = capsys.readouterr()
    assert code == EXIT_UNREADABLE
    lines = err.strip().splitlines()
    assert len(lines) == len(CASES)
    assert all(line.startswith("edi-workbook: ") for line in lines)
    assert "Traceback" not in err
    assert '"actions": 3' in out


def _mutants(source: Path, count: int):
    """Copies of a workbook with one XML part damaged: cut short, or bytes overwritten (fixed seed)."""
    import io
    import random
    import zipfile

    rnd = random.Random(20261122)
    with zipfile.ZipFile(source) as z:
        blobs = {n: z.read(n) for n in z.namelist()}
    xml_parts = sorted(n for n in blobs if n.endswith((".xml", ".rels")))
    for i in range(count):
        target = xml_parts[i % len(xml_parts)]
        data = bytearray(blobs[target])
        if i % 2:
            data = data[: rnd.randrange(len(data))]
        else:
            for _ in range(rnd.randint(1, 6)):
                data[rnd.randrange(len(data))] = rnd.choice(b'<>"/=x0 &')
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name, blob in blobs.items():
                z.writestr(name, bytes(data) if name == target else blob)
        yield target, buf.getvalue()


def test_damaged_parts_never_escape_as_other_exceptions(tmp_path):
    from edi_workbook.plan import Plan

    outcomes, reasons = set(), set()
    for i, (part, data) in enumerate(_mutants(OK / "template_filled.xlsx", 60)):
        path = tmp_path / f"m{i}.xlsx"
        path.write_bytes(data)
        try:
            outcomes.add(type(read_plan(path)))
        except PlanReadError as exc:
            outcomes.add(PlanReadError)
            reasons.add((part, exc.reason))
    assert outcomes == {Plan, PlanReadError}  # some damage is survivable, some is reported
    assert not [r for r in reasons if "\n" in r[1]]


@needs_proc
def test_no_file_is_left_open_after_reading_good_or_bad():
    """A handle left open locks the user's workbook on Windows (Excel cannot save it): every way out
    of the reader, read or refused, closes what it opened."""
    paths = [
        OK / n for n in ("template_filled.xlsx", "macro_enabled.xlsm", "legacy.xls", "export_cp1252.csv")
    ]
    paths += [BAD / n for n in sorted(CASES)]
    for p in paths:
        with contextlib.suppress(PlanReadError):
            read_plan(p)
    still_open = [p.name for p in paths if open_fds_on(p)]
    assert not still_open


def test_a_bug_in_building_the_plan_is_an_internal_error_not_a_damaged_file(monkeypatch, capsys, tmp_path):
    """A good file and a bug of ours: exit 3 and "please report it", never "open it in Excel and
    save it again" (the bug is injected: nothing real here can make plan-building fail)."""
    import edi_workbook.read.workbook as workbook
    from edi_workbook.batch import iter_batch
    from edi_workbook.errors import EXIT_INTERNAL
    from edi_workbook.read import PlanBuildError

    def broken(read):
        raise KeyError("hia")

    monkeypatch.setattr(workbook, "build_plan", broken)
    good = OK / "template_filled.xlsx"
    with pytest.raises(PlanBuildError, match=r"KeyError while building the plan of template_filled\.xlsx"):
        read_plan(good)
    assert main(["validate", str(good)]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "internal error" in err
    assert "damaged" not in err
    assert len(err.strip().splitlines()) == 1
    (result,) = list(iter_batch([good], jobs=1))
    assert result.error.startswith("internal error while reading it")
