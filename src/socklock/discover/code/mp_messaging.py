"""MicroProfile Reactive Messaging channels: the broker a channel's connector connects to.

``mp.messaging.incoming.orders.connector=smallrye-amqp`` with ``amqp-host=broker`` makes the
application a client of ``broker:5672``: the address is the channel's attribute, else the
connector's, else the runtime's shared key, on the connector's default port unless a port
attribute says otherwise (``data/messaging_connectors.toml``). Only an address the config
writes counts: with none, Quarkus in dev mode starts a broker of its own, unless its Dev
Services are switched off (``quarkus.kafka.devservices.enabled=false``) or its version
predates them (1.x): then the connector connects to its default address
(``localhost:9092``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from socklock.discover.code.config_readers import Entry, dotted_key

_CHANNEL = re.compile(r"^mp\.messaging\.(incoming|outgoing)\.(.+)\.connector$")
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")


@dataclass(frozen=True, slots=True)
class Connector:
    names: tuple[str, ...]
    what: str
    port: int
    hosts: tuple[str, ...]
    ports: tuple[str, ...]
    shared_hosts: tuple[str, ...]
    shared_ports: tuple[str, ...]
    default_host: str | None  # where it connects when no address is written
    devservices: tuple[str, ...]  # the switches of the broker Quarkus starts in its place


@dataclass(frozen=True, slots=True)
class ChannelAddress:
    """The broker address one channel's config gives."""

    host: Entry  # the entry that names the host (its location is the evidence's)
    port: str | None  # the port to add to a host written without one
    connector: Connector
    channel: str


@lru_cache(maxsize=1)
def connectors() -> tuple[Connector, ...]:
    from socklock.discover.tables import section

    return tuple(_connector(row) for row in section("messaging_connectors.toml", "connector"))


def _connector(row: dict[str, Any]) -> Connector:
    def names(key: str) -> tuple[str, ...]:
        return tuple(str(name).lower() for name in row.get(key, ()))

    return Connector(
        names("names"),
        str(row["what"]),
        int(row["port"]),
        names("hosts"),
        names("ports"),
        names("shared_hosts"),
        names("shared_ports"),
        str(row["default_host"]) if "default_host" in row else None,
        names("devservices"),
    )


def channel_addresses(
    entries: list[Entry], *, dev_services: bool = True
) -> tuple[list[ChannelAddress], set[int]]:
    """The broker address of every channel whose connector the table knows, and the ids of
    the entries read for them (the generic reading of a ``host`` key leaves them).
    ``dev_services``: False for a Quarkus before 2.0, which starts no broker of its own."""
    by_key: dict[tuple[str, str | None], Entry] = {}
    for entry in entries:
        by_key.setdefault((dotted_key(entry.key).lower(), entry.profile), entry)
    profiles = {entry.profile for entry in entries}
    switched_off = _switched_off(entries) | (set() if dev_services else {_ALL_DEV_SERVICES})
    keys = {key for key, _ in by_key}
    found: list[ChannelAddress] = []
    used: set[int] = set()
    seen: set[tuple[int, str | None]] = set()
    for entry in entries:
        match = _CHANNEL.match(dotted_key(entry.key).lower())
        connector = _known(entry.value)
        if match is None or connector is None:
            continue
        channel = f"mp.messaging.{match.group(1)}.{match.group(2)}"
        own = f"mp.messaging.connector.{entry.value.strip().lower()}"
        host_keys = _keys(channel, own, connector.hosts, connector.shared_hosts)
        port_keys = _keys(channel, own, connector.ports, connector.shared_ports)
        if keys.isdisjoint(host_keys):  # no address in any profile: the default, if any
            default = _default(entry, connector, switched_off)
            if default is not None:
                port = _first(by_key, port_keys, None)
                used.update(id(e) for e in (port,) if e is not None)
                number = port.value.strip() if port is not None else str(connector.port)
                found.append(ChannelAddress(default, number, connector, match.group(2)))
            continue
        for profile in sorted(profiles, key=lambda p: p or ""):
            host = _first(by_key, host_keys, profile)
            if host is None or (id(host), profile) in seen or (profile and host.profile is None):
                continue  # a profile's address only where that profile writes one
            seen.add((id(host), profile))
            port = _first(by_key, port_keys, host.profile)
            used.update(id(e) for e in (host, port) if e is not None)
            written = port.value.strip() if port is not None else str(connector.port)
            found.append(ChannelAddress(host, written, connector, match.group(2)))
    return found, used


