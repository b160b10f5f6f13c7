"""Reference data: HIAs, national deadlines, the reporting cycle, PSED aims, characteristics, EDS 2022...

Everything is read from ``edi_workbook/data/reference.yaml`` (versioned, sources named inside it).
No other module repeats these facts as literals: ask :func:`load` for them.

>>> ref = load()
>>> [h.number for h in ref.hias]
[1, 2, 3, 4, 5, 6]
>>> ref.hia(3).short_title
'Eliminate pay gaps'
>>> [a.aim for a in ref.psed_aims]
['a', 'b', 'c']
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from edi_workbook.obligations import Obligation, OrgType, Rule, parse_obligations

__all__ = [
    "HIA",
    "Column",
    "EDSBand",
    "EDSOutcome",
    "NationalDeadline",
    "Obligation",
    "OrgType",
    "PsedAim",
    "RagValue",
    "Reference",
    "Rule",
    "Setting",
    "Status",
    "SuccessMetric",
    "UndatedAction",
    "load",
]


@dataclass(frozen=True, slots=True)
class HIA:
    """One of the six High Impact Actions of NHS England's EDI improvement plan (2023)."""

    number: int
    short_title: str
    text: str
    source: str

    @property
    def label(self) -> str:
        """``HIA 2``: the form used in cells and dropdowns."""
        return f"HIA {self.number}"


@dataclass(frozen=True, slots=True)
class NationalDeadline:
    """A national deadline for an HIA sub-action, resolved to a date, wording kept."""

    id: str
    hia: int
    date: dt.date
    wording: str
    action: str
    verified: bool
    source: str
    status: str = "confirmed"  # confirmed, corrected (``was`` keeps the old date) or unverified
    was: dt.date | None = None
    quote: str | None = None
    note: str | None = None
    checked: dt.date | None = None


@dataclass(frozen=True, slots=True)
class UndatedAction:
    """An HIA sub-action the plan gives no date (listed as history, never dated)."""

    id: str
    hia: int
    wording: str
    action: str
    verified: bool
    source: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SuccessMetric:
    """A success metric of an HIA (1a, 2a-2f, ...), with our note of where its data comes from."""

    id: str
    hia: int
    title: str
    measure: str
    source: str
    verified: bool
    checked: dt.date


@dataclass(frozen=True, slots=True)
class PsedAim:
    """An aim of the Public Sector Equality Duty, Equality Act 2010 s.149(1)."""

    aim: str
    short: str
    text: str
    source: str
    excludes: tuple[str, ...] = ()  # protected characteristics the aim does not cover (s.149(7))

    @property
    def label(self) -> str:
        """``(b) Advance equality of opportunity``: the form used in cells and dropdowns."""
        return f"({self.aim}) {self.short}"


@dataclass(frozen=True, slots=True)
class EDSOutcome:
    """An EDS 2022 outcome (1A-3C) in its domain."""

    id: str
    domain: int
    domain_name: str
    text: str
    verified: bool = True
    source: str = ""


@dataclass(frozen=True, slots=True)
class EDSBand:
    """An EDS 2022 rating band: the overall total from ``lowest`` up to the next band's."""

    band: str
    lowest: int
    verified: bool
    source: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Status:
    """A canonical action status and the words plans use for it."""

    name: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RagValue:
    """A RAG value with its meaning and the colours (hex RGB) used everywhere."""

    name: str
    meaning: str
    fill: str
    font: str


@dataclass(frozen=True, slots=True)
class Setting:
    """A plan setting kept as a workbook-level defined name."""

    name: str
    default: Any
    meaning: str


@dataclass(frozen=True, slots=True)
class Column:
    """A canonical plan column: header text and the key used in code (``data/headers.yaml`` has
    the names other plans give it); ``in_template`` False for a column only other layouts have."""

    key: str
    header: str
    in_template: bool = True


