"""Tolerant header matching and header-row scoring."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_workbook.read import headers
from edi_workbook.read.headers import best_header_row, match_header, match_row, normalise, two_row_header


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Ref", "action_id"),
        ("ID", "action_id"),
        ("No.", "action_id"),
        ("Action ID", "action_id"),
        ("Lead", "owner"),
        ("Responsible", "owner"),
        ("Owner(s)", "owner"),
        ("Deadline", "due_date"),
        ("Target date", "due_date"),
        ("By when", "due_date"),
        ("Due", "due_date"),
        ("Due date (dd/mm/yyyy)", "due_date"),
        ("High Impact Action", "hia"),
        ("HIA(s)", "hia"),
        ("  hia  ", "hia"),
        ("Progress", "pct_complete"),
        ("% Complete", "pct_complete"),
        ("Evidence / notes", "notes"),
        ("Progress update", "notes"),
        ("Action", "action"),
        ("PSED", "psed_aim"),
        ("RAG", "rag"),
        # issue 12: the names published plans give their columns
        ("Description of action", "action"),
        ("What we will do", "action"),
        ("Key actions", "action"),
        ("How we will measure success", "success_measure"),
        ("KPI", "success_measure"),
        ("Executive lead", "owner"),
        ("Lead on Action(s)", "owner"),
        ("Who is going to do it (Owner)", "owner"),
        ("Date", "due_date"),
        ("End", "due_date"),
        ("Timescale", "due_date"),
        ("Status (BRAG)", "rag"),
        ("Q1 update", "notes"),
        ("RAG last year", "rag"),
        ("Objective", "objective"),
        ("Theme", "objective"),
        ("Equality Objective", "objective"),
        # the third transcription (N series)
        ("1. Objective Area for improvement", "objective"),
        ("Area for improvement", "objective"),
        ("Has Target been met, if so how?", "notes"),
        ("Has the outcome been achieved?", "notes"),
        # the fourth (P series)
        ("How progress is to be measured", "success_measure"),
        ("How will progress be measured?", "success_measure"),
    ],
)
def test_match_header(text, key):
    assert match_header(text) == key


@pytest.mark.parametrize("text", ["Budget £", "", None, 42, "Cost centre", "Resources", "Service area"])
def test_unknown_headers(text):
    assert match_header(text) is None


def test_first_column_wins_and_extras_are_kept():
    m = match_row(["Ref", "Action", "ID", "Budget"])
    assert m.columns == {"action_id": 0, "action": 1}
    assert m.extras == {2: "ID", 3: "Budget"}


def test_best_header_row_skips_title_rows():
    rows = [
        ["EDI Action Plan 2025/26 – Owner: Practice Manager", None, None],
        [None, None, None],
        ["Organisation:", "Riverside", None],
        ["Ref", "Action", "Lead", "Deadline"],
        ["1", "Do a thing", "Me", "March 2026"],
    ]
    m = best_header_row(rows)
    assert m is not None
    assert (m.row, m.score) == (3, 4)


def test_actions_beat_objectives_and_the_objective_is_kept():
    m = match_row(["Objective", "Actions", "Lead", "Deadline"])
    assert m.columns == {"objective": 0, "action": 1, "owner": 2, "due_date": 3}


def test_a_two_row_header_reads_each_sub_header_under_its_parent():
    rows = [
        ["Task Nos.", "Planned Action", "Lead", "Completion date", None],
        [None, None, None, "Aim", "Completed / revised date"],
        ["1", "Set up the group", "BD", "April 2007", "Completed"],
    ]
    m = best_header_row(rows, merged=[((0, 3), (0, 4))])
    assert (m.row, m.rows) == (1, 2)
    assert m.columns["due_date"] == 3
    assert m.columns["completed_date"] == 4
    assert m.texts[4] == "Completion date / Completed / revised date"


def test_no_header_row():
    assert best_header_row([["Line", "Cost centre", "Amount"], ["Training", "EDI01", 2000]]) is None
    assert best_header_row([["Owner", "Due date", "Status"]]) is None  # no action text nor id


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
    | st.sampled_from(["Due date", "% complete", "İD #", "Ref."])
)
def test_a_headers_words_hold_exactly_its_normalised_characters(text):
    """headers.scores looks a text up as the canonical header by its joined words, not by normalise()."""
    assert "".join(headers._words(text)) == normalise(text)


def test_a_header_naming_the_years_it_covers_is_a_header_not_a_numbered_value():
    """'Equality Objective 2020 - 2021' over objectives: the column's header (it names the years), where
    'Equality Objective 1' over a sentence is a value: the first objective, not a header."""
    from edi_workbook.read.headers import fallback_header_row

    body = [
        ["Deliver EDS 2022 as a system", "The revised EDS was commissioned for the NHS"],
        ["Develop engagement on the impact of COVID-19", "Research in June 2020 found higher risks"],
    ]
    intro = ["The Equality Act asks public bodies, including NHS organisations, to publish objectives"]
    rows = [
        ["Equality Objectives 2019-2022"],
        intro,
        ["Equality Objective 2020 \u2013 2021", "Rationale"],
        *body,
    ]
    m = fallback_header_row(rows)
    assert m is not None
    assert m.row == 2
    assert fallback_header_row([["Equality Objective 1", "Rationale"], *body]) is None


def test_a_section_heading_under_a_header_does_not_hide_the_rows_below_it():
    """A header naming one field plainly, then a section heading ("Empowering people"), then the rows."""
    from edi_workbook.read.headers import fallback_header_row

    rows = [
        ["Equality Outcomes 2023 - 2027", None, None],
        ["Key area", "Strategic Objective", None],
        ["Empowering people", None, None],
        ["Improve personalisation", "Embed digital solutions to support self-management", "1, 2 and 6"],
        [None, "Increase choice and control for service users", "1, 2, 3 and 7"],
    ]
    m = fallback_header_row(rows)
    assert m is not None
    assert m.row == 1
    paragraph = ["The Equality Act asks public bodies to publish at least one equality objective every year"]
    assert fallback_header_row([rows[1], paragraph, *rows[3:]]) is None  # a paragraph is not a heading


def test_a_two_row_header_whose_merged_parent_was_lost_in_a_csv_export():
    """ "Deadline" over "Original" and "Revised" exported to CSV: the parent is followed by a blank cell."""
    parent = ["Ref", "Action", "Lead", "Deadline", None, "Status"]
    assert two_row_header(parent, [None, None, None, "Original", "Revised", None]) == {
        0: "Ref", 1: "Action", 2: "Lead", 3: "Deadline / Original", 4: "Deadline / Revised", 5: "Status",
    }  # fmt: skip
    # a data row under the same header is no row of sub-headers
    assert (
        two_row_header(parent, ["1", "Publish the WRES report", "HR", "31/03/2026", "Board", "Open"]) is None
    )
    assert (
        two_row_header(parent, [None, None, None, None, "Revised", None]) is None
    )  # nothing under the parent
