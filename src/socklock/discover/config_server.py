"""Spring Cloud Config: the files a config server serves are its clients' configuration.

A config server with ``spring.cloud.config.server.native.search-locations:
classpath:/shared`` hands ``shared/orders.yml`` (and ``shared/orders-docker.yml``) to the
application named ``orders``, and ``shared/application.yml`` to every application. The
addresses in those files are calls of the applications, not of the server, and a
``server.port`` there is the application's port.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath

_SUFFIXES = frozenset({".yml", ".yaml", ".properties"})
_SHARED_STEM = re.compile(r"^application(?:-[A-Za-z0-9_.]+)?$")


@dataclass(frozen=True, slots=True)
class ConfigServers:
    """Config server workload → the directory names its search locations point at."""

    locations: Mapping[str, frozenset[str]]

    @classmethod
    def from_declared(cls, declared: Iterable[tuple[str, str]]) -> ConfigServers:
        """(workload, search-locations value) pairs: ``classpath:/shared,file:/config``."""
        locations: dict[str, set[str]] = {}
        for workload, value in declared:
            for item in value.split(","):
                name = item.strip().rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
                if name and "{" not in name:
                    locations.setdefault(workload, set()).add(name)
        return cls({w: frozenset(names) for w, names in locations.items()})

    def serves(self, file: str, workload: str) -> bool:
        """Whether ``file`` of ``workload``'s module is a file the server hands out."""
        names = self.locations.get(workload)
        path = PurePath(file)
        if not names or path.suffix.lower() not in _SUFFIXES:
            return False
        return any(part in names for part in path.parts[:-1])

    def clients(
        self, file: str, server: str, names: Mapping[str, set[str]], applications: set[str]
    ) -> list[str]:
        """The workloads a served file configures: ``application*`` is for every
        application (a workload that declares its service name) but the server,
        ``<name>[-<profile>]`` for the workload of that name."""
        stem = PurePath(file).stem.lower()
        if _SHARED_STEM.match(stem):
            return sorted(applications - {server})
        parts = stem.split("-")
        for end in range(len(parts), 0, -1):  # orders-service-docker → orders-service
            found = names.get("-".join(parts[:end]))
            if found:
                return sorted(found - {server})
        return []
