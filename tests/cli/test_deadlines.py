"""``edi-workbook deadlines``: the reporting year's next 12 months, the JSON contract, filters, --plan."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from edi_workbook import reference
from edi_workbook.cli import main
from edi_workbook.cli.deadlines import APPLIES_TO
from edi_workbook.template import new_workbook
from tests.test_reporting_cycle import NEXT_12_MONTHS_FROM_2026_11_28

CONTRACT = ["id", "kind", "title", "date", "status", "days", "applies_to", "verified", "source"]


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_contract_lists_every_recurring_deadline_of_the_next_12_months(capsys):
    code, out, _ = _run(capsys, "deadlines", "--as-of", "2026-11-28", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["as_of", "deadlines"]
    assert data["as_of"] == "2026-11-28"
    items = data["deadlines"]
    assert all(list(d) == CONTRACT for d in items)
    assert all(d["source"].strip() for d in items)
    assert [d["date"] for d in items] == sorted(d["date"] for d in items)
    annual = [(d["id"].rsplit("-", 1)[0], d["date"], d["verified"]) for d in items if d["kind"] == "annual"]
    assert annual == [(o, day.isoformat(), v) for o, day, v in NEXT_12_MONTHS_FROM_2026_11_28]
    assert [d for d in items if d["kind"] == "hia"] == []  # every milestone has passed by then
    assert items[0] == {
        "id": "staff-survey-fieldwork-2026",
        "kind": "annual",
        "title": "NHS Staff Survey fieldwork closes",
        "date": "2026-11-30",
        "status": "Due soon",
        "days": 2,
        "applies_to": ["trust", "icb"],
        "verified": False,
        "source": items[0]["source"],
    }


def test_text_marks_unverified_dates(capsys):
    code, out, _ = _run(capsys, "deadlines", "--as-of", "2026-11-28")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "National deadlines as of 28 November 2026: the next 12 months"
    fieldwork = next(ln for ln in lines if "Staff Survey fieldwork" in ln)
    assert fieldwork.endswith("(unverified)")
    assert "Gender pay gap published" in out
    assert next(ln for ln in lines if "Gender pay gap published" in ln).endswith("published")
    wres = next(ln for ln in lines if "WRES report" in ln)
    assert "(unverified)" in wres
    assert sum("(unverified)" in ln for ln in lines if ln[:2].isdigit()) == sum(
        not v for _, _, v in NEXT_12_MONTHS_FROM_2026_11_28
    )


def test_history_adds_the_passed_milestones(capsys):
    _, out, _ = _run(capsys, "deadlines", "--as-of", "2026-11-28", "--history", "--format", "json")
    hia = [d for d in json.loads(out)["deadlines"] if d["kind"] == "hia"]
    assert len(hia) == len(reference.load().national_deadlines)
    assert {d["status"] for d in hia} == {"Passed"}
    assert {d["id"]: d["date"] for d in hia}["3b-other"] == "2026-03-31"


@pytest.mark.parametrize("kind", APPLIES_TO)
def test_applies_to_filters(capsys, kind):
    _, out, _ = _run(capsys, "deadlines", "--as-of", "2024-01-15", "--applies-to", kind, "--format", "json")
    items = json.loads(out)["deadlines"]
    assert all(kind in d["applies_to"] for d in items)
    assert any(d["kind"] == "hia" for d in items) == (kind in ("trust", "icb"))


def test_applies_to_choices_are_the_reference_organisation_types():
    assert set(APPLIES_TO) == {t.applies_to for t in reference.load().org_types}


def test_csv_has_the_contract_columns(capsys):
    code, out, _ = _run(
        capsys, "deadlines", "--as-of", "2026-11-28", "--format", "csv", "--applies-to", "trust"
    )
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0
    assert rows[0] == CONTRACT
    assert [r[0] for r in rows[1:]][:2] == ["staff-survey-fieldwork-2026", "eds-publication-2027"]
    assert all(r[6].split("; ")[0] in APPLIES_TO for r in rows[1:])


def test_plan_uses_its_organisation_type_and_shows_its_actions(tmp_path: Path, capsys):
    import openpyxl

    path = new_workbook(tmp_path / "trust.xlsx", example=True)
    wb = openpyxl.load_workbook(path)
    (sheet, ref), *_ = wb.defined_names["OrgType"].destinations
    wb[sheet][ref.replace("$", "")] = "NHS foundation trust"
    wb.save(path)
    code, out, _ = _run(capsys, "deadlines", "--plan", str(path))
    assert code == 0
    assert "as of 22 November 2026: the next 12 months, for NHS trusts" in out
    assert "plan: fed by EDI-15, EDI-16, EDI-17" in out  # the example's pay gap actions
    assert "plan: no action feeds it" in out  # WDES, WRES, EDS, PSED
    code, out, _ = _run(capsys, "deadlines", "--plan", str(path), "--format", "json")
    plan = {p["deadline"]: p for p in json.loads(out)["plan"]}
    assert plan["gender-pay-gap-2027"]["action_ids"] == ["EDI-15", "EDI-16", "EDI-17"]
    assert plan["wdes-report-2027"]["action_ids"] == []


def test_plan_of_unknown_type_lists_everything(tmp_path: Path, capsys):
    import openpyxl

    path = new_workbook(tmp_path / "x.xlsx", example=True)
    wb = openpyxl.load_workbook(path)
    (sheet, ref), *_ = wb.defined_names["OrgType"].destinations
    wb[sheet][ref.replace("$", "")] = "Charity"
    wb.save(path)
    _, out, _ = _run(capsys, "deadlines", "--plan", str(path))
    assert "organisation type 'Charity' is not one we know: every deadline shown" in out
    assert "WDES data submitted" in out


def test_bad_applies_to_is_a_usage_error(capsys):
    code, _, err = _run(capsys, "deadlines", "--applies-to", "hospice")
    assert code == 2
    assert "hospice" in err
    assert len(err.strip().splitlines()) == 1


def test_nothing_due_says_why_and_what_to_try(capsys, tmp_path):
    """A new user's primary-care plan printed only "Nothing falls due.", which looked broken."""
    code, out, _ = _run(capsys, "deadlines", "--as-of", "2026-11-22", "--applies-to", "primary-care")
    assert code == 0
    assert "Nothing falls due." in out
    assert "No national deadline in the reference data applies to primary care in this window." in out
    assert "--applies-to trust (or icb, public-body)" in out
