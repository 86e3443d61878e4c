"""The house rule: imports run one way, terminal -> API -> stages -> foundation.

Every import in src/ counts, lazy ones inside functions included (they are how an
upward dependency usually sneaks in). ARCHITECTURE.md draws the same picture.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "replycoach"

# What each part may import besides itself. A part missing from a list is above it, or a peer.
ALLOWED: dict[str, set[str]] = {
    "__main__": {"terminal"},
    "__init__": {"api", "foundation"},
    "terminal": {"api", "batch", "reply", "checking", "playbook", "record", "reading", "message", "foundation"},
    "api": {"reply", "checking", "playbook", "record", "reading", "message", "foundation"},
    "batch": {"reply", "checking", "playbook", "record", "reading", "message", "foundation"},
    "reply": {"checking", "playbook", "record", "reading", "message", "foundation"},
    "checking": {"reading", "message", "foundation"},
    "playbook": {"reading", "message", "foundation"},
    "record": {"foundation"},
    "reading": {"message", "foundation"},
    "message": {"foundation"},
    "foundation": set(),
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, module: str | None = None) -> set[str]:
    """Every replycoach module ``path`` imports, at any depth of its code."""
    module = module or _module(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "replycoach")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "replycoach":
                continue
            # ``from replycoach.x import y`` may name a module y: count it as one when it is.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _exists(candidate) else target)
    return found


def _exists(module: str) -> bool:
    rel = Path(*module.split(".")[1:])
    return (SRC / rel).with_suffix(".py").is_file() or (SRC / rel / "__init__.py").is_file()


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


GRAPH = {_module(p): _imports(p) for p in sorted(SRC.rglob("*.py"))}


def test_every_part_is_placed_in_the_layers() -> None:
    assert {_part(m) for m in GRAPH} <= set(ALLOWED)


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_run_one_way(module: str) -> None:
    part = _part(module)
    upward = sorted(t for t in GRAPH[module] if _part(t) != part and _part(t) not in ALLOWED[part])
    assert upward == [], f"{module} imports from a higher or peer layer: {upward}"


def test_no_import_circle() -> None:
    """No module reaches itself through its imports (a package counts as its __init__)."""
    graph = {m: {t for t in ts if t in GRAPH and t != m} for m, ts in GRAPH.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    # Known and left for the house issue's next step: the message package's facade imports
    # its MIME reader lazily, and the reader takes Message from the facade.
    assert circles == []


def test_a_lazy_upward_import_is_caught(tmp_path: Path) -> None:
    """The rule can fail: a foundation module importing the terminal inside a function."""
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from ..terminal import app\n    from replycoach import api\n", encoding="utf-8")
    found = _imports(probe, "replycoach.foundation.probe")
    assert found == {"replycoach.terminal.app", "replycoach.api"}
    assert {_part(m) for m in found} - ALLOWED["foundation"] == {"terminal", "api"}
