"""Suggest HIAs and PSED aims for action texts, with the evidence; and a plan's coverage matrix.

How it reads a text, in four small modules:

- ``words.py``: words and stems, and the vocabulary's phrases (``data/vocabulary.yaml``);
- ``features.py``: what is read in a text (phrases, words, context such as "patients, not staff"
  or "report to the Board"), each feature with the words behind it;
- ``model.py``: a linear model over the features whose weights ship as data
  (``data/mapping_model.json``, trained by ``scripts/train_mapping.py``), scored in pure Python,
  with calibrated probabilities;
- ``suggestions.py`` and ``coverage.py``: the public functions.

Every suggestion says which words of the text led to it; nothing fits, nothing is suggested.

>>> s = suggest("Provide OSCE preparation and pastoral support for overseas nurses")
>>> [h.hia for h in s.hia]
[5]
>>> [a.aim for a in s.psed][:1]
['b']
>>> suggest("Publish the annual report on the website").hia
[]
"""

from __future__ import annotations

from edi_workbook.mapping.coverage import CellSuggestion, Coverage, coverage, suggest_plan
from edi_workbook.mapping.screen import Contenders, contenders, listed
from edi_workbook.mapping.suggestions import (
    CONFIDENT,
    AimSuggestion,
    HiaSuggestion,
    Suggestion,
    phrases,
    suggest,
    suggest_many,
    suggest_shared,
)

__all__ = [
    "CONFIDENT",
    "AimSuggestion",
    "CellSuggestion",
    "Contenders",
    "Coverage",
    "HiaSuggestion",
    "Suggestion",
    "contenders",
    "coverage",
    "listed",
    "phrases",
    "suggest",
    "suggest_many",
    "suggest_plan",
    "suggest_shared",
]
