"""Which client library a Spring property configures, and whether a module has it.

The table is data (``data/client_libraries.toml``). A config server's shared
``application.yml`` names the registry, the broker and the auth server for every client;
an application calls one of them only when its build declares the library that reads
the property (``eureka.client.*`` needs a Eureka client, ``spring.rabbitmq.*`` an AMQP
binder). A module whose dependencies are unknown is given the benefit of the doubt.

The same file's ``[[client]]`` rows name clients in code (``redis.createClient``, ``new
Jedis``) and the protocol each speaks, so a host given to one without a port takes that
protocol's default port (code/clients.py makes a row a query pattern too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True, slots=True)
class Library:
    what: str
    keys: tuple[str, ...]  # relaxed property prefixes
    artifacts: tuple[str, ...]

    def declared_in(self, dependencies: Iterable[str]) -> bool:
        return any(part in d.lower() for d in dependencies for part in self.artifacts)


def relaxed(key: str) -> str:
    """Spring relaxed binding: ``serviceUrl``, ``service-url``, ``service_url`` are one key."""
    return key.lower().replace("-", "").replace("_", "")


@lru_cache(maxsize=1)
def libraries() -> tuple[Library, ...]:
    """Every row of the table, in its order."""
    from socklock.discover.tables import section

    rows = section("client_libraries.toml", "library")
    return tuple(
        Library(
            str(row["what"]),
            tuple(relaxed(str(k)) for k in row["keys"]),
            tuple(str(a).lower() for a in row["artifacts"]),
        )
        for row in rows
    )


@lru_cache(maxsize=1)
def _registry_clients() -> tuple[str, ...]:
    from socklock.discover.tables import section

    table = section("client_libraries.toml", "registry")
    return tuple(str(a).lower() for a in table["artifacts"])


@lru_cache(maxsize=1)
def _registry_families() -> dict[str, tuple[str, ...]]:
    from socklock.discover.tables import section

    table = section("client_libraries.toml", "registry")["families"]
    return {str(name): tuple(str(a).lower() for a in parts) for name, parts in table.items()}


def registry_families(dependencies: Iterable[str]) -> frozenset[str]:
    """The registries (``eureka``, ``consul``...) the build's discovery clients register in;
    empty when it has none of a known registry."""
    lowered = [d.lower() for d in dependencies]
    return frozenset(
        name
        for name, parts in _registry_families().items()
        if any(part in d for d in lowered for part in parts)
    )


def registry_client(dependencies: Iterable[str]) -> str | None:
    """The dependency that registers the module in a service registry (a Eureka or Consul
    discovery client), if it has one."""
    return next(
        (d for d in dependencies if any(part in d.lower() for part in _registry_clients())), None
    )


@dataclass(frozen=True, slots=True)
class Client:
    """A client in code and the protocol it speaks (its default port)."""

    what: str
    languages: frozenset[str]
    calls: tuple[str, ...]  # regexes of a call's callee text
    constructors: tuple[str, ...]  # regexes of the type a ``new`` builds
    scheme: str


@lru_cache(maxsize=1)
def clients() -> tuple[Client, ...]:
    """Every ``[[client]]`` row of the table, in its order."""
    from socklock.discover.tables import section

    rows = section("client_libraries.toml", "client")
    return tuple(
        Client(
            str(row["what"]),
            frozenset(str(lang) for lang in row["languages"]),
            tuple(str(c) for c in row.get("calls", ())),
            tuple(str(c) for c in row.get("constructors", ())),
            str(row["scheme"]),
        )
        for row in rows
    )


def client_scheme(language: str, callee: str, *, constructor: bool = False) -> str | None:
    """The protocol of the client that a call of ``callee`` (or, with ``constructor``, a
    ``new`` of that type) builds in ``language``, if the table knows it."""
    wanted = "".join(callee.split())
    for client in clients():
        patterns = client.constructors if constructor else client.calls
        if language in client.languages and any(re.search(p, wanted) for p in patterns):
            return client.scheme
    return None


@lru_cache(maxsize=1)
def _storage_rows() -> tuple[tuple[tuple[str, ...], frozenset[str]], ...]:
    from socklock.discover.tables import section

    rows = section("client_libraries.toml", "storage")
    return tuple(
        (tuple(str(p).lower() for p in row["packages"]), frozenset(map(str, row["services"])))
        for row in rows
    )


def storage_services(dependencies: Iterable[str]) -> frozenset[str]:
    """The Azure Storage services (blob, queue, table, file) the module's build has clients
    of (``[[storage]]`` rows); empty when it has none the table knows."""
    lowered = [d.lower() for d in dependencies]
    return frozenset(
        service
        for packages, services in _storage_rows()
        if any(part in d for d in lowered for part in packages)
        for service in services
    )


def library_for(key: str) -> Library | None:
    """The client library that reads property ``key`` (dotted), if the table knows one."""
    wanted = relaxed(key)
    return next((lib for lib in libraries() if any(wanted.startswith(k) for k in lib.keys)), None)
