"""Train the mapper's linear model on the tuning organisations; write edi_workbook/data/mapping_model.json.

    python scripts/train_mapping.py            # cross-validate, fit on all tuning rows, write the model
    python scripts/train_mapping.py --cv-only  # only the cross-validation figures
    python scripts/train_mapping.py --errors   # and the tuning statements the cross-validation missed

Reads only ``tests/data/mapping_eval/*_tune.csv``: the held-out organisations are never read here.
The features are ``edi_workbook.mapping.features``' (the code that runs in ``suggest``); the model
is two linear layers over them, fitted with numpy (a build-time tool, not a run-time dependency):

- HIA: a softmax over "no HIA" and HIA 1-6 (soft targets: a second labelled HIA gets a share);
- PSED: one logistic output per aim (is the aim among those labelled).

Hyper-parameters and the decision thresholds are chosen by cross-validation grouped by
organisation (statements of one organisation never on both sides of a fold). The scores are
calibrated on the out-of-fold predictions (a temperature and a Platt scaling), whose reliability
table is written into the model file with the cross-validated figures.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edi_workbook.mapping import features as F  # noqa: E402
from edi_workbook.mapping import model as M  # noqa: E402
from edi_workbook.mapping.words import vocabulary  # noqa: E402

DATA = ROOT / "tests" / "data" / "mapping_eval"
TUNE = (DATA / "trusts_tune.csv", DATA / "other_tune.csv", DATA / "more_tune.csv")
OUT = ROOT / "edi_workbook" / "data" / "mapping_model.json"
HIA_CLASSES = ("none", "1", "2", "3", "4", "5", "6")
AIMS = ("a", "b", "c")

PARAMS: dict[str, Any] = {
    "min_orgs": 2,  # a word or pair counts only if statements of at least this many organisations use it
    "l2_words": 1.0,  # L2 penalty on word features (times the number of rows)
    "l2_dense": 0.3,  # on context and design features
    "l2_phrases": 1.0,  # on a vocabulary phrase's distance from its prior
    "hia_l2_scale": 100.0,  # the HIA layer's penalties, times this
    "prior_scale": 5.0,  # a phrase's prior logit per unit of vocabulary weight
    "implies_scale": 0.5,  # an HIA phrase's prior for the aims its HIA implies
    "second_share": 0.3,  # a second labelled HIA's share of the soft target
    "none_bias": -0.5,  # added to the log-odds of "no HIA" before the top answer is taken
    "secondary_min": 0.9,  # another HIA is listed from this probability against "no HIA"
    "aim_min": 0.3,  # an aim after the top one is listed from this probability
    "aim_floor": 0.1,  # the top aim is listed from this probability
    "evidence_min": 0.3,  # a feature is evidence from this contribution (log-odds)
    "folds": 5,
    "repeats": 3,
}


def load(paths: tuple[Path, ...] = TUNE) -> list[dict[str, Any]]:
    """The labelled rows of the tuning files (never a holdout file)."""
    rows = []
    for path in paths:
        assert path.name.endswith("_tune.csv"), path  # the held-out organisations are not read here
        with path.open(newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                rows.append(
                    {
                        "id": r["id"],
                        "org": r["organisation"],
                        "text": r["statement"],
                        "measure": r["success_measure"],
                        "hias": [x.strip() for x in r["hia"].split(";") if x.strip()],
                        "aims": [x.strip() for x in r["psed"].split(";") if x.strip()],
                    }
                )
    return rows


Found = dict[str, tuple[float, tuple[str, ...]]]


def featurise(rows: list[dict[str, Any]]) -> list[Found]:
    """Each row's features with their words, read exactly as ``suggest`` reads them."""
    factor = vocabulary().success_measure_factor
    return [F.combine(F.read(r["text"]), F.read(r["measure"]) if r["measure"] else (), factor) for r in rows]


def names_for(feats: list[Found], rows: list[dict[str, Any]], min_orgs: int) -> list[str]:
    """The features the model weighs: every vocabulary phrase (seen or not), every designed
    feature seen, and the words and pairs used by enough organisations."""
    orgs: dict[str, set[str]] = defaultdict(set)
    for f, r in zip(feats, rows, strict=True):
        for k in f:
            orgs[k].add(r["org"])
    seen = {k for k, o in orgs.items() if not k.startswith("w:") or len(o) >= min_orgs}
    return sorted(seen | set(F.priors()))


