"""The Spring properties a workload runs with, for placeholders that name other properties.

``spring.cloud.config.uri: http://${app.config-server}:8888`` is resolved by Spring from the
application's Environment: ``app.config-server`` set in the same file, in its other config
files, or in what a config server serves it, under the profiles it runs. Precedence, highest
first (Spring Boot and Spring Cloud Config's documented order): the files a config server
serves the application (before the env too: the join looks at the env between these and
the rest), then its own ``application*`` files, then its ``bootstrap*`` files;
within the served files, a document or file of an active profile before the default ones and
``<name>.yml`` before the shared ``application.yml``; within the own files, an active
profile's before the default. A property set only under a profile the workload does not
run is not set. Properties are matched by the env var name relaxed binding gives them
(``app.config-server`` and ``APP_CONFIGSERVER`` are one), which is how placeholders reach
the join.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from socklock.discover.code.config_readers import dotted_key
from socklock.discover.code.placeholders import spring_env_name

if TYPE_CHECKING:
    from socklock.discover.code.config_readers import Entry


class Source(IntEnum):
    """Where a workload's config file comes from, lowest precedence first."""

    BOOTSTRAP = 0
    OWN = 1  # its own application*.yml
    SERVED_SHARED = 2  # a config server's application.yml, for every client
    SERVED = 3  # a config server's <name>.yml


@dataclass(frozen=True, slots=True)
class Property:
    key: str  # dotted, as written
    value: str
    file: str
    line: int
    column: int
    profile: str | None
    served: bool  # by a config server: Spring Cloud Config puts it before the env


class SpringProperties:
    """Workload → its Spring config files; each file is read once, on the first lookup."""

    def __init__(self) -> None:
        self._files: dict[str, dict[str, Source]] = {}
        self._entries: dict[str, dict[str, list[Entry]]] = {}  # file → env name → entries

    def add(self, workload: str, file: str, source: Source) -> None:
        """``file`` configures ``workload`` (kept at its highest source)."""
        files = self._files.setdefault(workload, {})
        files[file] = max(source, files.get(file, source))

    def has(self, workload: str) -> bool:
        return workload in self._files

    def sets(self, workload: str, name: str) -> bool:
        """Whether any of the workload's config files sets env-style ``name``, under any
        profile (one it does not run too)."""
        return any(name in self._read(file) for file in self._files.get(workload, {}))

    def files(self, workload: str) -> dict[str, Source]:
        """The workload's Spring config files and where each comes from."""
        return dict(self._files.get(workload, {}))

    def lookup(self, workload: str, name: str, active: frozenset[str]) -> Property | None:
        """The property that sets env-style ``name`` for ``workload`` under ``active``
        profiles; None when no file sets it or the strongest settings disagree."""
        found: list[tuple[tuple[int, ...], Property]] = []
        imported = self.imports(workload) if name != _IMPORT else frozenset()
        for file, source in self._files.get(workload, {}).items():
            named = _file_profile(file, active)
            for entry in self._read(file).get(name, ()):
                if (
                    entry.profile is not None
                    and entry.profile not in active
                    and Path(file).name not in imported
                ):
                    continue
                dotted = dotted_key(entry.key)
                served = source >= Source.SERVED_SHARED
                profile = entry.profile if entry.profile is not None else named
                prop = Property(
                    dotted, entry.value, file, entry.line, entry.column, profile, served
                )
                found.append((_rank(source, profile is not None), prop))
        if not found:
            return None
        best = max(rank for rank, _ in found)
        strongest = [prop for rank, prop in found if rank == best]
        if len({prop.value for prop in strongest}) != 1:
            return None
        return max(strongest, key=lambda prop: (prop.line, prop.column))

    def imports(self, workload: str) -> frozenset[str]:
        """The names of the files the workload's default config imports
        (``spring.config.import: classpath:application-common.yaml``, ``optional:`` too):
        loaded whatever profiles run, so a profile-named file imported so is no profile's."""
        found: set[str] = set()
        for file in self._files.get(workload, {}):
            for entry in self._read(file).get(_IMPORT, ()):
                if entry.profile is not None:
                    continue
                for item in entry.value.split(","):
                    written = item.strip().removeprefix("optional:")
                    for scheme in ("classpath:", "file:"):
                        if written.startswith(scheme):
                            found.add(PurePosixPath(written[len(scheme) :]).name)
        return frozenset(found)

    def _read(self, file: str) -> dict[str, list[Entry]]:
        if file not in self._entries:
            from socklock.discover.code.config_files import read_entries

            try:
                text = Path(file).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            by_name: dict[str, list[Entry]] = {}
            for entry in read_entries(file, text):
                by_name.setdefault(spring_env_name(dotted_key(entry.key))[0], []).append(entry)
            self._entries[file] = by_name
        return self._entries[file]


_IMPORT = "SPRING_CONFIG_IMPORT"  # spring.config.import, as an env name


def _file_profile(file: str, active: frozenset[str]) -> str | None:
    """The active profile a file is named for (``application-docker.yml``,
    ``orders-prod.yaml``): its settings rank as that profile's document does."""
    stem = PurePosixPath(file).stem
    return next((p for p in sorted(active) if stem.endswith(f"-{p}")), None)


def _rank(source: Source, profiled: bool) -> tuple[int, ...]:
    """Served files: profile before name; own files: application before bootstrap, then
    profile."""
    if source >= Source.SERVED_SHARED:
        return (1, int(profiled), int(source))
    return (0, int(source), int(profiled))
