"""Which files may define a name that a file uses, read from its import lines.

One function pair per language family, chosen by syntax name: ``names`` (a bare name
the file does not define: ``from settings import X``, a Go constant of the package,
a Java static import, ``import { X } from './config'``) and ``members``
(``settings.X``, ``Constants.X``, ``config.X``, ``cfg.X``). Import lines are read with
regular expressions over the text: cheap, and they only have to name files, which are
then parsed for real. Only files of the program itself are found (relative imports,
the module's own packages, the source root), never installed libraries.
"""

from __future__ import annotations

import contextlib
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from tree_sitter import Node

Candidate = tuple[str, str]  # (file, the name as that file defines it)
_ANCESTORS = 6  # how far up a package or source root is looked for


def name_candidates(syntax: str, path: str, source: bytes, name: str) -> list[Candidate]:
    finder = _NAMES.get(syntax)
    return finder(path, _text(source), name) if finder is not None else []


def member_candidates(
    syntax: str, path: str, source: bytes, owner: str, prop: str
) -> list[Candidate]:
    finder = _MEMBERS.get(syntax)
    return finder(path, _text(source), owner, prop) if finder is not None else []


def exported(syntax: str, root: Node, source: bytes, name: str) -> Node | None:
    """The value a module exports as ``name`` other than by a top-level definition."""
    if syntax in _ECMASCRIPT:
        return _ecmascript_export(root, source, name)
    return None


@lru_cache(maxsize=8)
def _text(source: bytes) -> str:
    """The text of a source, decoded once: one evaluation asks for its imports again and
    again (each member of each name it follows), the same bytes object each time."""
    return source.decode("utf-8", "replace")


def _is_file(path: Path) -> bool:
    return path.is_file()


def _directory(path: str) -> Path:
    return Path(path).absolute().parent


def _ancestors(directory: Path) -> list[Path]:
    return [directory, *directory.parents][: _ANCESTORS + 1]


# --- Python -------------------------------------------------------------------------

_PY_FROM = re.compile(
    r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)", re.MULTILINE
)
_PY_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n#]+)", re.MULTILINE)


def _py_module_files(path: str, dots: str, module: str) -> list[str]:
    """Files that may be module ``module`` (relative with ``dots``) seen from ``path``."""
    directory = _directory(path)
    parts = [p for p in module.split(".") if p]
    if dots:
        bases = [directory] if len(dots) == 1 else [directory.parents[len(dots) - 2]]
    else:
        bases = _ancestors(directory)
    for base in bases:
        stem = base.joinpath(*parts)
        candidates = [stem / "__init__.py"]
        if parts:
            candidates.insert(0, stem.with_name(stem.name + ".py"))
        found = [str(c) for c in candidates if _is_file(c)]
        if found:
            return found
    return []


