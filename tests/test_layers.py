"""The package's layers, pinned: which module may import which, no import cycle, no private name across modules.

The walk reads the source (``ast``), so an import placed inside a function counts like one at the top: a cycle
held together by function-level imports is still a cycle. The layers (``docs/architecture.md`` draws them):

    L0 leaves       options, _text, _version, _lazy           (stdlib; _text numpy)
    L1 data         data, panel, technology, datasets
    L2 models       models.*                                  (never the engine, the problem or pandas)
    L3 engine       engine.* (settings, highs, reduction, pricing, certify, robust, restricted, dense, stages,
                    pool, schedule; never pandas: a worker's cold start)
    L4 problem      problem
    L5 reporting    io, _stata, _plotting (formats and drawing primitives: no result type), results.* (one module
                    per result type: its table, summary, export and figures)
    L6 analyses     analyses.* (one module per public function over analyses._pipeline); the one-release
                    re-export shims scoring, indices, malmquist_bootstrap, group_frontiers, window,
                    economic_efficiency, efficiency_bootstrap, truncated_regression, stochastic_frontier
    L7 façades      __init__, __main__, cli, validation, demo, plots (the public plot_* names), app (the web page
                    over the command line's declarations; the command line starts it by name, never imports it)

A module imports its own layer or lower ones. Function-level imports of package modules are for the façades
(the command line imports a subcommand's code when it runs) and for the optional dependencies. What the code does
today against these rules and should not is listed in ``KNOWN_*`` below, each with the step of the restructuring
(issue "the upper half") that removes it: a list only shrinks, and an entry that no longer happens fails the test,
so the lists cannot go stale.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "frontier"

LAYERS: dict[str, int] = {
    "options": 0, "_text": 0, "_version": 0, "_lazy": 0,
    "data": 1, "panel": 1, "technology": 1, "datasets": 1,
    "models": 2,
    "engine": 3,
    "problem": 4,
    "io": 5, "_stata": 5, "_plotting": 5, "results": 5,
    "analyses": 6, "scoring": 6, "indices": 6, "malmquist_bootstrap": 6, "group_frontiers": 6, "window": 6,
    "economic_efficiency": 6, "efficiency_bootstrap": 6, "truncated_regression": 6, "stochastic_frontier": 6,
    "__init__": 7, "__main__": 7, "cli": 7, "validation": 7, "demo": 7, "plots": 7, "app": 7,
}
FACADE = 7
# third-party imports a layer must never make at module level (the cold start of a parallel worker)
FORBIDDEN_TOP_LEVEL = {2: {"pandas", "scipy", "joblib"}, 3: {"pandas"}}

# today's departures from the rules, each removed by a step of the restructuring (issue "the upper half"); a list
# only shrinks: an entry that no longer happens fails its test, so the lists cannot go stale
KNOWN_UPWARD: set[tuple[str, str]] = set()
KNOWN_LAZY: set[tuple[str, str]] = {                # function-level imports of package modules outside the façades
    ("models.registry", "data"),        # check_zero_policy: data imports pandas, a worker's cold start does not
}
KNOWN_PRIVATE: set[tuple[str, str, str]] = set()   # one public helper each (the review's smaller items)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> int:
    top = module.split(".")[0]
    if top not in LAYERS:
        raise AssertionError(f"frontier.{module} has no layer: add it to LAYERS in {Path(__file__).name} "
                             f"and to the map in docs/architecture.md")
    return LAYERS[top]


def _resolve(current: str, is_package: bool, node: ast.ImportFrom | ast.Import) -> list[tuple[str, list[str]]]:
    """The package modules one import statement names, each with the names it takes from it."""
    if isinstance(node, ast.Import):
        out = []
        for alias in node.names:
            if alias.name == "frontier" or alias.name.startswith("frontier."):
                name = alias.name.removeprefix("frontier").lstrip(".") or "__init__"
                out.append((name, []))
        return out
    if node.level:
        base = current.split(".") if is_package else current.split(".")[:-1]
        base = base[: len(base) - node.level + 1]
        module = ".".join(base + ([node.module] if node.module else []))
    elif node.module and (node.module == "frontier" or node.module.startswith("frontier.")):
        module = node.module.removeprefix("frontier").lstrip(".")
    else:
        return []
    module = module or "__init__"
    out = []
    for alias in node.names:
        sub = f"{module}.{alias.name}" if module != "__init__" else alias.name
        if sub in MODULES:
            out.append((sub, []))
        else:
            out.append((module, [alias.name]))
    return out


def _walk():
    """(top-level edges, function-level edges, private names imported, third-party top-level imports)."""
    top, lazy, private, third = set(), set(), set(), {}
    for name, path in MODULES.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def visit(node, nested):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    visit(child, True)
                elif isinstance(child, (ast.Import, ast.ImportFrom)):
                    targets = _resolve(name, is_package, child)
                    for target, names in targets:
                        if target not in MODULES or target == name:
                            continue
                        (lazy if nested else top).add((name, target))
                        for n in names:
                            if n.startswith("_") and not n.startswith("__") and \
                                    target.split(".")[0] != name.split(".")[0]:
                                private.add((name, target, n))
                    if not targets and not nested and not child_is_relative(child):
                        roots = [a.name.split(".")[0] for a in child.names] if isinstance(child, ast.Import) \
                            else [(child.module or "").split(".")[0]]
                        third.setdefault(name, set()).update(roots)
                else:
                    visit(child, nested)

        visit(tree, False)
    return top, lazy, private, third


def child_is_relative(node) -> bool:
    """Whether an import statement is relative (``from . import x``): never a third-party package."""
    return isinstance(node, ast.ImportFrom) and node.level > 0


TOP, LAZY, PRIVATE, THIRD_PARTY = _walk()


def _cycles(edges: set[tuple[str, str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan), by top-level module name."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        a, b = a.split(".")[0], b.split(".")[0]
        if a != b and "__init__" not in (a, b):       # the lazy public names of frontier/__init__ are no cycle
            graph.setdefault(a, set()).add(b)
            graph.setdefault(b, set())
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def connect(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def test_every_module_has_a_layer():
    for module in MODULES:
        _layer(module)


def test_no_import_cycle_counting_function_level_imports():
    cycles = _cycles(TOP | LAZY)
    assert not cycles, f"import cycle(s) among the package's modules: {[sorted(c) for c in cycles]}"


def test_no_cycle_at_module_level():
    assert not _cycles(TOP), "a cycle of module-level imports"


def test_imports_go_down_the_layers():
    upward = {(a.split(".")[0], b.split(".")[0]) for a, b in TOP | LAZY if _layer(b) > _layer(a)}
    new = upward - KNOWN_UPWARD
    assert not new, f"imports from a lower layer into a higher one: {sorted(new)}"
    gone = KNOWN_UPWARD - upward
    assert not gone, f"no longer happen: delete them from KNOWN_UPWARD: {sorted(gone)}"


def test_private_names_stay_in_their_module():
    """A name with a leading underscore is imported only within its own top-level module or package."""
    new = PRIVATE - KNOWN_PRIVATE
    assert not new, f"private names imported across modules: {sorted(new)}"
    gone = KNOWN_PRIVATE - PRIVATE
    assert not gone, f"no longer imported: delete them from KNOWN_PRIVATE: {sorted(gone)}"


def test_function_level_imports_of_the_package_only_in_facades():
    """Below the façades a module imports the package's modules at the top, where its dependencies show."""
    lazy = {(a, b) for a, b in LAZY if _layer(a) != FACADE}
    new = lazy - KNOWN_LAZY
    assert not new, f"function-level imports of package modules outside the façades: {sorted(new)}"
    gone = KNOWN_LAZY - lazy
    assert not gone, f"no longer function-level: delete them from KNOWN_LAZY: {sorted(gone)}"


