"""xlwings Lite / Server: ``workbook_templates/xlwings_lite/main.py`` run through xlwings' own dispatch.

xlwings Lite and xlwings Server import ``main.py`` with ``XLWINGS_ON_SERVER`` semantics, list its
``@script`` and ``@func`` functions (``custom_scripts_meta``, ``custom_functions_meta``) and call
them (``custom_scripts_call`` with the ``xw.Book`` built from the client's payload,
``custom_functions_call`` with Excel's arguments). The same calls run here in a subprocess;
Pyodide and Excel themselves are not involved.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from edi_workbook.excel import addin
from tests.conftest import ROOT
from tests.xlwings_payload import book_from_payload, payload_from_xlsx

MAIN = ROOT / "workbook_templates" / "xlwings_lite" / "main.py"

RUNNER = r"""
import asyncio, importlib.util, json, sys
import xlwings as xw
from xlwings import server
spec = importlib.util.spec_from_file_location("lite_main", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
payload = json.load(open(sys.argv[2]))
out = {"scripts": sorted(s["function_name"] for s in server.custom_scripts_meta(module)), "actions": {},
       "functions": sorted(f["name"] for f in server.custom_functions_meta(module)["functions"])}
for name in sys.argv[3:]:
    book = xw.Book(json=json.loads(json.dumps(payload)))
    asyncio.run(server.custom_scripts_call(module, name, typehint_to_value={xw.Book: book}))
    out["actions"][name] = book.json()["actions"]
call = {"func_name": "edi_suggest_hia", "args": [[["Publish our gender pay gap"]]], "version": "dev",
        "client": "Office.js", "runtime": "1.4"}
out["udf"] = asyncio.run(server.custom_functions_call(call, module))
print(json.dumps(out, default=str))
"""


@pytest.fixture(scope="module")
def foreign_payload(tmp_path_factory):
    import datetime as dt

    import openpyxl

    path = tmp_path_factory.mktemp("lite") / "plan.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ref", "What we will do", "Lead", "Deadline", "Progress", "Status"])
    ws.append(["R1", "Publish the gender pay gap and reduce it by 5% by March 2026", "Practice manager",
               dt.date(2026, 3, 31), 0.5, "On track"])  # fmt: skip
    ws.append(["R2", "Run reverse mentoring", None, dt.date(2025, 12, 31), None, "Not started"])
    wb.save(path)
    return payload_from_xlsx(path)


def run_lite(payload: dict, tmp_path, *scripts: str) -> dict:
    data = tmp_path / "payload.json"
    data.write_text(json.dumps(payload))
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    cmd = [sys.executable, "-c", RUNNER, str(MAIN), str(data), *scripts]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_lite_main_registers_the_scripts_and_functions(foreign_payload, tmp_path):
    got = run_lite(foreign_payload, tmp_path)
    assert got["scripts"] == ["export_calendar", "refresh_rag", "suggest_mappings", "validate_plan"]
    assert got["functions"] == ["EDI_RAG", "EDI_SMART", "EDI_SUGGEST_HIA", "EDI_SUGGEST_PSED"]
    assert got["udf"] == [["HIA 3"]]


def test_lite_scripts_do_what_the_adapter_does(foreign_payload, tmp_path):
    names = ("validate_plan", "refresh_rag", "suggest_mappings", "export_calendar")
    scripts = {name: getattr(addin, name) for name in names}
    got = run_lite(foreign_payload, tmp_path, *scripts)
    for name, function in scripts.items():
        book = book_from_payload(foreign_payload)
        function(book)
        assert got["actions"][name] == json.loads(json.dumps(book.json()["actions"], default=str)), name
        assert got["actions"][name], name
