"""Writers that stream batch results into one output: xlsx, json, csv, junit or html.

Every writer takes results one file at a time (:meth:`Writer.add`) and holds no more than it must
(the HTML report keeps only the figures and short lists it shows). Files are written to a temporary
file beside the target and moved into place with ``os.replace`` when complete, so a failed run
(an error, a full disk, an interrupt) never leaves half an output nor a temporary file; a disk
error becomes :class:`~edi_workbook.errors.OutputError` (exit 2). A target that is a symbolic link
is written through it; a device or a pipe is refused. Text that would start a formula (``=``,
``+``, ``-``, ``@``) is written as text: a quote prefix in CSV, a string cell in xlsx.

The tables (:data:`SUMMARY_COLUMNS` and friends) are shared by the csv and xlsx writers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from edi_workbook import reference
from edi_workbook.atomic import commit, output_target, temp_path_beside, through_link
from edi_workbook.batch.model import ACTION_COLUMNS, FileResult, Totals
from edi_workbook.errors import OutputError, UsageError
from edi_workbook.findings import FINDING_HEADERS
from edi_workbook.safe_text import neutralise

__all__ = [
    "COVERAGE_COLUMNS",
    "FINDING_COLUMNS",
    "FORMATS",
    "SUMMARY_COLUMNS",
    "Writer",
    "coverage_row",
    "csv_text",
    "finding_rows",
    "format_for",
    "is_own_output",
    "json_text",
    "open_writer",
    "output_paths",
    "summary_row",
]

FORMATS = ("xlsx", "json", "csv", "html", "junit")
_SUFFIXES = {
    ".xlsx": "xlsx",
    ".json": "json",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
    ".xml": "junit",
}
_WRITERS = {
    "xlsx": "edi_workbook.batch.workbook:XlsxWriter",
    "json": "edi_workbook.batch.outputs:JsonWriter",
    "csv": "edi_workbook.batch.outputs:CsvWriter",
    "junit": "edi_workbook.batch.junit:JunitWriter",
    "html": "edi_workbook.report.render:HtmlWriter",
}
_CSV_PARTS = ("actions", "findings", "coverage")


def format_for(out: Path | None, fmt: str | None) -> str:
    """The output format: ``fmt`` if given, else from ``out``'s suffix."""
    if fmt:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    suffix = out.suffix.lower() if out else ""
    if suffix not in _SUFFIXES:
        raise UsageError(f"cannot tell the output format from {suffix or 'no suffix'!r}; add --format")
    return _SUFFIXES[suffix]


def output_paths(out: Path, fmt: str) -> list[Path]:
    """Every file an output writes (CSV writes four), so a batch never reads its own output."""
    if fmt == "csv":
        return [out, *(_csv_part(out, part) for part in _CSV_PARTS)]
    return [out]


def _csv_part(out: Path, part: str) -> Path:
    """OUT's sibling for ``part``, beside the file OUT is: through a link (``-o /dev/stdout``
    wrote its siblings into ``/dev``)."""
    base = through_link(out)
    return base.with_name(f"{base.stem}.{part}{base.suffix or '.csv'}")


