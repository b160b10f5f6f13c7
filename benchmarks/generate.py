"""Synthetic EDI action plans in realistic shapes, for benchmarks and batch tests.

``generate(folder, files=N, actions=M)`` writes N plans of M actions each, deterministic for a
seed, in the layouts EDI leads actually receive:

- ``template`` (half of them): our own workbook, the ``ActionPlan`` table with its formulas;
- ``titled``: someone's own sheet with title rows above the header, renamed headers (``Ref``,
  ``What we will do``, ``Lead``, ``Deadline``...) and dates typed as text (``March 2025``,
  ``Q4 2024/25``, ``31/03/2025``);
- ``table``: a plain Excel table named ``Table1`` with Excel dates and fractions for progress;
- ``csv``: a CSV export (UTF-8 with a byte-order mark) with yet other headers.

The wording varies from action to action, as it does between real plans: each action is one of the
1,230 published action statements of the mapping evaluation set (``tests/data/mapping_eval/``,
with its HIA and PSED labels and, where it has one, its own success measure), given a lead-in
(``Across Riverside PCN, ...``), a staff group and a timescale drawn from a few dozen real-plan
phrases, so that nearly every action text of a 200-plan corpus is distinct (no cache of parsed
texts hits more than it would on real plans). Owners (role, sometimes two), dates and statuses
vary too. About one action in twenty carries a typical mistake (no owner, ``TBC`` as a date, an
unknown status), so validation has something to find. ``python -m benchmarks.generate OUT N M``
from the command line.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

VERSION = 2
"""Bumped whenever the same seed gives different plans; part of the benchmarks' cache folder names."""

LAYOUTS = ("template", "template", "titled", "table", "csv")
"""Layout of plan i is ``LAYOUTS[i % 5]``: half our template, half foreign shapes."""

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "mapping_eval"
"""The real action statements the wording is built from (see its README.md for the sources)."""


@functools.cache
def statements() -> tuple[tuple[str, str, tuple[int, ...], str], ...]:
    """(statement, its own success measure or "", HIAs, PSED aims as "a; b") of the real corpus."""
    out = []
    for path in sorted(CORPUS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                text = " ".join(r["statement"].replace("[", "").replace("]", "").split()).rstrip(".")
                hias = tuple(sorted({int(h) for h in r["hia"].split(";") if h.strip()}))
                psed = "; ".join(sorted(a.strip() for a in r["psed"].split(";") if a.strip()))
                out.append((text, r["success_measure"].strip(), hias, psed))
    return tuple(out)


_LEAD_INS = (
    "Across {place} {unit}, ",
    "In {place} {unit}, ",
    "With the {network} network, ",
    "Working with {partner}, ",
    "Building on last year's {source}, ",
    "From {month} {year}, ",
    "As agreed at the {committee}, ",
    "Following the {source}, ",
    "",
    "",
    "",
)
_TAILS = (
    ", starting with {group}",
    ", with a focus on {group}",
    ", including {group}",
    " for {group}",
    " in {place} {unit}",
    ", reporting to the {committee}",
    "",
)
_WHEN = (
    " by {month} {year}",
    " by Q{q} {fy}",
    " during {fy}",
    " (phase {n})",
    " and review it in {month} {year}",
    " before the {source} is published",
    "",
)
_PARTNERS = (
    "the local Healthwatch", "our staff networks", "the ICB EDI team", "Freedom to Speak Up guardians",
    "the training hub", "the local authority", "patient participation groups", "the union reps",
    "the PCN clinical directors", "voluntary sector partners", "the LMC", "the People Promise manager",
)  # fmt: skip
_NETWORKS = ("race equality", "disability and long-term conditions", "LGBTQ+", "women's", "neurodiversity",
             "international staff", "carers", "armed forces", "faith and belief", "menopause")  # fmt: skip
_SOURCES = ("WRES submission", "WDES report", "staff survey", "gender pay gap report",
            "EDS2022 review", "ethnicity pay gap audit", "listening events", "patient survey",
            "Board development day")  # fmt: skip
_COMMITTEES = ("People Committee", "EDI steering group", "Board", "Quality Committee", "practice meeting",
               "PCN board", "Workforce Committee", "Partnership Forum")  # fmt: skip
_GROUPS = (
    "internationally educated nurses", "band 2 to 4 staff", "healthcare support workers", "GP trainees",
    "resident doctors", "practice managers", "reception teams", "allied health professionals",
    "disabled colleagues", "Black, Asian and minority ethnic staff", "staff over 55", "new starters",
    "line managers", "estates and facilities staff", "bank and agency staff", "nursing associates",
    "clinical pharmacists", "paramedics", "students and apprentices", "senior leaders", "carers",
    "staff working nights", "part-time staff", "returners to practice",
)  # fmt: skip
_UNITS = ("PCN", "site", "locality", "practices", "directorate", "care group", "hub", "place")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "September", "October",
           "November", "December")  # fmt: skip
