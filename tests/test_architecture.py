"""The shape of the code, checked: no module over 500 lines and no import cycle at module level
(a service importing its task inside a function is allowed). The layers between apps and the
independence of voice and SMS are checked by import-linter (``lint-imports``, in CI)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("concierge", "ambassadors", "calls")
MAX_LINES = 500


def app_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def top_level_imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of ours imported when this one is imported (not inside functions)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.If):  # e.g. ``if TYPE_CHECKING:`` imports never run
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from pkg import mod`` depends on the module; ``from pkg import name`` on pkg.
            submodules = [f"{base}.{alias.name}" for alias in node.names]
            targets = [m for m in submodules if m in known]
            if len(targets) < len(submodules):
                targets.append(base)
        for target in targets:
            if target in known and target != name:
                found.add(target)
    return found


def test_no_module_is_over_500_lines():
    long = {
        name: count
        for name, path in app_modules().items()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_import_cycle_at_module_level():
    modules = app_modules()
    graph = {name: top_level_imports(name, path, set(modules)) for name, path in modules.items()}
    # A package imports what its __init__ imports, and importing ``a.b`` runs ``a`` first.
    cycles = []
    for start in graph:
        stack: list[tuple[str, tuple[str, ...]]] = [(start, (start,))]
        seen = set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" -> ".join((*trail, start)))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, (*trail, nxt)))
    assert cycles == []


def test_the_cycle_check_sees_a_cycle(tmp_path):
    """The check above can fail: two modules importing each other are found."""
    (tmp_path / "a.py").write_text("from pkg import b\n")
    (tmp_path / "b.py").write_text("from pkg import a\n")
    (tmp_path / "c.py").write_text("from pkg import b\nfrom pkg.b import thing\n")
    known = {"pkg", "pkg.a", "pkg.b", "pkg.c"}
    assert top_level_imports("pkg.a", tmp_path / "a.py", known) == {"pkg.b"}
    assert top_level_imports("pkg.b", tmp_path / "b.py", known) == {"pkg.a"}
    assert top_level_imports("pkg.c", tmp_path / "c.py", known) == {"pkg.b"}
