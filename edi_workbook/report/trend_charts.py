"""The report's charts of progress over time (matplotlib, SVG data URIs, as :mod:`.charts`).

A stacked column per period of the RAG mix (all organisations, and one small chart per
organisation), and the share of actions complete per period as lines. Every segment and point
carries its number, so colour is never the only signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from edi_workbook import reference
from edi_workbook.report.charts import _RC, _data_uri, _short, stacked_rag_bars

__all__ = ["ORG_CHART_LIMIT", "completion_chart", "rag_mix_by_organisation", "rag_mix_chart"]

ORG_CHART_LIMIT = 12
"""At most this many organisations get a small chart; the tables list them all."""

Mix = Sequence[tuple[str, dict[str, int]]]  # (period, {RAG: count}) in date order


def _stack(ax: Any, mix: Mix) -> None:
    stacked_rag_bars(ax, [p for p, _ in mix], [c for _, c in mix], horizontal=False, fontsize=8)


def rag_mix_chart(mix: Mix) -> str:
    """One stacked column per period: the RAG mix of every organisation's return in it."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8, 3.6))
        ax = fig.subplots()
        _stack(ax, mix)
        ax.set_ylabel("Actions")
        ax.legend(
            ncols=len(reference.load().rag_values),
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            frameon=False,
        )
        return _data_uri(fig)


def rag_mix_by_organisation(orgs: Sequence[tuple[str, Mix]]) -> str:
    """Small multiples: one stacked column chart per organisation (at most ``ORG_CHART_LIMIT``)."""
    import matplotlib
    from matplotlib.figure import Figure

    orgs = list(orgs)[:ORG_CHART_LIMIT]
    cols = min(3, len(orgs))
    rows = -(-len(orgs) // cols)
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8, 2.6 * rows + 0.6))
        axes = fig.subplots(rows, cols, squeeze=False)
        for k, ax in enumerate(axes.flat):
            if k >= len(orgs):
                ax.set_visible(False)
                continue
            label, mix = orgs[k]
            _stack(ax, mix)
            ax.set_title(_short(label, 34), fontsize=9)
            ax.tick_params(axis="x", labelsize=7, rotation=30)
        fig.legend(
            *axes.flat[0].get_legend_handles_labels(),
            ncols=len(reference.load().rag_values),
            loc="upper center",
            frameon=False,
        )
        fig.tight_layout(rect=(0, 0, 1, 0.94))
        return _data_uri(fig)


def completion_chart(
    series: Sequence[tuple[str, Sequence[str], Sequence[float]]], periods: Sequence[str]
) -> str:
    """Share of actions complete per period: one line per organisation, all together in bold."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8, 3.4))
        ax = fig.subplots()
        index = {p: i for i, p in enumerate(periods)}
        for k, (label, ps, rates) in enumerate(series):
            overall = k == 0
            xs = [index[p] for p in ps]
            ys = [100 * r for r in rates]
            ax.plot(
                xs,
                ys,
                marker="o",
                linewidth=2.6 if overall else 1.2,
                color="#1F4E79" if overall else None,
                label=_short(label, 30),
                zorder=3 if overall else 2,
            )
            if overall:
                for x, y in zip(xs, ys, strict=True):
                    ax.annotate(
                        f"{y:.0f}%",
                        (x, y),
                        textcoords="offset points",
                        xytext=(0, 7),
                        ha="center",
                        fontsize=8,
                    )
        ax.set_xticks(range(len(periods)), list(periods))
        ax.set_ylabel("Actions complete (%)")
        ax.set_ylim(0, 100)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(fontsize=8, loc="upper left", frameon=False)
        return _data_uri(fig)