def _py_from_imports(text: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(dots, module, [(name, alias)]) of every ``from ... import ...`` line."""
    out: list[tuple[str, str, list[tuple[str, str]]]] = []
    for match in _PY_FROM.finditer(text):
        names: list[tuple[str, str]] = []
        for item in match.group(3).strip("() \t\n").split(","):
            words = item.split()
            if not words:
                continue
            original = words[0]
            alias = words[2] if len(words) == 3 and words[1] == "as" else original
            names.append((original, alias))
        out.append((match.group(1), match.group(2), names))
    return out


def python_from_imports(text: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(dots, module, [(name, alias)]) of every ``from ... import ...`` line of a file."""
    return _py_from_imports(text)


def _py_names(path: str, text: str, name: str) -> list[Candidate]:
    found: list[Candidate] = []
    for dots, module, names in _py_from_imports(text):
        for original, alias in names:
            if alias == name or original == "*":
                looked_up = name if original == "*" else original
                found += [(f, looked_up) for f in _py_module_files(path, dots, module)]
    return found


# the owner that stands for a Flask app's config object (``app.config["X"]``): not a name
FLASK_CONFIG = "<flask app.config>"


def _py_members(path: str, text: str, owner: str, prop: str) -> list[Candidate]:
    if owner == FLASK_CONFIG:
        return [(f, prop) for f in _flask_config(path)]
    found: list[Candidate] = []
    for match in _PY_IMPORT.finditer(text):
        for item in match.group(1).split(","):
            words = item.split()
            if not words:
                continue
            module = words[0]
            alias = words[2] if len(words) == 3 and words[1] == "as" else module
            if alias == owner:
                found += [(f, prop) for f in _py_module_files(path, "", module)]
    for dots, module, names in _py_from_imports(text):
        for original, alias in names:
            if alias != owner:
                continue
            if module == "django.conf" and original == "settings":
                found += [(f, prop) for f in _django_settings(path)]
                continue
            submodule = f"{module}.{original}" if module else original
            found += [(f, prop) for f in _py_module_files(path, dots, submodule)]
    return found


def _django_settings(path: str) -> list[str]:
    """``django.conf.settings``: the project's settings module, found near the file."""
    for base in _ancestors(_directory(path)):
        found = [base / "settings.py", base / "settings" / "__init__.py"]
        with contextlib.suppress(OSError):
            found += sorted(c / "settings.py" for c in base.iterdir() if c.is_dir())
        existing = [str(f) for f in found if _is_file(f)]
        if existing:
            return existing
    return []


def _flask_config(path: str) -> list[str]:
    """The config module a Flask app loads with ``app.config.from_object("config.Dev")``
    (or ``from_object(Config)`` imported from it): ``config.py`` (or a ``config``
    package) found near the file, the nearest directory first."""
    for base in _ancestors(_directory(path)):
        found = [base / "config.py", base / "config" / "__init__.py"]
        existing = [str(f) for f in found if _is_file(f)]
        if existing:
            return existing
    return []


# --- JavaScript and TypeScript -------------------------------------------------------

_ECMASCRIPT = frozenset({"javascript", "typescript", "tsx"})
_JS_IMPORT = re.compile(
    r"\bimport\s+(?:type\s+)?(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+(\w+))?\s*from\s*"
    r"['\"]([^'\"]+)['\"]"
)
_JS_REQUIRE = re.compile(
    r"\b(?:const|let|var)\s+(?:(\w+)|\{([^}]*)\})\s*=\s*require\(\s*['\"]([^'\"]+)['\"]\s*\)"
)
_JS_SUFFIXES = (".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx", ".mts", ".cts")


def _js_module_files(path: str, specifier: str) -> list[str]:
    if not specifier.startswith("."):
        return []  # a package: not the program's own code
    stem = os.path.normpath(_directory(path) / specifier)
    candidates = [Path(stem)] if Path(stem).suffix in _JS_SUFFIXES else []
    candidates += [Path(stem + s) for s in _JS_SUFFIXES]
    candidates += [Path(stem) / ("index" + s) for s in _JS_SUFFIXES]
    return [str(c) for c in candidates if _is_file(c)][:1]


@lru_cache(maxsize=8)
def _js_bindings(text: str) -> tuple[tuple[str, str | None, str], ...]:
    """(local name, exported name or None for the whole module, specifier), found once per
    text."""
    out: list[tuple[str, str | None, str]] = []

    def named(group: str, separator: str, specifier: str) -> None:
        for item in group.split(","):
            original, _, alias = item.partition(separator)
            original, alias = original.strip(), alias.strip()
            original = original.removeprefix("type ").strip()
            if original:
                out.append((alias or original, original, specifier))

    for match in _JS_IMPORT.finditer(text):
        default, braces, star, specifier = match.groups()
        if default:
            out.append((default, None, specifier))
        if star:
            out.append((star, None, specifier))
        if braces:
            named(braces, " as ", specifier)
    for match in _JS_REQUIRE.finditer(text):
        whole, braces, specifier = match.groups()
        if whole:
            out.append((whole, None, specifier))
        if braces:
            named(braces, ":", specifier)
    return tuple(out)


def _js_names(path: str, text: str, name: str) -> list[Candidate]:
    return [
        (f, exported_name)
        for local, exported_name, specifier in _js_bindings(text)
        if local == name and exported_name is not None
        for f in _js_module_files(path, specifier)
    ]


def _js_members(path: str, text: str, owner: str, prop: str) -> list[Candidate]:
    return [
        (f, prop)
        for local, exported_name, specifier in _js_bindings(text)
        if local == owner and exported_name is None
        for f in _js_module_files(path, specifier)
    ]


def _ecmascript_export(root: Node, source: bytes, name: str) -> Node | None:
    """``module.exports = {X: ...}``, ``exports.X = ...``, ``export default {X: ...}``."""

    def text(node: Node) -> str:
        return source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    found: Node | None = None
    for statement in root.named_children:
        if statement.type == "export_statement":
            value = statement.child_by_field_name("value")
            if value is not None and value.type == "object":
                found = _object_field(value, name, text) or found
            continue
        if statement.type != "expression_statement" or not statement.named_children:
            continue
        assignment = statement.named_children[0]
        if assignment.type != "assignment_expression":
            continue
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or right is None:
            continue
        target = "".join(text(left).split())
        if target in (f"exports.{name}", f"module.exports.{name}"):
            found = right
        elif target == "module.exports" and right.type == "object":
            found = _object_field(right, name, text) or found
    return found


def _object_field(obj: Node, name: str, text: Callable[[Node], str]) -> Node | None:
    for child in obj.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            if key is not None and text(key).strip("'\"") == name:
                return child.child_by_field_name("value")
        elif child.type == "shorthand_property_identifier" and text(child) == name:
            return child
    return None


# --- Go ---------------------------------------------------------------------------

_GO_IMPORT_BLOCK = re.compile(r"^import\s*\(([^)]*)\)", re.MULTILINE)
_GO_IMPORT_LINE = re.compile(r"^import\s+(\w+\s+)?\"([^\"]+)\"", re.MULTILINE)
_GO_SPEC = re.compile(r"^\s*(\w+|\.)?\s*\"([^\"]+)\"", re.MULTILINE)


@lru_cache(maxsize=256)
def _go_package_files(directory: Path) -> tuple[str, ...]:
    try:
        files = sorted(directory.iterdir())
    except OSError:
        return ()
    return tuple(
        str(f) for f in files if f.name.endswith(".go") and not f.name.endswith("_test.go")
    )


def _go_names(path: str, text: str, name: str) -> list[Candidate]:
    absolute = str(Path(path).absolute())
    return [(f, name) for f in _go_package_files(_directory(path)) if f != absolute]


@lru_cache(maxsize=256)
def _go_module(directory: Path) -> tuple[Path, str] | None:
    """(module root, module path) of the ``go.mod`` above ``directory``."""
    for base in _ancestors(directory):
        try:
            content = (base / "go.mod").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        match = re.search(r"^module\s+(\S+)", content, re.MULTILINE)
        return (base, match.group(1)) if match else None
    return None


def _go_members(path: str, text: str, owner: str, prop: str) -> list[Candidate]:
    if not prop[:1].isupper():
        return []  # only exported names cross packages
    imports: list[tuple[str | None, str]] = []
    for block in _GO_IMPORT_BLOCK.finditer(text):
        for spec in _GO_SPEC.finditer(block.group(1)):
            imports.append((spec.group(1), spec.group(2)))
    for line in _GO_IMPORT_LINE.finditer(text):
        alias = line.group(1).strip() if line.group(1) else None
        imports.append((alias, line.group(2)))
    module = _go_module(_directory(path))
    if module is None:
        return []
    root, module_path = module
    for alias, import_path in imports:
        if (alias or import_path.rsplit("/", 1)[-1]) != owner:
            continue
        if import_path != module_path and not import_path.startswith(module_path + "/"):
            continue
        rest = import_path[len(module_path) :].lstrip("/")
        return [(f, prop) for f in _go_package_files(root.joinpath(*rest.split("/")))]
    return []


# --- Java and C# ----------------------------------------------------------------------

_JAVA_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.MULTILINE)
_JAVA_IMPORT = re.compile(r"^\s*import\s+(static\s+)?([\w.]+?)(\.\*)?\s*;", re.MULTILINE)


