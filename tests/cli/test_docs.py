"""Every command is documented in the README with an example, and its --help works."""

from __future__ import annotations

import re

import pytest

from edi_workbook.cli import COMMANDS, main
from tests.paths import ROOT

README = (ROOT / "README.md").read_text("utf-8")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_has_a_readme_example(name):
    assert re.search(rf"`edi-workbook {re.escape(name)}`", README), f"README has no section for {name}"
    assert re.search(rf"^\$ edi-workbook {re.escape(name)} |`{re.escape(name)} \[", README, re.M) or (
        name in {"demo", "excel-setup"} and f"`{name}" in README
    ), f"README shows no example of edi-workbook {name}"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_help_works(name, capsys):
    assert main([name, "--help"]) == 0
    assert "Usage: edi-workbook" in capsys.readouterr().out


def test_readme_has_the_two_commands_and_exit_codes():
    assert "make demo" in README
    assert "make test" in README
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in README
