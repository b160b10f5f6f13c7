"""Mutated workbooks for the fuzz test (tests/test_fuzz.py): real fixtures, broken on purpose.

Each case is ``(case id, source name, mutation, seed)``; :func:`mutate` turns the source's bytes
into the mutated file, deterministically for a seed, so a failing case can be made again with
``python -m tests.fuzzing CASE_ID OUT.xlsx``. The mutations are the ways files break in the wild
and the ways a hostile file is built:

- ``flip-raw``, ``truncate-raw``: bit flips anywhere in the zip, a cut at any byte;
- ``flip-part``, ``truncate-part``: the same inside one unzipped XML part (re-zipped, so the parsers
  see it, not just the zip reader);
- ``swap-parts``, ``drop-part``: two parts' contents exchanged, a part missing;
- ``huge-dimensions``: a cell, row, dimension or span far out (``XFD1048576``, row 10**7, ...);
- ``attribute-garbage``, ``text-garbage``: an attribute value or text replaced by numbers out of
  range, letters, control characters, U+FFFE, a 40,000-character string;
- ``deep-nesting``, ``entities``, ``duplicate``: 3,000 nested elements, a DOCTYPE with entities
  (billion laughs, an external entity), an element repeated 2,000 times.
"""

from __future__ import annotations

import io
import random
import re
import sys
import zipfile
from pathlib import Path

MUTATIONS = (
    "flip-raw",
    "truncate-raw",
    "flip-part",
    "truncate-part",
    "swap-parts",
    "drop-part",
    "huge-dimensions",
    "huge-dimensions",  # twice: the shape that killed the process
    "attribute-garbage",
    "text-garbage",
    "deep-nesting",
    "entities",
    "duplicate",
)

_GARBAGE_VALUES = (
    "-1", "0", "999999999999999999999", "1e308", "nan", "abc", "", "A0", "ZZZZZ99999999", "XFD1048577",
    "1:99999999", "rId999", "../../../../etc/passwd", "\u0000", "\ufffe", "'", "&amp;&lt;",
)  # fmt: skip
_LAUGHS = (
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
)
_GARBAGE_TEXT = ("\x01\x02\x1f", "\ufffe\uffff", "=cmd|' /C calc'!A0", "x" * 40_000, "-1e400", "#REF!", "")


def _parts(data: bytes) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        return infos, {i.filename: zf.read(i) for i in infos}


