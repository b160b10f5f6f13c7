"""One plan's actions as plain rows for the roll-up outputs (``All actions`` sheet, JSON, CSV)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from edi_workbook import reference, values
from edi_workbook.batch.model import ROW_KEYS
from edi_workbook.findings import cell_ref
from edi_workbook.plan.columns import DATE_KEYS

if TYPE_CHECKING:
    from edi_workbook.plan import Plan
    from edi_workbook.rag_rating import RagColumns

__all__ = ["action_rows"]


def _missing(v: Any) -> bool:
    """None or NaN (:meth:`Plan.column` gives None for a blank; a changed frame may give NaN)."""
    return v is None or v != v


def _joined(parsed: Any, raw: Any, label: Any) -> str | None:
    if isinstance(parsed, tuple) and parsed:
        return "; ".join(label(x) for x in parsed)
    return values.parse_text(raw)


def _date(parsed: Any, raw: Any) -> dt.date | str | None:
    if _missing(parsed):
        return values.parse_text(raw)
    return parsed.date() if hasattr(parsed, "date") else parsed


def _column(plan: Plan, key: str) -> list[Any]:
    """One column, shown as a person reads it: labels for HIAs, dates as dates, else the raw text."""
    ref = reference.load()
    parsed = plan.column(key)
    raw = plan.raw_column(key)
    if key == "hia":
        return [_joined(p, r, ref.hia_label) for p, r in zip(parsed, raw, strict=True)]
    if key in ("psed_aim", "characteristics"):
        return [_joined(p, r, str) for p, r in zip(parsed, raw, strict=True)]
    if key in DATE_KEYS:
        return [_date(p, r) for p, r in zip(parsed, raw, strict=True)]
    if key == "pct_complete":
        return [None if _missing(p) else float(p) for p in parsed]
    if key == "status":
        return [p if p is not None else values.parse_text(r) for p, r in zip(parsed, raw, strict=True)]
    if key == "objective":  # the plan's objective or theme, else the section heading above the action
        return [values.parse_text(p) or plan.section_of(i) for i, p in enumerate(parsed)]
    return [values.parse_text(p) for p in parsed]


def _others(plan: Plan, i: int) -> str | None:
    """Row position ``i``'s extra columns in one text (the roll-up workbook cuts it, saying so, where
    Excel's cells end: each value fits a cell, all of them together may not)."""
    return "; ".join(plan.extra_lines(i)) or None


def _rag_columns(rated: RagColumns) -> dict[str, list[Any]]:
    return {
        "rag": rated.rag,
        "reported_rag": rated.reported_rag,
        "days_to_due": rated.days_to_due,
        "reason": rated.reason,
    }


def action_rows(plan: Plan, rated: RagColumns | None) -> list[tuple[Any, ...]]:
    """Every action as a tuple in ``ROW_KEYS`` order, then the RAG reason, the action's cell, and its
    layout's columns that no field reads (``Budget £: 5000; Board sponsor: Jo``; None for none), so
    the roll-up loses nothing a member typed."""
    n = len(plan)
    by_rule = _rag_columns(rated) if rated is not None else {}
    cols = [by_rule[k] if k in by_rule else _column(plan, k) for k in ROW_KEYS]
    cols.append(by_rule.get("reason", [None] * n))
    ids, actions = plan.cell_column("action_id"), plan.cell_column("action")
    cols.append([cell_ref(plan.sheet_of(i), ids[i] or actions[i]) for i in range(n)])
    cols.append([_others(plan, i) for i in range(n)] if plan.extra_columns else [None] * n)
    return list(zip(*cols, strict=True)) if n else []
