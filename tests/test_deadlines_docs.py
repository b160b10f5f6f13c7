"""docs/deadlines.md carries the current tables of obligations, HIA milestones and EDS bands.

The tables are generated here from the reference data, so the page cannot drift from it:
``UPDATE_DOCS=1 pytest tests/test_deadlines_docs.py`` rewrites them after a change to
``edi_workbook/data/reference.yaml``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from edi_workbook import reference

DOC = Path(__file__).resolve().parent.parent / "docs" / "deadlines.md"
REF = reference.load()


def _yes(ok: bool) -> str:
    return "yes" if ok else "**unverified**"


def _link(source: str) -> str:
    return f"<{source}>" if source.startswith("http") else source


def obligations_table() -> str:
    rows = [
        "| obligation (id) | when | applies to | verified | source (checked) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for o in REF.obligations:
        note = f" {o.note}" if o.note else ""
        rows.append(
            f"| {o.title} (`{o.id}`) | {o.rule.words}.{note} | {REF.applies_to_words(o.applies_to)} | "
            f"{_yes(o.verified)} | {_link(o.source)} ({o.checked:%d %b %Y}) |"
        )
    return "\n".join(rows) + "\n"


def hia_table() -> str:
    rows = [
        "| id | HIA | date | as published | check | verified | source |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for d in sorted(REF.national_deadlines, key=lambda x: (x.hia, x.date, x.id)):
        check = d.status + (f" (was {d.was:%d %b %Y})" if d.was else "")
        rows.append(
            f"| `{d.id}` | {d.hia} | {d.date:%d %b %Y} | {d.wording} | {check} | {_yes(d.verified)} | "
            f"{_link(d.source)} |"
        )
    for u in REF.undated_actions:
        rows.append(
            f"| `{u.id}` | {u.hia} | none | {u.wording} | unverified | {_yes(u.verified)} | "
            f"{_link(u.source)} |"
        )
    return "\n".join(rows) + "\n"


def bands_table() -> str:
    rows = ["| band | from total | verified | source |", "| --- | --- | --- | --- |"]
    for b in REF.eds_bands:
        note = f" {b.note}" if b.note else ""
        rows.append(f"| {b.band} | {b.lowest} | {_yes(b.verified)} | {_link(b.source)}{note} |")
    return "\n".join(rows) + "\n"


TABLES = {"obligations": obligations_table, "hia": hia_table, "eds-bands": bands_table}


@pytest.mark.parametrize("name", list(TABLES))
def test_table_is_current(name):
    block = re.compile(rf"(<!-- {name}:start -->\n)(.*?)(<!-- {name}:end -->)", re.S)
    text = DOC.read_text(encoding="utf-8")
    table = TABLES[name]()
    if os.environ.get("UPDATE_DOCS"):
        text = block.sub(lambda m: m[1] + table + m[3], text)
        DOC.write_text(text, encoding="utf-8")
    m = block.search(text)
    assert m is not None, f"docs/deadlines.md has no {name} block"
    assert m[2] == table, "docs/deadlines.md is stale: UPDATE_DOCS=1 pytest tests/test_deadlines_docs.py"


def test_every_obligation_has_a_source_and_a_checked_date():
    assert len(REF.obligations) >= 8
    for o in REF.obligations:
        assert o.source.strip(), o.id
        assert o.checked is not None, o.id
    for d in REF.national_deadlines:
        assert d.source.strip(), d.id
        assert d.checked is not None, d.id
        assert d.status in {"confirmed", "corrected", "unverified"}, d.id
        assert (d.status == "unverified") == (not d.verified), d.id
        assert (d.status == "corrected") == (d.was is not None), d.id
