"""Which env vars a well-known server image calls the address of.

A ``mysql`` or ``redis`` container given the application's env file (compose ``env_file``
shared by every service) gets its peers' addresses too, but the server reads none of them:
only its replication and cluster settings (bitnami ``REDIS_MASTER_HOST``,
``KAFKA_ZOOKEEPER_CONNECT``...) make it call another server; so do the join flags of its
command line (``consul agent -retry-join=consul2``). Those are data
(``data/server_dials.toml``).
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import TYPE_CHECKING

from socklock.discover.addresses import IMAGE_PORTS, server_image
from socklock.discover.commands import expand, simple_commands, words
from socklock.load.units.names import image_name

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from socklock.discover.addresses import Target


@lru_cache(maxsize=1)
def _dialled() -> dict[str, tuple[str, ...]]:
    """Server image name → the env names (patterns) whose addresses it calls."""
    from socklock.discover.tables import section

    table: dict[str, tuple[str, ...]] = {}
    for row in section("server_dials.toml", "server"):
        images = [str(name) for name in row["images"]]
        if any(name not in IMAGE_PORTS for name in images):
            raise ValueError(f"server_dials.toml: not a server image of IMAGE_PORTS: {row!r}")
        if not isinstance(row.get("port", 0), int):
            raise ValueError(f"server_dials.toml: a port is a number: {row!r}")
        for name in images:
            table[name] = table.get(name, ()) + tuple(str(env) for env in row["env"])
    return table


@lru_cache(maxsize=1)
def _ports() -> dict[tuple[str, str], int]:
    """(server image name, env pattern) → the port the server dials the hosts it names on,
    for the rows that give one."""
    from socklock.discover.tables import section

    return {
        (str(image), str(env)): int(row["port"])
        for row in section("server_dials.toml", "server")
        if "port" in row
        for image in row["images"]
        for env in row["env"]
    }


def server_of(images: Iterable[str | None]) -> str | None:
    """The server image every container runs (``mariadb``), or None when any container runs
    another image (an exporter sidecar reads its own env) or none is given."""
    names = {server_image(image) for image in images}
    if len(names) != 1:
        return None
    return next(iter(names))


def server_dials(server: str, name: str) -> bool:
    """Whether server image ``server`` (an :data:`IMAGE_PORTS` name) calls the address that
    env var ``name`` holds."""
    return any(fnmatchcase(name, pattern) for pattern in _dialled().get(server, ()))


def server_targets(
    server: str, name: str, value: str, env: Mapping[str, str]
) -> list[Target] | None:
    """The peers a server dials from env var ``name``, when its row gives the port it dials
    them on (Cassandra's seeds: bare hosts, gossip on 7000, not the clients' 9042); None
    for a row without one (the value is read as any address is)."""
    from socklock.discover.conventions import Convention, sdk_targets

    port = next(
        (
            p
            for (image, pattern), p in _ports().items()
            if image == server and fnmatchcase(name, pattern)
        ),
        None,
    )
    if port is None:
        return None
    reading = Convention(sdk=f"the {server} server", env=(name,), gives="hosts", port=port)
    return sdk_targets(reading, name, value.replace(",", " "), env)


@lru_cache(maxsize=1)
def _joins() -> dict[tuple[str, str], int]:
    """(image name, flag without dashes) → the port the server dials the peers it names."""
    from socklock.discover.tables import section

    return {
        (str(image), str(flag)): int(row["port"])
        for row in section("server_dials.toml", "join")
        for image in row["images"]
        for flag in row["flags"]
    }


_JOINED = re.compile(
    r"^(?P<host>[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)(?::(?P<port>\d{1,5}))?$"
)


def joined_peers(
    image: str | None, line: str | list[str], env: Mapping[str, str]
) -> Iterator[tuple[str, str]]:
    """(word as written, ``host:port``) of each peer a server's command line joins
    (``data/server_dials.toml`` ``[[join]]``); a value that is no host (a cloud auto-join
    ``provider=aws tag_key=...``) or needs an unknown variable is left out."""
    name = (image_name(image) or "").lower()
    if not name:
        return
    table = _joins()
    if not any(known == name for known, _ in table):
        return
    for simple in simple_commands(words(line)):
        for index, word in enumerate(simple):
            if not word.startswith("-"):
                continue
            flag, equals, value = word.lstrip("-").partition("=")
            port = table.get((name, flag))
            if port is None:
                continue
            if not equals:
                if index + 1 >= len(simple):
                    continue
                value = simple[index + 1]
                word = f"{word} {value}"
            expanded = expand(value, env.get)
            found = _JOINED.match(expanded[0]) if expanded is not None else None
            if found is not None:
                yield word, f"{found['host']}:{found['port'] or port}"
