"""Client libraries that, given no address, dial a default one on localhost.

Micronaut Kafka connects to ``localhost:9092`` when ``kafka.bootstrap.servers`` is not set;
Micronaut's Zipkin reporter, once ``tracing.zipkin.enabled``, sends to
``http://localhost:9411``. From a unit run from its sources on the host, localhost is the
host, where a compose file publishes its servers' ports (or where the README's
``docker run -p 9092:9092`` puts them): a call to what listens there. In a container it is
the container itself, so nothing. The table is data (``data/client_libraries.toml``
``[[local_default]]``); the Spring Cloud Config client's default has its own rule
(``code_evidence.add_config_client_defaults``: it needs a bootstrap context).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True, slots=True)
class LocalDefault:
    what: str
    artifacts: tuple[str, ...]  # build dependency parts that make a module a client
    keys: tuple[str, ...]  # dotted config keys that give the address (any one set: no default)
    address: str  # where the client goes when none is given
    on: tuple[str, ...]  # keys that must be ``true`` for the client to run at all
    off: tuple[str, ...]  # keys that, ``false``, turn the client off

    def client_in(self, dependencies: Iterable[str]) -> str | None:
        """The dependency that makes a build a client, None when it has none."""
        lowered = [d.lower() for d in dependencies]
        return next((d for d in lowered if any(part in d for part in self.artifacts)), None)


@lru_cache(maxsize=1)
def local_defaults() -> tuple[LocalDefault, ...]:
    """Every ``[[local_default]]`` row of the table, in its order."""
    from socklock.discover.tables import section, strings

    return tuple(
        LocalDefault(
            str(row["what"]),
            tuple(a.lower() for a in strings(row, "artifacts")),
            strings(row, "keys"),
            str(row["address"]),
            strings(row, "on"),
            strings(row, "off"),
        )
        for row in section("client_libraries.toml", "local_default")
    )
