"""The SMART check of action texts."""

from __future__ import annotations

import pytest

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