_MEASURES = (
    "{n}% of staff complete it by {d}",
    "Reported to the {committee} each quarter; {n} sessions held",
    "WRES indicator {i} improves by {n} points by {d}",
    "WDES metric {i} improves by {n} points by {d}",
    "Pay gap reduced by {n}% by {d}",
    "Staff survey score up {n}% year on year",
    "{n} {group} take part by {d}",
    "Audit of {n} case files shows the change by {d}",
    "Better engagement",  # vague on purpose: validation warns
    "Improved experience for {group}",  # vague too
)
_ROLES = (
    "Director of People", "EDI Lead", "Head of Workforce", "Chief Nurse", "HR Business Partner", "Chair",
    "Practice Manager", "Deputy Practice Manager", "PCN Clinical Director", "Training Hub Lead",
    "Medical Director", "Head of OD", "Recruitment Manager", "Freedom to Speak Up Guardian",
    "Staff Network Chair", "Head of Nursing", "Director of Operations", "Wellbeing Lead",
    "Learning and Development Manager", "Patient Experience Lead", "Senior Partner", "Business Manager",
)  # fmt: skip
_STATUS = ("Not started", "In progress", "Complete", "On hold", "Cancelled")
_STATUS_FOREIGN = ("Not yet started", "On track", "Completed", "Delayed", "Ongoing", "Done", "Paused")
_ORG_KIND = ("NHS Foundation Trust", "Primary Care Network", "Training Hub", "ICB", "Community Trust")
_PLACES = ("Northvale", "Eastmoor", "Riverside", "Hillcross", "Westbury", "Southam", "Kingsford",
           "Lowfield", "Ashby", "Brookmere", "Calder", "Dunholm", "Elmstead", "Fernley", "Greywell",
           "Harlow Vale")  # fmt: skip


def _fill(rng: random.Random, pattern: str, due: dt.date) -> str:
    """``pattern`` with its ``{slots}`` drawn from the real-plan phrase lists."""
    fy = rng.choice((2024, 2025, 2026))
    return pattern.format(
        place=rng.choice(_PLACES), unit=rng.choice(_UNITS), network=rng.choice(_NETWORKS),
        partner=rng.choice(_PARTNERS), source=rng.choice(_SOURCES), committee=rng.choice(_COMMITTEES),
        group=rng.choice(_GROUPS), month=rng.choice(_MONTHS), year=rng.choice((2024, 2025, 2026)),
        q=rng.randrange(1, 5), fy=f"{fy}/{str(fy + 1)[2:]}", n=rng.randrange(2, 95), i=rng.randrange(1, 10),
        d=f"{due:%d/%m/%Y}",
    )  # fmt: skip


def _wording(rng: random.Random, statement: str, due: dt.date) -> str:
    """A real statement reworded: an optional lead-in, a group or place, a timescale."""
    lead = _fill(rng, rng.choice(_LEAD_INS), due)
    tail = _fill(rng, rng.choice(_TAILS), due) + _fill(rng, rng.choice(_WHEN), due)
    if not lead and not tail:
        tail = _fill(rng, _WHEN[0], due)
    if lead and statement[:1].isupper() and statement[1:2].islower():
        statement = statement[0].lower() + statement[1:]
    return f"{lead}{statement}{tail}."


def _owner(rng: random.Random) -> str:
    first = rng.choice(_ROLES)
    if rng.random() < 0.2:
        return f"{first} and {rng.choice(_ROLES)}"
    return first


