"""Modules of sphinx_techspec depend one way: no module imports one that imports it back.

The graph is read from the source with ``ast``: every ``import`` statement, at module
level or inside a function (a function-level import that works around a cycle is
still a cycle), except those under ``if TYPE_CHECKING:``. Importing a submodule runs
its packages' ``__init__`` first, so an import of ``pkg.mod`` is an edge to ``pkg``
too (unless the importer is inside ``pkg``). ``importlib`` (lazy commands) is not an
import statement and is not counted.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import sphinx_techspec

PACKAGE = Path(sphinx_techspec.__file__).parent


def module_files() -> dict[str, tuple[Path, bool]]:
    """Module name → (file, is a package)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (path, is_package)
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(sub) for stmt in node.body for sub in ast.walk(stmt))
    return skipped


def imported_modules(name: str, path: Path, is_package: bool, modules: set[str]) -> set[str]:
    """The package's modules that ``name`` imports (submodules named in ``from`` too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            submodules = {f"{module}.{alias.name}" for alias in node.names} & modules
            found.update(submodules or {module})
    edges = set()
    for target in found & modules:
        edges.add(target)
        parts = target.split(".")
        for end in range(2, len(parts)):  # the packages the import runs first
            parent = ".".join(parts[:end])
            if not f"{name}.".startswith(f"{parent}."):
                edges.add(parent)
    edges.discard(name)
    return edges


@functools.cache
def import_graph() -> dict[str, set[str]]:
    """Read once per session: the tests only look at it."""
    files = module_files()
    names = set(files)
    return {name: imported_modules(name, *files[name], names) for name in files}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_package_has_no_import_cycle():
    graph = import_graph()
    assert "sphinx_techspec.views.matrix" in graph  # the walk found the package
    problems = cycles(graph)
    assert problems == [], "\n".join(
        " <-> ".join(component)
        + "\n"
        + "\n".join(f"  {m} imports {sorted(graph[m] & set(component))}" for m in component)
        for component in problems
    )


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_core_imports_no_feature():
    graph = import_graph()
    features = ("views", "test_results", "states", "interchange", "exports", "template")
    core = ("directives", "domain", "rendering", "diagrams", "urls", "schema", "item_types")
    for module in core:
        imported = graph[f"sphinx_techspec.{module}"]
        wrong = [m for m in imported if m.split(".")[1] in features]
        assert wrong == [], module
    views = {m for m in graph if m.startswith("sphinx_techspec.views")}
    for module in views:
        assert not any(m.startswith("sphinx_techspec.test_results") for m in graph[module])