def prior_matrices(names: list[str], params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Where each weight starts: the vocabulary's weights (times ``prior_scale``) for its phrases."""
    priors = F.priors()
    implies = vocabulary().implies
    mh = np.zeros((len(names), len(HIA_CLASSES)))
    ma = np.zeros((len(names), len(AIMS)))
    s = params["prior_scale"]
    for i, name in enumerate(names):
        for target, weight in priors.get(name, {}).items():
            if name.startswith("h:"):
                mh[i, HIA_CLASSES.index(target)] = s * weight
                for aim, w in implies.get(target, {}).items():
                    ma[i, AIMS.index(aim)] += s * weight * w * params["implies_scale"]
            else:
                ma[i, AIMS.index(target)] = s * weight
    return mh, ma


def matrix(feats: list[Found], names: list[str]) -> np.ndarray:
    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(feats), len(names)))
    for r, f in enumerate(feats):
        for k, (v, _) in f.items():
            if k in index:
                x[r, index[k]] = v
    return x


def targets(rows: list[dict[str, Any]], share: float) -> tuple[np.ndarray, np.ndarray]:
    yh = np.zeros((len(rows), len(HIA_CLASSES)))
    ya = np.zeros((len(rows), len(AIMS)))
    for i, r in enumerate(rows):
        h = r["hias"]
        if not h:
            yh[i, 0] = 1.0
        elif len(h) == 1:
            yh[i, HIA_CLASSES.index(h[0])] = 1.0
        else:
            yh[i, HIA_CLASSES.index(h[0])] += 1.0 - share
            yh[i, HIA_CLASSES.index(h[1])] += share
        for a in r["aims"]:
            ya[i, AIMS.index(a)] = 1.0
    return yh, ya


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def fit(x: np.ndarray, y: np.ndarray, penalty: np.ndarray, prior: np.ndarray, kind: str) -> np.ndarray:
    """Weights (features + 1 bias, classes) of a softmax or per-class logistic model (L-BFGS).

    Loss: mean cross-entropy + 0.5 * sum(penalty * (w - prior)^2) / rows (the bias is not
    penalised): each weight stays at its prior (the vocabulary's, or 0) unless the labelled rows
    say otherwise. The optimum of a strictly convex loss: the same data give the same weights.
    """
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix, hstack

    n, k = x.shape[0], y.shape[1]
    xb = csr_matrix(hstack([csr_matrix(x), np.ones((n, 1))]))
    xt = csr_matrix(xb.T)
    pen = np.append(penalty, 0.0)[:, None] / n
    mu = np.vstack([prior, np.zeros((1, k))])

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = flat.reshape(-1, k)
        z = xb @ w
        if kind == "softmax":
            z = z - z.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            p = np.exp(logp)
            ce = -(y * logp).sum() / n
        else:
            p = _sigmoid(z)
            ce = -(y * np.log(p + 1e-15) + (1 - y) * np.log(1 - p + 1e-15)).sum() / n
        g = xt @ (p - y) / n + pen * (w - mu)
        return float(ce + 0.5 * (pen * (w - mu) ** 2).sum()), g.ravel()

    res = minimize(loss, mu.ravel(), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    return np.asarray(res.x).reshape(-1, k)


def train(rows: list[dict[str, Any]], feats: list[Found], params: dict[str, Any]) -> dict[str, Any]:
    names = names_for(feats, rows, params["min_orgs"])
    x = matrix(feats, names)
    kinds = {"w": "l2_words", "h": "l2_phrases", "a": "l2_phrases"}
    pen = np.array([params[kinds.get(n[0], "l2_dense")] for n in names])
    # the HIA layer is held nearer its priors (hia_l2_scale): on cross-validation by organisation,
    # the vocabulary's HIA weights carry over to new organisations better than learned ones
    hia_pen = params["hia_l2_scale"] * pen
    mh, ma = prior_matrices(names, params)
    yh, ya = targets(rows, params["second_share"])
    return {
        "names": names,
        "hia": fit(x, yh, hia_pen, mh, "softmax"),
        "aim": fit(x, ya, pen, ma, "sigmoid"),
    }


def logits(model: dict[str, Any], feats: list[Found]) -> tuple[np.ndarray, np.ndarray]:
    x = matrix(feats, model["names"])
    xb = np.hstack([x, np.ones((x.shape[0], 1))])
    return xb @ model["hia"], xb @ model["aim"]


def folds_of(rows: list[dict[str, Any]], k: int, repeat: int) -> list[int]:
    """Fold of each row: organisations dealt round-robin in an order fixed by a hash of their name."""
    orgs = sorted(
        {r["org"] for r in rows}, key=lambda o: hashlib.sha256(f"{repeat}:{o}".encode()).hexdigest()
    )
    fold = {o: i % k for i, o in enumerate(orgs)}
    return [fold[r["org"]] for r in rows]


def cross_validate(rows: list[dict[str, Any]], feats: list[Found], params: dict[str, Any]) -> list[list[Any]]:
    """Per repeat, per fold: the rows held out and the model fitted without their organisations."""
    out = []
    for rep in range(params["repeats"]):
        fold = folds_of(rows, params["folds"], rep)
        fits = []
        for k in range(params["folds"]):
            tr = [i for i, f in enumerate(fold) if f != k]
            te = [i for i, f in enumerate(fold) if f == k]
            fits.append((te, train([rows[i] for i in tr], [feats[i] for i in tr], params)))
        out.append(fits)
    return out


def oof_logits(feats: list[Found], cv: list[list[Any]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Out-of-fold HIA and aim logits, one pair per repeat."""
    out = []
    for fits in cv:
        zh = np.zeros((len(feats), len(HIA_CLASSES)))
        za = np.zeros((len(feats), len(AIMS)))
        for te, fitted in fits:
            zh[te], za[te] = logits(fitted, [feats[i] for i in te])
        out.append((zh, za))
    return out


def runtime_model(fitted: dict[str, Any], cal: dict[str, Any], params: dict[str, Any]) -> M.Model:
    """The fitted weights as ``edi_workbook.mapping.model`` reads them (rounded as in the file)."""
    both = np.hstack([fitted["hia"], fitted["aim"]])
    weights = {
        n: tuple(round(float(x), 4) for x in both[i])
        for i, n in enumerate(fitted["names"])
        if np.abs(both[i]).max() >= 5e-5
    }
    return M.Model(
        weights=weights,
        hia_bias=tuple(round(float(x), 4) for x in fitted["hia"][-1]),
        aim_bias=tuple(round(float(x), 4) for x in fitted["aim"][-1]),
        temperature=cal["temperature"],
        none_bias=params["none_bias"],
        hia_calibration=cal["hia"],
        aim_calibration=cal["aim"],
        secondary_min=params["secondary_min"],
        aim_min=params["aim_min"],
        aim_floor=params["aim_floor"],
        evidence_min=params["evidence_min"],
        measure_factor=vocabulary().success_measure_factor,
        info={},
    )


Pick = tuple[list[tuple[int, float]], list[tuple[str, float]]]  # HIAs and aims suggested, best first


def runtime_picks(
    feats: list[Found], cv: list[list[Any]], cal: dict[str, Any], params: dict[str, Any]
) -> list[list[Pick]]:
    """Per repeat: each row's suggestions, made out of fold by the run-time scorer."""
    out = []
    for fits in cv:
        picks: list[Pick] = [([], [])] * len(feats)
        for te, fitted in fits:
            rm = runtime_model(fitted, cal, params)
            for i in te:
                hias, aims = M.score(feats[i], rm)
                picks[i] = ([(int(h), p) for h, p, _ in hias], [(a, p) for a, p, _ in aims])
        out.append(picks)
    return out


# --- figures and calibration ----------------------------------------------------------------


def figures(rows: list[dict[str, Any]], picks: list[Pick]) -> dict[str, Any]:
    """Top-1 HIA, "no HIA" correct, top PSED aim (among those labelled, and the main one), per HIA."""
    n_hia = top1 = n_none = none_ok = n_aim = aim_ok = aim_main = tp = fp = fn = 0
    per = {h: [0, 0] for h in HIA_CLASSES[1:]}
    for r, (hias, aims) in zip(rows, picks, strict=True):
        top = str(hias[0][0]) if hias else None
        got = {str(h) for h, _ in hias}
        tp += len(got & set(r["hias"]))
        fp += len(got - set(r["hias"]))
        fn += len(set(r["hias"]) - got)
        if r["hias"]:
            n_hia += 1
            ok = top in r["hias"]
            top1 += ok
            per[r["hias"][0]][0] += 1
            per[r["hias"][0]][1] += ok
        else:
            n_none += 1
            none_ok += top is None
        if r["aims"]:
            n_aim += 1
            aim = aims[0][0] if aims else None
            aim_ok += aim in r["aims"]
            aim_main += aim == r["aims"][0]
    return {
        "rows": len(rows),
        "top1": top1 / n_hia,
        "none_correct": none_ok / n_none,
        "psed": aim_ok / n_aim,
        "psed_main": aim_main / n_aim,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "per_hia": {h: (c / n if n else None, n) for h, (n, c) in per.items()},
    }


def _nll_temperature(z: np.ndarray, y: np.ndarray) -> float:
    best = (1e9, 1.0)
    for t in np.arange(0.5, 3.01, 0.05):
        p = _softmax(z / t)
        nll = float(-(y * np.log(p + 1e-12)).sum(axis=1).mean())
        best = min(best, (nll, float(t)))
    return round(best[1], 2)


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    best = (1e9, 1.0, 0.0)
    for a in np.arange(0.1, 2.01, 0.05):
        for b in np.arange(-2.0, 2.01, 0.05):
            p = _sigmoid(a * z + b)
            nll = float(-(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)).mean())
            best = min(best, (nll, float(a), float(b)))
    return round(best[1], 2), round(best[2], 2)


def temperature(
    rows: list[dict[str, Any]], oof: list[tuple[np.ndarray, np.ndarray]], params: dict[str, Any]
) -> float:
    """The temperature of the HIA softmax that fits the out-of-fold logits best."""
    zh = np.vstack([h for h, _ in oof])
    yh, _ = targets(rows * len(oof), params["second_share"])
    return _nll_temperature(zh, yh)


def calibrate(rows: list[dict[str, Any]], raw: list[list[Pick]]) -> dict[str, Any]:
    """Platt scalings that map the top suggestion's model probability to the share found right."""
    out: dict[str, Any] = {}
    for kind in ("hia", "aim"):
        z, y = [], []
        for rep in raw:
            for r, pick in zip(rows, rep, strict=True):
                got, want = (pick[0], r["hias"]) if kind == "hia" else (pick[1], r["aims"])
                if got:  # every suggestion made: one on a row labelled with none is wrong
                    p = min(max(got[0][1], 1e-9), 1 - 1e-9)
                    z.append(math.log(p / (1 - p)))
                    y.append(float(str(got[0][0]) in want))
        out[kind] = _platt(np.array(z), np.array(y))
    return out


def reliability(rows: list[dict[str, Any]], picks: list[list[Pick]]) -> list[list[Any]]:
    """Bins of the top suggestion's score (HIA, aim): suggestions, mean score, share right."""
    bins = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001]
    table: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0, 0.0, 0])
    for rep in picks:
        for r, (hias, aims) in zip(rows, rep, strict=True):
            for kind, got, want in (("hia", hias, r["hias"]), ("aim", aims, r["aims"])):
                if not got:
                    continue
                target, p = got[0]
                b = next(i for i in range(len(bins) - 1) if p < bins[i + 1])
                cell = table[kind, b]
                cell[0] += 1
                cell[1] += p
                cell[2] += str(target) in want
    return [
        [kind, bins[b], min(bins[b + 1], 1.0), int(n), round(s / n, 3), round(ok / n, 3)]
        for (kind, b), (n, s, ok) in sorted(table.items())
    ]