def _action(rng: random.Random, i: int, start: dt.date) -> dict[str, Any]:
    """One action as plain values (dates as dates, HIAs as numbers)."""
    statement, own_measure, hias, psed = rng.choice(statements())
    begin = start + dt.timedelta(days=rng.randrange(0, 200))
    due = begin + dt.timedelta(days=rng.randrange(30, 500))
    status = rng.choices(_STATUS, weights=(3, 8, 4, 1, 1))[0]
    pct = {"Complete": 100, "Not started": 0}.get(status, rng.randrange(0, 100, 5))
    if hias and rng.random() < 0.15:
        hias = tuple(sorted({*hias, rng.randrange(1, 7)}))
    measure = own_measure if own_measure and rng.random() < 0.7 else _fill(rng, rng.choice(_MEASURES), due)
    row = {
        "id": f"A{i + 1:03d}",
        "action": _wording(rng, statement, due),
        "measure": measure,
        "hias": hias,
        "psed": psed or rng.choice(("b", "a", "c", "a; b", "b; c")),
        "owner": _owner(rng),
        "start": begin,
        "due": due,
        "status": status,
        "pct": pct,
        "completed": min(due, begin + dt.timedelta(days=60)) if status == "Complete" else None,
        "notes": rng.choice(("", "Update at next EDI group.", "=see board paper", "Awaiting data")),
    }
    if rng.random() < 0.05:  # the usual mistakes
        row[rng.choice(("owner", "due", "status"))] = rng.choice((None, "TBC", "Sort of"))
    return row


def actions(n: int, seed: int = 0, start: dt.date = dt.date(2024, 4, 1)) -> list[dict[str, Any]]:
    """``n`` synthetic actions, the same for the same seed."""
    rng = random.Random(seed)
    return [_action(rng, i, start) for i in range(n)]


def organisation(i: int) -> str:
    return f"{_PLACES[i % len(_PLACES)]} {_ORG_KIND[(i // len(_PLACES)) % len(_ORG_KIND)]} {i + 1:04d}"


def _text_date(rng: random.Random, d: Any) -> Any:
    if not isinstance(d, dt.date):
        return d
    fy = d.year if d.month >= 4 else d.year - 1
    quarter = ((d.month - 4) % 12) // 3 + 1
    return rng.choice((f"{d:%d/%m/%Y}", f"{d:%B %Y}", f"Q{quarter} {fy}/{str(fy + 1)[2:]}", d.isoformat()))


# ---------------------------------------------------------------- template layout


class _TemplateWriter:
    """Fills the template's ``ActionPlan`` table, built once and saved once per plan."""

    def __init__(self) -> None:
        from edi_workbook.template import workbook as template

        self.wb = template.build_workbook(example=False)
        self.ws = self.wb["Action Plan"]
        self.table = self.ws.tables["ActionPlan"]
        self.details = self.wb["Plan details"]
        self.org_cell = self._named_cell("OrgName")
        self.filled = 0

    def _named_cell(self, name: str) -> Any:
        ref = self.wb.defined_names[name].attr_text  # 'Plan details'!$B$5
        return self.details[ref.split("!")[1].replace("$", "")]

    def write(self, path: Path, org: str, rows: Sequence[dict[str, Any]]) -> None:
        from edi_workbook.template import action_plan as template_plan
        from edi_workbook.template import formulas

        first = template_plan.FIRST_ROW
        keys = (
            "id",
            "action",
            "measure",
            "hias",
            "psed",
            None,
            "owner",
            "start",
            "due",
            "status",
            "pct",
            "completed",
        )
        for i in range(max(len(rows), self.filled)):
            r = rows[i] if i < len(rows) else {}
            for col, key in enumerate(keys, start=1):
                if key is None:
                    continue
                v = r.get(key)
                if key == "hias":
                    v = "; ".join(f"HIA {n}" for n in v) if v else None
                elif key == "pct" and v is not None:
                    v = v / 100
                cell = self.ws.cell(row=first + i, column=col, value=v)
                if isinstance(v, str) and v.startswith("="):
                    cell.data_type = "s"
            self.ws.cell(row=first + i, column=15, value=r.get("notes") or None).data_type = "s"
            if i >= template_plan.TABLE_ROWS:  # a long plan: extend the table and its formulas
                self.ws.cell(row=first + i, column=13, value=template_plan.rag_cell_formula(first + i))
                self.ws.cell(row=first + i, column=14, value=formulas.days_to_due_formula(first + i))
        self.filled = len(rows)
        last = first + max(len(rows), template_plan.TABLE_ROWS) - 1
        self.table.ref = (
            f"A{template_plan.HEADER_ROW}:{self.table.ref.split(':')[1].rstrip('0123456789')}{last}"
        )
        self.org_cell.value = org
        self.wb.save(path)


