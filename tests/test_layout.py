"""The package's layout keeps its promises: layers, no private reach-ins, no cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "canonym"
# Lowest first: a module may import its own package and the packages before it.
LAYERS = [
    "_version", "data", "io", "text", "names", "gazetteer", "match", "normalize",
    "translate", "corpus", "jobs", "report", "review", "serve", "integrations", "config", "cli",
]  # fmt: skip
# The Gazetteer facade answers resolve() and link() for its users: the one module
# of gazetteer/ that stands above match/.
ABOVE_ITS_LAYER = {"gazetteer/core.py": "match"}


def modules() -> list[Path]:
    return sorted(
        p for p in SRC.rglob("*.py") if p.parent != SRC or p.stem not in ("__init__", "__main__")
    )


def canonym_imports(path: Path, *, top_level_only: bool = False) -> list[ast.ImportFrom]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if top_level_only:
        # The module's own statements, and those of its top-level ifs (TYPE_CHECKING).
        nodes = [*tree.body, *(m for n in tree.body if isinstance(n, ast.If) for m in n.body)]
    else:
        nodes = list(ast.walk(tree))
    return [
        n
        for n in nodes
        if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("canonym.")
    ]


def layer_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_go_down_the_layers(path: Path) -> None:
    own = LAYERS.index(layer_of(path))
    allowed = ABOVE_ITS_LAYER.get(str(path.relative_to(SRC)))
    for node in canonym_imports(path):
        target = node.module.split(".")[1]  # type: ignore[union-attr]
        assert target in LAYERS, f"{node.module}: a package missing from LAYERS"
        if target == allowed:
            continue
        assert LAYERS.index(target) <= own, (
            f"{path.relative_to(SRC)}:{node.lineno} imports {node.module}, a higher layer"
        )


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_another_modules_private_names(path: Path) -> None:
    for node in canonym_imports(path):
        private = [a.name for a in node.names if a.name.startswith("_") and a.name != "__version__"]
        assert not private, f"{path.relative_to(SRC)}:{node.lineno} imports {private}"


def test_no_import_cycle_at_module_level() -> None:
    def name(p: Path) -> str:
        rel = p.relative_to(SRC.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        return ".".join(parts)

    paths = {name(p): p for p in SRC.rglob("*.py")}

    def targets(node: ast.ImportFrom) -> set[str]:
        # ``from canonym.report import html`` depends on the submodule, not on the package.
        subs = {f"{node.module}.{a.name}" for a in node.names} & paths.keys()
        return subs or ({node.module} & paths.keys())  # type: ignore[arg-type]

    graph = {
        mod: set().union(*(targets(n) for n in canonym_imports(p, top_level_only=True)))
        for mod, p in paths.items()
    }
    state: dict[str, int] = {}

    def visit(mod: str, trail: list[str]) -> None:
        state[mod] = 1
        for dep in sorted(graph[mod]):
            if state.get(dep) == 1:
                cycle = [*trail[trail.index(dep) :], dep] if dep in trail else [mod, dep]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep, [*trail, dep])
        state[mod] = 2

    for mod in sorted(graph):
        if mod not in state:
            visit(mod, [mod])


def _code_lines(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """A function's lines, less its docstring (a command's docstring is its --help page)."""
    total = (fn.end_lineno or fn.lineno) - fn.lineno + 1
    first = fn.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        if isinstance(first.value.value, str):
            total -= (first.end_lineno or first.lineno) - first.lineno + 1
    return total


@pytest.mark.parametrize("path", sorted((SRC / "cli").glob("*.py")), ids=lambda p: p.name)
def test_the_command_line_stays_thin(path: Path) -> None:
    # The CLI parses, calls the library and prints: a long command means logic to move down.
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 300, f"cli/{path.name} has {lines} lines"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            n = _code_lines(node)
            assert n <= 60, f"cli/{path.name}:{node.lineno} {node.name}() has {n} lines"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_is_a_second_package(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"{path.relative_to(SRC)} has {lines} lines: split it by concern"