def _zip(names: list[str], parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            if name in parts:
                zf.writestr(name, parts[name])
    return buf.getvalue()


def _flip(data: bytes, rng: random.Random, flips: int) -> bytes:
    out = bytearray(data)
    for _ in range(flips):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def _xml_names(parts: dict[str, bytes]) -> list[str]:
    return sorted(n for n in parts if n.endswith((".xml", ".rels", ".vml")))


def _sheet_names(parts: dict[str, bytes]) -> list[str]:
    return sorted(n for n in parts if n.startswith("xl/worksheets/sheet")) or _xml_names(parts)


def mutate(source: bytes, mutation: str, seed: int) -> bytes:
    """The mutated file: ``source`` (a workbook's bytes) broken by ``mutation``, made from ``seed``."""
    rng = random.Random(seed)
    if mutation == "flip-raw":
        return _flip(source, rng, rng.randint(1, 16))
    if mutation == "truncate-raw":
        return source[: rng.randrange(len(source))]
    infos, parts = _parts(source)
    names = [i.filename for i in infos]
    xml = _xml_names(parts)
    if mutation == "swap-parts":
        a, b = rng.sample(names, 2)
        parts[a], parts[b] = parts[b], parts[a]
    elif mutation == "drop-part":
        del parts[rng.choice(names)]
    else:
        target = rng.choice(_sheet_names(parts) if mutation == "huge-dimensions" else xml)
        parts[target] = _mutate_part(parts[target], mutation, rng)
    return _zip(names, parts)


def _mutate_part(data: bytes, mutation: str, rng: random.Random) -> bytes:
    if mutation == "flip-part":
        return _flip(data, rng, rng.randint(1, 8))
    if mutation == "truncate-part":
        return data[: rng.randrange(max(len(data), 1))]
    text = data.decode("utf-8", "replace")
    if mutation == "huge-dimensions":
        return _huge(text, rng).encode("utf-8", "surrogatepass")
    if mutation == "attribute-garbage":
        found = list(re.finditer(r'(\w+)="([^"]*)"', text))
        if found:
            m = rng.choice(found)
            value = rng.choice(_GARBAGE_VALUES).replace('"', "&quot;")
            text = text[: m.start(2)] + value + text[m.end(2) :]
    elif mutation == "text-garbage":
        found = list(re.finditer(r">([^<]+)<", text))
        if found:
            m = rng.choice(found)
            text = text[: m.start(1)] + rng.choice(_GARBAGE_TEXT) + text[m.end(1) :]
    elif mutation == "deep-nesting":
        at = _inside_root(text, rng)
        text = text[:at] + "<a>" * 3000 + "</a>" * 3000 + text[at:]
    elif mutation == "entities":
        laughs = _LAUGHS
        decl = re.match(r"<\?xml[^>]*\?>", text)
        head = decl.end() if decl else 0
        text = text[:head] + laughs + text[head:]
        at = _inside_root(text, rng)
        text = text[:at] + "<t>&c;&x;</t>" + text[at:]
    elif mutation == "duplicate":
        found = list(re.finditer(r"<(\w+:)?(\w+)\b[^>]*/>", text))
        if found:
            m = rng.choice(found)
            text = text[: m.end()] + m.group(0) * 2000 + text[m.end() :]
    return text.encode("utf-8", "surrogatepass")


def _inside_root(text: str, rng: random.Random) -> int:
    """A position just after some start tag (inside the document, not before its root)."""
    starts = [m.end() for m in re.finditer(r"<\w[^>]*[^/]>", text)]
    return rng.choice(starts) if starts else len(text)


def _huge(text: str, rng: random.Random) -> str:
    col = rng.choice(["XFD", "A", "ZZ", "XFE", "AAAA", "B"])
    row = rng.choice([1048576, 1048577, 10**7, 200_000, 1, 60_000])
    choice = rng.randrange(5)
    cell = f'<c r="{col}{row}"><v>1</v></c>'
    if choice == 0 and "</sheetData>" in text:
        return text.replace("</sheetData>", f'<row r="{row}">{cell}</row></sheetData>', 1)
    if choice == 1 and "<dimension" in text:
        return re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:{col}{row}"', text, count=1)
    if choice == 2:
        return re.sub(r'(<row r=")\d+', rf"\g<1>{row}", text, count=1)
    if choice == 3:
        return re.sub(r'(<c r=")[A-Z]+\d+', rf"\g<1>{col}{row}", text, count=1)
    return re.sub(r'spans="[^"]*"', f'spans="1:{rng.choice([16384, 99999, 2**31])}"', text, count=1)


def cases(sources: list[str], count: int, base_seed: int) -> list[tuple[int, str, str, int]]:
    """``count`` cases spread over the sources and the mutations, deterministic for ``base_seed``."""
    rng = random.Random(base_seed)
    return [
        (i, sources[i % len(sources)], MUTATIONS[(i // len(sources)) % len(MUTATIONS)], rng.randrange(2**32))
        for i in range(count)
    ]


# ---------------------------------------------------------------- running one case (in a worker)

LIMIT_SECONDS = 10
"""A case taking longer than this is a hang."""
_STAMP = None


class _TooLong(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _TooLong


def worker_init() -> None:
    """Each worker: quiet, and a memory ceiling so a runaway allocation fails instead of swapping."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (6 * 2**30, 6 * 2**30))
    except (ImportError, ValueError, OSError):
        pass


def run_case(job: tuple[int, str, str, int, str, str]) -> tuple[int, str | None, float]:
    """Mutate one source and run it through read, validate, RAG, calendar and write-back.

    Returns (case id, the problem or None, seconds). A problem is any exception other than this
    package's own (which the command line turns into exit 2), a refused write-back that changed a
    file anyway, a backup that is not the original, or a file that is not a workbook after a
    write-back that said it wrote one.
    """
    import os
    import shutil
    import signal
    import time

    case_id, source, mutation, seed, work, status = job
    Path(status, str(os.getpid())).write_text(f"{case_id} {source} {mutation} {seed}", encoding="utf-8")
    folder = Path(work, f"case{case_id}")
    folder.mkdir()
    path = folder / f"plan{Path(source).suffix}"
    path.write_bytes(mutate(Path(source).read_bytes(), mutation, seed))
    start = time.monotonic()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(LIMIT_SECONDS)
    try:
        problem = _pipeline(path, case_id)
    except _TooLong:
        problem = f"hang: more than {LIMIT_SECONDS} s"
    finally:
        signal.alarm(0)
    seconds = time.monotonic() - start
    if problem is not None:
        problem = f"case {case_id} ({Path(source).name}, {mutation}, seed {seed}): {problem}"
    shutil.rmtree(folder, ignore_errors=True)
    return case_id, problem, seconds


def _pipeline(path: Path, case_id: int) -> str | None:
    import datetime as dt
    import os
    import traceback

    from edi_workbook import rag, read_plan, to_ics, validate
    from edi_workbook.calendar import by_owner
    from edi_workbook.errors import EdiWorkbookError, WriteBackError
    from edi_workbook.writeback import CellMark, write_back, write_findings

    stamp = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    step = "read_plan"
    try:
        try:
            plan = read_plan(path)
        except EdiWorkbookError:
            plan = None
        report = None
        if plan is not None:
            step = "validate"
            report = validate(plan)
            step = "rag"
            rag(plan)
            step = "calendar"
            to_ics(plan, dtstamp=stamp)
            if case_id % 10 == 0:
                by_owner(plan, path.parent / "owners", dtstamp=stamp)
        step = "write-back"
        before, listing = path.read_bytes(), sorted(os.listdir(path.parent))
        try:
            if report is not None:
                result = write_findings(path, report)
            else:
                result = write_back(
                    path, [CellMark("Sheet1", "A1", fill="FFC7CE", note="fuzz")], scope="fuzz"
                )
        except WriteBackError:
            if path.read_bytes() != before or sorted(os.listdir(path.parent)) != listing:
                return "write-back was refused but changed the folder"
            return None
        return _check_written(path, before, result)
    except EdiWorkbookError:
        return None
    except Exception:  # noqa: BLE001 - the finding this harness exists for
        return f"{step}: {traceback.format_exc(limit=-3)}"


def _check_written(path: Path, before: bytes, result: object) -> str | None:
    written = Path(result.path)  # type: ignore[attr-defined]
    backup = result.backup  # type: ignore[attr-defined]
    if getattr(result, "unchanged", False):
        return None if path.read_bytes() == before else "an unchanged write-back changed the file"
    if getattr(result, "fallback", False):
        if path.read_bytes() != before:
            return "a fallback write-back changed the original"
    elif backup is not None and Path(backup).read_bytes() != before:
        return "the backup is not the original"
    try:
        with zipfile.ZipFile(written) as zf:
            if zf.testzip() is not None:
                return "the written workbook is damaged"
    except zipfile.BadZipFile:
        return "the written file is not a zip"
    return None


if __name__ == "__main__":  # python -m tests.fuzzing SOURCE MUTATION SEED OUT
    src, kind, seed, out = sys.argv[1:5]
    Path(out).write_bytes(mutate(Path(src).read_bytes(), kind, int(seed)))
