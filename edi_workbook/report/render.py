"""The board report: one self-contained HTML file for one plan or many.

Everything is inside the file: CSS inline, charts as SVG data URIs drawn with matplotlib, no
script, no web font, and a Content-Security-Policy that forbids any request, so it opens the same
on a laptop with no network and prints well (A4, ``@media print``). Accessible: one ``h1``, a
heading per section, alt text on every chart, captions on every table, and the RAG word printed
wherever its colour is shown. The template (``data/report/report.html.j2``) is rendered by Jinja2
with autoescaping, so all text from plans is HTML-escaped.

>>> import datetime as dt
>>> from edi_workbook.plan import Plan
>>> from edi_workbook.report.data import ReportData
>>> html = render(ReportData(as_of=dt.date(2025, 3, 31)))
>>> html.startswith("<!DOCTYPE html>"), "<script" in html
(True, False)
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_workbook import reference
from edi_workbook.batch import FileResult
from edi_workbook.batch.outputs import Writer
from edi_workbook.deadlines import REPORT_DAYS
from edi_workbook.report.data import HORIZONS, ReportData

if TYPE_CHECKING:
    import jinja2

    from edi_workbook.plan import Plan

__all__ = ["HtmlWriter", "render", "report"]

_TABLE_LIMIT = 200  # plans listed in the coverage and plans tables; the workbook has them all


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("edi_workbook", "data/report"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["breakable"] = breakable
    return env


def breakable(text: object) -> Any:
    """A file name, escaped, that may wrap after ``/ \\ _ - .`` (a ``<wbr>`` after each), not mid-word.

    >>> str(breakable("returns/plan_01 <v2>.xlsx"))
    'returns/<wbr>plan_<wbr>01 &lt;v2&gt;.<wbr>xlsx'
    """
    import markupsafe

    escaped = str(markupsafe.escape(text))  # entities (&lt; &#39;) hold none of the separators
    return markupsafe.Markup(re.sub(r"([/\\_.-])", r"\1<wbr>", escaped))  # noqa: S704 - escaped above


def _css() -> str:
    from importlib import resources

    return resources.files("edi_workbook").joinpath("data/report/report.css").read_text("utf-8")


def _rag_css() -> str:
    """Badge colours from the reference data (the template's own RAG colours)."""
    rules = []
    for r in reference.load().rag_values:
        if not (_is_hex(r.fill) and _is_hex(r.font)):
            raise ValueError(f"RAG colour of {r.name} is not hex RGB")
        rules.append(f".rag-{r.name.lower()} {{ background: #{r.fill}; color: #{r.font}; }}")
    return "\n".join(rules)


def _is_hex(s: str) -> bool:
    return len(s) == 6 and all(c in "0123456789abcdefABCDEF" for c in s)


@dataclass(frozen=True)
class _Deadline:
    date: dt.date
    title: str
    kind: str
    applies_to: str
    status: str
    verified: bool
    source: str
    detail: str


def _national(as_of: dt.date) -> tuple[list[_Deadline], str]:
    """The national deadlines of the next 90 days (:func:`edi_workbook.deadlines.entries`), in
    words, and a sentence on the HIA milestones behind and ahead."""
    from edi_workbook import deadlines

    ref = reference.load()
    out = []
    for e in deadlines.entries(as_of, within_days=deadlines.REPORT_DAYS):
        when = "today" if e.days == 0 else f"in {e.days} days"
        note = f"; falls on a {e.non_working_day}" if e.non_working_day else ""
        kind = "Reporting year" if e.kind == deadlines.ANNUAL else "HIA milestone"
        title = e.title if e.kind == deadlines.ANNUAL else f"{e.title} ({e.id}, {e.detail})"
        status = f"{e.status}, {when}{note}"
        applies = ref.applies_to_words(e.applies_to)
        out.append(_Deadline(e.date, title, kind, applies, status, e.verified, e.source, e.detail))
    passed = [d for d in ref.national_deadlines if d.date < as_of]
    ahead = len(ref.national_deadlines) - len(passed)
    history = f"{len(passed)} of the {len(ref.national_deadlines)} dated HIA milestones have passed"
    if passed:
        history += f", the latest on {max(d.date for d in passed):%d %b %Y}"
    history += (
        f"; {ahead} {'is' if ahead == 1 else 'are'} still ahead." if ahead else "; none is still ahead."
    )
    return out, history


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _plans_label(unreadable: int) -> str:
    """The plans card counts plans read; files that could not be read are named beside it."""
    if not unreadable:
        return "Plans"
    return f"Plans read ({unreadable} file{'' if unreadable == 1 else 's'} could not be read)"


def _cards(data: ReportData) -> list[dict[str, Any]]:
    t = data.totals
    full = sum(1 for o in data.orgs if o.hia_actions and all(o.hia_actions.values()))
    readable = t.files - t.unreadable
    return [
        {"label": _plans_label(t.unreadable), "value": readable, "tone": "bad" if t.unreadable else ""},
        {"label": "Actions", "value": t.actions, "tone": ""},
        {
            "label": f"Complete (Blue): {_pct(t.rag.get('Blue', 0), t.actions)}",
            "value": t.rag.get("Blue", 0),
            "tone": "good",
        },
        {"label": "Overdue (Red)", "value": t.overdue, "tone": "bad" if t.overdue else "good"},
        {"label": "Due soon or at risk (Amber)", "value": t.rag.get("Amber", 0), "tone": "warn"},
        *(
            [{"label": "Reported RAG rosier than the rule", "value": t.rag_disagrees, "tone": "warn"}]
            if t.rag_disagrees
            else []
        ),
        {
            "label": f"Plans covering all {len(reference.load().hias)} HIAs",
            "value": f"{full} of {readable}",
            "tone": "",
        },
        {"label": "Plans with errors", "value": t.with_errors, "tone": "bad" if t.with_errors else "good"},
        {"label": "Files not readable", "value": t.unreadable, "tone": "bad" if t.unreadable else "good"},
    ]


def _plans(n: int) -> str:
    return f"{n} plan" if n == 1 else f"{n} plans"


def _coverage_sentence(data: ReportData) -> str:
    ref = reference.load()
    readable = data.totals.files - data.totals.unreadable
    if not readable:
        return "No plan could be read."
    gaps = [
        f"{h.label} ({h.short_title}): {_plans(readable - data.totals.hia_plans.get(h.number, 0))}"
        for h in ref.hias
        if data.totals.hia_plans.get(h.number, 0) < readable
    ]
    if not gaps:
        return "Every plan has at least one action for each of the six HIAs."
    return "Plans with no action for an HIA: " + "; ".join(gaps) + "."


def _chart_alt(rows: Sequence[tuple[str, dict[str, int]]]) -> str:
    parts = [
        f"{label}: " + ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        if any(counts.values())
        else f"{label}: no actions"
        for label, counts in rows
    ]
    return "Stacked bar chart of actions by RAG status for each HIA. " + "; ".join(parts) + "."


def context(data: ReportData) -> dict[str, Any]:
    """Everything the template shows, computed from the gathered data."""
    from edi_workbook import __version__
    from edi_workbook.report import charts

    ref = reference.load()
    t = data.totals
    readable = [o for o in data.orgs if o.error is None]
    rag_by_hia = data.rag_by_hia()
    heat = readable[: charts.HEATMAP_LIMIT]
    single = data.orgs[0].label if len(data.orgs) == 1 else None
    national, national_history = _national(data.as_of)
    title = f"{single}: EDI action plan report" if single else "EDI action plans: board report"
    return {
        "title": title,
        "version": __version__,
        "as_of": data.as_of,
        "css": _markup(_css()),
        "rag_css": _markup(_rag_css()),
        "t": t,
        "cards": _cards(data),
        "rag_names": ref.rag_names,
        "rag_rows": [
            {
                "name": r.name,
                "meaning": r.meaning,
                "count": t.rag.get(r.name, 0),
                "share": _pct(t.rag.get(r.name, 0), t.actions),
            }
            for r in ref.rag_values
        ],
        "rag_by_hia": rag_by_hia,
        "rag_by_objective": data.rag_by_objective(),
        "rag_chart": charts.rag_by_hia_chart(rag_by_hia),
        "rag_chart_alt": _chart_alt(rag_by_hia),
        "hias": ref.hias,
        "orgs": readable,
        "coverage_sentence": _coverage_sentence(data),
        "heatmap": charts.coverage_heatmap(
            [o.label for o in heat], [[o.hia_actions.get(h.number, 0) for h in ref.hias] for o in heat]
        )
        if heat
        else None,
        "heatmap_alt": "Heat map of the number of actions per plan and HIA. " + _coverage_sentence(data),
        "heatmap_rows": len(heat),
        "heatmap_cut": len(readable) > len(heat),
        "coverage_orgs": readable[:_TABLE_LIMIT],
        "coverage_cut": max(0, len(readable) - _TABLE_LIMIT),
        "overdue": data.overdue,
        "upcoming": data.upcoming,
        "upcoming_counts": [(h, data.upcoming_counts.get(h, 0)) for h in HORIZONS],
        "upcoming_more": data.upcoming_counts.get(HORIZONS[-1], 0) > len(data.upcoming),
        "horizon": HORIZONS[-1],
        "national": national,
        "national_history": national_history,
        "national_days": REPORT_DAYS,
        "national_until": data.as_of + dt.timedelta(days=REPORT_DAYS),
        "problems": data.top_problems(),
        "unreadable": [o for o in data.orgs if o.error is not None][:_TABLE_LIMIT],
        "plan_rows": data.orgs[:_TABLE_LIMIT],
        "plans_cut": max(0, len(data.orgs) - _TABLE_LIMIT),
    }


def _markup(text: str) -> Any:
    """Trusted package text (our CSS) that must not be escaped; refuses anything that ends a style."""
    import markupsafe

    if "</" in text:
        raise ValueError("stylesheet text must not contain '</'")
    return markupsafe.Markup(text)  # noqa: S704 - our own package CSS, checked above


def render(data: ReportData) -> str:
    """The report's HTML text."""
    return _environment().get_template("report.html.j2").render(context(data))


class HtmlWriter(Writer):
    """Batch output ``--format html``: gathers the report's data, renders it at the end."""

    def __init__(self, out: Path, *, as_of: dt.date | None = None) -> None:
        super().__init__(out, as_of=as_of)
        self.data = ReportData(as_of=as_of or dt.date.today())
        self._as_of_fixed = as_of is not None

    def add(self, r: FileResult) -> None:
        """Gather one result; without an as-of date, the first plan's own (its AsOfDate) is used."""
        super().add(r)
        if not self._as_of_fixed and r.as_of is not None:
            self.data.as_of = r.as_of
            self._as_of_fixed = True
        self.data.add(r)

    def finish(self) -> None:
        self.temp_for(self.out).write_text(render(self.data), encoding="utf-8")


def report(
    paths_or_plans: str | os.PathLike[str] | Plan | Iterable[str | os.PathLike[str] | Plan],
    out: str | os.PathLike[str],
    *,
    as_of: dt.date | None = None,
    jobs: int | None = None,
    progress: bool = False,
) -> ReportData:
    """Write the board report for plans in memory and/or plan files, folders and globs to ``out``.

    Returns the gathered :class:`ReportData` (its ``totals`` say what was found).
    """
    from edi_workbook.batch import analyse_plan, discover, iter_batch
    from edi_workbook.plan import Plan

    items = [paths_or_plans] if isinstance(paths_or_plans, (str, os.PathLike, Plan)) else list(paths_or_plans)
    out_path = Path(out)
    writer = HtmlWriter(out_path, as_of=as_of)
    with writer:
        for item in items:
            if isinstance(item, Plan):
                writer.add(analyse_plan(item, as_of=as_of))
        paths = [i for i in items if not isinstance(i, Plan)]
        if paths:
            files = discover(paths, outputs=[out_path])
            for r in iter_batch(files, jobs=jobs, as_of=as_of, progress=progress):
                writer.add(r)
    return writer.data
