"""The sub-packages of `assistant` depend on each other one way, layer by layer.

Every module is parsed with `ast`, so imports inside functions and `TYPE_CHECKING` blocks count as much as
the ones at the top: a dependency is a dependency wherever the import statement stands.
"""

from __future__ import annotations

import ast
import warnings
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"

# Lowest first. A sub-package may import its own layer (without a cycle) and the layers below it, never above.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("paths", "errors", "config", "vocabulary", "dates", "masking")),
    ("stages", ("audio", "vad", "transcription", "analysis")),
    ("events", ("events",)),  # the stages' results as typed events; no stage imports them back
    ("session", ("session",)),
    ("after the call", ("store", "privacy", "review", "notes")),
    ("api", ("security", "web")),  # security (auth) below web: it never imports the web layer
    ("entry points and tools", ("cli", "bench")),
)

# Edges that still break the rule, each with where it comes from and how it goes away. Empty: masking moved
# into the core (`assistant/masking.py`), which ended the session -> store and store <-> privacy edges.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def _layer_of() -> dict[str, int]:
    return {unit: index for index, (_, units) in enumerate(LAYERS) for unit in units}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _unit(module: str) -> str | None:
    """The sub-package (or top-level module) of `assistant` a module belongs to; None for `assistant` itself."""
    parts = module.split(".")
    return parts[1] if parts[0] == "assistant" and len(parts) > 1 else None


def _imported_modules(tree: ast.Module, module: str, *, is_package: bool) -> list[tuple[str, int]]:
    """Every `assistant.*` module named by an import anywhere in the tree, with its line."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([node.module] if node.module else []))
            # `from assistant import audio` names the sub-package in the alias
            names = [f"{base}.{alias.name}" for alias in node.names] if base == "assistant" else [base]
            found += [(name, node.lineno) for name in names]
    return [(name, line) for name, line in found if name.startswith("assistant.")]


def dependency_edges() -> dict[tuple[str, str], list[str]]:
    """(importing unit, imported unit) → the places ("file:line") that import across."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        if "_data" in path.relative_to(PACKAGE).parts:
            continue
        module = _module_name(path)
        source = _unit(module)
        if source is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, line in _imported_modules(tree, module, is_package=path.name == "__init__.py"):
            target = _unit(name)
            if target is not None and target != source:
                edges[(source, target)].append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    return dict(edges)


def _cycle(edges: set[tuple[str, str]]) -> list[str] | None:
    """One cycle in the graph, as a list of units, or None."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(unit: str) -> list[str] | None:
        state[unit] = "open"
        path.append(unit)
        for nxt in sorted(graph[unit]):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[unit] = "done"
        path.pop()
        return None

    for unit in sorted(graph):
        if unit not in state and (found := visit(unit)):
            return found
    return None


@pytest.fixture(scope="module")
def edges() -> dict[tuple[str, str], list[str]]:
    return dependency_edges()


def test_the_parser_sees_function_local_imports(edges):
    # cli imports the stages inside its commands (cheap start-up); the graph must still show it.
    assert ("cli", "analysis") in edges
    assert any(place.startswith("assistant/cli/") for place in edges[("cli", "analysis")])
    assert ("bench", "web") in edges


def test_every_sub_package_has_a_layer(edges):
    units = {unit for edge in edges for unit in edge}
    assert units - set(_layer_of()) == set(), "put each new sub-package of assistant into a layer in LAYERS"


def test_dependencies_only_point_down_the_layers(edges):
    layer = _layer_of()
    upward = {edge: places for edge, places in edges.items()
              if edge not in KNOWN_EXCEPTIONS and layer.get(edge[1], -1) > layer.get(edge[0], -1)}
    assert upward == {}, "imports from a lower layer into a higher one: " + "; ".join(
        f"{s} -> {t} ({LAYERS[layer[s]][0]} -> {LAYERS[layer[t]][0]}) at {', '.join(p[:3])}"
        for (s, t), p in sorted(upward.items()))


def test_the_sub_package_graph_has_no_cycle(edges):
    cycle = _cycle(set(edges) - set(KNOWN_EXCEPTIONS))
    assert cycle is None, " -> ".join(cycle or []) + ": " + "; ".join(
        f"{s} -> {t} at {', '.join(edges[(s, t)][:3])}" for s, t in zip(cycle or [], (cycle or [])[1:]))


def test_known_exceptions_name_only_edges_that_break_a_rule(edges):
    layer = _layer_of()
    graph = set(edges) | set(KNOWN_EXCEPTIONS)
    for source, target in KNOWN_EXCEPTIONS:
        upward = layer[target] > layer[source]
        closes_a_cycle = _reaches(graph, target, source)
        assert upward or closes_a_cycle, f"{source} -> {target} is allowed anyway: remove it from KNOWN_EXCEPTIONS"
    gone = sorted(set(KNOWN_EXCEPTIONS) - set(edges))
    if gone:  # a warning, not a failure: an entry may be listed ahead of the branch that brings its edge
        warnings.warn(f"edges no longer present, remove them from KNOWN_EXCEPTIONS: {gone}", stacklevel=1)


def _reaches(graph: set[tuple[str, str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        unit = todo.pop()
        if unit == goal:
            return True
        for source, target in graph:
            if source == unit and target not in seen:
                seen.add(target)
                todo.append(target)
    return False


def test_the_cycle_finder_finds_cycles():
    assert _cycle({("a", "b"), ("b", "c"), ("c", "a")}) in (["a", "b", "c", "a"],)
    assert _cycle({("a", "b"), ("b", "c"), ("a", "c")}) is None