def report(name: str, m: dict[str, Any]) -> str:
    per = " ".join(
        f"{h}:{100 * v:.0f}%/{n}" if v is not None else f"{h}:-" for h, (v, n) in m["per_hia"].items()
    )
    return (
        f"{name:14} rows {m['rows']:4d}  top-1 HIA {100 * m['top1']:5.1f}%  "
        f"none {100 * m['none_correct']:5.1f}%  "
        f"PSED {100 * m['psed']:5.1f}% (main {100 * m['psed_main']:5.1f}%)  "
        f"HIA precision {100 * m['precision']:5.1f}% recall {100 * m['recall']:5.1f}%\n{'':14} per HIA {per}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cv-only", action="store_true", help="print the cross-validated figures, write nothing")
    ap.add_argument(
        "--errors", action="store_true", help="list the tuning statements the cross-validation missed"
    )
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a parameter")
    args = ap.parse_args(argv)
    params = dict(PARAMS)
    for kv in args.set:
        k, v = kv.split("=", 1)
        params[k] = float(v) if isinstance(PARAMS[k], float) else int(v)
    rows = load()
    feats = featurise(rows)
    cv = cross_validate(rows, feats, params)
    oof = oof_logits(feats, cv)
    cal: dict[str, Any] = {
        "temperature": temperature(rows, oof, params),
        "hia": (1.0, 0.0),
        "aim": (1.0, 0.0),
    }
    cal.update(calibrate(rows, runtime_picks(feats, cv, cal, params)))
    picks = runtime_picks(feats, cv, cal, params)
    per_rep = [figures(rows, p) for p in picks]
    result = {
        k: float(np.mean([m[k] for m in per_rep]))
        for k in ("top1", "none_correct", "psed", "psed_main", "precision", "recall")
    }
    result["per_hia"] = {
        h: (float(np.mean([m["per_hia"][h][0] for m in per_rep])), per_rep[0]["per_hia"][h][1])
        for h in HIA_CLASSES[1:]
    }
    result["rows"] = len(rows)
    print(report("tune CV", result))
    print(f"calibration {cal}")
    table = reliability(rows, picks)
    for row in table:
        print("  ", row)
    if args.errors:
        for r, (hias, aims) in zip(rows, picks[0], strict=True):
            top = str(hias[0][0]) if hias else "none"
            hs = hias[0][1] if hias else 0.0
            aim, as_ = aims[0] if aims else ("", 0.0)
            hia_ok = top in r["hias"] if r["hias"] else top == "none"
            if not hia_ok or (r["aims"] and aim not in r["aims"]):
                print(
                    f"{r['id']} want {r['hias']} {r['aims']} got {top} {hs:.2f} {aim} {as_:.2f}  "
                    f"{r['text'][:140]}"
                )
    if args.cv_only:
        return 0
    final = runtime_model(train(rows, feats, params), cal, params)
    OUT.write_text(model_json(final, params, result, table), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(final.weights)} features)")
    return 0


