"""Reference data: HIAs, national deadlines, PSED aims, characteristics, EDS 2022, statuses, RAG.

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

import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = [
    "HIA",
    "Column",
    "EDSOutcome",
    "NationalDeadline",
    "PsedAim",
    "RagValue",
    "Reference",
    "Setting",
    "Status",
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


@dataclass(frozen=True, slots=True)
class PsedAim:
    """An aim of the Public Sector Equality Duty, Equality Act 2010 s.149(1)."""

    aim: str
    short: str
    text: str
    source: str

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
    psed_aims: tuple[PsedAim, ...]
    protected_characteristics: tuple[str, ...]
    eds_outcomes: tuple[EDSOutcome, ...]
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
    import yaml

    text = resources.files("edi_workbook").joinpath("data/reference.yaml").read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(text, Loader=loader)  # noqa: S506 - safe loader chosen above
    return data


@functools.cache
def load() -> Reference:
    """Load (once per process) and return the reference data."""
    d = _raw()
    eds = tuple(
        EDSOutcome(id=str(o["id"]), domain=int(dom["domain"]), domain_name=dom["name"], text=o["text"])
        for dom in d["eds_2022"]
        for o in dom["outcomes"]
    )
    return Reference(
        version=str(d["version"]),
        date_conventions=dict(d["date_conventions"]),
        hias=tuple(HIA(**h) for h in d["high_impact_actions"]),
        national_deadlines=tuple(
            NationalDeadline(
                id=str(x["id"]),
                hia=int(x["hia"]),
                date=x["date"],
                wording=x["wording"],
                action=x["action"],
                verified=bool(x["verified"]),
                source=x["source"],
            )
            for x in d["national_deadlines"]
        ),
        psed_aims=tuple(PsedAim(**a) for a in d["psed_aims"]),
        protected_characteristics=tuple(d["protected_characteristics"]),
        eds_outcomes=eds,
        statuses=tuple(Status(name=s["name"], synonyms=tuple(s["synonyms"])) for s in d["statuses"]),
        rag_values=tuple(RagValue(**{k: str(v) for k, v in r.items()}) for r in d["rag"]),
        settings=tuple(Setting(**s) for s in d["settings"]),
        columns=tuple(
            Column(key=c["key"], header=str(c["header"]), in_template=bool(c.get("template", True)))
            for c in d["columns"]
        ),
    )
