"""The worksheet functions as plain functions with Excel-shaped inputs, and through xlwings Server."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from edi_workbook import mapping, reference
from edi_workbook.excel import functions as udfs
from edi_workbook.plan import Plan
from edi_workbook.rag_rating import rag_frame
from tests.conftest import ROOT

DUE = dt.date(2026, 3, 31)
DUE_SERIAL = 46112.0  # 2026-03-31 in Excel's 1900 date system
AS_OF = dt.date(2026, 1, 15)
AS_OF_SERIAL = 46037.0


def test_serials_match_the_dates():
    from edi_workbook.values import excel_serial_to_date

    assert (excel_serial_to_date(DUE_SERIAL), excel_serial_to_date(AS_OF_SERIAL)) == (DUE, AS_OF)


@pytest.mark.parametrize(
    ("due", "status", "pct", "start", "as_of", "expected"),
    [
        (DUE_SERIAL, "Complete", 1.0, None, AS_OF_SERIAL, "Blue"),
        (DUE_SERIAL, "Cancelled", None, None, AS_OF_SERIAL, "Grey"),
        (None, "In progress", 0.5, None, AS_OF_SERIAL, "Grey"),
        (AS_OF_SERIAL - 1, "In progress", 0.5, None, AS_OF_SERIAL, "Red"),
        (dt.datetime(2026, 2, 1), "In progress", None, None, dt.datetime(2026, 1, 15), "Amber"),
        (DUE_SERIAL, "On hold", 0.5, None, AS_OF_SERIAL, "Amber"),
        (DUE_SERIAL, "In progress", 0.1, 45900.0, AS_OF_SERIAL, "Amber"),  # behind schedule
        (DUE_SERIAL, "In progress", 0.9, 45900.0, AS_OF_SERIAL, "Green"),
        (DUE_SERIAL, "On track", "90%", dt.datetime(2025, 9, 1), AS_OF_SERIAL, "Green"),
        ([[DUE_SERIAL]], [["Complete"]], [[1.0]], [[None]], [[AS_OF_SERIAL]], "Blue"),  # 1x1 ranges
    ],
)
def test_edi_rag_every_rule(due, status, pct, start, as_of, expected):
    assert udfs.EDI_RAG(due, status, pct, start, as_of) == expected


def test_edi_rag_agrees_with_the_library():
    record = {
        "due_date": DUE,
        "status": "In progress",
        "pct_complete": 0.1,
        "start_date": dt.date(2025, 9, 1),
    }
    frame = rag_frame(Plan.from_records([record]).frame, AS_OF)
    assert udfs.EDI_RAG(DUE_SERIAL, "In progress", 0.1, 45901.0, AS_OF_SERIAL) == frame["rag"].iat[0]


def test_edi_rag_blank_as_of_means_today():
    today = dt.date.today()
    overdue = (today - dt.date(1899, 12, 30)).days - 1.0
    assert udfs.EDI_RAG(overdue, "In progress", None) == "Red"


TEXTS = [
    "Publish our gender pay gap report and close the gap by 5% by March 2026",
    "Run reverse mentoring for staff from ethnic minority backgrounds",
    "Improve culture",
]


@pytest.mark.parametrize("text", TEXTS)
def test_suggest_functions_return_the_top_suggestion_label(text):
    s = mapping.suggest(text)
    ref = reference.load()
    assert udfs.EDI_SUGGEST_HIA(text) == (ref.hia(s.hia[0].hia).label if s.hia else "")
    assert udfs.EDI_SUGGEST_PSED([[text]]) == (ref.aim(s.psed[0].aim).label if s.psed else "")


def test_suggest_functions_with_empty_cells():
    assert (udfs.EDI_SUGGEST_HIA(None), udfs.EDI_SUGGEST_PSED(""), udfs.EDI_SMART(None)) == ("", "", "")


def test_edi_smart():
    assert udfs.EDI_SMART("Reduce the pay gap by 5% by March 2026") == "SMART"
    assert udfs.EDI_SMART("Improve culture").startswith("Not SMART: ")
    assert "no time frame" in udfs.EDI_SMART("Improve culture")


SERVER_SCRIPT = r"""
import asyncio, importlib, json, sys
from xlwings import server
module = importlib.import_module(sys.argv[1])
meta = server.custom_functions_meta(module)
def call(name, *args):
    data = {"func_name": name, "args": [[[a]] for a in args], "version": "dev", "client": "Office.js",
            "runtime": "1.4"}
    return asyncio.run(server.custom_functions_call(data, module))
print(json.dumps({
    "functions": sorted((f["name"], [p["name"] for p in f["parameters"]]) for f in meta["functions"]),
    "rag": call(sys.argv[2], 46112.0, "In progress", 0.5, None, 46037.0),
    "smart": call(sys.argv[3], "Improve culture"),
}))
"""


def run_as_server(module: str, rag_name: str, smart_name: str) -> dict:
    """Import a module as xlwings Server / Lite do (XLWINGS_ON_SERVER) and call two functions."""
    env = {
        **os.environ,
        "XLWINGS_ON_SERVER": "true",
        "XLWINGS_LICENSE_KEY": "noncommercial",
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(
        [sys.executable, "-c", SERVER_SCRIPT, module, rag_name, smart_name],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout)


def test_udfs_register_and_run_through_xlwings_server():
    got = run_as_server("edi_workbook.excel.functions", "EDI_RAG", "EDI_SMART")
    assert got["functions"] == [
        ["EDI_RAG", ["due", "status", "pct", "start", "as_of"]],
        ["EDI_SMART", ["text"]],
        ["EDI_SUGGEST_HIA", ["text"]],
        ["EDI_SUGGEST_PSED", ["text"]],
    ]
    assert got["rag"] == [["Green"]]
    assert got["smart"][0][0].startswith("Not SMART")


def test_udf_decorators_leave_plain_functions_without_excel():
    # Without Excel and without XLWINGS_ON_SERVER, xw.func / xw.arg return the function itself.
    assert udfs.EDI_RAG.__module__ == "edi_workbook.excel.functions"
    assert not hasattr(udfs.EDI_RAG, "__xlfunc__")
