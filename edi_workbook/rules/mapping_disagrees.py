"""Where the plan's HIA or PSED aim and the action's text disagree: a hint, never a correction.

Suggestions are :func:`edi_workbook.mapping.suggest`'s, through its cached form
:func:`~edi_workbook.mapping.suggest_shared` (the same answers, computed once per wording). A
hint is given only when the text points clearly (top score at least :data:`HINT_MINIMUM`) to HIAs or
aims none of which the plan names; what a person typed is never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from edi_workbook.findings import Finding, Severity
from edi_workbook.mapping import Contenders, Suggestion, contenders, listed, phrases, suggest_shared
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import by_value, flagged, parsed

HINT_MINIMUM = 0.8
"""Top suggestion score from which a disagreement is worth mentioning (two strong phrases)."""

Judge = Callable[[Suggestion, tuple[object, ...]], "str | None"]


def _disagreements(ctx: RuleContext, typed_key: str, judge: Judge) -> list[tuple[int, str]]:
    """``(row, message)`` where ``judge`` finds the text disagreeing with the typed HIAs or aims.

    Rows are judged once per wording: the text, its success measure and what was typed. A row
    gets its full suggestion only if its top HIA (or aim) could score :data:`HINT_MINIMUM` and be
    one the plan does not name (:func:`mapping.contenders`: the model's sums, without evidence),
    and the plan names none of those the suggestion surely lists if it lists any
    (:func:`mapping.listed`: the sums and which features could be evidence).
    """
    rows = list(
        zip(parsed(ctx, "action"), parsed(ctx, "success_measure"), parsed(ctx, typed_key), strict=True)
    )
    leaning: dict[tuple[object, object], Contenders] = ctx.cache.setdefault("contenders", {})
    sure: dict[tuple[object, object], Contenders] = ctx.cache.setdefault("listed", {})
    suggested: dict[tuple[object, object], Suggestion] = ctx.cache.setdefault("suggestions", {})
    field = "hia" if typed_key == "hia" else "psed"

    def one(row: tuple[str | None, object, tuple[object, ...] | None]) -> str | None:
        text, measure, typed = row
        if not text or not typed:
            return None
        key = (text, measure)
        c = leaning.get(key)
        if c is None:
            c = leaning[key] = contenders(str(text), None if measure is None else str(measure), HINT_MINIMUM)
        if getattr(c, field) <= set(typed):
            return None  # the top suggestion cannot score HINT_MINIMUM, or the plan names it
        c = sure.get(key)
        if c is None:
            c = sure[key] = listed(str(text), None if measure is None else str(measure))
        if not getattr(c, field).isdisjoint(typed):
            return None  # the suggestion lists nothing, or lists one the plan names
        s = suggested.get(key)
        if s is None:
            s = suggested[key] = suggest_shared(str(text), phrases(None if measure is None else str(measure)))
        return judge(s, typed)

    return flagged(by_value(rows, one))


def _hia_message(s: Suggestion, typed: tuple[object, ...]) -> str | None:
    plan = set(typed)
    if not s.hia or s.hia[0].score < HINT_MINIMUM or plan & {h.hia for h in s.hia}:
        return None
    top = s.hia[0]
    says = ", ".join(f"HIA {n}" for n in sorted(plan))  # type: ignore[type-var]
    return f"text suggests HIA {top.hia}; plan says {says} (evidence: {', '.join(top.evidence[:3])})."


def _aim_message(s: Suggestion, typed: tuple[object, ...]) -> str | None:
    plan = set(typed)
    if not s.psed or s.psed[0].score < HINT_MINIMUM or plan & {a.aim for a in s.psed}:
        return None
    top = s.psed[0]
    says = ", ".join(f"({a})" for a in sorted(plan))  # type: ignore[type-var]
    return f"text suggests PSED aim ({top.aim}); plan says {says} (evidence: {', '.join(top.evidence[:3])})."


@rule(
    "hia-differs-from-text",
    Severity.INFO,
    "Text suggests another HIA",
    explanation="The action's words point clearly to a High Impact Action other than the one typed. "
    "It may be right as it is; check the link, since HIA coverage is reported from this column.",
    example="Action A7 says 'publish the ethnicity pay gap' but its HIA is HIA 5: text suggests HIA 3.",
)
def hia_differs(ctx: RuleContext) -> Iterator[Finding]:
    yield from ctx.findings_at("hia-differs-from-text", "hia", _disagreements(ctx, "hia", _hia_message))


@rule(
    "psed-differs-from-text",
    Severity.INFO,
    "Text suggests another PSED aim",
    explanation="The action's words point clearly to a PSED aim (Equality Act 2010 s.149(1)) other "
    "than the one typed. Many actions serve several aims; add the suggested one if it applies.",
    example="Action A9 is about harassment but its PSED aim is (c): text suggests aim (a).",
)
def psed_differs(ctx: RuleContext) -> Iterator[Finding]:
    yield from ctx.findings_at(
        "psed-differs-from-text", "psed_aim", _disagreements(ctx, "psed_aim", _aim_message)
    )
