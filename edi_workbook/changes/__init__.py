"""What changed between returns of a plan (core): :func:`diff`, :func:`track`, :func:`series`.

``matching`` pairs the actions of two returns (Action ID, else wording); ``plan_diff`` lists what
changed between the pairs. ``edi_workbook.diff`` is :func:`diff`.
"""

from edi_workbook.changes.matching import THRESHOLD, Match, match_actions, similarity
from edi_workbook.changes.plan_diff import KINDS, QUARTER_DAYS, Change, PlanDiff, Track, diff, series, track

__all__ = [
    "KINDS",
    "QUARTER_DAYS",
    "THRESHOLD",
    "Change",
    "Match",
    "PlanDiff",
    "Track",
    "diff",
    "match_actions",
    "series",
    "similarity",
    "track",
]