def _java_source_root(path: str, text: str) -> Path:
    directory = _directory(path)
    package = _JAVA_PACKAGE.search(text)
    if package is None:
        return directory
    parts = package.group(1).split(".")
    if len(directory.parts) > len(parts) and list(directory.parts[-len(parts) :]) == parts:
        return directory.parents[len(parts) - 1]
    return directory


def _java_class_file(root: Path, dotted: str) -> str | None:
    parts = dotted.split(".")
    # ``a.b.Outer.Inner``: the file is the first capitalised part
    for index, part in enumerate(parts):
        if part[:1].isupper():
            candidate = root.joinpath(*parts[:index], part + ".java")
            return str(candidate) if _is_file(candidate) else None
    return None


def _java_names(path: str, text: str, name: str) -> list[Candidate]:
    root = _java_source_root(path, text)
    found: list[Candidate] = []
    for match in _JAVA_IMPORT.finditer(text):
        static, dotted, star = match.groups()
        if not static:
            continue
        owner = dotted if star else dotted.rsplit(".", 1)[0]
        if not star and dotted.rsplit(".", 1)[-1] != name:
            continue
        file = _java_class_file(root, owner)
        if file is not None:
            found.append((file, name))
    return found


def _java_members(path: str, text: str, owner: str, prop: str) -> list[Candidate]:
    if not owner[:1].isupper() or "." in owner:
        return []
    same_package = _directory(path) / (owner + ".java")
    found: list[Candidate] = []
    for match in _JAVA_IMPORT.finditer(text):
        static, dotted, star = match.groups()
        if static or star or dotted.rsplit(".", 1)[-1] != owner:
            continue
        file = _java_class_file(_java_source_root(path, text), dotted)
        if file is not None:
            found.append((file, prop))
    if _is_file(same_package):
        found.append((str(same_package), prop))
    return found


