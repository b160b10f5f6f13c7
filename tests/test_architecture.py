"""The package's shape: arrows point inward (no core module imports an edge) and no import cycles.

A small AST walk over ``edi_workbook/``: every ``import`` and ``from ... import`` counts, at module
level, inside functions and under ``TYPE_CHECKING`` alike, since each is a dependency a reader has
to follow. ``from edi_workbook.read import grid`` is an edge to the module ``read.grid``;
``from edi_workbook.read import read_plan`` is an edge to the package ``read`` (its ``__init__``).
The parent packages Python imports on the way are not counted: they are not a choice in the code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "edi_workbook"
EDGES = ("read", "writeback", "template", "calendar", "batch", "report", "excel", "cli")
# what each edge may import besides the core (docs/ARCHITECTURE.md draws the same tree)
MAY_IMPORT = {
    "read": set(),
    "writeback": set(),
    "template": {"writeback"},
    "calendar": set(),
    "batch": {"read", "template"},
    "report": {"batch"},
    "excel": {"read", "template", "calendar"},
    "cli": set(EDGES),
}
MAX_TOP_LEVEL_MODULES = 20


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(target: str, name: str, modules: dict[str, Path]) -> str:
    """``from target import name``: the submodule when ``name`` is one, else ``target`` itself."""
    return f"{target}.{name}" if f"{target}.{name}" in modules else target


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (dotted names, ``edi_workbook.`` included)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for mod, path in modules.items():
        is_package = path.name == "__init__.py"
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name in modules)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = mod.split(".")[: len(mod.split(".")) - node.level + (1 if is_package else 0)]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                if target in modules:
                    deps.update(_resolve(target, a.name, modules) for a in node.names)
        deps.discard(mod)
        graph[mod] = deps
    return graph


def edge_of(module: str) -> str | None:
    """The edge subpackage a module belongs to, or None for the core (and the package itself).

    ``python -m edi_workbook`` (``__main__``) is the command line's entry, so it counts as ``cli``.
    """
    if module == "edi_workbook.__main__":
        return "cli"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in EDGES else None


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan), as sorted lists."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_core_imports_no_edge():
    wrong = [
        f"{mod} imports {dep}"
        for mod, deps in import_graph().items()
        if mod != "edi_workbook" and edge_of(mod) is None
        for dep in sorted(deps)
        if edge_of(dep) is not None
    ]
    assert wrong == []


def test_each_edge_imports_only_the_edges_it_may():
    wrong = [
        f"{mod} imports {dep}"
        for mod, deps in import_graph().items()
        if (edge := edge_of(mod)) is not None
        for dep in sorted(deps)
        if (other := edge_of(dep)) not in (None, edge) and other not in MAY_IMPORT[edge]
    ]
    assert wrong == []


def test_the_architecture_doc_draws_the_same_tree():
    doc = (PACKAGE.parent / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for edge in EDGES:
        entry = re.search(rf"[├└]── {edge}/ (.*?)(?=\n[├└]|\n```)", doc, re.S)
        assert entry, f"docs/ARCHITECTURE.md does not draw {edge}/"
        named = {x.strip() for x in entry[1].rsplit("-> ", 1)[1].split(",")} - {"core", "everything"}
        assert named == (MAY_IMPORT[edge] if edge != "cli" else set()), edge


def test_no_import_cycles():
    assert find_cycles(import_graph()) == []


def test_every_edge_is_a_subpackage_with_a_public_api():
    for edge in EDGES:
        init = PACKAGE / edge / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{edge}/__init__.py has no docstring"
        names = [
            t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)
        ]
        assert "__all__" in names or edge == "cli", f"{edge}/__init__.py does not name its public API"


def test_few_modules_at_the_top_and_no_prefix_families():
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top
    prefixes = {name.split("_")[0] for name in top if "_" in name.strip("_")}
    families = {p: [n for n in top if n.startswith(p + "_")] for p in prefixes}
    assert {p: names for p, names in families.items() if len(names) > 1} == {}


# The checks above must be able to fail: a small package with a cycle and an inward violation.
@pytest.mark.parametrize(
    ("graph", "cycles"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_find_cycles_finds_them(graph, cycles):
    assert find_cycles(graph) == cycles


def test_edge_of_tells_core_from_edges():
    assert edge_of("edi_workbook.read.workbook") == "read"
    assert edge_of("edi_workbook.cli") == "cli"
    assert edge_of("edi_workbook.rules.overdue") is None
    assert edge_of("edi_workbook.plan") is None
    assert edge_of("edi_workbook.__main__") == "cli"
