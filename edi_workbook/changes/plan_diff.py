"""What changed between two returns of a plan: :func:`diff`, and across a series: :func:`track`.

Actions are paired by :func:`edi_workbook.changes.matching.match_actions` (Action ID, else wording), so
the plans may differ in order, numbering and layout. Each return is judged at its own as-of date
(its ``AsOfDate``, else the date given, else today): an action Green last quarter and Red now has
moved Green -> Red whatever the day the diff is run.

The kinds of change, in the order they are listed for an action:

=============  ===========================================================================
``added``      in NEW only (``new``: its text)
``removed``    in OLD only (``old``: its text; ``was_complete``: whether it was complete)
``reworded``   the action's text changed (spaces and capitals aside)
``owner``      the owner changed
``due_date``   the due date moved; ``days`` is new minus old (more than 0: it slipped)
``status``     the status changed (``Complete`` in ``new``: it was completed)
``pct_complete`` % complete changed (in percentage points)
``rag``        the RAG status moved, each judged at its own return's date
``hia``        the High Impact Actions it is aligned to changed
``psed_aim``   the PSED aims changed
``stalled``    open, started, and nothing about it changed although the returns are at least a
               quarter (:data:`QUARTER_DAYS`) apart; ``days`` is the time between the returns
=============  ===========================================================================
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from edi_workbook import values
from edi_workbook.changes.matching import THRESHOLD, Match, match_actions

if TYPE_CHECKING:
    from edi_workbook.plan import Plan

__all__ = ["KINDS", "QUARTER_DAYS", "Change", "PlanDiff", "Track", "diff", "series", "track"]

KINDS = (
    "added",
    "removed",
    "reworded",
    "owner",
    "due_date",
    "status",
    "pct_complete",
    "rag",
    "hia",
    "psed_aim",
    "stalled",
)
QUARTER_DAYS = 85
"""Returns at least this many days apart span a quarter (quarterly returns are 89 to 92 days apart;
one sent a few days early still counts), so an open action with no change at all is ``stalled``."""

_CLOSED = ("Complete", "Cancelled")
_TEXT_KEYS = ("action", "success_measure", "characteristics", "owner", "notes")
_SAME_KEYS = (*_TEXT_KEYS, "hia", "psed_aim", "start_date", "due_date", "status", "pct_complete",
              "completed_date")  # fmt: skip
"""What must all be unchanged for an action to count as stalled (RAG moves with time alone)."""


@dataclass(frozen=True)
class Change:
    """One change to one action; ``old``, ``new`` and ``days`` as the JSON contract has them."""

    action_id: str | None
    kind: str
    old: Any = None
    new: Any = None
    days: int | None = None
    action: str | None = None  # the action's text in NEW (in OLD for removed)
    match: str | None = None  # how the action was paired: "by ID", "by text (similarity 0.82) to EDI-7"
    was_complete: bool | None = None  # removed only
    was_status: str | None = None  # removed only: its status in OLD
    slips: int | None = None  # due_date only: times the due date has slipped across the returns
    row: int | None = None  # the action's row position in NEW (in OLD for removed)

    def to_dict(self) -> dict[str, Any]:
        """``{"action_id", "kind", "old", "new", "days"}`` then ``action``, ``match`` (and
        ``was_complete`` for a removed action)."""
        d: dict[str, Any] = {
            "action_id": self.action_id,
            "kind": self.kind,
            "old": _plain(self.old),
            "new": _plain(self.new),
            "days": self.days,
            "action": self.action,
            "match": self.match,
        }
        if self.kind == "removed":
            d["was_complete"] = bool(self.was_complete)
            d["was_status"] = self.was_status
        if self.kind == "due_date":
            d["slips"] = self.slips
        return d


def _plain(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, tuple):
        return list(v)
    return v


@dataclass(frozen=True)
class PlanDiff:
    """Every change from OLD to NEW, with the dates each was judged at and how actions were paired."""

    old_as_of: dt.date
    new_as_of: dt.date
    changes: tuple[Change, ...]
    matches: tuple[Match, ...] = ()
    old_ids: tuple[str | None, ...] = ()
    new_ids: tuple[str | None, ...] = ()

    @property
    def summary(self) -> dict[str, int]:
        """Changes per kind, every kind listed (0 when none)."""
        counts = Counter(c.kind for c in self.changes)
        return {k: counts.get(k, 0) for k in KINDS}

    def count(self, kind: str, test: Any = None) -> int:
        return sum(1 for c in self.changes if c.kind == kind and (test is None or test(c)))

    @property
    def slipped(self) -> int:
        return self.count("due_date", lambda c: c.days is not None and c.days > 0)

    @property
    def completed(self) -> int:
        return self.count("status", lambda c: c.new == "Complete")

    def headline(self) -> str:
        """A person's summary: ``4 slipped, 2 completed, 1 new, 3 stalled, 1 removed...``."""
        parts = [
            (self.slipped, "slipped"),
            (self.completed, "completed"),
            (self.count("added"), "new"),
            (self.count("stalled"), "stalled"),
            (self.count("removed"), "removed"),
            (self.count("due_date", lambda c: c.days is not None and c.days < 0), "brought forward"),
            (self.count("reworded"), "reworded"),
            (self.count("owner"), "with a new owner"),
            (self.count("rag"), "changed RAG"),
            (self.count("hia") + self.count("psed_aim"), "re-aligned"),
        ]
        said = [f"{n} {word}" for n, word in parts if n]
        return ", ".join(said) if said else "no changes"

    def text_matches(self) -> list[tuple[str | None, str | None, float]]:
        """Pairs made by wording: (OLD's ID, NEW's ID, similarity), in NEW's order."""
        return [(self.old_ids[m.old], self.new_ids[m.new], m.score) for m in self.matches if m.by == "text"]

    def to_dict(self, old: str | None = None, new: str | None = None) -> dict[str, Any]:
        """The JSON contract: ``{"old", "new", "changes": [...], "summary": {KIND: count}}``."""
        return {
            "old": old,
            "new": new,
            "old_as_of": self.old_as_of.isoformat(),
            "new_as_of": self.new_as_of.isoformat(),
            "changes": [c.to_dict() for c in self.changes],
            "summary": self.summary,
        }