@dataclass(frozen=True, slots=True)
class Reference:
    """All reference data, as loaded from the package's data file."""

    version: str
    date_conventions: dict[str, str]
    hias: tuple[HIA, ...]
    national_deadlines: tuple[NationalDeadline, ...]
    undated_actions: tuple[UndatedAction, ...]
    plan_applies_to: tuple[str, ...]  # who the HIA deadlines apply to
    success_metrics: tuple[SuccessMetric, ...]
    obligations: tuple[Obligation, ...]
    org_types: tuple[OrgType, ...]
    psed_aims: tuple[PsedAim, ...]
    protected_characteristics: tuple[str, ...]
    eds_outcomes: tuple[EDSOutcome, ...]
    eds_scores: tuple[str, ...]  # the label of each score, 0 to 3
    eds_bands: tuple[EDSBand, ...]  # lowest band first
    statuses: tuple[Status, ...]
    rag_values: tuple[RagValue, ...]
    settings: tuple[Setting, ...]
    columns: tuple[Column, ...]

    def hia(self, number: int) -> HIA:
        """The HIA with this number; ``KeyError`` if there is none."""
        for h in self.hias:
            if h.number == number:
                return h
        raise KeyError(number)

    def aim(self, letter: str) -> PsedAim:
        """The PSED aim ``a``, ``b`` or ``c``; ``KeyError`` if there is none."""
        for a in self.psed_aims:
            if a.aim == letter:
                return a
        raise KeyError(letter)

    def hia_label(self, number: int, *, titled: bool = False) -> str:
        """``HIA 2`` (with ``titled``: ``HIA 2 Inclusive recruitment...``); a number outside 1-6,
        as a plan may hold before it is validated, keeps its number and gets no title.

        >>> load().hia_label(3, titled=True), load().hia_label(7, titled=True)
        ('HIA 3 Eliminate pay gaps', 'HIA 7')
        """
        for h in self.hias:
            if h.number == number:
                return f"{h.label} {h.short_title}" if titled else h.label
        return f"HIA {number}"

    def aim_label(self, aim: str) -> str:
        """``(b) Advance equality of opportunity``; an aim the parser did not know stays as typed."""
        for a in self.psed_aims:
            if a.aim == aim:
                return a.label
        return aim

    def obligation(self, oid: str) -> Obligation:
        """The reporting-cycle obligation with this id; ``KeyError`` if there is none."""
        for o in self.obligations:
            if o.id == oid:
                return o
        raise KeyError(oid)

    def org_type(self, text: str | None) -> OrgType | None:
        """The organisation type a plan's ``Organisation type`` text names (first match), or None.

        >>> types = ("NHS foundation trust", "PCN", "", "Charity")
        >>> [getattr(load().org_type(t), "applies_to", None) for t in types]
        ['trust', 'primary-care', None, None]
        """
        words = " ".join(re.findall(r"[a-z0-9']+", (text or "").lower()))
        for t in self.org_types:
            if _any_term(tuple(t.terms)).search(words):
                return t
        return None

    def applies_to_words(self, kinds: tuple[str, ...]) -> str:
        """``NHS trusts, ICBs``: a list of ``applies_to`` values in words.

        >>> load().applies_to_words(("trust", "icb", "public-body"))
        'NHS trusts, ICBs, other public bodies'
        """
        plural = {t.applies_to: t.plural for t in self.org_types}
        return ", ".join(plural.get(k, k) for k in kinds)

    def aims_covering(self, characteristic: str) -> tuple[str, ...]:
        """The PSED aims that cover a protected characteristic (marriage and civil partnership: (a) only)."""
        return tuple(a.aim for a in self.psed_aims if characteristic not in a.excludes)

    def rag(self, name: str) -> RagValue:
        """The RAG value by name (``Blue``, ``Green``...); ``KeyError`` if there is none."""
        for r in self.rag_values:
            if r.name == name:
                return r
        raise KeyError(name)

    def deadlines_for(self, hia: int) -> tuple[NationalDeadline, ...]:
        """National deadlines of one HIA, earliest first."""
        return tuple(sorted((d for d in self.national_deadlines if d.hia == hia), key=lambda d: d.date))

    def setting_default(self, name: str) -> Any:
        """Default value of a setting (``AmberDays`` -> 30)."""
        for s in self.settings:
            if s.name == name:
                return s.default
        raise KeyError(name)

    @property
    def status_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.statuses)

    @property
    def rag_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.rag_values)

    @property
    def template_columns(self) -> tuple[Column, ...]:
        """The columns of the template's table, in its order."""
        return tuple(c for c in self.columns if c.in_template)

    @property
    def headers(self) -> tuple[str, ...]:
        """The canonical plan headers, in template order."""
        return tuple(c.header for c in self.template_columns)

    @property
    def template_keys(self) -> tuple[str, ...]:
        """The column keys of the template's table, in its order."""
        return tuple(c.key for c in self.template_columns)

    @property
    def column_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def header_of(self, key: str) -> str:
        """Canonical header of a column key (``due_date`` -> ``Due date``)."""
        for c in self.columns:
            if c.key == key:
                return c.header
        raise KeyError(key)


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = data_file("reference.yaml")
    return data


