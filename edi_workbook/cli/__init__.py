"""The ``edi-workbook`` command line: a thin layer over the library.

Each command lives in its own module here (``edi_workbook/cli/<name>.py``) and is imported only
when it runs, so ``--help`` and ``--version`` start fast. Every command is a library call plus
formatting; exit codes are mapped in one place, :func:`main`.

``SIGTERM`` is handled like Ctrl-C: the command stops where it is, removes its temporary files and
exits with 130. Either message says truthfully what was already written, if anything: a file
moved into place just before the interrupt is named, never reported as not written.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

import click

from edi_workbook import __version__
from edi_workbook.errors import EXIT_INTERNAL, EXIT_USAGE, EdiWorkbookError

__all__ = ["cli", "main"]

# command name -> (module, function, one-line help). The help is repeated here so that
# ``edi-workbook --help`` lists every command without importing any of them.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "new": ("edi_workbook.cli.new", "new", "Write a new action-plan workbook from the template."),
    "demo": ("edi_workbook.cli.demo", "demo", "Run the whole job on the built-in example plan."),
    "validate": ("edi_workbook.cli.validate", "validate", "Check plans and say what to fix, cell by cell."),
    "rag": ("edi_workbook.cli.rag", "rag", "RAG status of every action against its deadline."),
    "deadlines": (
        "edi_workbook.cli.deadlines",
        "deadlines",
        "National deadlines: the EDI reporting year and the HIA milestones.",
    ),
    "eds": ("edi_workbook.cli.eds", "eds", "Summarise a workbook's EDS 2022 assessment."),
    "suggest": ("edi_workbook.cli.suggest", "suggest", "Suggest HIAs and PSED aims for action texts."),
    "map": ("edi_workbook.cli.map", "map_", "Suggest HIAs and PSED aims for a plan's empty cells."),
    "calendar": ("edi_workbook.cli.calendar", "calendar", "Export deadlines as calendar reminders (.ics)."),
    "batch": ("edi_workbook.cli.batch", "batch", "Validate many plans and roll them up into one picture."),
    "report": ("edi_workbook.cli.report", "report", "Write a board-ready HTML report for one plan or many."),
    "diff": ("edi_workbook.cli.diff", "diff", "What changed between two returns of a plan."),
    "carry-over": ("edi_workbook.cli.carry_over", "carry_over", "Start next year's plan from this year's."),
    "excel-setup": (
        "edi_workbook.cli.excel_setup",
        "excel_setup",
        "Show what Excel needs to run the add-in.",
    ),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_) for name, (_, _, help_) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="edi-workbook")
def cli() -> None:
    """Validate, map, RAG-rate and export NHS EDI action plans kept in Excel.

    Exit codes: 0 no errors, 1 errors found in a plan, 2 a file could not be read or the
    command was misused, 3 an internal error (please report it).
    """


def _terminated(signum: int, frame: object) -> None:
    """``SIGTERM``: stop like Ctrl-C, so every ``finally`` runs and no temporary file is left."""
    raise KeyboardInterrupt


def _interrupted(word: str) -> int:
    from edi_workbook.atomic import written

    done = written()
    if done:
        click.echo(f"{word} after writing {'; '.join(done)}.", err=True)
    else:
        click.echo(f"{word}.", err=True)
    return 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    from edi_workbook.atomic import forget_written

    args = list(sys.argv[1:] if argv is None else argv)
    forget_written()
    previous = None
    if _is_main_thread():
        previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return _run(args)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _run(args: list[str]) -> int:
    try:
        rv: Any = cli.main(args=args, prog_name="edi-workbook", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.Abort:
        return _interrupted("Aborted")
    except click.UsageError as exc:  # one line, as for every other error
        ctx = exc.ctx
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        click.echo(f"edi-workbook: {exc.format_message()}{hint}", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return int(exc.exit_code)
    except EdiWorkbookError as exc:
        click.echo(f"edi-workbook: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        return _interrupted("Interrupted")
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the disk, not the program: a full disk, a vanished folder, no permission
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"edi-workbook: {where}{exc.strerror or exc}", err=True)
        return EXIT_USAGE
    except Exception as exc:
        if os.environ.get("EDI_WORKBOOK_DEBUG"):
            raise
        click.echo(
            f"edi-workbook: internal error ({type(exc).__name__}: {exc}). "
            "Please report it; set EDI_WORKBOOK_DEBUG=1 to see the details.",
            err=True,
        )
        return EXIT_INTERNAL
    return int(rv or 0)


def run() -> None:
    """Console-script entry point: the process ends with the command."""
    code = main()
    from edi_workbook import collector

    collector.freeze_for_exit()
    sys.exit(code)
