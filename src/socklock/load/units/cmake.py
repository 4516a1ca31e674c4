"""CMake executables: ``add_executable(<Name> <sources...>)``, one unit per target.

One CMake project often builds every service of a repository into one image, and the
deployment picks the service by the command it runs (``entrypoint: OrdersService``); the
target's name is how that command finds its code. A target owns the source files it lists
(``${VAR}`` expanded from ``set()`` in its own or an enclosing CMakeLists.txt; a source
behind a variable nothing sets is left out) and the files those include with
``#include "..."``, found from the including file's directory, transitively: a handler
header beside the ``main`` file is the service's code, a header several targets include is
each of theirs. Libraries (``add_library``), imported and alias targets are no units;
linking is not read (a library's code is in its own files, reached by the includes).
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from socklock.load.units.tree import Tree, read
from socklock.load.units.unit import make_unit
from socklock.model import BuildUnit, Diagnostic

_COMMAND = re.compile(r"\b(add_executable|set|project|file)\s*\(([^()]*)\)", re.IGNORECASE)
_GLOBS = frozenset({"GLOB", "GLOB_RECURSE"})
_COMMENT = re.compile(r"#(?!\[)[^\n]*")
_VARIABLE = re.compile(r"\$\{([A-Za-z0-9_.+-]+)\}")
_WORD = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')
_OPTIONS = frozenset({"WIN32", "MACOSX_BUNDLE", "EXCLUDE_FROM_ALL"})
_INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.MULTILINE)
_SOURCE_SUFFIXES = (".c", ".cc", ".cpp", ".cxx", ".c++", ".h", ".hh", ".hpp", ".hxx", ".ipp")
MAX_FILES = 400  # sources and includes of one target


def find(tree: Tree, diagnostics: list[Diagnostic]) -> list[BuildUnit]:
    units: list[BuildUnit] = []
    for directory in sorted(tree.files):
        if not tree.has(directory, "CMakeLists.txt"):
            continue
        build_file = directory / "CMakeLists.txt"
        variables = _inherited(directory, tree)
        for command, arguments in _commands(read(build_file) or ""):
            words = [_expand(w, variables) for w in _words(arguments)]
            if command != "add_executable":
                _assign(command, words, variables, directory)
                continue
            unit = _executable(directory, build_file, words, tree)
            if unit is not None:
                units.append(unit)
    return units


def _executable(
    directory: Path, build_file: Path, words: list[str | None], tree: Tree
) -> BuildUnit | None:
    if not words or words[0] is None or {"IMPORTED", "ALIAS"} & {w for w in words if w}:
        return None
    name = words[0]
    listed = [
        path
        for word in words[1:]
        if word is not None and word not in _OPTIONS
        for part in word.split(";")
        if part and (path := _in_tree(directory / part, tree)) is not None
    ]
    if not listed:
        return None
    sources = _with_includes(listed, tree)
    unit = make_unit("cmake", sources[0], name, build_file, tree, sources=tuple(sources[1:]))
    return dataclasses.replace(unit, names=(unit.name,))  # not its main file's stem


def _with_includes(listed: list[Path], tree: Tree) -> list[Path]:
    """The listed files and every file of the tree they include, transitively."""
    found: dict[Path, None] = dict.fromkeys(listed)
    queue = list(listed)
    while queue and len(found) < MAX_FILES:
        current = queue.pop(0)
        for included in _INCLUDE.findall(read(current) or ""):
            path = _in_tree(current.parent / included, tree)
            if path is not None and path not in found:
                found[path] = None
                queue.append(path)
    return list(found)


def _in_tree(path: Path, tree: Tree) -> Path | None:
    """``path`` spelled as the listing spells it, when it is a C/C++ file of the listing
    (``${CMAKE_SOURCE_DIR}`` paths are absolute, the listing's are as the roots were given)."""
    real = Path(os.path.normpath(path.absolute()))
    if real.suffix.lower() not in _SOURCE_SUFFIXES:
        return None
    for root in tree.roots:
        top = root.absolute()
        if real.is_relative_to(top):
            spelled = Path(os.path.normpath(root / real.relative_to(top)))
            return spelled if tree.has(spelled.parent, spelled.name) else None
    return None


def _inherited(directory: Path, tree: Tree) -> dict[str, str]:
    """Variables the enclosing CMakeLists.txt files set (a subdirectory sees its parents')."""
    chain: list[Path] = []
    for parent in directory.parents:
        if not tree.has(parent, "CMakeLists.txt"):
            break
        chain.append(parent)
    top = str((chain[-1] if chain else directory).absolute())
    variables = {"CMAKE_SOURCE_DIR": top, "PROJECT_SOURCE_DIR": top}
    for parent in reversed(chain):
        here = str(parent.absolute())
        variables["CMAKE_CURRENT_SOURCE_DIR"] = variables["CMAKE_CURRENT_LIST_DIR"] = here
        for command, arguments in _commands(read(parent / "CMakeLists.txt") or ""):
            if command != "add_executable":
                words = [_expand(w, variables) for w in _words(arguments)]
                _assign(command, words, variables, parent)
    here = str(directory.absolute())
    variables["CMAKE_CURRENT_SOURCE_DIR"] = variables["CMAKE_CURRENT_LIST_DIR"] = here
    return variables


def _assign(
    command: str, words: list[str | None], variables: dict[str, str], directory: Path
) -> None:
    """What ``set``, ``project`` and ``file(GLOB)`` give a variable (a list joined by ``;``,
    as CMake keeps it)."""
    if not words or words[0] is None:
        return
    if command == "set":
        values = words[1:]
        for keyword in ("CACHE", "PARENT_SCOPE"):
            values = values[: values.index(keyword)] if keyword in values else values
        variables[words[0]] = ";".join(w for w in values if w is not None)
    elif command == "project":
        variables["PROJECT_NAME"] = words[0]
        variables.setdefault("CMAKE_PROJECT_NAME", words[0])
    elif command == "file" and words[0] in _GLOBS and len(words) > 2 and words[1] is not None:
        recurse = words[0] == "GLOB_RECURSE"
        patterns = [w for w in words[2:] if w is not None and w.upper() != w]
        found = sorted(
            str(path) for pattern in patterns for path in _glob(directory, pattern, recurse=recurse)
        )
        variables[words[1]] = ";".join(found)


def _glob(directory: Path, pattern: str, *, recurse: bool) -> list[Path]:
    """``file(GLOB)`` relative to the CMakeLists.txt directory, files only."""
    base = Path(pattern) if Path(pattern).is_absolute() else directory.absolute() / pattern
    parent, name = base.parent, base.name
    if any(c in str(parent) for c in "*?["):
        return []
    matches = parent.rglob(name) if recurse else parent.glob(name)
    return [m for m in matches if m.is_file()][:MAX_FILES]


def _commands(text: str) -> list[tuple[str, str]]:
    text = _COMMENT.sub("", text)
    return [(m.group(1).lower(), m.group(2)) for m in _COMMAND.finditer(text)]


def _words(arguments: str) -> list[str]:
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in _WORD.finditer(arguments)]


def _expand(word: str, variables: dict[str, str]) -> str | None:
    """``word`` with its ``${VAR}`` replaced; None when a variable is not known."""
    missing = False

    def replace(match: re.Match[str]) -> str:
        nonlocal missing
        value = variables.get(match.group(1))
        if value is None:
            missing = True
            return ""
        return value

    expanded = _VARIABLE.sub(replace, word)
    return None if missing else expanded
