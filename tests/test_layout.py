"""The package's shape: no import cycles and no private name imported across modules.

Both were there before (report.export <-> report.index_page, synth.conversation <->
synth.plan); an import inside a function counts too, since it is a cycle all the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

import sabkit

ROOT = Path(sabkit.__file__).parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(name: str, path: Path, known: dict) -> list[tuple[str, str]]:
    """(module imported, name imported or "") for every import of sabkit in the module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, "") for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            found += [(f"{base}.{a.name}", "") if f"{base}.{a.name}" in known
                      else (base, a.name) for a in node.names]
    return [(m, n) for m, n in found if m.split(".")[0] == "sabkit"]


def _graph() -> dict[str, set[str]]:
    known = _modules()
    graph = {}
    for name, path in known.items():
        graph[name] = set()
        for module, _ in _imports(name, path, known):
            while module not in known:
                module = module.rpartition(".")[0]
            if module != name:
                graph[name].add(module)
    return graph


def _cycle_through(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A path start -> ... -> start, or None."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in graph[node]:
            if nxt == start:
                return path + [start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def test_no_import_cycles():
    graph = _graph()
    cycles = [c for c in (_cycle_through(graph, m) for m in sorted(graph)) if c]
    assert cycles == []


def test_no_private_name_imported_from_another_module():
    known = _modules()
    private = [(name, module, imported) for name, path in known.items()
               for module, imported in _imports(name, path, known)
               if imported.startswith("_") and not imported.startswith("__")]
    assert private == []


def test_the_cycle_check_sees_a_cycle():
    """The check itself, on a made-up graph: a and b import each other, c only imports a."""
    graph = {"sabkit.a": {"sabkit.b"}, "sabkit.b": {"sabkit.a"}, "sabkit.c": {"sabkit.a"}}
    assert _cycle_through(graph, "sabkit.a") == ["sabkit.a", "sabkit.b", "sabkit.a"]
    assert _cycle_through(graph, "sabkit.c") is None