# ``class Gateway extends Config with JsonProtocols``, ``object Main extends App with Config``
_SCALA_PARENTS = re.compile(r"\b(?:extends|with)\s+([A-Z]\w*)")
_SCALA_TYPE = r"\b(?:trait|(?:abstract\s+)?class|object)\s+{}\b"


def _scala_names(path: str, text: str, name: str) -> list[Candidate]:
    """A bare name a Scala file uses but does not define: a member of a trait or class it
    mixes in (``extends Config``, ``with Config``) that its own package's folder defines
    (``Config.scala``, else another file of the folder declaring ``trait Config``)."""
    directory = _directory(path)
    found: list[Candidate] = []
    for parent in dict.fromkeys(_SCALA_PARENTS.findall(text)):
        same = directory / (parent + ".scala")
        if _is_file(same) and str(same) != path:
            found.append((str(same), name))
            continue
        declares = re.compile(_SCALA_TYPE.format(parent))
        for other in sorted(directory.glob("*.scala"))[:_SCALA_FOLDER_LIMIT]:
            if str(other) != path and declares.search(_read_text(other)):
                found.append((str(other), name))
                break
    return found


_SCALA_FOLDER_LIMIT = 200


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


_PROJECT_FILES_LIMIT = 5000
_NOT_SOURCE_DIRS = frozenset({"bin", "obj", ".git", "node_modules", "vendor"})


@lru_cache(maxsize=64)
def project_files(directory: Path, marker: str, suffix: str) -> dict[str, tuple[str, ...]]:
    """File name → paths of every ``suffix`` file of the project that holds ``directory``:
    the nearest ancestor with a file named ``marker`` or ending in it (``.csproj``,
    ``composer.json``), else ``directory`` itself."""
    root = directory
    for base in _ancestors(directory):
        try:
            if any(f.name == marker or f.name.endswith(marker) for f in base.iterdir()):
                root = base
                break
        except OSError:
            continue
    index: dict[str, list[str]] = {}
    seen = 0
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _NOT_SOURCE_DIRS)
        for file in sorted(files):
            if file.endswith(suffix):
                index.setdefault(file, []).append(str(Path(current) / file))
                seen += 1
        if seen > _PROJECT_FILES_LIMIT:
            break
    return {name: tuple(paths) for name, paths in index.items()}


def _csharp_members(path: str, text: str, owner: str, prop: str) -> list[Candidate]:
    if not owner[:1].isupper():
        return []
    class_name = owner.rsplit(".", 1)[-1]
    files = project_files(_directory(path), ".csproj", ".cs").get(class_name + ".cs", ())
    return [(f, prop) for f in files]


def class_files(syntax: str, path: str, owner: str) -> list[str]:
    """Files of the project that may define class ``owner`` (``API.Catalog``: ``API.cs``,
    then ``Catalog.cs``, for a class nested in another); C# only."""
    if syntax != "csharp":
        return []
    project = project_files(_directory(path), ".csproj", ".cs")
    found: list[str] = []
    for part in owner.split("."):
        if part[:1].isupper():
            found += [f for f in project.get(part + ".cs", ()) if f not in found]
    return found


