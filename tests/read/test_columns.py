"""Column profiles: the shortcut that skips reading a sentence as a status agrees with the reading.

``columns._may_be_status`` lets a sentence skip :func:`edi_workbook.values.parse_status` (its two
patterns over a 200-character sentence were most of the cost of profiling a column). It may only
skip a text that function reads as no status: these tests hold it to that on real plan sentences
(the mapping evaluation statements and the benchmark generator's actions), on texts made to sit at
the edges of the rule (a status word after dots, spaces, tabs and other spaces; a status with a
comment; long runs of spaces), and on random texts.
"""

from __future__ import annotations

import csv

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generate import actions
from edi_workbook import reference, values
from edi_workbook.read import columns
from tests.paths import TESTS


def _agrees(text: str) -> bool:
    """The shortcut says "maybe" whenever the full reading finds a status."""
    t = text.strip()
    return columns._may_be_status(t) or values.parse_status(t) is None


def _status_words() -> list[str]:
    return [w for s in reference.load().statuses for w in (s.name, *s.synonyms)] + ["TRUE", "false"]


def test_every_status_word_is_a_start_the_shortcut_knows():
    starts, longest = columns._status_starts()
    assert {w.lower() for w in _status_words()} <= set(starts)
    assert longest == max(len(w) for w in starts)


def test_plan_sentences_agree():
    texts = []
    with (TESTS / "data" / "mapping_eval.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            texts += [row["text"], row["success_measure"]]
    for seed in range(3):
        for a in actions(50, seed=seed):
            texts += [str(v) for v in a.values() if isinstance(v, str)]
    assert len(texts) > 300
    assert all(_agrees(t) for t in texts)


def test_texts_that_start_with_a_status_agree_and_are_read():
    fillers = ["", ".", "...", "!", " . ", "\t", "\u00a0", "\u2003. ", " " * 70, ". " * 40, "\n\n"]
    tails = [
        "", ".", " - see the board paper of March for the detail of what was agreed and why",
        ": all managers trained in the new recruitment process across the three sites",
        " (see notes) " + "x " * 30, "; moved to next year because the budget was not agreed",
        "   " * 30 + "- waiting on HR", " and more words to make a sentence long enough for it",
    ]  # fmt: skip
    checked = found = 0
    for word in _status_words():
        for lead in fillers:
            for tail in tails:
                for text in (lead + word + tail, lead + word.upper() + tail):
                    checked += 1
                    assert _agrees(text), repr(text)
                    found += values.parse_status(text.strip()) is not None
    assert found > checked // 4  # the edge cases do reach statuses, so the test can fail


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from([*" .!\t\u00a0-–:;(", "done", "on hold", "in", "x", "Open", "Not started"]),
        max_size=60,
    ).map("".join)
)
def test_random_texts_agree(text):
    assert _agrees(text)


def test_a_completed_column_of_sentences_is_the_notes():
    """'Dates reviewed, progress made/action fully completed' over sentences: what has happened,
    not the dates actions were completed on (a column of dates under it stays the completed date)."""
    from edi_workbook.read.headers import HeaderMatch

    header = "5. Dates reviewed, progress made/action fully completed"
    said = ["An 11% return was achieved by end July 16, target not met.", "Agenda item in Spring 2017"]
    for cells, key in ((said, "notes"), (["01/06/2017", "March 2018"], "completed_date")):
        m = HeaderMatch(row=0, texts={0: "Action", 1: header})
        columns.decide(m, {0: ["Run the survey", "Publish the data"], 1: cells})
        assert m.columns == {"action": 0, key: 1}, cells


def test_a_blank_headed_column_of_number_lists_is_not_the_action():
    """'1, 2, 6 and 7' (the national outcomes an objective serves) has words but no sentence: the
    action is the column of sentences beside it."""
    from edi_workbook.read.headers import HeaderMatch

    m = HeaderMatch(row=0, texts={0: "Key area", 1: "Strategic Objective"})
    columns.decide(
        m,
        {
            0: ["Improve personalisation", None, "Reduce inequality"],
            1: ["Embed digital solutions to support self-management", "Increase choice and control",
                "Further reduce inequality of health outcomes"],
            2: ["1, 2, 3, 4, 5, 6, 7 and 9", "1, 2, 3, 6 and 7", "1, 3, 4, 5, 6, 7, 8 and 9"],
        },
    )  # fmt: skip
    assert m.columns == {"objective": 0, "action": 1}


def test_a_blank_headed_column_of_short_dates_is_still_the_due_date():
    """From a review: the number-list rule took '30/06/26' for a list of numbers, so a due-date
    column without a header was lost."""
    from edi_workbook.read.headers import HeaderMatch

    m = HeaderMatch(row=0, texts={0: "No.", 1: "Action", 2: "Lead", 4: "Update"})
    columns.decide(
        m,
        {
            0: ["1", "2", "3"],
            1: ["Publish the WRES report", "Train the panel chairs", "Run the staff survey"],
            2: ["EDI lead", "HR", "EDI lead"],
            3: ["30/06/26", "1/4/27", "31/12/26"],
            4: ["Drafted", "Booked", "Not started"],
        },
    )
    assert m.columns.get("due_date") == 3
