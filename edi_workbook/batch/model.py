"""The values a batch passes around: one file's result, the running totals, what an output needs.

Kept free of heavy imports and made of plain, picklable data, because results travel from worker
processes to the writer one file at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from edi_workbook import reference
from edi_workbook.errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE
from edi_workbook.findings import Finding

__all__ = [
    "ACTION_COLUMNS",
    "ROW_KEYS",
    "FileResult",
    "Need",
    "Rendered",
    "Totals",
    "exit_code_of",
    "need_for",
]

ROW_KEYS: tuple[str, ...] = (
    "action_id",
    "action",
    "objective",
    "success_measure",
    "hia",
    "psed_aim",
    "characteristics",
    "owner",
    "start_date",
    "due_date",
    "status",
    "pct_complete",
    "completed_date",
    "rag",
    "reported_rag",
    "days_to_due",
)
"""The plan columns copied into ``All actions`` (template order; the objective or theme, else the
section heading, after the action; the plan's own RAG after the rule's), then the RAG reason, the
action's cell, and the columns of its own layout that no field reads."""

ACTION_COLUMNS: tuple[str, ...] = (
    *("Reported RAG" if k == "reported_rag" else reference.load().header_of(k) for k in ROW_KEYS),
    "RAG reason",
    "Cell",
    "Other columns",
)
"""Headers of one action row (``FileResult.rows``); writers put ``File`` and ``Organisation`` first."""


@dataclass(frozen=True)
class Need:
    """What an output needs computed for each file; everything else is skipped."""

    findings: bool = True
    rag: bool = True
    coverage: bool = True
    rows: bool = True
    render: str | None = None
    """The output (``xlsx``, ``json``, ``csv``) whose text the worker writes for each file
    (:mod:`edi_workbook.batch.render`), so results travel as text and the parent only writes it."""


def need_for(fmt: str | None) -> Need:
    """The work an output needs: JUnit validation and RAG; ``text`` (a line per file) no rows or findings.

    JUnit shows no RAG, but the command's summary line counts overdue actions for every format, so
    RAG is rated (it is cheap next to validation). ``None`` (results returned to Python) needs
    everything.
    """
    if fmt == "junit":
        return Need(coverage=False, rows=False)
    if fmt == "text":
        return Need(rows=False, findings=False)
    return Need(render=fmt if fmt in ("xlsx", "json", "csv") else None)


@dataclass(frozen=True)
class Rendered:
    """A file's findings and action rows as the text one output writes (see :mod:`edi_workbook.batch.render`).

    ``parts`` depend on ``fmt``: for ``xlsx`` the ``All actions`` and ``Findings`` rows (tuples of
    SpreadsheetML cells), for ``csv`` the lines of the actions and findings files, for ``json`` the
    file's object. ``codes`` are the findings' codes, which the totals count.
    """

    fmt: str
    parts: tuple[Any, ...]
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileResult:
    """One file's result: counts, RAG, coverage, findings and (when needed) every action row."""

    file: str
    organisation: str | None = None
    actions: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    rag: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    rag_disagrees: int = 0  # actions the plan reports Green/Blue that the rule rates Red/Amber
    hia_rag: dict[int, dict[str, int]] = field(default_factory=dict)
    hia_actions: dict[int, int] = field(default_factory=dict)
    psed_actions: dict[str, int] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)
    as_of: dt.date | None = None
    findings: list[Finding] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    error: str | None = None
    rendered: Rendered | None = None
    """Findings and rows already written as one output's text (they are then left empty)."""

    @property
    def readable(self) -> bool:
        return self.error is None

    @property
    def ok(self) -> bool:
        """Read, and no errors (warnings allowed): the test ``validate`` exits 0 on."""
        return self.error is None and self.errors == 0

    @property
    def hias_covered(self) -> tuple[int, ...]:
        return tuple(n for n, c in sorted(self.hia_actions.items()) if c)

    @property
    def label(self) -> str:
        """The organisation if the plan names it, else the file name."""
        return self.organisation or self.file.replace("\\", "/").rsplit("/", 1)[-1]

    def light(self) -> FileResult:
        """The same result without its findings and rows (what a batch keeps once written out)."""
        return replace(self, findings=[], rows=[], rendered=None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: summary fields, then ``findings`` and ``actions`` when they were computed."""
        d: dict[str, Any] = {
            "file": self.file,
            "organisation": self.organisation,
            "ok": self.ok,
            "error": self.error,
            "actions": self.actions,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "rag": dict(self.rag),
            "overdue": self.overdue,
            "rag_disagrees": self.rag_disagrees,
            "rag_by_hia": {str(k): dict(v) for k, v in sorted(self.hia_rag.items())},
            "hias_covered": list(self.hias_covered),
            "hia_actions": {str(k): v for k, v in sorted(self.hia_actions.items())},
            "psed_actions": dict(sorted(self.psed_actions.items())),
            "gaps": list(self.gaps),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.rows:
            d["actions_detail"] = [row_dict(r) for r in self.rows]
        return d


def row_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    """One action row as a JSON-ready dict keyed by ``ROW_KEYS`` + ``rag_reason``, ``cell``,
    ``other_columns``."""
    keys = (*ROW_KEYS, "rag_reason", "cell", "other_columns")
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in zip(keys, row, strict=True)}


@dataclass
class Totals:
    """Running totals over every file of a batch."""

    files: int = 0
    unreadable: int = 0
    with_errors: int = 0
    actions: int = 0
    errors: int = 0
    warnings: int = 0
    overdue: int = 0
    rag_disagrees: int = 0
    rag: Counter[str] = field(default_factory=Counter)
    hia_actions: Counter[int] = field(default_factory=Counter)
    hia_plans: Counter[int] = field(default_factory=Counter)
    hia_rag: Counter[tuple[int, str]] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)

    def add(self, r: FileResult) -> None:
        """Count one file's result in."""
        self.files += 1
        if not r.readable:
            self.unreadable += 1
            return
        self.with_errors += r.errors > 0
        self.actions += r.actions
        self.errors += r.errors
        self.warnings += r.warnings
        self.overdue += r.overdue
        self.rag_disagrees += r.rag_disagrees
        self.rag.update(r.rag)
        self.hia_actions.update(r.hia_actions)
        self.hia_plans.update(n for n, c in r.hia_actions.items() if c)
        self.hia_rag.update({(n, k): v for n, counts in r.hia_rag.items() for k, v in counts.items()})
        self.codes.update(r.rendered.codes if r.rendered is not None else [f.code for f in r.findings])

    @property
    def ok(self) -> int:
        return self.files - self.unreadable - self.with_errors

    def to_dict(self) -> dict[str, Any]:
        ref = reference.load()
        return {
            "files": self.files,
            "ok": self.ok,
            "with_errors": self.with_errors,
            "unreadable": self.unreadable,
            "actions": self.actions,
            "errors": self.errors,
            "warnings": self.warnings,
            "overdue": self.overdue,
            "rag_disagrees": self.rag_disagrees,
            "rag": {name: self.rag.get(name, 0) for name in ref.rag_names},
            "hia_actions": {str(h.number): self.hia_actions.get(h.number, 0) for h in ref.hias},
            "hia_plans": {str(h.number): self.hia_plans.get(h.number, 0) for h in ref.hias},
        }


def exit_code_of(totals: Totals) -> int:
    """As ``validate``: 2 if a file could not be read, else 1 if any plan has errors, else 0."""
    if totals.unreadable:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if totals.with_errors else EXIT_OK
