"""Cargo binaries: ``[[bin]]`` targets, ``src/main.rs`` and ``src/bin/*.rs``.

A package with one binary is one unit (its directory, named by the binary, answering to the
package name too). A package with several binaries (one image, the command picks one) gives
one unit per binary: its file and the modules it declares (``mod x;`` → ``x.rs`` or
``x/mod.rs``, transitively); the library they share (``src/lib.rs``) belongs to none, as a
Go module's shared packages do. The libraries of the crates a package depends on by path
(``common = { path = "crates/common" }``, transitively through the libraries that name
them) are built into each of its binaries: their code runs in each. A workspace root or a
library alone is no unit.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from socklock.load.units.tree import Tree, read
from socklock.load.units.unit import make_unit
from socklock.model import BuildUnit, Diagnostic

_MOD = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+([A-Za-z_][A-Za-z0-9_]*)\s*;", re.MULTILINE)
MAX_MODULES = 400


def find(tree: Tree, diagnostics: list[Diagnostic]) -> list[BuildUnit]:
    units: list[BuildUnit] = []
    for directory in sorted(tree.files):
        if not tree.has(directory, "Cargo.toml"):
            continue
        manifest = directory / "Cargo.toml"
        try:
            data = tomllib.loads(read(manifest) or "")
        except tomllib.TOMLDecodeError:
            continue
        package = data.get("package")
        if not isinstance(package, dict) or not isinstance(package.get("name"), str):
            continue
        bins = _binaries(directory, data, package, tree)
        crates = _path_crates(directory, data, tree)
        if len(bins) == 1:
            ((name, _),) = bins.items()
            names = (package["name"],)
            units.append(
                make_unit("cargo", directory, name, manifest, tree, names=names, sources=crates)
            )
            continue
        for name, path in bins.items():
            modules = _modules(path, tree)
            units.append(
                make_unit("cargo", path, name, manifest, tree, sources=(*modules, *crates))
            )
    return units


_DEPENDENCY_TABLES = ("dependencies", "build-dependencies")
MAX_CRATES = 50


def _path_crates(directory: Path, data: dict[str, object], tree: Tree) -> tuple[Path, ...]:
    """Sources of the crates a package depends on by path, transitively (a workspace's
    ``crates/common``), nearest first: each one's library (``src/lib.rs`` and the modules it
    declares), not its binaries, tests or examples, which are not built into the dependant.
    A crate that a dependency's library never names (``database::``) is a dependency of
    that crate's own binary only, so it is not followed. A crate whose library file is not
    found is taken whole."""
    found: dict[Path, None] = {}
    seen = {directory}
    queue: list[tuple[Path, dict[str, object], str | None]] = [(directory, data, None)]
    while queue and len(found) < MAX_CRATES:
        home, manifest, library = queue.pop(0)
        for table in _DEPENDENCY_TABLES:
            dependencies = manifest.get(table)
            items = dependencies.items() if isinstance(dependencies, dict) else ()
            for key, spec in items:
                path = spec.get("path") if isinstance(spec, dict) else None
                if not isinstance(path, str):
                    continue
                crate = Path(os.path.normpath(home / path))
                if crate in seen or not tree.has(crate, "Cargo.toml"):
                    continue
                if library is not None and not _names_crate(library, str(key)):
                    continue
                seen.add(crate)
                try:
                    crate_manifest = tomllib.loads(read(crate / "Cargo.toml") or "")
                except tomllib.TOMLDecodeError:
                    found[crate] = None
                    continue
                files = _library(crate, crate_manifest, tree)
                for source in files or (crate,):
                    found[source] = None
                text = "\n".join(read(f) or "" for f in files) if files else None
                queue.append((crate, crate_manifest, text))
    return tuple(found)


def _library(crate: Path, data: dict[str, object], tree: Tree) -> tuple[Path, ...]:
    """The files of the crate's library target (``[lib] path``, else ``src/lib.rs``, and the
    modules it declares); empty when there is none to be found."""
    declared = data.get("lib")
    path = declared.get("path") if isinstance(declared, dict) else None
    root = crate / path if isinstance(path, str) else crate / "src" / "lib.rs"
    if not tree.has(root.parent, root.name):
        return ()
    return (root, *_modules(root, tree))


def _names_crate(text: str, key: str) -> bool:
    """Whether Rust code names the crate its manifest depends on as ``key`` (``my-db`` is
    ``my_db`` in code): a path (``my_db::``) or an ``extern crate``."""
    name = re.escape(key.replace("-", "_"))
    return re.search(rf"\b{name}\s*::|\bextern\s+crate\s+{name}\b", text) is not None


def _binaries(
    directory: Path, data: dict[str, object], package: dict[str, object], tree: Tree
) -> dict[str, Path]:
    """Binary name → its main file (declared ``[[bin]]`` first, then Cargo's defaults)."""
    found: dict[str, Path] = {}
    declared = data.get("bin")
    for entry in declared if isinstance(declared, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        name = entry["name"]
        path = entry.get("path")
        candidates = (
            [directory / path]
            if isinstance(path, str)
            else [
                directory / "src" / "bin" / f"{name}.rs",
                directory / "src" / "bin" / name / "main.rs",
            ]
        )
        if name == package["name"]:
            candidates.append(directory / "src" / "main.rs")
        file = next((c for c in candidates if tree.has(c.parent, c.name)), None)
        if file is not None:
            found[name] = file
    if package.get("autobins", True) is False:
        return found
    taken = set(found.values())
    main = directory / "src" / "main.rs"
    if tree.has(main.parent, main.name) and main not in taken:
        found.setdefault(str(package["name"]), main)
    bin_dir = directory / "src" / "bin"
    for name in tree.files.get(bin_dir, []):
        path = bin_dir / name
        if name.endswith(".rs") and path not in taken:
            found.setdefault(name.removesuffix(".rs"), path)
    for sub in tree.children(bin_dir):
        if tree.has(sub, "main.rs") and sub / "main.rs" not in taken:
            found.setdefault(sub.name, sub / "main.rs")
    return found


def _modules(path: Path, tree: Tree) -> tuple[Path, ...]:
    """Files of the modules ``path`` declares with ``mod x;``, transitively."""
    found: dict[Path, None] = {}
    queue = [path]
    while queue and len(found) < MAX_MODULES:
        current = queue.pop(0)
        roots = ("main.rs", "mod.rs", "lib.rs")  # their modules sit beside them
        home = current.parent if current.name in roots else current.parent / current.stem
        for name in _MOD.findall(read(current) or ""):
            for candidate in (home / f"{name}.rs", home / name / "mod.rs"):
                if tree.has(candidate.parent, candidate.name) and candidate not in found:
                    found[candidate] = None
                    queue.append(candidate)
                    break
    return tuple(found)
