"""Output files are written atomically and readable like any new file (not 0600)."""

from __future__ import annotations

import stat

import pytest

from edi_workbook.atomic import atomic_path, current_umask
from edi_workbook.cli import main


def test_failed_write_leaves_the_target_and_no_temp(tmp_path):
    target = tmp_path / "out.ics"
    target.write_bytes(b"old")

    def fail() -> None:
        with atomic_path(target) as temp:
            temp.write_bytes(b"half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        fail()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ics"]


@pytest.mark.parametrize(
    "args",
    [
        ["new", "{d}/plan.xlsx", "--example"],
        ["calendar", "{d}/plan.xlsx", "-o", "{d}/plan.ics"],
        ["report", "{d}/plan.xlsx", "-o", "{d}/report.html"],
        ["batch", "{d}/plan.xlsx", "-o", "{d}/rollup.xlsx"],
    ],
)
def test_outputs_get_the_usual_mode_for_new_files(tmp_path, args):
    main(["new", str(tmp_path / "plan.xlsx"), "--example", "--force"])
    assert main([a.format(d=tmp_path) for a in args] + (["--force"] if args[0] == "new" else [])) in (0, 1)
    out = tmp_path / args[-1 if args[0] != "new" else 1].format(d=tmp_path).rsplit("/", 1)[-1]
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~current_umask()
