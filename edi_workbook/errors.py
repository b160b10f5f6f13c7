"""The package's exceptions and the CLI's exit codes, in one place.

Bad *data* never raises: validation returns a report. Only a file that cannot be read at all, a
write that cannot be done safely, or a misused command raises one of these; the CLI turns each
into one line on stderr and the exit code below.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "EXIT_USAGE",
    "EdiWorkbookError",
    "OutputError",
    "PlanReadError",
    "UsageError",
    "WriteBackError",
]

EXIT_OK = 0
"""Success: no errors found (warnings allowed)."""
EXIT_FINDINGS = 1
"""The command ran and found at least one error in a plan."""
EXIT_UNREADABLE = 2
"""A file could not be read (corrupt, encrypted, legacy .xls, no plan table...)."""
EXIT_USAGE = 2
"""The command was misused (unknown option, bad date...). Shares 2 with unreadable files."""
EXIT_INTERNAL = 3
"""An unexpected internal error: a bug. The message asks the user to report it."""


class EdiWorkbookError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = EXIT_UNREADABLE


class PlanReadError(EdiWorkbookError):
    """Raised when a file cannot be read as a plan at all.

    ``path`` is the file, ``reason`` one plain sentence (``"it is password-protected"``).
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class WriteBackError(EdiWorkbookError):
    """Raised when results cannot be written into a workbook safely; the original is untouched."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class UsageError(EdiWorkbookError):
    """Raised when a command or function is called with arguments that make no sense."""

    exit_code = EXIT_USAGE


class OutputError(EdiWorkbookError):
    """Raised when an output file cannot be written: the disk is full, the target is a device or a
    pipe, or it would replace one of the command's own inputs or a file the command did not write.

    Nothing is left half-written: a temporary file is removed and the target is as it was.
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
