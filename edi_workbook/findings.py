"""Findings: what validation (and mapping, and RAG) says about a plan, as plain values.

A :class:`Finding` is frozen and carries everything needed to show it or to point at the cell:
a stable kebab-case ``code``, a ``severity``, a plain-English ``message`` saying what to do, and
the position (``sheet``, ``cell`` in A1 form, ``row``, ``column`` header, ``action_id``).

Codes are registered once, with a title, an explanation and an example, by :func:`register`; the
docs' table of codes is generated from :data:`REGISTRY`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

__all__ = ["FINDING_HEADERS", "REGISTRY", "CodeInfo", "Finding", "Severity", "cell_ref", "register"]


class Severity(StrEnum):
    """How much a finding matters: errors must be fixed; warnings should be; info is a hint."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing to tell the user about a plan, pointing at a cell where there is one."""

    code: str
    severity: Severity
    message: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    action_id: str | None = None

    @classmethod
    def new(
        cls,
        code: str,
        severity: Severity,
        message: str,
        sheet: str | None,
        cell: str | None,
        row: int | None,
        column: str | None,
        action_id: str | None,
    ) -> Finding:
        """The same as ``Finding(...)`` with every field given in order, about twice as fast.

        Validation makes one per problem, thousands for a large plan: this sets the slots directly
        instead of going through the frozen dataclass's ``__init__``.
        """
        f = _new(cls)
        put_code, put_severity, put_message, put_sheet, put_cell, put_row, put_column, put_id = _SLOTS
        put_code(f, code)
        put_severity(f, severity)
        put_message(f, message)
        put_sheet(f, sheet)
        put_cell(f, cell)
        put_row(f, row)
        put_column(f, column)
        put_id(f, action_id)
        return f

    def as_row(self) -> tuple[Any, ...]:
        """The finding as one row under :data:`FINDING_HEADERS` (Validation sheets, roll-ups)."""
        return (
            self.severity.value,
            self.code,
            self.message,
            self.sheet,
            self.cell,
            self.row,
            self.column,
            self.action_id,
        )

    @property
    def where(self) -> str | None:
        """``'Action Plan'!C7`` (see :func:`cell_ref`), or None for a plan-level finding."""
        return cell_ref(self.sheet, self.cell)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the field names used in every output (in field order).

        Written out rather than ``dataclasses.asdict``, which deep-copies each field: 9.5% of a
        batch's time was there (issue 18). A test holds it to ``asdict``'s answer.
        """
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "action_id": self.action_id,
        }

    def sort_key(self) -> tuple[Any, ...]:
        """Stable order: by row (plan-level last), then severity, then code."""
        return (self.row is None, self.row or 0, _ORDER[self.severity], self.code, self.column or "")


_new = object.__new__
_SLOTS = tuple(Finding.__dict__[f.name].__set__ for f in fields(Finding))
"""The slot setters of Finding's fields, in declaration order (used by ``Finding.new``)."""


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """Documentation of a finding code."""

    code: str
    severity: Severity
    title: str
    explanation: str
    example: str


REGISTRY: dict[str, CodeInfo] = {}


FINDING_HEADERS = ("Severity", "Code", "Message", "Sheet", "Cell", "Row", "Column", "Action ID")
"""Column headers of a findings table: the template's Validation sheet, write-back, the add-in
and the batch roll-up all use these, in this order (:meth:`Finding.as_row`)."""


def cell_ref(sheet: str | None, cell: str | None) -> str | None:
    """A cell reference as Excel writes it: the sheet quoted when its name has spaces or punctuation.

    >>> cell_ref("Action Plan", "C7"), cell_ref("Plan", "C7"), cell_ref(None, "C7"), cell_ref("Plan", None)
    ("'Action Plan'!C7", 'Plan!C7', 'C7', None)
    """
    if not cell:
        return None
    if not sheet:
        return cell
    quoted = sheet if sheet.isidentifier() else "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{cell}"


def register(code: str, severity: Severity, title: str, explanation: str, example: str) -> CodeInfo:
    """Register a finding code once; registering the same code twice is a programming error."""
    if code in REGISTRY:
        raise ValueError(f"finding code registered twice: {code}")
    info = CodeInfo(code, severity, title, explanation, example)
    REGISTRY[code] = info
    return info
