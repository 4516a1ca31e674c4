"""Go ``main`` packages (``package main`` with ``func main``).

Identity: the directory name (``cmd/<name>``; ``<name>/cmd`` and other generic names take
the directory above), or for a main package at a module's root the
last element of its module path. A module with one main package owns all of its code; with
several, each owns its own directory plus a sibling package named like it
(``internal/<name>``, ``pkg/<name>``, ``<name>/``), since the shared rest belongs to none.
"""

from __future__ import annotations

import re
from pathlib import Path

from socklock.load.units.tree import Tree, read
from socklock.load.units.unit import make_unit
from socklock.model import BuildUnit, Diagnostic

_PACKAGE_MAIN = re.compile(r"^package\s+main\b", re.MULTILINE)
_FUNC_MAIN = re.compile(r"^func\s+main\s*\(\s*\)", re.MULTILINE)
_GENERIC_DIRS = frozenset({"cmd", "main", "server", "app", "src", "service"})
_MODULE = re.compile(r"^module\s+(\S+)", re.MULTILINE)
_LISTEN_PORT = re.compile(r"""(?:ListenAndServe|Listen)\s*\(\s*(?:"tcp"\s*,\s*)?"[^":]*:(\d+)\"""")
# the default of a port flag: flag.Int("port", 8081, ...), flag.IntVar(&port, "port", 8081, ...),
# flag.String("addr", ":8081", ...)
_FLAG_PORT = re.compile(
    r"""flag\.(?:Int|IntVar|Uint)\s*\(\s*(?:&[\w.]+\s*,\s*)?"[\w-]*port[\w-]*"\s*,\s*(\d+)"""
    r"""|flag\.(?:String|StringVar)\s*\(\s*(?:&[\w.]+\s*,\s*)?"[\w-]*(?:addr|address|listen)"""
    r'[\w-]*"\s*,\s*"[^":]*:(\d+)"',
    re.IGNORECASE,
)


def find(tree: Tree, diagnostics: list[Diagnostic]) -> list[BuildUnit]:
    mains: list[tuple[Path, Path, list[int]]] = []  # directory, file with func main, ports
    for directory, files in tree.files.items():
        sources = [n for n in files if n.endswith(".go") and not n.endswith("_test.go")]
        main_file: Path | None = None
        ports: list[int] = []
        is_main = False
        for name in sources:
            text = read(directory / name) or ""
            if not _PACKAGE_MAIN.search(text):
                break  # one package per directory: the first file tells
            is_main = True
            if _FUNC_MAIN.search(text):
                main_file = directory / name
            ports.extend(int(p) for p in _LISTEN_PORT.findall(text) if 0 < int(p) < 65536)
            flags = (int(a or b) for a, b in _FLAG_PORT.findall(text))
            ports.extend(p for p in flags if 0 < p < 65536 and p not in ports)
        if is_main and main_file is not None:
            mains.append((directory, main_file, ports))
    by_module: dict[Path, list[tuple[Path, Path, list[int]]]] = {}
    for main in mains:
        by_module.setdefault(_module_root(main[0], tree), []).append(main)
    units: list[BuildUnit] = []
    for module, members in by_module.items():
        for directory, main_file, ports in members:
            name = directory.name
            if name.lower() in _GENERIC_DIRS and directory != module:
                name = directory.parent.name  # movie/cmd/main.go: the service is movie
            if directory == module:
                name = _module_path_name(module) or name
            extra: tuple[Path, ...] = ()
            names: tuple[str, ...] = ()
            if len(members) == 1 and directory != module:
                extra = (module,)
                names = _module_names(module)
            elif len(members) > 1:
                extra = tuple(
                    d
                    for d in (module / "internal" / name, module / "pkg" / name, module / name)
                    if d != directory and d in tree.files
                )
            units.append(
                make_unit(
                    "go",
                    directory,
                    name,
                    main_file,
                    tree,
                    names=names,
                    ports=tuple(ports),
                    sources=extra,
                )
            )
    return units


def _module_names(module: Path) -> tuple[str, ...]:
    """The names of a module whose one program lives below its root (``broker/cmd/api``):
    the module is that service, so its directory's and its module path's names are the
    program's too (``api`` alone names no service)."""
    return tuple(n for n in (module.name, _module_path_name(module)) if n)


def _module_path_name(module: Path) -> str:
    """The last element of the module path its ``go.mod`` declares (``github.com/x/shop``:
    ``shop``); empty when it declares none."""
    found = _MODULE.search(read(module / "go.mod") or "")
    return found.group(1).rstrip("/").rsplit("/", 1)[-1] if found else ""


def _module_root(directory: Path, tree: Tree) -> Path:
    for candidate in (directory, *directory.parents):
        if tree.has(candidate, "go.mod"):
            return candidate
        if candidate in tree.roots:
            break
    return directory
