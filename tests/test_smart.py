"""The SMART check of action texts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_workbook import smart
from edi_workbook.smart import check_smart, has_measure, has_time_frame


@pytest.mark.parametrize(
    "text",
    [
        "Train 90% of line managers in inclusive recruitment by March 2026",
        "Publish 3 pay gap reports (sex, race, disability) by 31/03/2026",
        "Hold 4 listening events with disabled staff in Q3 2025/26",
        "Reduce bullying reported in the staff survey by 5 points within 12 months",
    ],
)
def test_smart_texts(text):
    assert check_smart(text).ok


@pytest.mark.parametrize(
    ("text", "reasons"),
    [
        (
            "Raise awareness of EDI",
            ("no measurable outcome", "no time frame", "vague verb: 'raise awareness'"),
        ),
        (
            "Promote inclusion across the practice",
            ("no measurable outcome", "no time frame", "vague verb: 'promote'"),
        ),
        ("Review the recruitment policy", ("no measurable outcome", "no time frame")),
        ("Train 20 staff", ("no time frame",)),
        ("Update the policy by June 2026", ("no measurable outcome",)),
        ("", ("no action text",)),
        (None, ("no action text",)),
    ],
)
def test_not_smart_with_short_reasons(text, reasons):
    result = check_smart(text)
    assert (result.ok, result.reasons) == (False, reasons)


def test_row_context_supplies_time_frame_and_measure():
    assert check_smart("Review the recruitment policy", has_due_date=True, measure="3 policies updated").ok
    assert check_smart("Review the recruitment policy", has_due_date=True).reasons == (
        "no measurable outcome",
    )


def test_vague_verb_with_a_number_is_fine():
    assert check_smart("Promote the staff network to all 120 staff by May 2026").ok


def test_helpers():
    assert has_measure("80% of staff")
    assert has_measure("3 events")
    assert has_measure("31/03/2026")
    assert not has_measure("Better culture")
    assert has_time_frame("every quarter")
    assert not has_time_frame("Better culture")


def test_vague_words_used_as_nouns_are_fine():
    assert check_smart("Run 4 menopause support sessions by March 2026").ok
    assert check_smart("Offer psychological support", has_due_date=True, measure="100% offered support").ok
    assert check_smart("Continue to promote the network").reasons[-1] == "vague verb: 'promote'"


# The patterns as they were before the lookaheads (issue 18): the faster ones must match alike, and so
# must what _facts reads in an ASCII text through its words (issue 18, third round).
_NUMBER_BEFORE = re.compile(
    r"\d|%|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|fifty|"
    r"hundred|half|all|every|each|zero|double|halve|reduce[sd]? by|increase[sd]? by)\b",
    re.I,
)
_TIME_BEFORE = re.compile(
    r"\b(by|before|within|until|end of|from)\s+\w+|\b(q[1-4]|quarter(ly)?|annual(ly)?|month(ly)?|"
    r"week(ly)?|year(ly)?|20\d\d|\d{1,2}/\d{1,2}/\d{2,4}|january|february|march|april|may|june|"
    r"july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|"
    r"dec|spring|summer|autumn|winter|deadline|days?|weeks|months|years)\b",
    re.I,
)


_DATE_PARTS_BEFORE = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\bq[1-4]\b|\b(?:fy\s?)?(?:19|20)\d\d(?:/\d{2,4})?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+"
    r"(?=jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)


def _before(text: str) -> tuple[object, ...]:
    measure, timed = (
        bool(_NUMBER_BEFORE.search(_DATE_PARTS_BEFORE.sub(" ", text))),
        bool(_TIME_BEFORE.search(text)),
    )
    return (
        measure,
        bool(_NUMBER_BEFORE.search(text)),
        timed,
        _DATE_PARTS_BEFORE.sub(" ", text),
        measure,
        timed,
        bool(re.search(r"\d", _DATE_PARTS_BEFORE.sub(" ", text))),
    )


def _now(text: str) -> tuple[object, ...]:
    facts = smart._facts.__wrapped__(text)  # through the words of an ASCII text
    return (
        smart._has_measure.__wrapped__(text, False),
        bool(smart._NUMBER_RE.search(text)),
        has_time_frame(text),
        smart._DATE_PARTS_RE.sub(" ", text),
        facts[0],
        facts[1],
        smart._bare_digit(text),
    )


# letters that fold to ASCII under re.IGNORECASE (Kelvin sign, long s, dotted capital I), digits of
# other scripts, and the words and separators the patterns look for
_ODD = "KſİıÅ٣١²%/ -._\t\n"
_WORDS = ["one", "all", "by", "end of", "Q3", "2026", "12/03/2025", "3rd", "march", "FY2025/26",
          "reduced by", "INCREASES BY", "weekly", "days", "from", "sept", "half", "fy 1999/00", "5th",
          "until", "within", "Every", "2099", "q5", "20255", "by_", "_all", "end  of",
          "reduce  by"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_WORDS), st.text(alphabet=_ODD + "abcdefsty0123", max_size=6)), max_size=8
    )
)
def test_faster_patterns_match_as_before(parts):
    text = " ".join(parts)
    assert _now(text) == _before(text)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_WORDS), st.text(alphabet="%/ -._\t\nabcdefqstyMAR0123", max_size=6)))
)
def test_what_facts_reads_in_ascii_words_is_what_the_patterns_match(parts):
    text = " ".join(parts)
    assert _now(text) == _before(text)


# every word the patterns name, and neighbours that are not those words
_NAMED = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty",
    "fifty", "hundred", "half", "all", "every", "each", "zero", "double", "halve", "reduce", "reduces",
    "reduced", "increase", "increases", "increased", "q1", "q2", "q3", "q4", "quarter", "quarterly",
    "annual", "annually", "month", "monthly", "week", "weekly", "year", "yearly", "2000", "2026",
    "2099", "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "spring", "summer", "autumn", "winter", "deadline", "day", "days", "weeks",
    "months", "years", "by", "before", "within", "until", "end", "from", "ones", "eleven", "alls",
    "q0", "q5", "quarters", "annuals", "1999", "2100", "20", "mays", "septs", "decs", "weekss",
    "deadlines", "froms",
]  # fmt: skip


@pytest.mark.parametrize("word", _NAMED)
def test_each_named_word_reads_as_the_patterns_read_it(word):
    for text in (
        word,
        word.upper(),
        f"Do it {word}.",
        f"{word} by june",
        f"{word}_x",
        f"x{word}",
        f"{word} of 5",
    ):
        assert _now(text) == _before(text), text


def test_faster_patterns_match_as_before_on_published_statements():
    from benchmarks.generate import actions, statements

    texts = [s[0] for s in statements()] + [str(a["action"]) for a in actions(1500, seed=3)]
    texts += [str(a["success_measure"]) for a in actions(500, seed=4) if a.get("success_measure")]
    assert len(texts) > 2500
    differ = [t for t in texts if _now(t) != _before(t)]
    assert not differ[:5]
