"""The package's layout holds: no import circle between its modules, and every module's tests are found by its
name (backend/gradflow/<dir>/<name>.py -> tests/<dir>/test_<name>.py)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "backend" / "gradflow"
TESTS = Path(__file__).resolve().parent
NO_TEST_FILE = {"__init__", "__main__"}
"""Entry points and package markers: tested through what they expose (the CLI's and the API's tests)."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path) -> set[str]:
    """The gradflow modules `path` imports at module level, including those under `if TYPE_CHECKING:` (a circle
    that only type checkers walk is still two modules that cannot be read apart). Imports inside functions are
    left out: they are deferred on purpose, to keep `import gradflow` light."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    body = list(tree.body)
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            body += node.body
    for node in body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            target = ".".join(filter(None, [base, node.module or ""]))
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("gradflow")}


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py") if "page" not in p.parts}
    edges = {}
    for name, path in modules.items():
        edges[name] = {m for m in top_level_imports(path) if m in modules and m != name}
    return edges


def test_no_module_imports_itself_back():
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                # importing a package runs its __init__, which is allowed to import its own modules
                cycle = stack[stack.index(nxt) :] + [nxt]
                if not all(cycle[i + 1].startswith(cycle[i] + ".") for i in range(len(cycle) - 1)):
                    raise AssertionError("import circle: " + " -> ".join(cycle))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)


def test_the_core_imports_nothing_outside_it():
    for name, imported in graph().items():
        if name.startswith("gradflow.core"):
            assert {m for m in imported if not m.startswith("gradflow.core")} == set(), name


def test_every_module_has_a_test_file_of_its_own():
    missing = []
    for path in PACKAGE.rglob("*.py"):
        if path.stem in NO_TEST_FILE or "page" in path.relative_to(PACKAGE).parts:
            continue
        relative = path.relative_to(PACKAGE)
        expected = TESTS / relative.parent / f"test_{path.stem}.py"
        if not expected.exists():
            missing.append(str(expected.relative_to(TESTS.parent)))
    assert missing == [], "modules without a test file of their own"
