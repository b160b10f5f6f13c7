"""The report's charts, drawn with matplotlib and returned as SVG data URIs for ``<img>`` tags.

Deterministic (no date in the metadata, a fixed hash salt for element ids), so the same data gives
the same bytes. Every bar and cell also carries its number, so colour is never the only signal.
Matplotlib's object API (``Figure``) is used without pyplot: no GUI backend, no global state.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

from edi_workbook import reference

__all__ = ["HEATMAP_LIMIT", "coverage_heatmap", "rag_by_hia_chart", "stacked_rag_bars"]

HEATMAP_LIMIT = 40
"""At most this many plans are drawn in the heat map; the report says when there are more."""

_RC: Any = {
    "svg.hashsalt": "edi-workbook",
    "svg.fonttype": "path",
    "font.size": 10,
    "font.family": "DejaVu Sans",
}


def _data_uri(fig: Any) -> str:
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _hex(colour: str) -> str:
    return f"#{colour}"


def stacked_rag_bars(
    ax: Any, labels: Sequence[str], mixes: Sequence[dict[str, int]], *, horizontal: bool, fontsize: int
) -> None:
    """A stacked bar per label, a segment per RAG value in the reference's order, each with its count.

    ``horizontal`` bars grow to the right (``barh``); otherwise they are columns. Used by the RAG
    by HIA chart here and by the RAG mix charts over time (:mod:`.trend_charts`).
    """
    draw, base_arg = (ax.barh, "left") if horizontal else (ax.bar, "bottom")
    base = [0] * len(labels)
    for rag in reference.load().rag_values:
        counts = [c.get(rag.name, 0) for c in mixes]
        bars = draw(
            labels,
            counts,
            color=_hex(rag.fill),
            label=rag.name,
            edgecolor="white",
            linewidth=0.8,
            **{base_arg: base},
        )
        texts = [str(c) if c else "" for c in counts]
        ax.bar_label(bars, labels=texts, label_type="center", color=_hex(rag.font), fontsize=fontsize)
        base = [a + b for a, b in zip(base, counts, strict=True)]
    ax.spines[["top", "right"]].set_visible(False)


def rag_by_hia_chart(rows: Sequence[tuple[str, dict[str, int]]]) -> str:
    """Horizontal stacked bars: one per HIA, a segment per RAG value, each labelled with its count."""
    import matplotlib
    from matplotlib.figure import Figure

    ref = reference.load()
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8, 0.45 * len(rows) + 1.3))
        ax = fig.subplots()
        top_down = rows[::-1]  # barh draws from the bottom: the first HIA goes on top
        stacked_rag_bars(
            ax, [label for label, _ in top_down], [c for _, c in top_down], horizontal=True, fontsize=9
        )
        ax.set_xlabel("Actions")
        ax.legend(ncols=len(ref.rag_values), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
        return _data_uri(fig)


def coverage_heatmap(labels: Sequence[str], matrix: Sequence[Sequence[int]]) -> str:
    """Plans (rows) x HIAs (columns): shade by number of actions, the number printed in each cell."""
    import matplotlib
    import numpy as np
    from matplotlib.figure import Figure

    ref = reference.load()
    data = np.array(matrix, dtype=float).reshape(len(labels), len(ref.hias))
    top = max(float(data.max()) if data.size else 0.0, 1.0)
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8, 0.36 * len(labels) + 1.0))
        ax = fig.subplots()
        ax.imshow(data, cmap="Blues", vmin=0, vmax=top * 1.25, aspect="auto")
        ax.set_xticks(range(len(ref.hias)), [h.label for h in ref.hias])
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(labels)), [_short(label) for label in labels])
        for (i, j), v in np.ndenumerate(data):
            text = "none" if v == 0 else str(int(v))
            colour = "#B00020" if v == 0 else ("white" if v > top * 0.6 else "black")
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=10,
                color=colour,
                fontweight="bold" if v == 0 else "normal",
            )
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        return _data_uri(fig)


def _short(label: str, width: int = 38) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"
