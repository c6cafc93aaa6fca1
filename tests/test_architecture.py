"""The package's shape, read from its imports: layers import only downward, no cycles, few loose modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "builders"
MAX_LOOSE = 6
# What each layer may import; the loose modules (the command line) are the layer "cli".
ALLOWED = {
    "cli": {"cli", "build", "checks", "formats", "theming", "reading", "core"},
    "build": {"build", "formats", "theming", "reading", "core"},
    "checks": {"checks", "formats", "theming", "reading", "core"},
    "formats": {"formats", "theming", "reading", "core"},
    "theming": {"theming", "reading", "core"},
    "reading": {"reading", "core"},
    "core": {"core"},
}
FORMATS = {"pdf", "deck", "epub"}


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str], root: Path = PACKAGE) -> set[str]:
    """The package's modules `path` imports, wherever the import stands (in functions and
    `if TYPE_CHECKING:` too: a cycle in the types is a cycle in the design)."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
            # `from package import module` imports the module; `from module import name`, the module.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `import a.b.c` of a name inside a module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    files = sorted(root.rglob("*.py"))
    modules = {module_name(f, root) for f in files}
    return {module_name(f, root): imports_of(f, modules, root) for f in files}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else "cli"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return [f"{a} ({layer(a)}) imports {b} ({layer(b)})" for a, targets in sorted(graph.items())
            for b in sorted(targets) if b != "builders" and layer(b) not in ALLOWED[layer(a)]]


def cross_format_imports(graph: dict[str, set[str]]) -> list[str]:
    def fmt(module: str) -> str | None:
        parts = module.split(".")
        return parts[2] if len(parts) > 2 and parts[1] == "formats" and parts[2] in FORMATS else None

    return [f"{a} imports {b}" for a, targets in sorted(graph.items()) for b in sorted(targets)
            if fmt(a) and fmt(b) and fmt(a) != fmt(b)]


def loose_modules(root: Path = PACKAGE) -> list[str]:
    return sorted(p.name for p in root.glob("*.py") if p.name != "__init__.py")


def test_the_package_has_no_import_cycles():
    assert cycles(import_graph()) == []


def test_each_layer_imports_only_downward():
    assert upward_imports(import_graph()) == []


def test_no_format_imports_another():
    assert cross_format_imports(import_graph()) == []


def test_at_most_six_modules_lie_loose_in_the_package():
    assert len(loose_modules()) <= MAX_LOOSE, loose_modules()


def test_every_folder_with_code_is_a_package_that_ships():
    missing = [str(d.relative_to(PACKAGE)) for d in PACKAGE.rglob("*") if d.is_dir() and d.name != "__pycache__"
               and any(d.glob("*.py")) and not (d / "__init__.py").exists()]
    assert missing == []


# The checks above must be able to fail: a small package with each fault, written here.
BAD = {
    "__init__.py": "",
    "cli.py": "from .build import pipeline\n",
    "core/__init__.py": "",
    "core/model.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..reading import blocks\n",
    "reading/__init__.py": "",
    "reading/blocks.py": "from ..core import model\n",
    "build/__init__.py": "",
    "build/pipeline.py": "from .. import cli\n",
    "formats/__init__.py": "",
    "formats/pdf/__init__.py": "",
    "formats/pdf/build.py": "from ..epub.pagelist import insert_markers\n",
    "formats/epub/__init__.py": "",
    "formats/epub/pagelist.py": "def insert_markers(): ...\n",
    **{f"loose{n}.py": "" for n in range(6)},
}


@pytest.fixture
def bad_package(tmp_path: Path) -> Path:
    root = tmp_path / "builders"
    for relative, text in BAD.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def test_the_checks_find_a_cycle_an_upward_import_a_cross_format_import_and_too_many_loose_modules(bad_package):
    graph = import_graph(bad_package)
    assert cycles(graph) == [["builders.build.pipeline", "builders.cli"], ["builders.core.model", "builders.reading.blocks"]]
    assert upward_imports(graph) == ["builders.build.pipeline (build) imports builders.cli (cli)",
                                     "builders.core.model (core) imports builders.reading.blocks (reading)"]
    assert cross_format_imports(graph) == ["builders.formats.pdf.build imports builders.formats.epub.pagelist"]
    assert len(loose_modules(bad_package)) == 7 > MAX_LOOSE
