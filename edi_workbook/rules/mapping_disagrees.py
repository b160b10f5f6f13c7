"""Where the plan's HIA or PSED aim and the action's text disagree: a hint, never a correction.

Suggestions come from :func:`edi_workbook.mapping.suggest`. A hint is given only when the text
points clearly (top score at least :data:`CONFIDENT`) to HIAs or aims none of which the plan
names; what a person typed is never changed.
"""

from __future__ import annotations

from collections.abc import Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.mapping import Suggestion, suggest_shared
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import parsed

CONFIDENT = 0.8
"""Top suggestion score from which a disagreement is worth mentioning (two strong phrases)."""


def _suggestions(ctx: RuleContext, typed_key: str) -> Iterator[tuple[int, Suggestion, set[object]]]:
    """Rows with action text and a typed ``typed_key`` (HIA or aim): the suggestion and the typed set.

    Suggestions are shared by the two rules of this module, and by rows with the same wording.
    """
    memo: dict[tuple[str, str | None], Suggestion] = ctx.__dict__.setdefault("_suggestions", {})
    measures = parsed(ctx, "success_measure")
    typed = parsed(ctx, typed_key)
    for i, text in enumerate(parsed(ctx, "action")):
        if not text or not typed[i]:
            continue
        m = measures[i]
        key = (str(text), None if m is None else str(m))
        s = memo.get(key)
        if s is None:
            s = memo[key] = suggest_shared(*key)
        yield i, s, set(typed[i])


@rule(
    "hia-differs-from-text",
    Severity.INFO,
    "Text suggests another HIA",
    explanation="The action's words point clearly to a High Impact Action other than the one typed. "
    "It may be right as it is; check the link, since HIA coverage is reported from this column.",
    example="Action A7 says 'publish the ethnicity pay gap' but its HIA is HIA 5: text suggests HIA 3.",
)
def hia_differs(ctx: RuleContext) -> Iterator[Finding]:
    for i, s, plan in _suggestions(ctx, "hia"):
        if not s.hia or s.hia[0].score < CONFIDENT or plan & {h.hia for h in s.hia}:
            continue
        top = s.hia[0]
        says = ", ".join(f"HIA {n}" for n in sorted(plan))
        yield ctx.finding(
            "hia-differs-from-text",
            f"text suggests HIA {top.hia}; plan says {says} (evidence: {', '.join(top.evidence[:3])}).",
            i,
            "hia",
        )


@rule(
    "psed-differs-from-text",
    Severity.INFO,
    "Text suggests another PSED aim",
    explanation="The action's words point clearly to a PSED aim (Equality Act 2010 s.149(1)) other "
    "than the one typed. Many actions serve several aims; add the suggested one if it applies.",
    example="Action A9 is about harassment but its PSED aim is (c): text suggests aim (a).",
)
def psed_differs(ctx: RuleContext) -> Iterator[Finding]:
    for i, s, plan in _suggestions(ctx, "psed_aim"):
        if not s.psed or s.psed[0].score < CONFIDENT or plan & {a.aim for a in s.psed}:
            continue
        top = s.psed[0]
        says = ", ".join(f"({a})" for a in sorted(plan))
        yield ctx.finding(
            "psed-differs-from-text",
            f"text suggests PSED aim ({top.aim}); plan says {says} "
            f"(evidence: {', '.join(top.evidence[:3])}).",
            i,
            "psed_aim",
        )
