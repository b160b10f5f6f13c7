"""Quarterly returns made from the built-in example plan by scripted edits (no tests here).

A return is the example's data (``data/example_plan.yaml``: details, settings, actions) edited by
the functions below (a slip, a completion, a rewording...) and written as a real workbook by the
template's own builder, or in a foreign layout (a CSV export with other headers, or someone's own
sheet with a title block). :data:`PLANTED` is the scripted pair Q2 -> Q3 and what it plants.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from edi_workbook.template import workbook as template

Data = dict[str, Any]
Q_END = {
    "Q1": dt.date(2026, 6, 30),
    "Q2": dt.date(2026, 9, 30),
    "Q3": dt.date(2026, 12, 31),
    "Q4": dt.date(2027, 3, 31),
}


def example() -> Data:
    """A fresh copy of the example plan's data."""
    return copy.deepcopy(template.example_plan())


def action(data: Data, action_id: str) -> dict[str, Any]:
    return next(a for a in data["actions"] if a["id"] == action_id)


def as_of(data: Data, day: dt.date) -> Data:
    data["settings"]["AsOfDate"] = day
    return data


def slip(data: Data, action_id: str, days: int) -> None:
    a = action(data, action_id)
    a["due"] = a["due"] + dt.timedelta(days=days)


def complete(data: Data, action_id: str, on: dt.date) -> None:
    a = action(data, action_id)
    a.update(status="Complete", pct=100, completed=on)


def remove(data: Data, action_id: str) -> None:
    data["actions"] = [a for a in data["actions"] if a["id"] != action_id]


def write(path: Path, data: Data, layout: str = "template") -> Path:
    """Write ``data`` as a return: our template, a ``csv`` export or a ``titled`` foreign sheet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if layout == "template":
        template.save_deterministic(template.build_workbook(data=data), path)
    elif layout == "csv":
        _csv(path, data)
    elif layout == "titled":
        _titled(path, data)
    else:
        raise ValueError(layout)
    return path


_FOREIGN = ("Ref", "What we will do", "How we will measure", "High Impact Action", "PSED aim",
            "Equality groups", "Lead", "Start", "Deadline", "Progress status", "% done",
            "Date completed", "Comments")  # fmt: skip


def _foreign_row(a: dict[str, Any]) -> list[Any]:
    def day(d: Any) -> str:
        return d.strftime("%d/%m/%Y") if isinstance(d, dt.date) else ""

    chars = a.get("characteristics")
    return [
        a["id"],
        a["action"],
        a.get("success_measure") or "",
        " & ".join(str(n) for n in a.get("hia") or []) or "n/a",
        "; ".join(a.get("psed") or []),
        "All" if chars == "all" else "; ".join(chars or []),
        a.get("owner") or "",
        day(a.get("start")),
        day(a.get("due")),
        a.get("status") or "",
        f"{a['pct']}%" if a.get("pct") is not None else "",
        day(a.get("completed")),
        a.get("notes") or "",
    ]


def _csv(path: Path, data: Data) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(_FOREIGN)
        for a in data["actions"]:
            w.writerow(_foreign_row(a))


def _titled(path: Path, data: Data) -> None:
    """Someone's own sheet: a title block naming the organisation, then a header row."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("EDI plan")
    ws.write(0, 0, f"Organisation: {data['details']['OrgName']}")
    ws.write(1, 0, f"Plan period: {data['details']['PlanPeriod']}")
    ws.write_row(3, 0, _FOREIGN)
    for r, a in enumerate(data["actions"], start=4):
        ws.write_row(r, 0, _foreign_row(a))
    wb.close()


# ---------------------------------------------------------------- the scripted pair Q2 -> Q3