@pytest.mark.parametrize("layer", sorted(FORBIDDEN_TOP_LEVEL))
def test_lower_layers_do_not_import_heavy_dependencies_at_module_level(layer):
    bad = {m: sorted(THIRD_PARTY.get(m, set()) & FORBIDDEN_TOP_LEVEL[layer])
           for m in MODULES if _layer(m) == layer}
    bad = {m: deps for m, deps in bad.items() if deps}
    assert not bad, f"layer {layer} imports {bad} at module level (slows a worker's cold start)"


def test_the_walk_sees_both_kinds_of_import():
    assert ("problem", "data") in TOP
    assert any(_layer(a) == FACADE for a, _ in LAZY)        # the command line imports a command's code when it runs


@pytest.mark.parametrize("module", ["io", "_stata", "_plotting", "_text"])
def test_formats_and_drawing_primitives_know_no_result_type(module):
    """io writes any result through its ``export()``; _plotting draws what a result hands it: neither imports a
    result module or an analysis (the old results <-> io <-> plots circle cannot come back)."""
    imported = {b for a, b in TOP | LAZY if a == module}
    above = sorted(b for b in imported if b.split(".")[0] == "results" or _layer(b) > LAYERS["io"])
    assert not [b for b in above if b != "__init__"], f"frontier.{module} imports {above}"


def test_a_first_efficiency_call_does_not_import_scipy_special():
    """scipy.special (0.18 s, most of it numpy.f2py through scipy's array-API layer) was imported by the second
    stage's table for every first call of any analysis; it is now imported where a p-value is computed."""
    import subprocess
    import sys

    code = ("import sys, frontier as fr; from frontier.datasets import synthetic_firms; "
            "fr.efficiency(synthetic_firms(20), inputs=['K', 'L'], outputs=['Y']); "
            "print('scipy.special' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_a_first_efficiency_call_imports_only_its_own_result_types():
    """The results package imports each result type on first use (PEP 562), so a first ``fr.efficiency`` imports
    the efficiency result's modules, not the other analyses' (importing all twenty cost about 20 ms of each cold
    call); ``from frontier.results import X`` still gives every public type."""
    import subprocess
    import sys

    code = ("import sys, frontier as fr; from frontier.datasets import synthetic_firms; "
            "fr.efficiency(synthetic_firms(20), inputs=['K', 'L'], outputs=['Y']); "
            "print(sorted(m for m in sys.modules if m.startswith('frontier.results.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(eval(out.stdout.strip().splitlines()[-1]))
    assert "frontier.results.efficiency" in loaded
    assert not loaded & {"frontier.results.bootstrap", "frontier.results.productivity", "frontier.results.zsg",
                         "frontier.results.malmquist_bootstrap", "frontier.results.second_stage"}
    from frontier import results
    assert all(getattr(results, name).__module__.startswith("frontier.results.") for name in results.__all__)