_ALL_DEV_SERVICES = "quarkus.devservices.enabled"
# the Quarkus version a Maven or Gradle build pins (Dev Services came with 2.0)
_QUARKUS_VERSION = re.compile(
    r"<quarkus(?:\.platform|-plugin|-bom)?\.version>\s*(\d+)\."
    r"|quarkusPlatformVersion\s*=\s*(\d+)\.|quarkusPluginVersion\s*=\s*(\d+)\."
)
_BUILD_FILES = ("pom.xml", "gradle.properties", "build.gradle", "build.gradle.kts")


def without_dev_services(config: str) -> bool:
    """Whether the Quarkus build of a config file (``src/main/resources/application.
    properties``: its module's, else a parent's) pins a version before 2.0, which has no
    Dev Services: a channel without an address connects to its connector's default."""
    from pathlib import Path

    folder = Path(config).parent
    for _ in range(6):
        for name in _BUILD_FILES:
            try:
                text = (folder / name).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            found = _QUARKUS_VERSION.search(text)
            if found is not None:
                return int(next(g for g in found.groups() if g)) < 2
        if folder.parent == folder:
            break
        folder = folder.parent
    return False


def _switched_off(entries: list[Entry]) -> set[str]:
    """The Dev Services switches written ``false`` for every profile or for dev mode (the
    mode that would start a broker)."""
    return {
        dotted_key(e.key).lower()
        for e in entries
        if e.profile in (None, "%dev") and e.value.strip().lower() == "false"
    }


def _default(channel: Entry, connector: Connector, switched_off: set[str]) -> Entry | None:
    """The connector's default address for a channel that writes none, when no broker of
    Quarkus's own takes its place: its Dev Services are off (every service's, or its own)."""
    if connector.default_host is None or not connector.devservices:
        return None
    if not switched_off & {"quarkus.devservices.enabled", *connector.devservices}:
        return None
    return Entry(channel.key, connector.default_host, channel.line, channel.column, None)


def host_port(address: ChannelAddress) -> tuple[str, str | None]:
    """The host text and the port to join to it: none when the host has one or is a URL.
    A placeholder stands for its default (``${KAFKA:localhost:9092}`` has a port), a bare
    host when it has none."""
    from socklock.discover.code.placeholders import spring_placeholders

    text = address.host.value.strip()
    bare = text
    for placeholder in reversed(spring_placeholders(text)):
        default = placeholder.default if placeholder.default is not None else "x"
        bare = bare[: placeholder.start] + _PLACEHOLDER.sub("x", default) + bare[placeholder.end :]
    return text, None if (":" in bare or "," in bare) else address.port


def _keys(
    channel: str, own: str, attributes: tuple[str, ...], shared: tuple[str, ...]
) -> list[str]:
    """The keys of an attribute, in the order they win: the channel's, the connector's,
    the runtime's shared ones."""
    return [*(f"{channel}.{a}" for a in attributes), *(f"{own}.{a}" for a in attributes), *shared]


def _known(value: str) -> Connector | None:
    name = value.strip().lower()
    return next((c for c in connectors() if name in c.names), None)


def _first(
    by_key: dict[tuple[str, str | None], Entry], keys: list[str], profile: str | None
) -> Entry | None:
    """The first of ``keys`` written for ``profile``, else for every profile."""
    for wanted in dict.fromkeys((profile, None)):
        found = next((by_key[(k, wanted)] for k in keys if (k, wanted) in by_key), None)
        if found is not None:
            return found
    return None
