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
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

# a top-level definition starting at column 0, per source file suffix
_GO = re.compile(r"func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)")
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
_TEST_FILE = re.compile(r"(?:_test\.go|^test_.*\.py|_test\.py|\.(?:test|spec)\.[jt]sx?)$")
_SKIPPED_DIRS = frozenset({"node_modules", "vendor", "__pycache__", "testdata"})
MAX_FILE_BYTES = 512 * 1024  # larger source files are generated: not read


@dataclass(frozen=True, slots=True)
class Definition:
    name: str
    first: int  # 1-based lines, inclusive
    last: int
    body: str


def definitions(path: Path) -> list[Definition] | None:
    """The top-level definitions of a source file, or None for a language not handled here."""
    pattern = _DEFINITIONS.get(path.suffix)
    if pattern is None:
        return None
    lines = _text(path).splitlines()
    found: list[Definition] = []
    start: tuple[str, int] | None = None

    def close(last: int) -> None:
        if start is not None:
            name, first = start
            found.append(Definition(name, first, last, "\n".join(lines[first - 1 : last])))

    for number, line in enumerate(lines, 1):
        if not line or line[0].isspace() or line.startswith(_CONTINUES):
            continue
        close(number - 1)
        match = pattern.match(line)
        start = (next(g for g in match.groups() if g), number) if match else None
    close(len(lines))
    return found


def _text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return ""
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _sources(directory: Path, *, tests: bool) -> list[Path]:
    """The source files of a handled language under ``directory`` (tests only if asked)."""
    out: list[Path] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith(".")]
        for name in files:
            path = Path(root, name)
            if path.suffix in _DEFINITIONS and (tests or not _TEST_FILE.search(name)):
                out.append(path)
    return out


@dataclass(slots=True)
class Reach:
    """The library functions each program (a directory inside a shared tree) reaches.
    ``programs``: the directories of every program of the input; another program's code
    is not library code (``trainings/service.NewApplication`` is not the trainer's
    ``service.NewApplication``)."""

    programs: frozenset[Path] = frozenset()
    _reached: dict[tuple[Path, Path], frozenset[str]] = field(default_factory=dict)
    _definitions: dict[Path, list[Definition] | None] = field(default_factory=dict)

    def reaches(self, program: Path, library: Path, file: str, line: int) -> bool:
        """Whether the program in ``program`` runs line ``line`` of ``file`` (a file of the
        shared tree ``library``): its own files always; a library file's line when it is
        outside every definition or in one the program names."""
        path = Path(file).resolve()
        if path.is_relative_to(program) or not path.is_relative_to(library):
            return True
        if self._in_other_program(path, program):
            return False
        enclosing = self._enclosing(path, line)
        return enclosing is None or enclosing in self._names(program, library)

    def _enclosing(self, path: Path, line: int) -> str | None:
        if path not in self._definitions:
            self._definitions[path] = definitions(path)
        found = self._definitions[path]
        return next((d.name for d in found or () if d.first <= line <= d.last), None)

    def _in_other_program(self, path: Path, program: Path) -> bool:
        return any(
            path.is_relative_to(other) and not program.is_relative_to(other)
            for other in self.programs
            if other != program
        )

    def _names(self, program: Path, library: Path) -> frozenset[str]:
        """Every identifier the program's code names, closed over the library definitions
        those names reach."""
        key = (program, library)
        if key in self._reached:
            return self._reached[key]
        names: set[str] = set()
        for path in _sources(program, tests=False):
            names.update(_IDENTIFIER.findall(_text(path)))
        bodies: dict[str, list[str]] = {}
        for path in _sources(library, tests=False):
            if path.is_relative_to(program) or self._in_other_program(path, program):
                continue
            for definition in self._definitions.setdefault(path, definitions(path)) or ():
                bodies.setdefault(definition.name, []).append(definition.body)
        queue = [n for n in names if n in bodies]
        while queue:
            for body in bodies.pop(queue.pop(), ()):
                new = set(_IDENTIFIER.findall(body)) - names
                names |= new
                queue.extend(n for n in new if n in bodies)
        self._reached[key] = frozenset(names)
        return self._reached[key]
