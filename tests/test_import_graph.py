"""The project's import graph: arrows only downwards, no cycles.

Read from the source with :mod:`ast` (nothing is imported), over ``model/`` and ``experiments/``,
counting every import, also those inside functions. The layers, from the top:

1. the commands, ``experiments/<command>.py`` (and the packages' ``__main__``);
2. ``experiments/presentation`` (charts, the report, stories, translations): reads tables;
3. ``experiments/evidence`` (targets, calibration, validation, patterns, effects, sensitivity);
4. ``experiments/runs`` (jobs, run folders, the cache, aggregation, summaries);
5. ``model``.

A module may import from its own layer or a lower one, never a higher one; ``model`` imports
nothing from ``experiments``; and no chain of imports leads from a module back to itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("model", "experiments")
LAYERS = ("experiments", "experiments.presentation", "experiments.evidence", "experiments.runs", "model")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for p in (ROOT / pkg).rglob("*.py"):
            if "__pycache__" not in p.parts:
                out[module_name(p)] = p
    return out


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports (``from a import b`` counts ``a.b`` if it is a module)."""
    is_pkg = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_pkg else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join(here + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for t in targets:
            while t and t not in known:  # a name inside a module: the module
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    g = {}
    for name, path in mods.items():
        # importing a.b.c runs a/__init__ and a/b/__init__ too, but those are not arrows this
        # module draws; only what it names
        g[name] = {t for t in imports(name, path, known) if not name.startswith(t + ".")}
    return g


def layer(name: str) -> int:
    """Index in LAYERS of the most specific layer holding ``name``."""
    best = -1
    for i, prefix in enumerate(LAYERS):
        if name == prefix or name.startswith(prefix + "."):
            if best < 0 or len(prefix) > len(LAYERS[best]):
                best = i
    return best


def test_model_imports_nothing_from_experiments():
    bad = sorted(f"{a} -> {b}" for a, bs in graph().items() if a.startswith("model")
                 for b in bs if b.startswith("experiments"))
    assert not bad, bad


def test_arrows_only_downwards():
    bad = sorted(f"{a} -> {b}" for a, bs in graph().items() for b in bs
                 if layer(b) < layer(a))
    assert not bad, "imports from a higher layer:\n" + "\n".join(bad)


def test_concerns_do_not_import_commands():
    g = graph()
    commands = {n for n in g if layer(n) == 0 and n != "experiments"}
    bad = sorted(f"{a} -> {b}" for a, bs in g.items() if layer(a) > 0 for b in bs if b in commands)
    assert not bad, bad


def test_no_cycles():
    g = graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(g.get(n, ())):
            if state.get(m) == 1:
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(g):
        if n not in state:
            visit(n)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_graph_is_read():
    """The checks above see the project (a guard against an empty graph passing them)."""
    g = graph()
    assert "experiments.compare" in g and "model.model" in g
    assert "model.outcomes" in g["model.model"]
