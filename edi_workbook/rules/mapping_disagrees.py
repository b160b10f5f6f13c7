"""Where the plan's HIA or PSED aim and the action's text disagree: a hint, never a correction.

Suggestions are :func:`edi_workbook.mapping.suggest`'s, through its cached form
:func:`~edi_workbook.mapping.suggest_shared` (the same answers, computed once per wording). A
hint is given only when the text points clearly (top score at least :data:`CONFIDENT`) to HIAs or
aims none of which the plan names; what a person typed is never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from edi_workbook.findings import Finding, Severity
from edi_workbook.mapping import Suggestion, phrases, suggest_shared
from edi_workbook.rules import RuleContext, rule
from edi_workbook.rules._common import by_value, flagged, parsed

CONFIDENT = 0.8
"""Top suggestion score from which a disagreement is worth mentioning (two strong phrases)."""

Judge = Callable[[Suggestion, tuple[object, ...]], "str | None"]


def _disagreements(ctx: RuleContext, typed_key: str, judge: Judge) -> list[tuple[int, str]]:
    """``(row, message)`` where ``judge`` finds the text disagreeing with the typed HIAs or aims.

    Rows are judged once per wording: the text, what its success measure matched and what was
    typed (equal phrases of different measures are one object: see :func:`mapping.phrases`).
    """
    ids, by_id = _measure_phrases(ctx)
    rows = list(zip(parsed(ctx, "action"), ids, parsed(ctx, typed_key), strict=True))
    suggested: dict[tuple[str, int], Suggestion] = ctx.cache.setdefault("suggestions", {})

    def one(row: tuple[str | None, int, tuple[object, ...] | None]) -> str | None:
        text, phrases_id, typed = row
        if not text or not typed:
            return None
        s = suggested.get((text, phrases_id))
        if s is None:
            s = suggested[text, phrases_id] = suggest_shared(str(text), by_id[phrases_id])
        return judge(s, typed)

    return flagged(by_value(rows, one))


def _measure_phrases(ctx: RuleContext) -> tuple[list[int], dict[int, Any]]:
    """What each action's success measure matched (:func:`mapping.phrases`), shared by both rules.

    As ids (cheap to hash) and the objects by id, which keeps them alive for this run.
    """
    if "measure_phrases" not in ctx.cache:
        measures = parsed(ctx, "success_measure")
        distinct = {m: phrases(None if m is None else str(m)) for m in dict.fromkeys(measures)}
        ids = [id(distinct[m]) for m in measures]
        ctx.cache["measure_phrases"] = (ids, {id(f): f for f in distinct.values()})
    result: tuple[list[int], dict[int, Any]] = ctx.cache["measure_phrases"]
    return result


def _hia_message(s: Suggestion, typed: tuple[object, ...]) -> str | None:
    plan = set(typed)
    if not s.hia or s.hia[0].score < CONFIDENT or plan & {h.hia for h in s.hia}:
        return None
    top = s.hia[0]
    says = ", ".join(f"HIA {n}" for n in sorted(plan))  # type: ignore[type-var]
    return f"text suggests HIA {top.hia}; plan says {says} (evidence: {', '.join(top.evidence[:3])})."


def _aim_message(s: Suggestion, typed: tuple[object, ...]) -> str | None:
    plan = set(typed)
    if not s.psed or s.psed[0].score < CONFIDENT or plan & {a.aim for a in s.psed}:
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
