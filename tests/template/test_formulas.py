"""The formula strings: references from the reference column order, portable functions only.

Whether the formulas compute the rule is proven by LibreOffice in tests/test_rag_parity.py.
"""

from __future__ import annotations

import re

import pytest

from edi_workbook import reference
from edi_workbook.template import formulas

# Functions both Excel and LibreOffice 7.4 compute; anything else in a formula is a defect.
PORTABLE = {"IF", "AND", "OR", "NOT", "ISNUMBER", "INT", "N", "ABS", "ROUND", "TRIM", "TODAY"}


def _functions(formula: str) -> set[str]:
    return set(re.findall(r"([A-Z][A-Z0-9.]*)\(", formula))


def test_letters_follow_the_reference_column_order():
    keys = reference.load().template_keys
    letters = formulas.column_letters()
    assert [letters[k] for k in keys] == [chr(ord("A") + i) for i in range(len(keys))]


@pytest.mark.parametrize("row", [2, 17, 1048576])
def test_formulas_refer_to_their_own_row_only(row):
    letters = formulas.column_letters()
    rag = formulas.rag_formula(row)
    refs = set(re.findall(r"\b([A-Z]{1,3})(\d+)\b", rag))
    assert {int(r) for _, r in refs} == {row}
    assert {c for c, _ in refs} == {letters[k] for k in ("start_date", "due_date", "status", "pct_complete")}
    days = formulas.days_to_due_formula(row)
    assert set(re.findall(r"\b([A-Z]{1,3})(\d+)\b", days)) == {(letters["due_date"], str(row))}


def test_only_portable_functions_and_the_settings_names():
    for text in (formulas.rag_formula(5), formulas.days_to_due_formula(5)):
        assert text.startswith("=")
        assert _functions(text) <= PORTABLE
        assert text.count("(") == text.count(")")
    rag = formulas.rag_formula(5)
    for name in ("AsOfDate", "AmberDays", "ProgressTolerance"):
        assert name in rag
    assert len(rag) < 8192  # Excel's limit on formula length


def test_words_come_from_the_reference_data():
    ref = reference.load()
    quoted = set(re.findall(r'"([^"]+)"', formulas.rag_formula(3)))
    synonyms = {w for s in ref.statuses for w in s.synonyms}
    assert quoted <= set(ref.rag_names) | set(ref.status_names) | synonyms
    assert set(ref.rag_names) <= quoted


@pytest.mark.parametrize("status", ["Complete", "Cancelled", "On hold"])
def test_the_formula_reads_every_word_the_tool_reads_for_the_statuses_it_tells_apart(status):
    """Issue 17: "Done" was Complete to the tool and Amber in the workbook."""
    from edi_workbook import values

    words = re.search(r"\{([^}]*)\}", formulas.status_is("TRIM(J5)", status))
    assert words is not None
    quoted = [w.strip('"') for w in words[1].split(",")]
    tool = {s.casefold() for s in ref_words(status)}
    assert {w.casefold() for w in quoted} == tool
    assert all(values.parse_status(w) == status for w in quoted)


def ref_words(status: str) -> list[str]:
    found = next(s for s in reference.load().statuses if s.name == status)
    return [found.name, *found.synonyms]


def test_other_layouts_can_pass_their_letters():
    letters = {"start_date": "C", "due_date": "AB", "status": "D", "pct_complete": "E"}
    assert "AB9" in formulas.rag_formula(9, letters)
    assert formulas.days_to_due_formula(9, letters).startswith("=IF(ISNUMBER(AB9)")


def test_row_must_be_a_sheet_row():
    with pytest.raises(ValueError, match="rows start at 1"):
        formulas.rag_formula(0)
