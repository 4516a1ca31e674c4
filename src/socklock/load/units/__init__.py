"""Find the services the code itself declares: build units, one finder per ecosystem.

Every finder reads one shared listing of the tree and returns :class:`BuildUnit` values; this
module settles which finder owns a directory (the first, in ``FINDERS`` order), adds a unit
for a Dockerfile no finder claimed, gives each unit a name no other unit has, and attaches the
config-server files (``shared/<service>.yml``, ``<service>-<profile>.yml``) named after a unit.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from socklock.load.units import (
    aspire,
    cargo,
    cmake,
    dotnet,
    golang,
    gradle,
    maven,
    mix,
    npm,
    procfile,
    python,
    sbt,
    taskfile,
)
from socklock.load.units.docker import has_dockerfile
from socklock.load.units.names import normal, port_of
from socklock.load.units.spring import settings
from socklock.load.units.tree import Tree, list_tree
from socklock.load.units.unit import make_unit
from socklock.model import BuildUnit, Diagnostic

__all__ = ["find_units"]

Finder = Callable[[Tree, list[Diagnostic]], list[BuildUnit]]
FINDERS: tuple[Finder, ...] = (
    maven.find,
    gradle.find,
    sbt.find,
    dotnet.find,
    golang.find,
    npm.find,
    python.find,
    cargo.find,
    cmake.find,
    mix.find,
)
CONFIG_REPO_DIRS = frozenset(
    {"shared", "config-repo", "configs", "config", "configurations", "config-server"}
)
_GENERIC_DIRS = frozenset({"src", "app", "docker", "server", "service", "deploy", "build"})
_CONFIG_SUFFIXES = (".yml", ".yaml", ".properties")


def find_units(roots: Sequence[str]) -> tuple[list[BuildUnit], list[Diagnostic]]:
    """The build units under ``roots`` (directories; files are ignored) and any warnings."""
    tree = list_tree(list(roots))
    diagnostics: list[Diagnostic] = []
    units: list[BuildUnit] = []
    claimed: set[str] = set()
    for finder in FINDERS:
        for unit in finder(tree, diagnostics):
            if unit.directory not in claimed:
                claimed.add(unit.directory or "")
                units.append(unit)
    units.extend(_dockerfile_units(tree, units))
    units = _unique_names(units)
    units = _with_config_server_files(tree, units)
    units.extend(aspire.find(tree, diagnostics))
    units.extend(procfile.find(tree))
    units.extend(taskfile.find(tree))
    return units, diagnostics


def _dockerfile_units(tree: Tree, units: list[BuildUnit]) -> list[BuildUnit]:
    """A directory with a Dockerfile that no finder claimed builds a service of its own,
    unless it is inside a unit (``src/main/docker``) or holds units below it (a root
    Dockerfile of a monorepo builds one of those)."""
    homes = {Path(s) for u in units for s in u.sources}
    # a home is inside a directory when the directory is the home or one of its parents:
    # set lookups instead of comparing every Dockerfile's folder with every home
    holding = {folder for home in homes for folder in (home, *home.parents)}
    found: list[BuildUnit] = []
    for directory in tree.files:
        if not has_dockerfile(tree, directory):
            continue
        if directory in holding or any(
            folder in homes for folder in (directory, *directory.parents)
        ):
            continue  # a home holds it, or it holds a home
        name = directory.name
        if name.lower() in _GENERIC_DIRS and directory not in tree.roots:
            name = directory.parent.name
            if directory.parent in holding:
                continue  # ``docker/Dockerfile`` beside the modules builds each of them
        dockerfile = next(
            directory / n for n in tree.files[directory] if "ockerfile" in n or "ontainerfile" in n
        )
        home = directory
        if (
            directory not in tree.roots
            and directory.parent not in holding
            and _built_from_parent(dockerfile)
        ):
            home = directory.parent  # ``docker/Dockerfile`` run with the repository as context
        found.append(make_unit("dockerfile", home, name, dockerfile, tree))
    return found


_COPY = re.compile(r"^\s*(?:COPY|ADD)\s+(.*)$", re.IGNORECASE | re.MULTILINE)


def _built_from_parent(dockerfile: Path) -> bool:
    """Whether the Dockerfile's context is the directory above its own: it copies files by
    a path through its own folder (``COPY ./docker/entrypoint.sh /``) or above it
    (``COPY ../Gemfile ./``), as a build run with ``-f docker/Dockerfile .`` does."""
    try:
        text = dockerfile.read_text(encoding="utf-8", errors="replace")[:_DOCKERFILE_BYTES]
    except OSError:
        return False
    folder = dockerfile.parent.name
    for match in _COPY.finditer(text):
        words = [w for w in match.group(1).split() if not w.startswith("--")]
        for source in words[:-1]:  # the last word is the destination
            path = source.strip('"[],').removeprefix("./")
            if path.startswith(("../", f"{folder}/")):
                return True
    return False


_DOCKERFILE_BYTES = 256 * 1024


def _unique_names(units: list[BuildUnit]) -> list[BuildUnit]:
    """Units with one name (a package copied with its ``name``, a book's chapters) are named
    by their directories: the folder when that tells them apart, else the path from the
    directory they share (``chapter08-metadata``). The name they share stays one of their
    names, so each can still match the workload of that name. One program's build among
    Dockerfiles of its name (``db/orders/Dockerfile``, its database's image) keeps it."""
    groups: dict[str, list[BuildUnit]] = {}
    for unit in units:
        groups.setdefault(unit.name, []).append(unit)
    renamed: dict[int, BuildUnit] = {}
    for name, group in groups.items():
        if len(group) < 2 or any(not u.directory for u in group):
            continue
        paths = [Path(u.directory or "") for u in group]
        folders = [normal(p.stem if p.suffix else p.name) for p in paths]
        if len(set(folders)) == len(folders) and name not in folders:
            new = folders
        else:
            common = Path(os.path.commonpath([str(p) for p in paths]))
            new = [normal("-".join(p.relative_to(common).parts)) or name for p in paths]
        builds = [u for u in group if u.kind != "dockerfile"]
        if len(builds) == 1 and name not in new:
            # one program's build among Dockerfiles of that name (``db/orders/Dockerfile``,
            # the database image built for it): the program keeps the name
            new[group.index(builds[0])] = name
        for unit, fresh in zip(group, new, strict=True):
            names = tuple(sorted({*unit.names, fresh}))
            renamed[id(unit)] = dataclasses.replace(unit, name=fresh, names=names)
    return [renamed.get(id(u), u) for u in units]


def _with_config_server_files(tree: Tree, units: list[BuildUnit]) -> list[BuildUnit]:
    """Spring Cloud Config repositories: ``<service>[-<profile>].yml`` configures that service
    (its ``server.port`` wins over the service's own, as the config server's values do), and
    the repository's ``application[-<profile>].yml`` configures every service it has a file for."""
    by_name = {n: u for u in units for n in u.names}
    names = sorted(by_name, key=len, reverse=True)
    files: dict[str, list[Path]] = {}
    for directory, listing in tree.files.items():
        if directory.name.lower() not in CONFIG_REPO_DIRS:
            continue
        common: list[Path] = []
        clients: set[str] = set()
        for file in listing:
            path = directory / file
            stem, suffix = Path(file).stem, Path(file).suffix
            if suffix not in _CONFIG_SUFFIXES or not _is_app_config(path):
                continue
            if stem.startswith(("application", "bootstrap")):
                common.append(path)
                continue
            owner = next(
                (n for n in names if normal(stem) == n or normal(stem).startswith(n + "-")), None
            )
            unit = by_name.get(owner or "")
            if unit is not None and unit.directory and not _inside(path, unit.directory):
                files.setdefault(unit.name, []).append(path)
                clients.add(unit.name)
        for client in clients:
            files[client].extend(p for p in common if not _inside(p, by_name[client].directory))
    result: list[BuildUnit] = []
    for unit in units:
        mine = files.get(unit.name, [])
        if mine:
            ports = [
                p
                for f in mine
                if not f.stem.startswith("application")
                for k, v in settings(f)
                if k == "server.port" and (p := port_of(v))
            ]
            unit = dataclasses.replace(
                unit,
                config_files=tuple(str(p) for p in mine),
                ports=tuple(dict.fromkeys([*ports, *unit.ports])),
            )
        result.append(unit)
    return result


def _inside(path: Path, directory: str | None) -> bool:
    return directory is not None and path.resolve().is_relative_to(Path(directory).resolve())


def _is_app_config(path: Path) -> bool:
    """Not a Kubernetes manifest or compose file that happens to be named after a service."""
    keys = {key.split(".", 1)[0] for key, _ in settings(path)}
    return not ({"apiVersion", "kind"} <= keys or "services" in keys)
