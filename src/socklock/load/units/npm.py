"""npm packages that run a server: a ``start`` script that starts one (``node``, ``nodemon``,
``ts-node``, ``pm2``, ``next start``, ``nest start``, ...), a ``main`` file that listens, or a
Dockerfile beside ``package.json``.

Not units: libraries (no start, a ``main`` that does not listen), a workspace root that only
lists its packages, and front-end projects whose ``start`` is a development server
(``react-scripts``, ``ng serve``, ``vite``, ``webpack serve``, ...): in production they are
static files behind another server, so they call nothing themselves. Identity: the package
name without its scope.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from socklock.load.units.docker import has_dockerfile
from socklock.load.units.names import port_of
from socklock.load.units.tree import Tree, read
from socklock.load.units.unit import make_unit
from socklock.model import BuildUnit, Diagnostic

_DEV_SERVERS = frozenset(
    {
        "react-scripts",
        "ng",
        "vite",
        "webpack",
        "webpack-dev-server",
        "parcel",
        "gatsby",
        "expo",
        "vue-cli-service",
        "ember",
        "react-native",
        "storybook",
        "start-storybook",
        "electron",
        "craco",
        "umi",
        "astro",
        "svelte-kit",
        "tsc",
        "echo",
        "concurrently",
        "lerna",
        "turbo",
        "nx",
        "run-p",
        "run-s",
        "npm-run-all",
    }
)
_RUNNERS = frozenset({"npm", "yarn", "pnpm", "npx", "cross-env", "env", "dotenv"})
_LISTEN = re.compile(r"\.listen\s*\(|createServer\s*\(|\bfastify\s*\(|new\s+Koa\s*\(")
# ``listen(4001)``, ``PORT || 4001``, and an options object: ``listen({ port: 4001 })``
_PORT = re.compile(
    r"(?:process\.env\.PORT\s*(?:\|\||\?\?)\s*|\.listen\s*\(\s*"
    r"(?:\{[^{}]*?\bport\s*:\s*)?)(\d{2,5})\b"
)


def find(tree: Tree, diagnostics: list[Diagnostic]) -> list[BuildUnit]:
    units: list[BuildUnit] = []
    packages = _packages(tree)
    for directory, package in packages.items():
        scripts = package.get("scripts") if isinstance(package.get("scripts"), dict) else {}
        assert isinstance(scripts, dict)
        entry = _entry_file(directory, package, scripts)
        server = _starts_server(scripts) or (entry is not None and _listens(entry))
        if "workspaces" in package and not has_dockerfile(tree, directory):
            continue  # a workspace root: its packages are the units
        if not server and not has_dockerfile(tree, directory):
            continue
        name = str(package.get("name") or directory.name).rsplit("/", 1)[-1]
        ports: tuple[int, ...] = ()
        if entry is not None:
            found = _PORT.search(read(entry) or "")
            port = port_of(found.group(1)) if found else None
            ports = (port,) if port else ()
        libraries = _workspace_libraries(directory, packages)
        units.append(
            make_unit(
                "npm",
                directory,
                name,
                directory / "package.json",
                tree,
                ports=ports,
                sources=libraries,
            )
        )
    return units


def _packages(tree: Tree) -> dict[Path, dict[str, object]]:
    """Every readable ``package.json`` of the tree, by directory."""
    found: dict[Path, dict[str, object]] = {}
    for directory, files in tree.files.items():
        if "package.json" not in files:
            continue
        try:
            package = json.loads(read(directory / "package.json") or "")
        except ValueError:
            continue
        if isinstance(package, dict):
            found[directory] = package
    return found


def _workspace_libraries(
    directory: Path, packages: dict[Path, dict[str, object]]
) -> tuple[Path, ...]:
    """The directories of the packages of the same tree that the package at ``directory``
    depends on, directly or through each other (a monorepo's ``libs/``, linked by
    ``workspace:*`` or a version): their code runs in its process. Development
    dependencies do not."""
    by_name = {
        str(p["name"]): d
        for d, p in packages.items()
        if isinstance(p.get("name"), str) and "workspaces" not in p
    }
    found: list[Path] = []
    pending = [directory]
    while pending:
        current = pending.pop(0)
        dependencies = packages.get(current, {}).get("dependencies")
        if not isinstance(dependencies, dict):
            continue
        for name in dependencies:
            library = by_name.get(str(name))
            if library is None or library == directory or library in found:
                continue
            if directory.is_relative_to(library):
                continue  # a package above the unit: its own tree, not a library
            found.append(library)
            pending.append(library)
    return tuple(found)


def _command_words(scripts: dict[str, object], script: str, depth: int = 0) -> list[str]:
    """The first program a script runs, following ``npm run x`` one level at a time."""
    line = scripts.get(script)
    if not isinstance(line, str) or depth > 3:
        return []
    words = [w for w in re.split(r"\s+", line.split("&&")[-1].strip()) if w and "=" not in w]
    while words and words[0] in _RUNNERS:
        if words[0] in ("npm", "yarn", "pnpm") and len(words) > 1:
            rest = words[2:] if words[1] == "run" else words[1:]
            if rest and rest[0] in scripts and rest[0] != script:
                return _command_words(scripts, rest[0], depth + 1)
        words = words[1:]
    return words


def _starts_server(scripts: dict[str, object]) -> bool:
    words = _command_words(scripts, "start")
    if not words:
        return False
    program = words[0].rsplit("/", 1)[-1]
    if program in _DEV_SERVERS:
        return False
    if program in ("next", "nuxt", "nest", "remix-serve", "react-router-serve"):
        return "start" in words[1:] or program in ("remix-serve", "react-router-serve")
    return True


def _entry_file(
    directory: Path, package: dict[str, object], scripts: dict[str, object]
) -> Path | None:
    """The file ``main`` or the start script names, when it is in the package."""
    candidates: list[str] = []
    if isinstance(package.get("main"), str):
        candidates.append(str(package["main"]))
    candidates.extend(w for w in _command_words(scripts, "start") if re.search(r"\.[cm]?[jt]s$", w))
    candidates.extend(
        ("server.js", "index.js", "app.js", "src/server.ts", "src/index.ts", "src/main.ts")
    )
    for candidate in candidates:
        path = directory / candidate
        if path.is_file():
            return path
    return None


def _listens(path: Path) -> bool:
    return bool(_LISTEN.search(read(path) or ""))
