"""docs/validation.md carries the current table of finding codes (generated from the registry)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from edi_workbook.rules import all_rules
from edi_workbook.validation import codes_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "validation.md"
BLOCK = re.compile(r"(<!-- codes:start -->\n)(.*?)(<!-- codes:end -->)", re.S)


def test_codes_table_is_current():
    text = DOC.read_text(encoding="utf-8")
    table = codes_markdown()
    if os.environ.get("UPDATE_DOCS"):
        text = BLOCK.sub(lambda m: m[1] + table + m[3], text)
        DOC.write_text(text, encoding="utf-8")
    m = BLOCK.search(text)
    assert m is not None
    assert m[2] == table, "docs/validation.md is stale: UPDATE_DOCS=1 pytest tests/test_validation_docs.py"


def test_every_rule_code_is_in_the_table():
    table = codes_markdown()
    assert all(f"`{r.code}`" in table for r in all_rules())
