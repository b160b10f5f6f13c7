"""The learned linear model over the features: weights shipped as data, scored in pure Python.

``data/mapping_model.json`` is written by ``scripts/train_mapping.py`` from the labelled statements
of the tuning organisations (``tests/data/mapping_eval/``). For each feature it holds ten weights:
seven for the HIA softmax ("no HIA", HIA 1-6) and three for the aims (one logistic output each).
A vocabulary phrase's weights start at its vocabulary weight and move only where the labelled
statements say so; words start at 0. The file also holds the calibration (a temperature for the
HIA softmax, a Platt scaling for the aims), the decision thresholds, and the cross-validated
figures and reliability table they were chosen on (docs/mapping.md).

A feature's *contribution* to a target is its value times its weight for that target (for an HIA,
minus its weight for "no HIA"). The words behind the features that contribute most are the
suggestion's evidence; a target with no such words is never suggested.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

HIA_CLASSES = ("none", "1", "2", "3", "4", "5", "6")
AIMS = ("a", "b", "c")


@dataclass(frozen=True)
class Model:
    """The weights and the decision settings of ``data/mapping_model.json``."""

    weights: dict[str, tuple[float, ...]]  # feature -> 7 HIA weights, then 3 aim weights
    hia_bias: tuple[float, ...]
    aim_bias: tuple[float, ...]
    temperature: float  # HIA logits are divided by it before the softmax
    none_bias: float  # added to the log-odds of "no HIA" when the top answer is chosen
    secondary_min: float  # another HIA is listed from this probability against "no HIA"
    aim_min: float  # an aim after the top one is listed from this (logistic) probability
    aim_floor: float  # the top aim is listed from this probability
    hia_calibration: tuple[float, float]  # score = sigmoid(slope * logit(p) + shift)
    aim_calibration: tuple[float, float]
    evidence_min: float  # a feature is evidence from this contribution (log-odds)
    measure_factor: float
    info: dict[str, Any]  # figures, reliability table, sources: for docs and benchmarks

    @functools.cached_property
    def leads(self) -> dict[str, tuple[float, ...]]:
        """What each feature lends each HIA and aim as evidence (:func:`score`), once per model:
        how far its weight for the target stands above its mean weight (over the 7 HIA classes,
        or the 3 aims). A feature is evidence for a target from ``evidence_min``."""
        return {name: _lead(w) for name, w in self.weights.items()}


def _lead(w: tuple[float, ...]) -> tuple[float, ...]:
    return (*(w[k] - sum(w[:7]) / 7 for k in range(7)), *(w[7 + k] - sum(w[7:]) / 3 for k in range(3)))


@functools.cache
def load() -> Model:
    """``data/mapping_model.json``, read once."""
    text = resources.files("edi_workbook").joinpath("data/mapping_model.json").read_text("utf-8")
    d = json.loads(text)
    s = d["settings"]
    return Model(
        weights={k: tuple(v) for k, v in d["weights"].items()},
        hia_bias=tuple(d["bias"]["hia"]),
        aim_bias=tuple(d["bias"]["aim"]),
        temperature=float(s["temperature"]),
        none_bias=float(s["none_bias"]),
        hia_calibration=(float(s["hia_calibration"][0]), float(s["hia_calibration"][1])),
        aim_calibration=(float(s["aim_calibration"][0]), float(s["aim_calibration"][1])),
        secondary_min=float(s["secondary_min"]),
        aim_min=float(s["aim_min"]),
        aim_floor=float(s["aim_floor"]),
        evidence_min=float(s["evidence_min"]),
        measure_factor=float(s["success_measure_factor"]),
        info={k: d[k] for k in ("figures", "reliability", "sources", "params") if k in d},
    )


Scored = tuple[tuple[str, float, tuple[str, ...]], ...]
"""Targets kept, best first: (HIA number or aim letter, probability, evidence)."""


def calibrated(p: float, calibration: tuple[float, float]) -> float:
    """A model probability mapped to the share of such suggestions found right (Platt scaling)."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    return 1.0 / (1.0 + math.exp(-(calibration[0] * math.log(p / (1 - p)) + calibration[1])))


def _evidence(contrib: list[tuple[float, tuple[str, ...]]], minimum: float) -> tuple[str, ...]:
    """Words of the features contributing at least ``minimum``, strongest first.

    A word already inside a stronger piece of evidence is not repeated ("gender" after "gender
    pay gap").
    """
    out: list[str] = []
    for c, words in sorted(contrib, key=lambda x: -x[0]):
        if c < minimum:
            break
        for w in words:
            padded = f" {w.lower()} "
            if not any(padded in f" {o.lower()} " for o in out):
                out.append(w)
    return tuple(out[:6])


def score(
    found: dict[str, tuple[float, tuple[str, ...]]], model: Model | None = None
) -> tuple[Scored, Scored]:
    """The HIAs and aims to suggest for a text's features, each with its probability and evidence.

    ``model`` defaults to the shipped one (the training script passes the one it cross-validates).
    """
    m = model or load()
    zh = list(m.hia_bias)
    za = list(m.aim_bias)
    used = []
    leads = m.leads
    for name, (value, words) in found.items():
        w = m.weights.get(name)
        if w is None:
            continue
        used.append((value, leads[name], words))
        for k in range(7):
            zh[k] += value * w[k]
        for k in range(3):
            za[k] += value * w[7 + k]
    top = max(zh) / m.temperature
    ex = [math.exp(z / m.temperature - top) for z in zh]
    total = sum(ex)
    ph = [e / total for e in ex]
    hias: list[tuple[str, float, tuple[str, ...]]] = []
    none = ph[0] * math.exp(m.none_bias)
    best = max(range(7), key=lambda k: none if k == 0 else ph[k])
    for k in sorted(range(1, 7), key=lambda k: -ph[k]) if best else ():
        p = ph[k]
        if k != best:
            # another HIA is listed when it beats "no HIA" clearly by itself, whatever the top one
            p = 1.0 / (1.0 + math.exp((zh[0] - zh[k]) / m.temperature + m.none_bias))
            if p < m.secondary_min:
                continue
        ev = _evidence([(v * lead[k], ws) for v, lead, ws in used], m.evidence_min)
        if not ev:
            if k == best:
                break  # the best HIA has no words to show for itself: nothing is suggested
            continue
        score = calibrated(p, m.hia_calibration)
        hias.append((HIA_CLASSES[k], min(score, hias[0][1]) if hias else score, ev))
    aims: list[tuple[str, float, tuple[str, ...]]] = []
    for rank, k in enumerate(sorted(range(3), key=lambda k: -za[k])):
        p = 1.0 / (1.0 + math.exp(-za[k]))
        if p < (m.aim_min if rank else m.aim_floor):  # the top aim from aim_floor, the others from aim_min
            break
        ev = _evidence([(v * lead[7 + k], ws) for v, lead, ws in used], m.evidence_min)
        if not ev:
            break  # the top aim has no words to show for itself: no aim is suggested
        aims.append((AIMS[k], calibrated(p, m.aim_calibration), ev))
    return tuple(hias), tuple(aims)
