"""Which modules of a source tree an entry point runs: those it imports, directly or through
the modules it imports (Python and JavaScript/TypeScript).

A module is found by what the import names: a Python dotted module (``from shop.sync
import run``: ``shop/sync.py``, or of a package ``from shop import sync``: ``shop/sync.py``;
``from .sync import run`` beside the importer) and a JavaScript path (``'./sync'``,
``'../services/sync.service'``, an alias ``'@shop/services/sync'``: the tree's file whose
path ends so). The dotted name is matched against the module paths of the tree from any
directory down (``shop.sync`` is ``src/shop/sync.py`` too): a package may sit below a
``src/`` folder. A name matching several modules reaches each (errs towards keeping a
call); one matching none is a third-party module, not code of the tree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_PYTHON = frozenset({".py"})
_SCRIPT = (".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx")
IMPORTING = _PYTHON | frozenset(_SCRIPT)
SKIPPED_DIRS = frozenset({"node_modules", "vendor", "__pycache__", "testdata"})
MAX_FILE_BYTES = 512 * 1024

_JS_IMPORT = re.compile(r"""(?:\bfrom|\brequire\s*\(|\bimport\s*\(?)\s*['"]([^'"\n]+)['"]""")
_PY_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[\w \t,]+)", re.M)
_PY_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w., \t]+)", re.M)


@dataclass(slots=True)
class ImportGraph:
    """The modules of each tree by the names an import may give them, and each module's
    imports: read once, whatever the entry point asking."""

    _trees: dict[Path, _Tree] = field(default_factory=dict)
    # each module's imports as one tree resolves them (the names depend on the tree)
    _imports: dict[tuple[Path, Path], frozenset[Path]] = field(default_factory=dict)

    def closure(self, entries: Iterable[Path], library: Path) -> frozenset[Path]:
        """The files of ``library`` that ``entries`` import, transitively: modules, and the
        other files (config) a module names by file name, whose dotted module names
        (``custom_auth: shop.auth.check``) are imports too."""
        tree = self._tree(library)
        seen: set[Path] = set()
        queue = list(entries)
        while queue:
            path = queue.pop()
            for found in self._imports_of(path, library, tree):
                if found not in seen:
                    seen.add(found)
                    queue.append(found)
        return frozenset(seen)

    def _tree(self, library: Path) -> _Tree:
        if library not in self._trees:
            self._trees[library] = _tree(library)
        return self._trees[library]

    def _imports_of(self, path: Path, library: Path, tree: _Tree) -> frozenset[Path]:
        key = (path, library)
        if key not in self._imports:
            self._imports[key] = frozenset(_resolve(path, source_text(path), tree))
        return self._imports[key]


@dataclass(frozen=True, slots=True)
class _Tree:
    # each module under every name an import may give it
    modules: dict[str, list[Path]]
    # the other files, by file name
    files: dict[str, list[Path]]


def _tree(library: Path) -> _Tree:
    """Each module of the tree under every name an import may give it: its path without
    suffix, from each directory down (``a/b/c``, ``b/c``, ``c``; a package's ``__init__``
    and a folder's ``index`` by the folder); the other files by their file name."""
    names: dict[str, list[Path]] = {}
    files: dict[str, list[Path]] = {}
    for root, dirs, found in os.walk(library):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
        for name in found:
            path = Path(root, name)
            if path.suffix not in IMPORTING:
                files.setdefault(name, []).append(path)
                continue
            parts = list(path.relative_to(library).with_suffix("").parts)
            if parts[-1] in ("__init__", "index"):
                parts.pop()
            for start in range(len(parts)):
                names.setdefault("/".join(parts[start:]), []).append(path)
    return _Tree(names, files)


_CONFIG = (".yaml", ".yml", ".json", ".toml", ".ini", ".conf", ".cfg", ".properties", ".xml")
_STRING = re.compile(r"""['"]([^'"\n]{1,300})['"]""")
# a dotted module path, of a string in Python (``"shop.auth:check"``) or a config file's word
_DOTTED = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?::\w+)?(?![\w.])")


def _resolve(path: Path, text: str, tree: _Tree) -> Iterable[Path]:
    """The files of the tree that the file ``path`` imports or names."""
    if path.suffix not in IMPORTING:
        yield from _dotted(text, tree.modules)
        return
    for string in _STRING.findall(text):  # a config file it opens by name
        if string.endswith(_CONFIG):
            yield from tree.files.get(string.rsplit("/", 1)[-1], ())
    yield from _imports(path, text, tree.modules)
    if path.suffix in _PYTHON:
        yield from _dotted(" ".join(_STRING.findall(text)), tree.modules)


def _dotted(text: str, names: dict[str, list[Path]]) -> Iterable[Path]:
    """Modules a dotted name of ``text`` names with at least two parts (``shop.auth``,
    ``shop.auth.check``: the module, or its attribute)."""
    for dotted in set(_DOTTED.findall(text)):
        parts = dotted.split(".")
        for end in (len(parts), len(parts) - 1):
            found = names.get("/".join(parts[:end])) if end >= 2 else None
            if found:
                yield from found
                break


def _imports(path: Path, text: str, names: dict[str, list[Path]]) -> Iterable[Path]:
    """The modules of the tree that the module ``path`` imports."""
    if path.suffix in _PYTHON:
        for module, taken in _PY_FROM.findall(text):
            base = _python_base(path, module)
            yield from _named(names, base)
            for word in taken.strip("()").split(","):
                item = word.split()[0] if word.split() else ""
                if item and item != "*":
                    yield from _named(names, f"{base}/{item}" if base else item)
        for listed in _PY_IMPORT.findall(text):
            for word in listed.split(","):
                module = word.split()[0] if word.split() else ""
                yield from _named(names, module.replace(".", "/"))
        return
    for spec in _JS_IMPORT.findall(text):
        if spec.startswith("."):
            target = os.path.normpath(path.parent / spec)
            yield from (p for p in _with_suffixes(Path(target)) if p.is_file())
            continue
        bare = next((spec[: -len(s)] for s in _SCRIPT if spec.endswith(s)), spec)
        parts = [p for p in bare.split("/") if p] if "/" in bare else []
        for start in range(1, len(parts)):  # an alias: ``@shop/services/sync``
            found = names.get("/".join(parts[start:]))
            if found:
                yield from found
                break


def _python_base(path: Path, module: str) -> str:
    """A ``from`` import's module as a name of the tree: ``shop.sync`` → ``shop/sync``;
    ``.sync`` / ``..`` relative to the importer's package, by its path from the tree."""
    dots = len(module) - len(module.lstrip("."))
    rest = module[dots:].replace(".", "/")
    if not dots:
        return rest
    package = path.parent
    for _ in range(dots - 1):
        package = package.parent
    return "\0" + str(package / rest) if rest else "\0" + str(package)


def _named(names: dict[str, list[Path]], name: str) -> list[Path]:
    if name.startswith("\0"):  # a relative import: a path, not a name of the tree
        target = Path(name[1:])
        return [p for p in (target.with_suffix(".py"), target / "__init__.py") if p.is_file()]
    return names.get(name, []) if name else []


def _with_suffixes(target: Path) -> list[Path]:
    return [
        target,
        *(target.with_name(target.name + s) for s in _SCRIPT),
        *(target / f"index{s}" for s in _SCRIPT),
    ]


def source_text(path: Path) -> str:
    """A source file's text, or nothing when it cannot be read or is too large to be
    hand-written (a generated file)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return ""
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
