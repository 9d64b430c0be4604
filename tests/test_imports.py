"""No import circles: in the package, and among the benchmarks.

Every import statement counts, also one inside a function: a deferred import hides a
circle from Python at start-up, not from the reader, who still cannot understand one
module without the other. Edges are read from the source (ast), so the test sees the
code as written, not what happened to be imported first."""

import ast
from pathlib import Path

import networkx as nx
import pytest

from .conftest import ROOT


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of ``package`` (``__init__`` is the package)."""
    names = {}
    for path in sorted((root / package.replace(".", "/")).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if "migrations" in parts:  # Alembic's scripts, run by Alembic, not imported
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names[name] = path
    return names


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ``known`` that the file imports anywhere in it."""
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from pkg import sub` imports the submodule; `from mod import name` the module
            targets = [f"{module}.{alias.name}" for alias in node.names if f"{module}.{alias.name}" in known]
            if len(targets) < len(node.names):
                targets.append(module)
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import a.b.c` of a name inside a.b
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(root: Path, package: str) -> nx.DiGraph:
    known = module_names(root, package)
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for name, path in known.items():
        graph.add_edges_from((name, target) for target in imported(name, path, known))
    return graph


@pytest.mark.parametrize(("package", "edges_at_least"), [("kommunkarta", 100), ("benchmarks", 3)])
def test_no_import_circles(package, edges_at_least):
    graph = import_graph(ROOT, package)
    assert graph.number_of_edges() >= edges_at_least  # the graph was read
    circles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert circles == []


def test_the_graph_sees_a_deferred_import_and_a_circle(tmp_path):
    """The test itself finds what it is there for: a circle made by an import inside a function."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import g\n\ndef f():\n    return g()\n")
    (package / "b.py").write_text("def g():\n    from . import a  # deferred\n    return a\n")
    (package / "c.py").write_text("import pkg.a\n")
    graph = import_graph(tmp_path, "pkg")
    assert set(graph.edges) == {("pkg.a", "pkg.b"), ("pkg.b", "pkg.a"), ("pkg.c", "pkg.a")}
    assert [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1] == [["pkg.a", "pkg.b"]]