def _php_members(path: str, text: str, owner: str, prop: str) -> list[Candidate]:
    """``Config::HOST`` of a class another file defines: PSR-4 autoloading puts class
    ``App\\Service\\Config`` in ``Config.php``, found in the Composer project."""
    class_name = owner.rsplit("\\", 1)[-1]
    if not class_name[:1].isupper():
        return []
    files = project_files(_directory(path), "composer.json", ".php").get(class_name + ".php", ())
    return [(f, prop) for f in files if f != str(Path(path).absolute())]


_PHP_CONSTANT = re.compile(
    r"""^\s*define\(\s*['"]([A-Za-z_]\w*)['"]\s*,|^const[ \t]+([A-Za-z_]\w*)[ \t]*=""",
    re.MULTILINE,
)
_PHP_ROOT_MARKERS = ("composer.json", "Dockerfile", "index.php")
_PHP_FILE_BYTES = 256 * 1024


def _php_names(path: str, text: str, name: str) -> list[Candidate]:
    """A global constant (``define("DB_HOST", "db")``, a top-level ``const``) another file
    of the program defines: once a script requires that file, the name is defined for
    every file the process runs. Looked for in the program's tree (the nearest directory
    with ``composer.json``, a ``Dockerfile`` or the front controller ``index.php``)."""
    if name.startswith("$"):
        return []
    directory = _directory(path)
    root = next(
        (d for d in _ancestors(directory) if any((d / m).is_file() for m in _PHP_ROOT_MARKERS)),
        None,
    )
    if root is None:
        return []
    here = str(Path(path).absolute())
    return [(f, name) for f in _php_constants(root).get(name, ()) if f != here]


@lru_cache(maxsize=16)
def _php_constants(root: Path) -> dict[str, tuple[str, ...]]:
    """Global constant name → the PHP files under ``root`` that define it."""
    found: dict[str, list[str]] = {}
    seen = 0
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _NOT_SOURCE_DIRS)
        for file in sorted(files):
            if not file.endswith(".php"):
                continue
            seen += 1
            full = Path(current) / file
            try:
                if full.stat().st_size > _PHP_FILE_BYTES:
                    continue
                content = full.read_text("utf-8", "replace")
            except OSError:
                continue
            for match in _PHP_CONSTANT.finditer(content):
                defined = match.group(1) or match.group(2)
                paths = found.setdefault(defined, [])
                if str(full) not in paths:
                    paths.append(str(full))
        if seen > _PROJECT_FILES_LIMIT:
            break
    return {defined: tuple(paths) for defined, paths in found.items()}


# --- Ruby ---------------------------------------------------------------------------

_RUBY_REQUIRE = re.compile(r"""^[ \t]*require_relative[ \t(]+['"]([^'"]+)['"]""", re.MULTILINE)


def _ruby_names(path: str, text: str, name: str) -> list[Candidate]:
    """A constant (``CUSTOMER_HOST``) a file this one loads with ``require_relative``
    defines: Ruby constants are global once the file is loaded. ``require 'x'`` and
    ``load`` search ``$LOAD_PATH`` or the working directory, unknown here: not followed."""
    if not name[:1].isupper():
        return []
    directory = _directory(path)
    found: list[Candidate] = []
    for match in _RUBY_REQUIRE.finditer(text):
        file = directory / match.group(1)
        if file.suffix != ".rb":
            file = file.with_name(file.name + ".rb")
        if _is_file(file):
            found.append((str(file.resolve()), name))
    return found


def forget() -> None:
    """Drop the constants indexed per program tree (files may have changed)."""
    _php_constants.cache_clear()


_NAMES: dict[str, Callable[[str, str, str], list[Candidate]]] = {
    "python": _py_names,
    "javascript": _js_names,
    "typescript": _js_names,
    "tsx": _js_names,
    "go": _go_names,
    "java": _java_names,
    "scala": _scala_names,
    "php": _php_names,
    "ruby": _ruby_names,
}
_MEMBERS: dict[str, Callable[[str, str, str, str], list[Candidate]]] = {
    "python": _py_members,
    "javascript": _js_members,
    "typescript": _js_members,
    "tsx": _js_members,
    "go": _go_members,
    "java": _java_members,
    "csharp": _csharp_members,
    "php": _php_members,
}
