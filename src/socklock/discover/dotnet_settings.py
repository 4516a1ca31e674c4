"""ASP.NET Core configuration files: what ``Configuration["RabbitMQHost"]`` reads.

A .NET host reads ``appsettings.json`` from its content root (the project folder), then
``appsettings.{Environment}.json`` over it; the environment is ``ASPNETCORE_ENVIRONMENT``
(else ``DOTNET_ENVIRONMENT``) and, unset, ``Production``. Env vars override both (the join
looks them up first). Keys are case-insensitive; ``ConnectionStrings__Orders`` (the env
spelling) is the key ``ConnectionStrings:Orders``. A file of another environment
(``appsettings.Development.json`` in a container that runs Production) is not read at all.

A program may add its own files (``AddJsonFile("rabbitmq.json")``, in its code or in a
library project it references): they are read from the same content root, after the
appsettings files, so their values win over them and a file added later wins over one
added earlier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

from socklock.model import BuildUnit

DEFAULT_ENVIRONMENT = "Production"
ENVIRONMENT_VARIABLES = ("ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT")
_SETTINGS = re.compile(r"^appsettings(?:\.([\w-]+))?\.json$", re.IGNORECASE)
_MAX_DEPTH = 6  # folders walked up from a source file to its project's content root
# ``config.AddJsonFile("rabbitmq.json", optional: true)``: a file named by a literal (an
# interpolated name such as ``$"appsettings.{env}.json"`` is the environment's, read above)
_ADDED_FILE = re.compile(
    r"""\.Add(?:Json|Yaml)File\s*\(\s*(?:path\s*:\s*)?@?"([^"{}]+\.(?:json|ya?ml))"\s*[,)]"""
)
_NOT_SOURCES = frozenset({"bin", "obj", "node_modules", ".git"})


@dataclass(frozen=True, slots=True)
class Setting:
    value: str
    file: str
    line: int
    column: int


def environment_of(env: Mapping[str, str]) -> str:
    """The host environment a workload runs: its env's, else Production."""
    return next((env[n] for n in ENVIRONMENT_VARIABLES if env.get(n)), DEFAULT_ENVIRONMENT)


def settings_environment(file: str) -> str | None:
    """``Development`` for ``appsettings.Development.json``; None for ``appsettings.json``
    (read in every environment) and any other file."""
    match = _SETTINGS.match(PurePath(file).name)
    return match.group(1) if match else None


class DotnetSettings:
    """The appsettings files of each project, read on first lookup."""

    def __init__(self, units: Iterable[BuildUnit] = ()) -> None:
        self._files: dict[Path, dict[str, Setting]] = {}
        self._roots: dict[Path, Path | None] = {}
        self._added: dict[Path, tuple[str, ...]] = {}
        # a .NET project's folder → the folders of its code (its library projects' too)
        self._sources: dict[Path, tuple[Path, ...]] = {
            Path(unit.sources[0]).resolve(): tuple(Path(s) for s in unit.sources)
            for unit in units
            if unit.kind == "dotnet" and unit.sources
        }

    def lookup(self, name: str, reading_file: str, environment: str) -> Setting | None:
        """The value of key ``name`` (``RabbitMQHost``, ``ConnectionStrings__Orders``) for
        the project of ``reading_file`` running in ``environment``: its environment's file
        first, then ``appsettings.json``."""
        root = self._content_root(Path(reading_file).parent)
        if root is None:
            return None
        key = name.replace("__", ".").replace(":", ".").lower()
        added = [root / n for n in reversed(self.added_files(root))]
        for file in (*added, root / f"appsettings.{environment}.json", root / "appsettings.json"):
            found = self._read(file).get(key)
            # null (the reader's text for it) or "": the code's default applies
            if found is not None and found.value not in ("", "null"):
                return found
        return None

    def _content_root(self, folder: Path) -> Path | None:
        """The nearest folder at or above ``folder`` with an ``appsettings*.json`` (a
        project may have only its environments' files), not above the project's own."""
        if folder not in self._roots:
            found: Path | None = None
            for candidate in [folder, *folder.parents][:_MAX_DEPTH]:
                try:
                    names = [p.name for p in candidate.iterdir()]
                except OSError:
                    continue
                if any(_SETTINGS.match(n) for n in names):
                    found = candidate
                    break
                if any(n.endswith(".csproj") for n in names):
                    # the project's folder: its content root when it has a file it adds
                    added = self.added_files(candidate)
                    if any((candidate / n).is_file() for n in added):
                        found = candidate
                    break
            self._roots[folder] = found
        return self._roots[folder]

    def added_files(self, root: Path) -> tuple[str, ...]:
        """The config files the project at ``root`` adds (``AddJsonFile("bus.json")``), in
        the order its code adds them, from its code and its library projects' code."""
        if root not in self._added:
            names: list[str] = []
            for folder in self._sources.get(root.resolve(), (root,)):
                for source in sorted(_code_files(folder)):
                    try:
                        text = source.read_text(encoding="utf-8", errors="replace")
                    except OSError:
                        continue
                    for match in _ADDED_FILE.finditer(text):
                        name = match.group(1).replace("\\", "/")
                        if name not in names:
                            names.append(name)
            self._added[root] = tuple(names)
        return self._added[root]

    def _read(self, file: Path) -> dict[str, Setting]:
        if file not in self._files:
            from socklock.discover.code.config_files import read_entries
            from socklock.discover.code.config_readers import dotted_key

            values: dict[str, Setting] = {}
            try:
                text = file.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            # an added file (``rabbitmq.json``) is read as the settings file it is
            seen_as = file.name if _SETTINGS.match(file.name) else f"appsettings{file.suffix}"
            for entry in read_entries(str(file), text, seen_as) if text else ():
                dotted = dotted_key(entry.key).lower()
                values[dotted] = Setting(entry.value, str(file), entry.line, entry.column)
            self._files[file] = values
        return self._files[file]


def _code_files(folder: Path) -> Iterable[Path]:
    """The C# files of a project folder, not its build output."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink() and entry.name not in _NOT_SOURCES:
            yield from _code_files(entry)
        elif entry.suffix == ".cs":
            yield entry
