"""Who may import whom (DESIGN.md): one-way, checked on the source, not on faith."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "src" / "socklock"
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "errors": {"model"},
    "files": {"errors"},
    "gcpause": set(),
    "load": {"model", "errors", "files", "gcpause"},
    "schemas": {"model", "errors"},
    "discover": {"load", "model", "errors", "files"},
    "policy": {"model", "load", "errors", "schemas", "files"},
    "harden": {"model", "policy", "load", "errors", "schemas", "files", "gcpause"},
    "lab": {"policy", "model", "load", "errors"},
    "flows": {"model", "errors", "policy", "schemas"},
    "report": {"model", "schemas", "errors", "policy", "harden", "discover"},
    "intent": {"model", "errors", "load", "discover", "schemas"},
    "rollout": {"model", "errors", "policy", "lab", "flows"},
}

LEAVES = ("errors", "files", "gcpause")  # modules, not packages


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("socklock."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("socklock."):
                    found.add(alias.name.split(".")[1])
    return found


def test_packages_import_only_downstream() -> None:
    problems = []
    for package, allowed in ALLOWED.items():
        files = (
            [PACKAGE / f"{package}.py"] if package in LEAVES else (PACKAGE / package).rglob("*.py")
        )
        for path in files:
            for imported in _imports(path) - allowed - {package}:
                problems.append(f"{path.relative_to(REPO)} imports socklock.{imported}")
    assert problems == []


def test_nothing_imports_the_cli() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for path in PACKAGE.rglob("*.py")
        if "_cli" not in path.parts and path.name != "__main__.py" and "_cli" in _imports(path)
    ]
    assert offenders == []
