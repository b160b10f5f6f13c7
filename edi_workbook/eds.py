"""EDS 2022 assessment: each of the 11 outcomes scored 0-3, domain and overall totals, the rating band.

As the EDS 2022 reporting template says (``eds_2022_rating`` in ``data/reference.yaml``, quoted
with its source there): score each outcome (0 Undeveloped, 1 Developing, 2 Achieving, 3
Excelling activity), add the scores of all outcomes together, and rate the total by its band.
The bands' lowest totals come from the reference data unless the workbook's EDS 2022 sheet
changed them (they are editable there, since the sources disagree on Achieving's upper end).
A total is rated only when all 11 outcomes are scored.

>>> a = assess({o.id: 2 for o in reference.load().eds_outcomes})
>>> a.total, a.rating, [d.total for d in a.domains]
(22, 'Achieving', [8, 8, 6])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from edi_workbook import reference

__all__ = [
    "MAX_SCORE",
    "Assessment",
    "DomainTotal",
    "OutcomeScore",
    "assess",
    "band_verified",
    "default_bands",
    "parse_score",
    "rate",
]

MAX_SCORE = 3


@dataclass(frozen=True)
class OutcomeScore:
    """One outcome's score (None: not scored), evidence and the plan actions linked to it."""

    outcome: reference.EDSOutcome
    score: int | None
    evidence: str | None = None
    actions: tuple[str, ...] = ()
    problem: str | None = None  # the score cell held something other than 0-3


@dataclass(frozen=True)
class DomainTotal:
    domain: int
    name: str
    outcomes: int
    scored: int
    total: int

    @property
    def maximum(self) -> int:
        return self.outcomes * MAX_SCORE


def rate(total: int, bands: Sequence[tuple[str, int]]) -> str:
    """The band of ``total``: the last band whose lowest total it reaches (bands lowest first)."""
    name = bands[0][0]
    for band, lowest in bands:
        if total >= lowest:
            name = band
    return name


@dataclass(frozen=True)
class Assessment:
    """A whole EDS 2022 assessment and what follows from it."""

    outcomes: tuple[OutcomeScore, ...]
    bands: tuple[tuple[str, int], ...]
    missing_actions: tuple[str, ...] = field(default=())  # linked ids the plan does not have

    @property
    def scored(self) -> int:
        return sum(o.score is not None for o in self.outcomes)

    @property
    def total(self) -> int:
        return sum(o.score or 0 for o in self.outcomes)

    @property
    def maximum(self) -> int:
        return len(self.outcomes) * MAX_SCORE

    @property
    def complete(self) -> bool:
        return self.scored == len(self.outcomes)

    @property
    def rating(self) -> str | None:
        """The band of the total, or None until every outcome is scored."""
        return rate(self.total, self.bands) if self.complete else None

    @property
    def domains(self) -> list[DomainTotal]:
        out: dict[int, DomainTotal] = {}
        for o in self.outcomes:
            d = out.get(o.outcome.domain) or DomainTotal(o.outcome.domain, o.outcome.domain_name, 0, 0, 0)
            out[d.domain] = DomainTotal(d.domain, d.name, d.outcomes + 1, d.scored + (o.score is not None),
                                        d.total + (o.score or 0))  # fmt: skip
        return [out[k] for k in sorted(out)]

    @property
    def problems(self) -> list[str]:
        return [f"{o.outcome.id}: {o.problem}" for o in self.outcomes if o.problem]

    def to_dict(self) -> dict[str, Any]:
        ref = reference.load()
        return {
            "outcomes": [
                {
                    "id": o.outcome.id,
                    "domain": o.outcome.domain,
                    "text": o.outcome.text,
                    "text_verified": o.outcome.verified,
                    "score": o.score,
                    "score_label": None if o.score is None else ref.eds_scores[o.score],
                    "evidence": o.evidence,
                    "actions": list(o.actions),
                    "problem": o.problem,
                }
                for o in self.outcomes
            ],
            "domains": [
                {
                    "domain": d.domain,
                    "name": d.name,
                    "scored": d.scored,
                    "total": d.total,
                    "maximum": d.maximum,
                }
                for d in self.domains
            ],
            "scored": self.scored,
            "total": self.total,
            "maximum": self.maximum,
            "rating": self.rating,
            "bands": [
                {"band": b, "from": lowest, "verified": band_verified(b, lowest)} for b, lowest in self.bands
            ],
            "missing_actions": list(self.missing_actions),
        }


def band_verified(band: str, lowest: int) -> bool:
    """True when the band starts where the reference data says, and that limit was verified."""
    return any(b.band == band and b.lowest == lowest and b.verified for b in reference.load().eds_bands)


def default_bands() -> tuple[tuple[str, int], ...]:
    return tuple((b.band, b.lowest) for b in reference.load().eds_bands)


def parse_score(value: Any) -> tuple[int | None, str | None]:
    """A score cell as (score, problem): ``2`` or ``"2"`` -> (2, None); blank -> (None, None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    try:
        number = float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)
    except ValueError:
        return None, f"the score {str(value).strip()!r} is not a number from 0 to 3"
    if number != int(number) or not 0 <= number <= MAX_SCORE:
        return None, f"the score {value!r} is not a whole number from 0 to 3"
    return int(number), None


def assess(
    scores: Mapping[str, Any],
    *,
    evidence: Mapping[str, str | None] | None = None,
    actions: Mapping[str, Sequence[str]] | None = None,
    bands: Sequence[tuple[str, int]] | None = None,
    plan_action_ids: Sequence[str] | None = None,
) -> Assessment:
    """The assessment from scores by outcome id (``1A``..``3C``; raw cell values are parsed).

    ``plan_action_ids``, when given, lets the assessment name linked actions the plan lacks.
    """
    out = []
    for o in reference.load().eds_outcomes:
        score, problem = parse_score(scores.get(o.id))
        linked = tuple((actions or {}).get(o.id, ()))
        out.append(OutcomeScore(o, score, (evidence or {}).get(o.id), linked, problem))
    known = {str(a).strip().casefold() for a in plan_action_ids or ()}
    missing = (
        tuple(dict.fromkeys(a for o in out for a in o.actions if a.casefold() not in known))
        if plan_action_ids is not None
        else ()
    )
    return Assessment(tuple(out), tuple(bands or default_bands()), missing)
