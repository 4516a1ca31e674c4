"""A package manager's scripts (``package.json`` ``scripts``): what ``npm run NAME``,
``yarn NAME`` or ``npm start`` runs, read once a run per build context."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from socklock.discover.once import per_run

PACKAGE_MANAGERS = frozenset({"yarn", "npm", "pnpm", "bun"})
# subcommands of the manager itself, not a script of the package
MANAGER_BUILTINS = frozenset({"install", "add", "ci", "i", "remove", "upgrade", "outdated"})


def script_name(arguments: list[str]) -> str | None:
    """The script ``npm run NAME`` / ``yarn NAME`` / ``npm start`` names (the words after
    the manager), or None for a builtin of the manager."""
    names = [a for a in arguments if not a.startswith("-")]
    if names[:1] in (["run"], ["run-script"]):
        names = names[1:]
    if not names or names[0] in MANAGER_BUILTINS:
        return None
    return names[0]


def package_script(context: Path, name: str) -> tuple[Path, str] | None:
    """(the folder of its package.json, the text) of the ``scripts`` entry ``name`` of the
    package.json at the context's root, else of the one package.json directly below it
    that has it (``api/package.json`` of a root build context)."""
    found: list[tuple[Path, str]] = []
    for folder, scripts in _package_scripts(context):
        if name in scripts:
            if folder == context:
                return folder, scripts[name]
            found.append((folder, scripts[name]))
    return found[0] if len(found) == 1 else None


@per_run
def _package_scripts(context: Path) -> tuple[tuple[Path, Mapping[str, str]], ...]:
    """(folder, its package.json's text scripts) of the context's root and the folders
    directly below it: read once a run (a script that runs others asks again)."""
    found: list[tuple[Path, Mapping[str, str]]] = []
    for path in (context / "package.json", *sorted(context.glob("*/package.json"))):
        try:
            scripts = json.loads(path.read_text(encoding="utf-8")).get("scripts")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(scripts, dict):
            text = {k: v for k, v in scripts.items() if isinstance(v, str)}
            found.append((path.parent, MappingProxyType(text)))
    return tuple(found)
