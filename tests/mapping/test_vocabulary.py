"""The vocabulary file: complete, documented, and independent of the evaluation set."""

from __future__ import annotations

import csv
import re
from importlib import resources

import pytest
import yaml

from edi_workbook import mapping
from edi_workbook.mapping.words import stem
from edi_workbook.reference import load
from tests.conftest import ROOT

EVAL = ROOT / "tests" / "data" / "mapping_eval.csv"


@pytest.fixture(scope="module")
def vocab() -> dict:
    return yaml.safe_load(resources.files("edi_workbook").joinpath("data/vocabulary.yaml").read_text("utf-8"))


def _phrases(vocab: dict) -> list[str]:
    out = list(vocab["ignore"])
    for section in ("hias", "aims"):
        for spec in vocab[section].values():
            out += list(spec.get("phrases") or {}) + list(spec.get("negative") or {})
    return [str(p) for p in out]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def test_every_hia_and_aim_of_the_reference_has_a_vocabulary(vocab):
    assert sorted(vocab["hias"]) == [h.number for h in load().hias]
    assert sorted(vocab["aims"]) == [a.aim for a in load().psed_aims]
    for spec in [*vocab["hias"].values(), *vocab["aims"].values()]:
        assert len(spec["phrases"]) >= 10
        assert all(isinstance(w, (int, float)) and 0 < w <= 2 for w in spec["phrases"].values())


def test_header_says_how_it_was_built_and_from_which_sources():
    text = resources.files("edi_workbook").joinpath("data/vocabulary.yaml").read_text("utf-8")
    header = text.split("\nversion:")[0]
    for source in ("reference.yaml", "nhs-edi-reference.yaml", "seeds", "s.149", "mapping_eval.csv"):
        assert source in header


def test_no_long_vocabulary_phrase_appears_verbatim_in_the_evaluation_set(vocab):
    with EVAL.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    texts = [" ".join(_words(r["text"] + " . " + r["success_measure"])) for r in rows]
    stems = [" ".join(stem(w) for w in t.split()) for t in texts]
    long_ = [p for p in _phrases(vocab) if len(_words(p)) > 4]
    for p in long_:
        words = _words(p)
        assert f" {' '.join(words)} " not in " | ".join(f" {t} " for t in texts), p
        assert f" {' '.join(stem(w) for w in words)} " not in " | ".join(f" {t} " for t in stems), p
    # and no evaluation sentence is itself a phrase
    phrases = {" ".join(_words(p)) for p in _phrases(vocab)}
    assert not phrases & set(texts)


@pytest.mark.parametrize(
    ("words", "hia"),
    [
        ("talent management", 2),
        ("inclusive recruitment", 2),
        ("shortlisting", 2),
        ("ethnicity pay gap", 3),
        ("gender pay gap", 3),
        ("disability pay gap", 3),
        ("flexible working", 3),
        ("staff health and wellbeing", 4),
        ("occupational health", 4),
        ("reasonable adjustments passport", 4),
        ("internationally recruited staff", 5),
        ("IEN", 5),
        ("IMG", 5),
        ("overseas nurses", 5),
        ("OSCE", 5),
        ("pastoral support", 5),
        ("bullying", 6),
        ("harassment", 6),
        ("civility", 6),
        ("violence and aggression", 6),
        ("sexual safety", 6),
        ("DASV", 6),
        ("speaking up", 6),
        ("FTSU", 6),
        ("disciplinaries", 6),
        ("board objectives and accountability", 1),
        ("BAF", 1),
        ("reverse mentoring", 1),
        ("lived experience at board", 1),
        ("WRES indicator 2", 2),
        ("WDES metric 8", 4),
        ("WRES indicator 6", 6),
    ],
)
def test_the_words_people_use_are_covered(words, hia):
    assert [h.hia for h in mapping.suggest(words).hia][:1] == [hia]


@pytest.mark.parametrize(
    ("words", "aim"),
    [
        ("staff networks", "c"),
        ("reverse mentoring", "c"),
        ("reasonable adjustments", "b"),
        ("victimisation", "a"),
    ],
)
def test_psed_words_are_covered(words, aim):
    assert [a.aim for a in mapping.suggest(words).psed][:1] == [aim]


def test_the_optional_c_stemmer_gives_the_pure_python_stems():
    """PyStemmer (the ``fast`` extra) and snowballstemmer's English stemmer agree on all our words."""
    import Stemmer
    from snowballstemmer.english_stemmer import EnglishStemmer

    text = resources.files("edi_workbook").joinpath("data/vocabulary.yaml").read_text("utf-8")
    words = sorted({w.lower() for w in re.findall(r"[a-z0-9]+", text, re.IGNORECASE)})
    words += ["organisations", "recruiting", "generously", "sensational", "ponies", "dying", "news"]
    fast, pure = Stemmer.Stemmer("english"), EnglishStemmer()
    assert [fast.stemWord(w) for w in words] == [pure.stemWord(w) for w in words]
    assert [stem(w) for w in words] == [pure.stemWord(w) for w in words]
