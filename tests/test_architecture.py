"""The package's layering (ARCHITECTURE.md), checked from the source: who may import whom.

* the core (``n1codec`` minus ``tools`` and ``ext``) imports nothing from the tools or the adapters;
* the ecosystem adapters (``n1codec.ext``) and the tools (``n1codec.tools``) do not import each other;
* no import cycles between modules, counting imports inside functions too;
* ``import n1codec`` loads the core only.

Imports are read with :mod:`ast`, so a lazy import inside a function counts like a top-level one.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "n1codec"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> Dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def _imports(name: str, path: Path, known: Set[str]) -> Set[str]:
    """The n1codec modules `name` imports (a name imported from a package counts as its submodule)."""
    is_package = path.name == "__init__.py"
    found: Set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in known else target)
    return {m for m in found if m in known and m != name}


@pytest.fixture(scope="module")
def graph() -> Dict[str, Set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _layer(module: str) -> str:
    for layer in ("tools", "ext"):
        if module == f"n1codec.{layer}" or module.startswith(f"n1codec.{layer}."):
            return layer
    return "core"


def test_the_source_tree_is_where_the_test_expects_it(graph):
    assert {"n1codec.api", "n1codec.container", "n1codec.tools.cli", "n1codec.ext.numcodecs"} <= set(graph)


@pytest.mark.parametrize("layer, forbidden", [("core", {"tools", "ext"}), ("ext", {"tools"}), ("tools", {"ext"})])
def test_layers_import_only_what_they_may(graph, layer, forbidden):
    wrong = sorted(f"{m} -> {t}" for m, targets in graph.items() if _layer(m) == layer
                   for t in targets if _layer(t) in forbidden)
    assert not wrong, "imports across the layering:\n" + "\n".join(wrong)


def _cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
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


def test_no_import_cycles(graph):
    # A module importing from its own package's __init__ (which re-exports the module's
    # siblings) is not a cycle of ideas; leave those edges out.
    edges = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph.items()}
    assert _cycles(edges) == []


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_importing_the_package_loads_the_core_only(tmp_path):
    code = ("import sys, n1codec; print(sorted(m for m in sys.modules if m.startswith('n1codec.tools') "
            "or m.startswith('n1codec.ext')))")
    # cwd: python -c puts it first on sys.path; import the installed package, not the source tree
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path).stdout
    assert out.strip() == "[]"