# ---------------------------------------------------------------- one action's values


def _blank(v: Any) -> bool:
    return values.is_blank(v) if not isinstance(v, tuple) else False


def _value(v: Any, raw: Any, key: str) -> Any:
    """One value as compared and reported: parsed where it could be, else the text as typed."""
    if key in ("start_date", "due_date", "completed_date"):
        return v.date() if not _blank(v) else values.parse_text(raw)
    if key == "pct_complete":
        if _blank(v):
            return values.parse_text(raw)
        points = round(float(v) * 100, 1)
        return int(points) if points == int(points) else points
    if key in ("hia", "psed_aim"):
        if isinstance(v, tuple):
            return tuple(sorted(set(v)))
        return values.parse_text(raw)
    if key == "characteristics" and isinstance(v, tuple):
        return "; ".join(v)
    if key == "status" and v is None:
        return values.parse_text(raw)
    return None if _blank(v) else v


Table = dict[str, list[Any]]


def _table(plan: Plan) -> Table:
    """Every compared value of every action, column by column (one pass, no per-cell pandas)."""
    out: Table = {}
    for key in _SAME_KEYS:
        parsed, raw = plan.frame[key].tolist(), plan.raw[key].tolist()
        out[key] = [_value(v, r, key) for v, r in zip(parsed, raw, strict=True)]
    return out


def _same(key: str, a: Any, b: Any) -> bool:
    if key in _TEXT_KEYS and isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
    return bool(a == b) and type(a) is type(b)


# ---------------------------------------------------------------- the diff