def sources() -> dict[str, str]:
    """SHA-256 of what the model was built from: a test tells when it is stale."""
    files = [*TUNE, ROOT / "edi_workbook" / "data" / "vocabulary.yaml"]
    files += [ROOT / "edi_workbook" / "mapping" / f for f in ("words.py", "features.py")]
    return {str(f.relative_to(ROOT)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def model_json(m: M.Model, params: dict[str, Any], cv: dict[str, Any], table: list[list[Any]]) -> str:
    """The model file: settings, biases, one line of weights per feature, and how it was chosen."""
    head = {
        "about": "Written by scripts/train_mapping.py; docs/mapping.md says how it was trained and measured.",
        "settings": {
            "temperature": m.temperature,
            "hia_calibration": list(m.hia_calibration),
            "aim_calibration": list(m.aim_calibration),
            "none_bias": m.none_bias,
            "secondary_min": m.secondary_min,
            "aim_min": m.aim_min,
            "aim_floor": m.aim_floor,
            "evidence_min": m.evidence_min,
            "success_measure_factor": m.measure_factor,
        },
        "params": params,
        "figures": {"tune_cv": cv},
        "reliability": table,
        "sources": sources(),
        "bias": {"hia": list(m.hia_bias), "aim": list(m.aim_bias)},
    }
    lines = [json.dumps(head, indent=1, sort_keys=True)[:-2] + ',\n "weights": {']
    items = sorted(m.weights.items())
    for i, (name, w) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(f"  {json.dumps(name)}: {json.dumps(list(w))}{comma}")
    lines.append(" }\n}\n")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
