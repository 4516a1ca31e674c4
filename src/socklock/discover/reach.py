"""Whether a program reaches a call site in library code it shares with other programs.

Several services often run one source tree (compose mounts ``./internal`` into each and sets
``working_dir: /internal/trainer``): the working directory is the program; the rest of the
tree is library code each program runs only in part. A call site in a library function
(``NewUsersClient`` in ``common/client``) is a call of the program only when the program
names that function, directly or through other library functions it names. The test is
textual (identifiers, not types): a name two functions share reaches both, so it errs
towards keeping a call. Code outside any function (package-level statements, a module's
top-level code) runs on import: always reached. Languages without a definition pattern
here are always reached.

Go keeps methods at the top level: a method runs only on a value of its receiver's type, so
it is reached when both its name and its type are (``Gateway.run`` is not ``Service.run``);
a type's declaration is a definition too (a struct embedding another names it). A Go type
is named unqualified only inside its own package (its directory), elsewhere as
``package.Type``: ``application.Service`` does not name ``applications.Service``. Comments
name nothing. A Go ``package main`` is a program of its own that nothing imports: never
library code.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from socklock.discover.imports import SKIPPED_DIRS, ImportGraph, source_text

# a top-level definition starting at column 0, per source file suffix
_GO = re.compile(r"(?:func\s+(?:\([^)]*\)\s*)?|type\s+)([A-Za-z_]\w*)")
# a Go method's receiver type: func (s *Service[T]) run
_RECEIVER = re.compile(r"func\s+\(\s*(?:[A-Za-z_]\w*\s+)?\*?\s*([A-Za-z_]\w*)")
_PACKAGE_MAIN = re.compile(r"^package\s+main\b", re.MULTILINE)
_TYPE = re.compile(r"type\s+([A-Za-z_]\w*)")
_PACKAGE = re.compile(r"^package\s+([A-Za-z_]\w*)", re.MULTILINE)
_PLAIN = re.compile(r"(?<![\w$.])[A-Za-z_$][\w$]*")  # an identifier not after a dot
# a comment: ``// ...``, ``/* ... */``, ``# ...`` (in a string too: no code is lost)
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/|(?<![\w$])#[^\n]*", re.DOTALL)
_QUALIFIED = re.compile(r"([A-Za-z_]\w*)\.([A-Za-z_]\w*)")
_PYTHON = re.compile(r"(?:async\s+def|def|class)\s+([A-Za-z_]\w*)")
_JS = re.compile(
    r"(?:export\s+(?:default\s+)?)?(?:"
    r"(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)"
    r"|(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)"
    r"|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>))"
)
_DEFINITIONS = {".go": _GO, ".py": _PYTHON}
_DEFINITIONS.update(dict.fromkeys((".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx"), _JS))
# column-0 lines that continue a definition rather than end it
_CONTINUES = ("}", ")", "]", "//", "/*", "*", "#")
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
_SELECTED = re.compile(r"\.\s*([A-Za-z_]\w*)")
_TEST_FILE = re.compile(r"(?:_test\.go|^test_.*\.py|_test\.py|\.(?:test|spec)\.[jt]sx?)$")


@dataclass(frozen=True, slots=True)
class Definition:
    name: str
    first: int  # 1-based lines, inclusive
    last: int
    body: str
    receiver: str | None = None  # the Go type it needs named: a method's, a type's own
    directory: Path | None = None  # the file's directory (a Go package)
    package: str | None = None  # the file's Go package name
    method: bool = False  # a Go method: reached only as a selector (``x.run``, ``T.run``)


def _receiver(path: Path, line: str) -> str | None:
    """The Go type a definition needs named: a method's receiver type, a type's own name."""
    if path.suffix != ".go":
        return None
    found = _RECEIVER.match(line) or _TYPE.match(line)
    return found.group(1) if found else None


def definitions(path: Path) -> list[Definition] | None:
    """The top-level definitions of a source file, or None for a language not handled here."""
    pattern = _DEFINITIONS.get(path.suffix)
    if pattern is None:
        return None
    text = source_text(path)
    lines = text.splitlines()
    package = _PACKAGE.search(text) if path.suffix == ".go" else None
    found: list[Definition] = []
    start: tuple[str, int] | None = None

    def close(last: int) -> None:
        if start is not None:
            name, first = start
            body = "\n".join(lines[first - 1 : last])
            receiver = _receiver(path, lines[first - 1])
            found.append(
                Definition(
                    name,
                    first,
                    last,
                    body,
                    receiver,
                    path.parent,
                    package.group(1) if package else None,
                    path.suffix == ".go" and _RECEIVER.match(lines[first - 1]) is not None,
                )
            )

    for number, line in enumerate(lines, 1):
        if not line or line[0].isspace() or line.startswith(_CONTINUES):
            continue
        close(number - 1)
        match = pattern.match(line)
        start = (next(g for g in match.groups() if g), number) if match else None
    close(len(lines))
    return found


def _program_of_its_own(path: Path) -> bool:
    """A Go file of a ``package main``: a program nothing imports."""
    return path.suffix == ".go" and _PACKAGE_MAIN.search(source_text(path)[:4096]) is not None


def _sources(directory: Path, *, tests: bool) -> list[Path]:
    """The source files of a handled language under ``directory`` (tests only if asked)."""
    out: list[Path] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
        for name in files:
            path = Path(root, name)
            if path.suffix in _DEFINITIONS and (tests or not _TEST_FILE.search(name)):
                out.append(path)
    return out


def _own_sources(program: Path) -> list[Path]:
    """A program's own files: a directory's, or the one entry file of a shared tree."""
    return [program] if program.is_file() else _sources(program, tests=False)


@dataclass(slots=True)
class Reach:
    """The library functions each program (a directory inside a shared tree) reaches.
    ``programs``: the directories of every program of the input; another program's code
    is not library code (``trainings/service.NewApplication`` is not the trainer's
    ``service.NewApplication``)."""

    programs: frozenset[Path] = frozenset()
    _reached: dict[tuple[Path, Path], _Named] = field(default_factory=dict)
    _definitions: dict[Path, list[Definition] | None] = field(default_factory=dict)
    _modules: dict[tuple[Path, Path], frozenset[Path]] = field(default_factory=dict)
    _graph: ImportGraph = field(default_factory=ImportGraph)

    def reaches(
        self, program: Path, library: Path, file: str, line: int, *, imports: bool = False
    ) -> bool:
        """Whether the program in ``program`` runs line ``line`` of ``file`` (a file of the
        shared tree ``library``): its own files always; a library file's line when it is
        outside every definition or in one the program names. ``imports``: the program is
        an entry point of a Python or JavaScript tree: it runs the modules it imports,
        directly or through others, whole, and the files they name (its config), none else
        (:mod:`socklock.discover.imports`)."""
        path = Path(file).resolve()
        if path.is_relative_to(program) or not path.is_relative_to(library):
            return True
        if _program_of_its_own(path):
            return False
        if imports:  # a module it imports runs, in another entry point's package too
            return path in self._imported(program, library)
        if self._in_other_program(path, program):
            return False
        enclosing = self._enclosing(path, line)
        if enclosing is None:
            return True
        return self._names(program, library).runs(enclosing)

    def _imported(self, program: Path, library: Path) -> frozenset[Path]:
        key = (program, library)
        if key not in self._modules:
            self._modules[key] = self._graph.closure(_own_sources(program), library)
        return self._modules[key]

    def _enclosing(self, path: Path, line: int) -> Definition | None:
        if path not in self._definitions:
            self._definitions[path] = definitions(path)
        found = self._definitions[path]
        return next((d for d in found or () if d.first <= line <= d.last), None)

    def _in_other_program(self, path: Path, program: Path) -> bool:
        return any(
            path.is_relative_to(other) and not program.is_relative_to(other)
            for other in self.programs
            if other != program
        )

    def _names(self, program: Path, library: Path) -> _Named:
        """Every identifier the program's code names, closed over the library definitions
        those names reach."""
        key = (program, library)
        if key in self._reached:
            return self._reached[key]
        named = _Named()
        queue: list[str] = []
        for path in _own_sources(program):
            queue.extend(named.add(source_text(path), path.parent))
        pending: dict[str, list[Definition]] = {}  # not yet reached, by name
        for path in _sources(library, tests=False):
            if path.is_relative_to(program) or self._in_other_program(path, program):
                continue
            if _program_of_its_own(path):
                continue
            for definition in self._definitions.setdefault(path, definitions(path)) or ():
                pending.setdefault(definition.name, []).append(definition)
        # methods named, their type (or a selector of their name) not yet: by both words
        untyped: dict[str, list[Definition]] = {}
        ready: list[Definition] = []
        readied: set[int] = set()
        queue = [n for n in {*queue, *named.names} if n in pending]
        while queue or ready:
            if not ready:
                for definition in pending.pop(queue.pop(), ()):
                    if named.typed(definition):
                        ready.append(definition)
                        readied.add(id(definition))
                    else:
                        for word in {definition.receiver or "", definition.name}:
                            untyped.setdefault(word, []).append(definition)
                continue
            definition = ready.pop()
            queue.extend(
                n for n in named.add(definition.body, definition.directory) if n in pending
            )
            words = set(_IDENTIFIER.findall(_COMMENT.sub(" ", definition.body)))
            for word in words & untyped.keys():
                for method in untyped.pop(word):
                    if id(method) in readied:
                        continue
                    if named.typed(method):
                        ready.append(method)
                        readied.add(id(method))
                    else:
                        untyped.setdefault(word, []).append(method)
        self._reached[key] = named
        return named


@dataclass(slots=True)
class _Named:
    """What a program names: every identifier; of Go, unqualified identifiers by the
    directory (package) naming them, and qualified ones (``applications.Service``), since a
    type is named unqualified only inside its own package."""

    names: set[str] = field(default_factory=set)
    local: set[tuple[Path | None, str]] = field(default_factory=set)
    qualified: set[str] = field(default_factory=set)
    selected: set[str] = field(default_factory=set)  # names after a dot: ``x.run``

    def add(self, text: str, directory: Path | None) -> list[str]:
        """Take in the names of ``text`` (of a file in ``directory``; its comments name
        nothing that runs); returns the new ones."""
        text = _COMMENT.sub(" ", text)
        new = set(_IDENTIFIER.findall(text)) - self.names
        self.names |= new
        self.local.update((directory, word) for word in _PLAIN.findall(text))
        self.qualified.update(f"{a}.{b}" for a, b in _QUALIFIED.findall(text))
        self.selected.update(_SELECTED.findall(text))
        return list(new)

    def typed(self, definition: Definition) -> bool:
        """Whether a definition's receiver type (a Go method's) is named, if it has one, and
        the method selected: Go reaches a method only as ``x.run`` or ``T.run``; its name
        in an interface's method list (``run() error``) calls nothing."""
        receiver = definition.receiver
        return receiver is None or (
            (not definition.method or definition.name in self.selected)
            and (
                (definition.directory, receiver) in self.local
                or f"{definition.package}.{receiver}" in self.qualified
            )
        )

    def runs(self, definition: Definition) -> bool:
        return definition.name in self.names and self.typed(definition)