CACHE_ENV = "EDI_WORKBOOK_CACHE"
"""Environment variable: the folder for the package's caches, or ``off`` to keep none."""


def cache_folder() -> Path | None:
    """The per-user folder for caches (``EDI_WORKBOOK_CACHE``, else the user's application folder).

    ``None`` when ``EDI_WORKBOOK_CACHE=off``: everything is then worked out afresh each time.
    """
    folder = os.environ.get(CACHE_ENV, "")
    if folder.lower() == "off":
        return None
    if not folder:  # the per-user application folder (click's, for every platform), not roaming
        import click

        folder = str(Path(click.get_app_dir("edi-workbook", roaming=False)) / "cache")
    return Path(folder)


def data_file(name: str) -> Any:
    """A YAML file of the package's ``data/`` folder, parsed.

    Parsing the YAML files (and importing PyYAML) was about a tenth of the start of ``validate``,
    which each button press in Excel pays; the parsed data is kept in :func:`cache_folder`, named
    after a hash of the file's bytes, so an edited or upgraded file is parsed again. A cache file
    that cannot be read is ignored and written again.
    """
    raw = resources.files("edi_workbook").joinpath(f"data/{name}").read_bytes()
    folder = cache_folder()
    path = folder / f"{Path(name).stem}-{hashlib.sha256(raw).hexdigest()[:24]}.pickle" if folder else None
    if path is not None and path.is_file():
        with contextlib.suppress(Exception):  # any damage to our own cache file: parse the YAML
            return pickle.loads(path.read_bytes())  # noqa: S301 - our own file, named by the data's hash
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~6x faster
    data = yaml.load(raw.decode("utf-8"), Loader=loader)  # noqa: S506 - safe loader chosen above
    if path is not None:
        from edi_workbook.atomic import write_atomic
        from edi_workbook.errors import OutputError

        with contextlib.suppress(OSError, OutputError):  # a read-only home folder: work without it
            write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
            remove_stale(path, f"{Path(name).stem}-*.pickle")  # earlier versions' files
    return data


STALE_AFTER = 30 * 86_400
"""Seconds after which a cache file of another version is removed from :func:`cache_folder`."""


def remove_stale(kept: Path, pattern: str) -> None:
    """Remove the files matching ``pattern`` beside ``kept`` untouched for :data:`STALE_AFTER`.

    A recent one may belong to another installation sharing the folder (the add-in's Python and a
    command-line one); removing it at once would make the two remove each other's at every save.
    """
    import time

    stale = time.time() - STALE_AFTER
    for old in kept.parent.glob(pattern):
        if old != kept and old.stat().st_mtime < stale:
            old.unlink()