def _q3_edits(data: Data) -> None:
    slip(data, "EDI-02", 91)
    slip(data, "EDI-17", 30)
    slip(data, "EDI-04", -30)
    complete(data, "EDI-03", dt.date(2026, 12, 10))
    complete(data, "EDI-15", dt.date(2026, 12, 20))
    action(data, "EDI-05")["action"] = (
        "Raise equality monitoring declaration rates in member practice HR records, "
        "with a short guide explaining why the data matters."
    )
    a = action(data, "EDI-09")
    a["id"], a["action"] = (
        "EDI-9",
        (
            "Provide a positive-action leadership programme to general practice nurses and allied "
            "health professionals from ethnic minority backgrounds."
        ),
    )
    action(data, "EDI-18")["owner"] = "Head of Workforce"
    action(data, "EDI-22").update(status="In progress", pct=20)
    action(data, "EDI-24")["pct"] = 80
    action(data, "EDI-31")["hia"] = [4]
    action(data, "EDI-20")["psed"] = ["a", "c"]
    remove(data, "EDI-28")
    remove(data, "EDI-13")
    data["actions"].append(
        {
            "id": "EDI-35",
            "action": "Survey member practices on access to EDI training for part-time staff.",
            "success_measure": "Survey sent to 40 of 40 practices by 31/03/2027.",
            "hia": [4],
            "psed": ["a"],
            "characteristics": ["Sex"],
            "owner": "EDI Lead",
            "start": dt.date(2026, 12, 1),
            "due": dt.date(2027, 3, 31),
            "status": "Not started",
            "pct": 0,
        }
    )
    data["actions"].reverse()  # reordered


PLANTED = {
    ("EDI-02", "due_date"),
    ("EDI-17", "due_date"),
    ("EDI-04", "due_date"),
    ("EDI-03", "status"),
    ("EDI-03", "pct_complete"),
    ("EDI-15", "status"),
    ("EDI-15", "pct_complete"),
    ("EDI-05", "reworded"),
    ("EDI-9", "reworded"),
    ("EDI-18", "owner"),
    ("EDI-22", "status"),
    ("EDI-22", "pct_complete"),
    ("EDI-24", "pct_complete"),
    ("EDI-31", "hia"),
    ("EDI-20", "psed_aim"),
    ("EDI-28", "removed"),
    ("EDI-13", "removed"),
    ("EDI-35", "added"),
}
"""What the Q2 -> Q3 edits plant (RAG moves and stalls follow from them and from the dates)."""
TOUCHED = {"EDI-02", "EDI-17", "EDI-04", "EDI-03", "EDI-15", "EDI-05", "EDI-09", "EDI-18", "EDI-22",
           "EDI-24", "EDI-31", "EDI-20", "EDI-28", "EDI-13"}  # fmt: skip


def q2() -> Data:
    return as_of(example(), Q_END["Q2"])


def q3() -> Data:
    data = as_of(example(), Q_END["Q3"])
    _q3_edits(data)
    return data


# ---------------------------------------------------------------- a year of returns, three organisations


ORGS = ("Northvale Primary Care Training Hub", "Eastmoor PCN", "Riverside Practice")


def _year(org: int) -> list[Data]:
    """Four quarterly returns of one organisation: things slip, complete and get added."""
    data = example()
    data["details"]["OrgName"] = ORGS[org]
    returns = []
    steps: list[list[tuple[Callable[..., None], str, Any]]] = [
        [],
        [(slip, "EDI-02", 30 * (org + 1)), (complete, "EDI-03", dt.date(2026, 9, 1))],
        [(slip, "EDI-02", 31), (slip, "EDI-14", 60), (complete, "EDI-33", dt.date(2026, 12, 1))],
        [(slip, "EDI-02", 45 if org else 0), (slip, "EDI-17", 30), (complete, "EDI-25", dt.date(2027, 2, 1))],
    ]
    for q, step in zip(Q_END, steps, strict=True):
        for edit, action_id, arg in step:
            edit(data, action_id, arg)
        if org == 1 and q == "Q3":  # this organisation also gets behind on its own
            for a in data["actions"][:6]:
                if a["status"] not in ("Complete", "Cancelled"):
                    a["due"] = Q_END["Q3"] - dt.timedelta(days=10)
        returns.append(as_of(copy.deepcopy(data), Q_END[q]))
    return returns


def quarterly_returns(folder: Path) -> list[Path]:
    """Four quarterly returns of three organisations: two in our template, dated by their AsOfDate
    and named by Plan details; one a CSV export named only by its file (``riverside_2026-27_Q1.csv``)."""
    paths = []
    for org in range(3):
        for q, data in zip(Q_END, _year(org), strict=True):
            if org == 2:
                paths.append(write(folder / f"riverside_2026-27_{q}.csv", data, "csv"))
            else:
                slug = ORGS[org].split()[0].lower()
                paths.append(write(folder / f"{slug} {q} 2026-27.xlsx", data))
    return paths