def _rags(plan: Plan, as_of: dt.date | None) -> tuple[list[str], dt.date]:
    from edi_workbook.rag_rating import rag

    result = rag(plan, as_of=as_of)
    return [str(r) for r in result.frame["rag"].tolist()], result.as_of


def diff(
    old: Plan,
    new: Plan,
    *,
    old_as_of: dt.date | None = None,
    new_as_of: dt.date | None = None,
    threshold: float = THRESHOLD,
) -> PlanDiff:
    """Every change from the return ``old`` to the return ``new`` (see the module docstring).

    ``old_as_of`` and ``new_as_of`` override each plan's own ``AsOfDate`` (default: the plan's,
    else today). ``threshold`` is the text similarity that pairs reworded actions.
    """
    old_rag, old_date = _rags(old, old_as_of)
    new_rag, new_date = _rags(new, new_as_of)
    matches = match_actions(old, new, threshold=threshold)
    old_ids = tuple(old.action_id(i) for i in range(len(old)))
    new_ids = tuple(new.action_id(j) for j in range(len(new)))
    by_new = {m.new: m for m in matches}
    gap = (new_date - old_date).days
    ot, nt = _table(old), _table(new)
    changes: list[Change] = []
    for j in range(len(new)):
        m = by_new.get(j)
        if m is None:
            changes.append(Change(new_ids[j], "added", new=nt["action"][j], action=_text(new, j), row=j))
            continue
        how = m.describe(old_ids[m.old], new_ids[j])
        found = _pair_changes(ot, nt, m.old, j, (old_rag[m.old], new_rag[j]), old_date, gap)
        changes.extend(
            Change(new_ids[j], kind, a, b, days, _text(new, j), how, slips=_slip(kind, days), row=j)
            for kind, a, b, days in found
        )
    paired = {m.old for m in matches}
    for i in range(len(old)):
        if i not in paired:
            changes.append(
                Change(
                    old_ids[i],
                    "removed",
                    old=ot["action"][i],
                    action=_text(old, i),
                    was_complete=ot["status"][i] == "Complete",
                    was_status=ot["status"][i],
                    row=i,
                )
            )
    return PlanDiff(old_date, new_date, tuple(changes), tuple(matches), old_ids, new_ids)


def _slip(kind: str, days: int | None) -> int | None:
    return (1 if days is not None and days > 0 else 0) if kind == "due_date" else None


def _text(plan: Plan, i: int) -> str | None:
    v = plan.frame["action"].iat[i]
    return None if v is None else str(v)


def _pair_changes(
    old: Table, new: Table, i: int, j: int, rags: tuple[str, str], old_date: dt.date, gap: int
) -> list[tuple[str, Any, Any, int | None]]:
    """(kind, old, new, days) for one paired action, in :data:`KINDS` order."""
    found: list[tuple[str, Any, Any, int | None]] = []
    for kind, key in (("reworded", "action"), ("owner", "owner"), ("due_date", "due_date"),
                      ("status", "status"), ("pct_complete", "pct_complete")):  # fmt: skip
        a, b = old[key][i], new[key][j]
        if not _same(key, a, b):
            days = (b - a).days if isinstance(a, dt.date) and isinstance(b, dt.date) else None
            found.append((kind, a, b, days))
    if rags[0] != rags[1]:
        found.append(("rag", rags[0], rags[1], None))
    for key in ("hia", "psed_aim"):
        a, b = old[key][i], new[key][j]
        if not _same(key, a, b):
            found.append((key, a, b, None))
    if _stalled(old, new, i, j, old_date, gap):
        found.append(("stalled", old_date, old_date + dt.timedelta(days=gap), gap))
    return found


def _stalled(old: Table, new: Table, i: int, j: int, old_date: dt.date, gap: int) -> bool:
    """Open, started by the earlier return, nothing changed, and the returns a quarter apart."""
    if gap < QUARTER_DAYS or new["status"][j] in _CLOSED:
        return False
    start = old["start_date"][i]
    if isinstance(start, dt.date) and start > old_date:
        return False
    return all(_same(k, old[k][i], new[k][j]) for k in _SAME_KEYS)