# ---------------------------------------------------------------- foreign layouts


def _titled(path: Path, org: str, rows: Sequence[dict[str, Any]], rng: random.Random) -> None:
    """Someone's own sheet: title rows, a blank row, renamed headers, dates typed as text."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("EDI Action Plan 2024-25")
    bold = wb.add_format({"bold": True})
    ws.merge_range("A1:J1", f"{org}: Equality, Diversity and Inclusion Action Plan", bold)
    ws.write(1, 0, "Approved by the People Committee")
    heads = ("Ref", "What we will do", "How we will measure", "High Impact Action", "PSED aim", "Lead",
             "Deadline", "Progress status", "% done", "Comments")  # fmt: skip
    ws.write_row(3, 0, heads, bold)
    for i, r in enumerate(rows, start=4):
        status = rng.choice(_STATUS_FOREIGN) if r["status"] in _STATUS else r["status"]
        hia = " & ".join(str(n) for n in r["hias"]) if r["hias"] else "n/a"
        pct = f"{r['pct']}%"
        ws.write_row(i, 0, (r["id"], r["action"], r["measure"], hia, r["psed"], r["owner"],
                            _text_date(rng, r["due"]), status, pct, r["notes"]))  # fmt: skip
    wb.close()


def _table(path: Path, org: str, rows: Sequence[dict[str, Any]], rng: random.Random) -> None:
    """A plain Excel table (``Table1``) with real dates and fractions."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("Plan")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    heads = ("ID", "Action", "Owner(s)", "HIA(s)", "Start", "Target date", "Status", "Progress", "Notes")
    data = []
    for r in rows:
        hia = ", ".join(str(n) for n in r["hias"]) or None
        data.append([r["id"], r["action"], r["owner"], hia, r["start"], r["due"], r["status"],
                     r["pct"] / 100, r["notes"]])  # fmt: skip
    columns = [{"header": h, "format": date_fmt if h in ("Start", "Target date") else None} for h in heads]
    ws.add_table(
        0, 0, max(len(data), 1), len(heads) - 1, {"name": "Table1", "columns": columns, "data": data}
    )
    wb.set_properties({"company": org})
    wb.close()


def _csv(path: Path, org: str, rows: Sequence[dict[str, Any]], rng: random.Random) -> None:
    """A CSV export: other headers again, UK dates, UTF-8 with a byte-order mark."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(("No.", "Objective", "Responsible", "Timescale", "HIA", "Status", "% complete", "Update"))
        for r in rows:
            due = r["due"].strftime("%d/%m/%Y") if isinstance(r["due"], dt.date) else r["due"]
            hia = "; ".join(f"HIA{n}" for n in r["hias"])
            w.writerow((r["id"], r["action"], r["owner"], due, hia, r["status"], r["pct"], r["notes"]))


def generate(
    folder: str | Path, files: int, actions_per_file: int, *, seed: int = 0, layouts: Sequence[str] = LAYOUTS
) -> list[Path]:
    """Write ``files`` plans of ``actions_per_file`` actions into ``folder``; return their paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    template: _TemplateWriter | None = None
    paths = []
    for i in range(files):
        layout = layouts[i % len(layouts)]
        rng = random.Random(seed * 100_003 + i)
        rows = actions(actions_per_file, seed=seed * 100_003 + i)
        org = organisation(i)
        suffix = ".csv" if layout == "csv" else ".xlsx"
        path = out / f"plan_{i + 1:05d}_{layout}{suffix}"
        if layout == "template":
            template = template or _TemplateWriter()
            template.write(path, org, rows)
        else:
            {"titled": _titled, "table": _table, "csv": _csv}[layout](path, org, rows, rng)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 3:
        print("usage: python -m benchmarks.generate OUT_FOLDER FILES ACTIONS_PER_FILE", file=sys.stderr)
        return 2
    paths = generate(args[0], int(args[1]), int(args[2]))
    print(f"wrote {len(paths)} plans to {args[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
