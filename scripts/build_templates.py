"""Build the committed workbooks in workbook_templates/ from edi_workbook.template.workbook.

    python scripts/build_templates.py            # (make template) rewrite both files
    python scripts/build_templates.py --check    # exit 1 if a committed file is stale

The output is deterministic, so rebuilding without a change to the code or the reference data
leaves the files byte-for-byte the same.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from edi_workbook.template import workbook as template

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "workbook_templates"
FILES = {"edi_action_plan.xlsx": False, "example_action_plan.xlsx": True}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the committed files are fresh")
    args = parser.parse_args(argv)
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, example in FILES.items():
            target = OUT / name
            # dated=False: cells that depend on today's date carry no cached result, so the
            # committed files do not go stale from one day to the next
            fresh = template.new_workbook(Path(tmp) / name, example=example, dated=False)
            if target.exists() and target.read_bytes() == fresh.read_bytes():
                print(f"{target.relative_to(ROOT)}: up to date")
                continue
            stale.append(name)
            if not args.check:
                OUT.mkdir(exist_ok=True)
                target.write_bytes(fresh.read_bytes())
                print(f"{target.relative_to(ROOT)}: written")
    if args.check and stale:
        print(f"stale: {', '.join(stale)} (run: python scripts/build_templates.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
