"""CLI start-up: every Excel button press starts a fresh Python, so this is felt by every user.

Each command runs in a fresh process, interleaved with its baseline, many times; medians.

- ``edi-workbook --version`` and ``--help`` within 3x of ``python -c "import sys"``;
- ``edi-workbook validate`` of the example plan within 1.4x (issue 18; was 1.5x) of the floor: a
  fresh Python process that only imports pandas and reads the same file with python-calamine.

Our modules are compiled to bytecode first (:func:`benchmarks.bytecode_compiled`), as an installed
package's are: the floor's pandas is.

``python -m benchmarks.bench_startup [--repeats R]``.
"""

from __future__ import annotations

import argparse
import sys

from benchmarks import CLI, ROOT, Figure, bytecode_compiled, interleaved, print_table

EXAMPLE = ROOT / "workbook_templates" / "example_action_plan.xlsx"
_CALAMINE_READ = (
    "import pandas, python_calamine, sys; "
    "python_calamine.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name('Action Plan').to_python()"
)


def measure(repeats: int = 30) -> list[Figure]:
    bytecode_compiled()
    py = sys.executable
    quick = interleaved(
        {
            "python": [py, "-c", "import sys"],
            "version": [CLI, "--version"],
            "help": [CLI, "--help"],
        },
        repeats,
    )
    validate = interleaved(
        {
            "pandas+calamine": [py, "-c", _CALAMINE_READ, str(EXAMPLE)],
            "validate": [CLI, "validate", str(EXAMPLE), "--as-of", "2026-11-22"],
        },
        max(5, repeats // 2),
    )
    return [
        Figure("edi-workbook --version", quick["version"], 'python -c "import sys"', quick["python"], 3.0),
        Figure("edi-workbook --help", quick["help"], 'python -c "import sys"', quick["python"], 3.0),
        Figure(
            "edi-workbook validate example",
            validate["validate"],
            "python + import pandas + calamine read",
            validate["pandas+calamine"],
            1.4,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=30)
    args = ap.parse_args(argv)
    print_table("start-up benchmark", measure(args.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
