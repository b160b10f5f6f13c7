"""The board report over several returns per organisation: "Progress over time" (``report --history``).

:func:`report_history` follows each organisation's returns with
:func:`edi_workbook.batch.history.analyse_history`; the report's usual sections show each
organisation's latest return, the headline figures say how they moved since the previous returns
("Overdue (Red) 12: up 4 since Q2 2026/27"), and a "Progress over time" section adds the RAG mix per
period (all organisations, and each one), the share of actions complete over time, what slipped,
was completed, added, removed or stalled between returns, and the most slipped actions.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from edi_workbook.batch.history import History, ReturnLine
from edi_workbook.report.data import ReportData
from edi_workbook.report.render import HtmlWriter, context

__all__ = ["TrendHtmlWriter", "movement_words", "render_with_history", "report_history", "trend_context"]

_MOVE_CSS = ".card dd.move { font-size: .85rem; font-weight: 400; color: var(--muted); }\n"
_CARD_FIGURES = {  # a headline card's label starts with... -> the figure that moves
    "Actions": "actions",
    "Complete": "complete",
    "Overdue": "overdue",
    "Due soon": "amber",
}


def movement_words(now: int, before: int, since: str) -> str:
    """``up 4 since Q2 2026/27``, ``down 1 since...``, ``no change since...``.

    >>> movement_words(12, 8, "Q2 2026/27"), movement_words(3, 3, "Q2 2026/27")
    ('up 4 since Q2 2026/27', 'no change since Q2 2026/27')
    """
    if now == before:
        return f"no change since {since}"
    return f"{'up' if now > before else 'down'} {abs(now - before)} since {since}"


def _mix(lines: Iterable[ReturnLine]) -> list[tuple[str, dict[str, int]]]:
    return [(x.period, dict(x.rag)) for x in lines]


def _alt_mix(lines: list[ReturnLine]) -> str:
    parts = [f"{x.period}: " + ", ".join(f"{n} {k}" for k, n in x.rag.items() if n) for x in lines]
    return (
        "Stacked columns of actions by RAG status in each period, all organisations. "
        + "; ".join(parts)
        + "."
    )


def trend_context(history: History) -> dict[str, Any]:
    """What the "Progress over time" section shows."""
    from edi_workbook.report import trend_charts

    overall = history.overall()
    by_org = history.by_organisation()
    periods = history.periods
    moved, since = history.movement()
    series = [("All organisations", [x.period for x in overall], [x.completion for x in overall])]
    series += [(org, [x.period for x in ls], [x.completion for x in ls]) for org, ls in by_org.items()][:10]
    completion_alt = "Line chart of the share of actions complete in each period. " + "; ".join(
        f"{label}: " + ", ".join(f"{p} {100 * r:.0f}%" for p, r in zip(ps, rs, strict=True))
        for label, ps, rs in series
    )
    return {
        "periods": periods,
        "overall": overall,
        "by_org": by_org,
        "lines": history.lines,
        "slipped": history.slipped,
        "same_date": history.same_date,
        "since": since,
        "movement": [
            (name, now, before, movement_words(now, before, since)) for name, (now, before) in moved.items()
        ],
        "mix_chart": trend_charts.rag_mix_chart(_mix(overall)) if overall else None,
        "mix_alt": _alt_mix(overall),
        "org_chart": trend_charts.rag_mix_by_organisation([(o, _mix(ls)) for o, ls in by_org.items()])
        if by_org
        else None,
        "org_chart_alt": "Small stacked column charts of actions by RAG status in each period, one per "
        "organisation. " + "; ".join(f"{o}: " + _alt_mix(ls).split(". ", 1)[1] for o, ls in by_org.items()),
        "org_chart_cut": max(0, len(by_org) - trend_charts.ORG_CHART_LIMIT),
        "completion_chart": trend_charts.completion_chart(series, periods) if overall else None,
        "completion_alt": completion_alt + ".",
    }


def render_with_history(data: ReportData, history: History) -> str:
    """The report's HTML with the headline cards' movement and the "Progress over time" section."""
    from edi_workbook.report.render import _environment, _markup

    ctx = context(data)
    moved, since = history.movement()
    for card in ctx["cards"]:
        key = next((v for k, v in _CARD_FIGURES.items() if card["label"].startswith(k)), None)
        if key and key in moved:
            now, before = moved[key]
            card["movement"] = movement_words(now, before, since)
    ctx["trend"] = trend_context(history)
    ctx["css"] = _markup(str(ctx["css"]) + _MOVE_CSS)
    ctx["title"] = ctx["title"].replace("board report", "board report over time")
    return _environment().get_template("report.html.j2").render(ctx)


class TrendHtmlWriter(HtmlWriter):
    """``--format html`` with ``--history``: the report over time once ``history`` is set."""

    history: History | None = None

    def finish(self) -> None:
        if self.history is None:
            super().finish()
            return
        self.temp_for(self.out).write_text(render_with_history(self.data, self.history), encoding="utf-8")


def report_history(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    as_of: dt.date | None = None,
    period: str | None = None,
    jobs: int | None = None,
) -> tuple[ReportData, History]:
    """Write the board report over several returns per organisation to ``out``."""
    from edi_workbook.batch.history import analyse_history

    out_path = Path(out)
    history = analyse_history(paths, as_of=as_of, period=period, jobs=jobs, exclude=[out_path])
    latest = max((x.date for x in history.lines), default=as_of)
    writer = TrendHtmlWriter(out_path, as_of=latest)
    with writer:
        for r in [*history.latest, *history.unreadable]:
            writer.add(r)
        writer.history = history
    return writer.data, history
