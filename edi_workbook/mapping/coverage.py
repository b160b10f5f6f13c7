"""A plan's mapping: suggestions for its empty HIA / PSED aim cells, and its coverage matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from edi_workbook import reference, values
from edi_workbook.mapping.suggestions import CONFIDENT, suggest

if TYPE_CHECKING:
    import pandas as pd

    from edi_workbook.plan import Plan


@dataclass(frozen=True)
class CellSuggestion:
    """The top suggestion for one empty HIA or PSED aim cell of a plan."""

    index: int
    action_id: str | None
    key: str  # "hia" or "psed_aim"
    sheet: str | None
    cell: str | None
    value: str  # as the template's dropdown writes it: "HIA 2", "(b) Advance equality of opportunity"
    score: float
    evidence: list[str]

    @property
    def confident(self) -> bool:
        """Scored at least :data:`~edi_workbook.mapping.CONFIDENT`: written by ``map --write-back``."""
        return self.score >= CONFIDENT

    def to_dict(self) -> dict[str, Any]:
        return {
            "action_id": self.action_id,
            "column": reference.load().header_of(self.key),
            "sheet": self.sheet,
            "cell": self.cell,
            "value": self.value,
            "score": self.score,
            "confident": self.confident,
            "evidence": list(self.evidence),
        }


def suggest_plan(plan: Plan) -> list[CellSuggestion]:
    """Top suggestions for the plan's empty HIA and PSED aim cells; typed cells are left alone.

    A cell holding a formula is never empty, whatever it shows: it gets no suggestion.
    """
    from edi_workbook.arguments import plan_argument

    plan = plan_argument(plan, "suggest_plan")
    ref = reference.load()
    texts, measures, ids = (plan.column(k) for k in ("action", "success_measure", "action_id"))
    blank = {k: [values.is_blank(v) for v in plan.raw_column(k)] for k in ("hia", "psed_aim")}
    out: list[CellSuggestion] = []
    for i, (text, measure) in enumerate(zip(texts, measures, strict=True)):
        if text is None or not (blank["hia"][i] or blank["psed_aim"][i]):
            continue
        s = suggest(str(text), None if measure is None else str(measure))
        picks = [("hia", ref.hia(h.hia).label, h.score, h.evidence) for h in s.hia[:1]]
        picks += [("psed_aim", ref.aim(a.aim).label, a.score, a.evidence) for a in s.psed[:1]]
        action_id = None if ids[i] is None else str(ids[i])
        for key, value, score, evidence in picks:
            if blank[key][i] and not plan.holds_formula(i, key):
                cell = plan.cell(i, key)
                out.append(CellSuggestion(i, action_id, key, plan.sheet, cell, value, score, evidence))
    return out


# --- coverage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """How many actions address each HIA, PSED aim and protected characteristic; the gaps."""

    actions: int
    hia: dict[int, int]
    psed: dict[str, int]
    characteristics: dict[str, int]
    unmapped: int
    gaps: list[str]
    characteristic_gaps: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "actions": self.actions,
            "hia": {str(k): v for k, v in self.hia.items()},
            "psed": dict(self.psed),
            "characteristics": dict(self.characteristics),
            "unmapped": self.unmapped,
            "gaps": list(self.gaps),
            "characteristic_gaps": list(self.characteristic_gaps),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per HIA, aim and characteristic: ``dimension``, ``key``, ``label``, ``actions``."""
        import pandas as pd

        ref = reference.load()
        rows = [
            ("HIA", str(n), f"{ref.hia(n).label} {ref.hia(n).short_title}", c) for n, c in self.hia.items()
        ]
        rows += [("PSED aim", a, ref.aim(a).label, c) for a, c in self.psed.items()]
        rows += [("Protected characteristic", k, k, c) for k, c in self.characteristics.items()]
        return pd.DataFrame(rows, columns=["dimension", "key", "label", "actions"])


def _hia_name(number: int) -> str:
    h = reference.load().hia(number)
    return f"{h.label} ({h.short_title})"


def _characteristic_gaps(
    ref: reference.Reference, counts: dict[str, int], rows: list[tuple[Any, Any]]
) -> list[str]:
    """A characteristic no action names. One that PSED aims (b) and (c) do not cover (marriage and
    civil partnership, Equality Act 2010 s.149(7)) is asked for under the aims that do cover it."""
    gaps = []
    for c, n in counts.items():
        covering = ref.aims_covering(c)
        if len(covering) == len(ref.psed_aims):
            if not n:
                gaps.append(f"No action names the protected characteristic {c}")
        elif not any(t and c in t and a and set(a) & set(covering) for t, a in rows):
            under = " or ".join(ref.aim(x).label for x in covering)
            gaps.append(f"No action under PSED aim {under} names the protected characteristic {c} "
                        "(aims (b) and (c) do not cover it)")  # fmt: skip
    return gaps


def coverage(plan: Plan, *, include_suggestions: bool = False) -> Coverage:
    """Actions per HIA (1-6), per PSED aim and per protected characteristic, and the gaps.

    Counts what the plan says. With ``include_suggestions``, an empty HIA or aim cell counts its
    top suggestion too. Characteristics are counted only if the plan names any.
    """
    from edi_workbook.arguments import plan_argument

    plan = plan_argument(plan, "coverage")
    ref = reference.load()
    hias = list(plan.column("hia"))
    aims = list(plan.column("psed_aim"))
    if include_suggestions:
        for cs in suggest_plan(plan):
            if cs.key == "hia":
                hias[cs.index] = (int(cs.value.split()[-1]),)
            else:
                aims[cs.index] = (cs.value[1],)
    hia_count = {h.number: sum(1 for t in hias if t and h.number in t) for h in ref.hias}
    aim_count = {a.aim: sum(1 for t in aims if t and a.aim in t) for a in ref.psed_aims}
    chars = [t for t in plan.column("characteristics") if t]
    char_count = {c: sum(1 for t in chars if c in t) for c in ref.protected_characteristics} if chars else {}
    gaps = [f"No action addresses {_hia_name(n)}" for n, c in hia_count.items() if not c]
    gaps += [f"No action addresses PSED aim {ref.aim(a).label}" for a, c in aim_count.items() if not c]
    rows = list(zip(plan.column("characteristics"), aims, strict=True))
    char_gaps = _characteristic_gaps(ref, char_count, rows)
    return Coverage(
        actions=len(plan),
        hia=hia_count,
        psed=aim_count,
        characteristics=char_count,
        unmapped=sum(1 for t in hias if not t),
        gaps=gaps,
        characteristic_gaps=char_gaps,
    )