def is_own_output(path: Path) -> bool:
    """Whether ``path`` is an output an earlier batch or report wrote (so writing it again loses
    nothing), judged by its first bytes; a plan, or anything else, is not."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith(b"PK\x03\x04"):
        return _is_own_workbook(path)
    csv_heads = (SUMMARY_COLUMNS, ALL_ACTION_COLUMNS, FINDING_COLUMNS, COVERAGE_COLUMNS)
    return (
        head.startswith(b'{"version": 1, "as_of"')
        or b'<meta name="generator" content="edi-workbook' in head
        or (head.startswith(b"<?xml") and b'<testsuites name="edi-workbook' in head)
        or any(head.startswith(",".join(cols).encode("utf-8") + b"\r\n") for cols in csv_heads)
    )


def _is_own_workbook(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/core.xml")
            return info.file_size < 65536 and b">EDI action plans: batch roll-up<" in zf.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False


# ---------------------------------------------------------------- shared tables


def _ref() -> reference.Reference:
    return reference.load()


SUMMARY_COLUMNS: tuple[str, ...] = (
    "File",
    "Organisation",
    "Result",
    "Actions",
    "Errors",
    "Warnings",
    *_ref().rag_names,
    "Overdue",
    "RAG rosier than the rule",
    "HIAs covered",
    "HIAs with no action",
    "Problem",
)
FINDING_COLUMNS = ("File", "Organisation", *FINDING_HEADERS)
COVERAGE_COLUMNS: tuple[str, ...] = (
    "File",
    "Organisation",
    *(h.label for h in _ref().hias),
    *(f"PSED ({a.aim})" for a in _ref().psed_aims),
    "Gaps",
)
ALL_ACTION_COLUMNS: tuple[str, ...] = ("File", "Organisation", *ACTION_COLUMNS)


def result_word(r: FileResult) -> str:
    """``Unreadable``, ``Errors`` or ``OK``: the Result column, readable without colour."""
    if not r.readable:
        return "Unreadable"
    return "Errors" if r.errors else "OK"


def summary_row(r: FileResult) -> tuple[Any, ...]:
    """One Summary row: counts per file, and the reason when it could not be read."""
    ref = _ref()
    if not r.readable:
        blank = (None,) * (len(SUMMARY_COLUMNS) - 4)
        return (r.file, r.organisation, result_word(r), *blank, r.error)
    gaps = "; ".join(h.label for h in ref.hias if not r.hia_actions.get(h.number)) if r.hia_actions else ""
    missing = gaps or None  # no gap: an empty cell, never an empty string
    return (
        r.file,
        r.organisation,
        result_word(r),
        r.actions,
        r.errors,
        r.warnings,
        *(r.rag.get(name, 0) if r.rag else None for name in ref.rag_names),
        r.overdue if r.rag else None,
        r.rag_disagrees if r.rag else None,
        len(r.hias_covered) if r.hia_actions else None,
        missing,
        None,
    )


def finding_rows(r: FileResult) -> Iterator[tuple[Any, ...]]:
    for f in r.findings:
        yield (r.file, r.organisation, *f.as_row())


def coverage_row(r: FileResult) -> tuple[Any, ...]:
    ref = _ref()
    return (
        r.file,
        r.organisation,
        *(r.hia_actions.get(h.number, 0) for h in ref.hias),
        *(r.psed_actions.get(a.aim, 0) for a in ref.psed_aims),
        "; ".join(r.gaps) or None,
    )


# ---------------------------------------------------------------- writers


class Writer:
    """Base writer: streams results into a temporary file, moved into place on success."""

    def __init__(self, out: Path, *, as_of: dt.date | None = None) -> None:
        self.out = out
        self.as_of = as_of
        self.totals = Totals()
        self.extra_paths: list[Path] = []
        self._temps: list[tuple[Path, Path]] = []

    def temp_for(self, target: Path) -> Path:
        """A temporary path beside ``target``, replaced onto it when the writer closes cleanly."""
        real = output_target(target)
        temp = temp_path_beside(real)
        self._temps.append((temp, real))
        return temp

    def add(self, r: FileResult) -> None:
        self.totals.add(r)

    def finish(self) -> None:
        """Write what comes after the last file (totals, charts) and close the files."""

    def abort(self) -> None:
        """Close the files after a failure; the temporary files are then removed."""

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if exc_type is None:
                self.finish()
                for temp, target in self._temps:
                    commit(temp, target)
                return
            with contextlib.suppress(Exception):
                self.abort()
        except OSError as failed:
            with contextlib.suppress(Exception):
                self.abort()
            reason = failed.strerror or failed
            raise OutputError(self.out, f"could not be written ({reason}); it is as it was") from None
        except BaseException:
            with contextlib.suppress(Exception):
                self.abort()
            raise
        finally:
            self.remove_temps()

    def remove_temps(self) -> None:
        """Remove the temporary files not moved into place (all of them after a failure)."""
        for temp, _ in self._temps:
            temp.unlink(missing_ok=True)


def open_writer(fmt: str, out: Path, *, as_of: dt.date | None = None) -> Writer:
    """The writer for ``fmt``, ready to take results."""
    module, _, name = _WRITERS[format_for(out, fmt)].partition(":")
    cls: type[Writer] = getattr(importlib.import_module(module), name)
    return cls(out, as_of=as_of)


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


_JSON = json.JSONEncoder(ensure_ascii=False, default=_json_default, check_circular=False)
"""``json.dumps(..., ensure_ascii=False, default=_json_default)``, made once, without the check for
cycles (a result holds none) that tracked each of a file's hundreds of dicts and lists."""