def _national(items: list[dict[str, Any]]) -> tuple[tuple[NationalDeadline, ...], tuple[UndatedAction, ...]]:
    dated, undated = [], []
    for x in items:
        common: dict[str, Any] = {k: x[k] for k in ("wording", "action", "verified", "source")}
        common["note"] = x.get("note")
        if x["date"] is None:
            undated.append(UndatedAction(id=str(x["id"]), hia=int(x["hia"]), **common))
            continue
        extra: dict[str, Any] = {k: x.get(k) for k in ("status", "was", "quote", "checked")}
        dated.append(NationalDeadline(id=str(x["id"]), hia=int(x["hia"]), date=x["date"], **common, **extra))
    return tuple(dated), tuple(undated)


def _eds(d: dict[str, Any]) -> tuple[tuple[EDSOutcome, ...], tuple[str, ...], tuple[EDSBand, ...]]:
    outcomes = tuple(
        EDSOutcome(
            id=str(o["id"]),
            domain=int(dom["domain"]),
            domain_name=dom["name"],
            text=o["text"],
            verified=bool(o.get("verified", True)),
            source=str(o.get("source", "")),
        )
        for dom in d["eds_2022"]
        for o in dom["outcomes"]
    )
    rating = d["eds_2022_rating"]
    scores = tuple(s["label"] for s in sorted(rating["scores"], key=lambda s: s["score"]))
    bands = tuple(
        EDSBand(b["band"], int(b["from"]), bool(b["verified"]), b["source"], b.get("note"))
        for b in sorted(rating["bands"], key=lambda b: b["from"])
    )
    return outcomes, scores, bands


@functools.lru_cache(maxsize=64)
def _any_term(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern finding any of ``terms`` as whole words, compiled once per process (validation
    asks for each plan; building a pattern per term each time was 10% of validating a small plan)."""
    return re.compile("|".join(rf"\b{re.escape(term)}\b" for term in terms) or r"(?!)")


@functools.cache
def load() -> Reference:
    """Load (once per process) and return the reference data."""
    d = _raw()
    dated, undated = _national(d["national_deadlines"])
    metrics = d["hia_success_metrics"]
    eds, scores, bands = _eds(d)
    return Reference(
        version=str(d["version"]),
        date_conventions=dict(d["date_conventions"]),
        hias=tuple(HIA(**h) for h in d["high_impact_actions"]),
        national_deadlines=dated,
        undated_actions=undated,
        plan_applies_to=tuple(d["improvement_plan_applies_to"]["applies_to"]),
        success_metrics=tuple(
            SuccessMetric(
                id=str(m["id"]),
                hia=int(m["hia"]),
                title=m["title"],
                measure=m["measure"],
                source=metrics["source"],
                verified=bool(metrics["verified"]),
                checked=metrics["checked"],
            )
            for m in metrics["metrics"]
        ),
        obligations=parse_obligations(d["reporting_cycle"]),
        org_types=tuple(
            OrgType(t["applies_to"], t["label"], t["plural"], tuple(str(w).lower() for w in t["terms"]))
            for t in d["organisation_types"]
        ),
        psed_aims=tuple(PsedAim(**(a | {"excludes": tuple(a.get("excludes", ()))})) for a in d["psed_aims"]),
        protected_characteristics=tuple(d["protected_characteristics"]),
        eds_outcomes=eds,
        eds_scores=scores,
        eds_bands=bands,
        statuses=tuple(Status(name=s["name"], synonyms=tuple(s["synonyms"])) for s in d["statuses"]),
        rag_values=tuple(RagValue(**{k: str(v) for k, v in r.items()}) for r in d["rag"]),
        settings=tuple(Setting(**s) for s in d["settings"]),
        columns=tuple(
            Column(key=c["key"], header=str(c["header"]), in_template=bool(c.get("template", True)))
            for c in d["columns"]
        ),
    )
