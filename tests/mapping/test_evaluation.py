"""The evaluation set of issue 14 and the model trained on it (benchmarks/bench_mapping.py,
scripts/train_mapping.py).

The held-out files are only counted here (rows, organisations): their statements are never
scored by a test, so running the tests is not a look at the held-out figures.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json

import pytest

from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "mapping_eval"
COLUMNS = [
    "id",
    "organisation",
    "org_type",
    "source_url",
    "document",
    "year",
    "statement",
    "success_measure",
    "hia",
    "psed",
    "note",
]


def _load(path: str):
    """A script or benchmark module by its path in the repository."""
    spec = importlib.util.spec_from_file_location(path.rsplit("/", 1)[-1][:-3], ROOT / path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def bench():
    return _load("benchmarks/bench_mapping.py")


def _rows(*files: str) -> list[dict[str, str]]:
    out = []
    for f in files:
        with (DATA / f).open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames == COLUMNS, f
            out += list(reader)
    return out


TUNE_FILES = ("trusts_tune.csv", "other_tune.csv", "more_tune.csv")
HOLDOUT_FILES = ("trusts_holdout.csv", "other_holdout.csv", "more_holdout.csv")


def test_the_set_is_big_enough_labelled_and_sourced():
    rows = _rows(*TUNE_FILES, *HOLDOUT_FILES)
    assert len(rows) >= 600
    assert len({r["organisation"] for r in rows}) >= 40
    assert sum(not r["hia"] for r in rows) >= 150
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(r["source_url"].startswith("http") and r["statement"].strip() for r in rows)
    hias = {h for r in rows for h in r["hia"].split(";") if h}
    aims = {a for r in rows for a in r["psed"].split(";") if a}
    assert (hias, aims) == ({"1", "2", "3", "4", "5", "6"}, {"a", "b", "c"})


def test_the_split_is_by_organisation():
    tune = {r["organisation"] for r in _rows(*TUNE_FILES)}
    held = {r["organisation"] for r in _rows("trusts_holdout.csv", "other_holdout.csv")}
    second = {r["organisation"] for r in _rows("more_holdout.csv")}
    assert len(tune & held) == 0  # a count, so that a failure names no held-out organisation
    assert len(tune & second) == 0
    assert len(held & second) == 0
    assert len(held) >= 40
    assert 250 <= len(_rows("trusts_holdout.csv", "other_holdout.csv")) <= 350


def test_the_training_script_reads_only_the_tuning_files():
    train = _load("scripts/train_mapping.py")
    assert all(p.name.endswith("_tune.csv") for p in train.TUNE)
    with pytest.raises(AssertionError):
        train.load((DATA / "other_holdout.csv",))


def test_the_model_file_is_fresh():
    """The model was trained on today's tuning files, vocabulary and feature code.

    When this fails: ``python scripts/train_mapping.py`` and commit edi_workbook/data/mapping_model.json.
    """
    model = json.loads((ROOT / "edi_workbook" / "data" / "mapping_model.json").read_text(encoding="utf-8"))
    for path, digest in model["sources"].items():
        assert hashlib.sha256((ROOT / path).read_bytes()).hexdigest() == digest, path


def test_refitting_gives_the_shipped_weights():
    """The weights are the optimum of a convex loss: the script refits them (without its
    cross-validation) to the same values, rounded as in the file."""
    from edi_workbook.mapping import model

    train = _load("scripts/train_mapping.py")
    shipped = model.load()
    params = shipped.info["params"]
    rows = train.load()
    feats = train.featurise(rows)
    cal = {
        "temperature": shipped.temperature,
        "hia": shipped.hia_calibration,
        "aim": shipped.aim_calibration,
    }
    again = train.runtime_model(train.train(rows, feats, params), cal, params)
    assert again.weights.keys() == shipped.weights.keys()
    worst = max(
        abs(a - b) for k, w in again.weights.items() for a, b in zip(w, shipped.weights[k], strict=True)
    )
    assert worst < 0.01


def test_cross_validated_figures_are_stored_with_the_model(bench):
    cv = bench.cross_validated()
    assert cv["rows"] == len(bench.load_rows("tune"))
    assert (0.75 <= cv["top1"] <= 1, 0.75 <= cv["none_correct"] <= 1, 0.8 <= cv["psed"] <= 1) == (True,) * 3


@pytest.mark.parametrize(("name", "top1", "none_correct", "psed"), [("project", 0.95, 0.95, 0.9)])
def test_the_project_set_stays_mapped(bench, name, top1, none_correct, psed):
    m = bench.evaluate(bench.load_rows(name))
    assert (m["top1"] >= top1, m["none_correct"] >= none_correct, m["psed"] >= psed) == (True, True, True)