def json_text(r: FileResult) -> str:
    """One file's object in the JSON roll-up."""
    return _JSON.encode(r.to_dict())


def _csv_cells(row: tuple[Any, ...]) -> list[Any]:
    return [v.isoformat() if isinstance(v, dt.date) else neutralise(v) for v in row]


def csv_text(rows: Iterable[tuple[Any, ...]]) -> str:
    """CSV lines (``\\r\\n`` ends, as the csv module writes) for ``rows``; text that would start a
    formula gets a leading ``'``."""
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerows(_csv_cells(row) for row in rows)
    return buf.getvalue()


class JsonWriter(Writer):
    """One JSON object: ``{"as_of", "files": [...], "totals"}``, written file by file."""

    def __init__(self, out: Path, *, as_of: dt.date | None = None) -> None:
        super().__init__(out, as_of=as_of)
        try:
            self._fh: IO[str] = self.temp_for(out).open("w", encoding="utf-8")
            head = {"version": 1, "as_of": as_of.isoformat() if as_of else None}
            self._fh.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "files": [\n')
        except BaseException:
            self.remove_temps()
            raise
        self._first = True

    def add(self, r: FileResult) -> None:
        super().add(r)
        if not self._first:
            self._fh.write(",\n")
        self._first = False
        rendered = r.rendered.parts[0] if r.rendered is not None and r.rendered.fmt == "json" else None
        self._fh.write(rendered if rendered is not None else json_text(r))

    def finish(self) -> None:
        self._fh.write('\n], "totals": ' + json.dumps(self.totals.to_dict(), ensure_ascii=False) + "}\n")
        self._fh.close()

    def abort(self) -> None:
        self._fh.close()


class CsvWriter(Writer):
    """Four CSV files: OUT (the summary) and OUT's ``.actions``, ``.findings``, ``.coverage`` siblings.

    UTF-8 with a byte-order mark, so Excel opens them with the right characters.
    """

    def __init__(self, out: Path, *, as_of: dt.date | None = None) -> None:
        import csv

        super().__init__(out, as_of=as_of)
        targets = [out, *(_csv_part(out, p) for p in _CSV_PARTS)]
        self.extra_paths = targets[1:]
        self._fhs: list[IO[str]] = []
        try:
            for t in targets:
                self._fhs.append(self.temp_for(t).open("w", encoding="utf-8-sig", newline=""))
        except BaseException:
            for fh in self._fhs:
                fh.close()
            self.remove_temps()
            raise
        self._csv = [csv.writer(fh) for fh in self._fhs]
        heads = (SUMMARY_COLUMNS, ALL_ACTION_COLUMNS, FINDING_COLUMNS, COVERAGE_COLUMNS)
        for w, head in zip(self._csv, heads, strict=True):
            w.writerow(head)

    def add(self, r: FileResult) -> None:
        super().add(r)
        summary, _, _, coverage = self._csv
        summary.writerow(_csv_cells(summary_row(r)))
        if not r.readable:
            return
        if r.rendered is not None and r.rendered.fmt == "csv":  # the lines, written in the worker
            actions, findings = r.rendered.parts
        else:
            actions = csv_text((r.file, r.organisation, *row) for row in r.rows)
            findings = csv_text(finding_rows(r))
        self._fhs[1].write(actions)
        self._fhs[2].write(findings)
        coverage.writerow(_csv_cells(coverage_row(r)))

    def finish(self) -> None:
        for fh in self._fhs:
            fh.close()

    abort = finish