# ---------------------------------------------------------------- a series of returns


@dataclass
class Track:
    """One action followed through a series of returns (oldest first)."""

    action_id: str | None
    action: str | None
    first_due: dt.date | None  # its due date in the first return it appears in
    due: dt.date | None  # in the latest return it appears in
    slips: int = 0  # times the due date moved later
    days_slipped: int = 0  # days it moved later, in all
    returns: list[int] = field(default_factory=list)  # positions of the returns it appears in
    rows: list[int] = field(default_factory=list)  # its row position in each of those returns
    status: str | None = None  # in the latest return it appears in


def track(
    plans: Sequence[Plan], *, as_of: Sequence[dt.date | None] | None = None, threshold: float = THRESHOLD
) -> tuple[list[PlanDiff], list[Track]]:
    """The diffs of each return against the one before, and every action followed through them.

    ``plans`` are returns of one plan, oldest first; ``as_of`` gives each its date (default: each
    plan's own). An action removed and later added again is two tracks.
    """
    dates = list(as_of) if as_of is not None else [None] * len(plans)
    diffs = [
        diff(plans[k - 1], plans[k], old_as_of=dates[k - 1], new_as_of=dates[k], threshold=threshold)
        for k in range(1, len(plans))
    ]
    tracks: dict[int, Track] = {}  # row in the current return -> its track
    done: list[Track] = []
    if plans:
        tracks = {i: _start(plans[0], i, 0) for i in range(len(plans[0]))}
    for k, d in enumerate(diffs, start=1):
        nxt: dict[int, Track] = {}
        for m in d.matches:
            t = tracks.pop(m.old)
            _follow(t, plans[k], m.new, k)
            nxt[m.new] = t
        done.extend(tracks.values())
        for j in range(len(plans[k])):
            nxt.setdefault(j, _start(plans[k], j, k))
        tracks = nxt
    done.extend(tracks.values())
    return diffs, sorted(done, key=lambda t: (t.returns[0], t.returns[-1]))


def _cell(plan: Plan, i: int, key: str) -> Any:
    return _value(plan.frame[key].iat[i], plan.raw[key].iat[i], key)


def _start(plan: Plan, i: int, k: int) -> Track:
    due = _cell(plan, i, "due_date")
    due = due if isinstance(due, dt.date) else None
    status = _cell(plan, i, "status")
    return Track(plan.action_id(i), _text(plan, i), due, due, returns=[k], rows=[i], status=status)


def _follow(t: Track, plan: Plan, j: int, k: int) -> None:
    due = _cell(plan, j, "due_date")
    due = due if isinstance(due, dt.date) else None
    if due is not None and t.due is not None and due > t.due:
        t.slips += 1
        t.days_slipped += (due - t.due).days
    if t.first_due is None:
        t.first_due = due
    t.due = due if due is not None else t.due
    t.action_id, t.action, t.status = plan.action_id(j), _text(plan, j), _cell(plan, j, "status")
    t.returns.append(k)
    t.rows.append(j)


def series(
    plans: Sequence[Plan], *, as_of: Sequence[dt.date | None] | None = None, threshold: float = THRESHOLD
) -> PlanDiff:
    """The diff of the last two of a series of returns (oldest first), each due date change saying
    how many times that action's due date has slipped across the whole series."""
    from dataclasses import replace

    if len(plans) < 2:
        raise ValueError("a series needs at least two returns")
    diffs, tracks = track(plans, as_of=as_of, threshold=threshold)
    last = len(plans) - 1
    slips = {t.rows[-1]: t.slips for t in tracks if t.returns[-1] == last}
    changes = tuple(
        replace(c, slips=slips.get(c.row, c.slips)) if c.kind == "due_date" and c.row is not None else c
        for c in diffs[-1].changes
    )
    return replace(diffs[-1], changes=changes)
