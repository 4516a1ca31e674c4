"""Env vars a framework binds to its own properties, whatever the code reads by name.

MicroProfile Config (Quarkus, Helidon, Open Liberty) and Micronaut read a property from the
env var its name maps to (``quarkus.datasource.jdbc.url`` ← ``QUARKUS_DATASOURCE_JDBC_URL``,
``kafka.bootstrap.servers`` ← ``KAFKA_BOOTSTRAP_SERVERS``), so an env var that a deployment
hands a Quarkus service is read by an extension even when no file of the service names the
property (the property's default, or Dev Services, stand where it is not set). Which
namespaces a build's framework and extensions read is data (``data/client_libraries.toml``
``[[framework_env]]``); a name that says it is no address the program dials (CORS
origins, redirect paths, the token issuer it checks) is left out by the row's ``not``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True, slots=True)
class FrameworkEnv:
    what: str
    artifacts: tuple[str, ...]  # build dependency parts (lower case) that bring the binding
    prefixes: tuple[str, ...]  # env name prefixes it binds
    names: tuple[str, ...]  # whole env names it binds
    unread: re.Pattern[str] | None  # names under a prefix that hold no address it dials

    def declared_in(self, dependencies: Iterable[str]) -> bool:
        return any(part in d.lower() for d in dependencies for part in self.artifacts)

    def binds(self, name: str) -> bool:
        upper = name.upper()
        if upper in self.names:
            return True
        if not upper.startswith(self.prefixes):
            return False
        return self.unread is None or self.unread.search(upper) is None


@lru_cache(maxsize=1)
def framework_envs() -> tuple[FrameworkEnv, ...]:
    """Every ``[[framework_env]]`` row of the table, in its order."""
    from socklock.discover.tables import section, strings

    return tuple(
        FrameworkEnv(
            str(row["what"]),
            tuple(a.lower() for a in strings(row, "artifacts")),
            tuple(p.upper() for p in strings(row, "prefixes")),
            tuple(n.upper() for n in strings(row, "names")),
            re.compile(str(row["not"])) if "not" in row else None,
        )
        for row in section("client_libraries.toml", "framework_env")
    )


def bound_by(dependencies: Iterable[str]) -> tuple[FrameworkEnv, ...]:
    """The rows whose binding the build declares."""
    listed = list(dependencies)
    return tuple(row for row in framework_envs() if row.declared_in(listed))
