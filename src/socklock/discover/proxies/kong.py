"""Kong Gateway declarative configuration (``kong.yml``, ``_format_version``), and decK.

Kong proxies each route to its ``services[]`` entry: the service's ``url``, or its
``protocol`` (default ``http``), ``host`` and ``port`` (default 80; 443 for https and
grpcs). A service whose host is the name of one of the file's ``upstreams`` is balanced over
that upstream's ``targets`` (``host:port``, port 8000 when none is written). A service
that is disabled (``enabled: false``) is not proxied to.

Kong reads such a file itself in DB-less mode (``KONG_DECLARATIVE_CONFIG``); decK pushes
one to a Kong's Admin API (``deck sync --state kong.yaml --kong-addr http://kong:8001``,
``deck gateway sync kong.yaml``; ``DECK_KONG_ADDR``), and that Kong then proxies to the
services: the calls are the Kong's, not the decK container's (:func:`kong_fed_by`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from socklock.discover.proxies.interface import Found, Source, items

_SUFFIXES = (".yml", ".yaml", ".json")
_FORMAT = re.compile(r"""(?m)^["']?_format_version["']?\s*:""")
_DEFAULT_PORTS = {"http": 80, "https": 443, "grpc": 80, "grpcs": 443, "tcp": None, "tls": None}
_TARGET_PORT = 8000  # Kong's upstream target default port
# decK's flag naming the Admin API it writes to, and its env form (deck's --kong-addr)
_ADDRESS_FLAG = "--kong-addr"
_ADDRESS_ENV = "DECK_KONG_ADDR"
_DECK = re.compile(r"(?:^|/)deck$")


class KongReader:
    name = "kong"

    def claims(self, name: str, text: str) -> bool:
        return name.lower().endswith(_SUFFIXES) and _FORMAT.search(text) is not None

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        from socklock.discover.infra.values import documents

        for source in sources:
            for config in documents(source, env):
                yield from _services(source, config, env)


def _services(source: Source, config: Mapping[str, Any], env: Mapping[str, str]) -> Iterator[Found]:
    from socklock.discover.infra.values import address, where

    upstreams = {
        str(u.get("name")): u for u in items(config.get("upstreams")) if isinstance(u, Mapping)
    }
    for service in items(config.get("services")):
        if not isinstance(service, Mapping) or service.get("enabled") is False:
            continue
        name = service.get("name", "?")
        url = service.get("url")
        if isinstance(url, str):
            label = f"Kong service {name} url"
            yield from address(where(source, service, "url", url), url, env, label)
            continue
        host = service.get("host")
        if not isinstance(host, str):
            continue
        upstream = upstreams.get(host)
        if upstream is not None:
            for target in items(upstream.get("targets")):
                written = target.get("target") if isinstance(target, Mapping) else None
                if isinstance(written, str):
                    label = f"Kong service {name} upstream {host} target"
                    location = where(source, target, "target", written)
                    yield from address(
                        location, written, env, label, name_hint="HOST", default_port=_TARGET_PORT
                    )
            continue
        protocol = str(service.get("protocol", "http")).lower()
        port = service.get("port", _DEFAULT_PORTS.get(protocol))
        written = f"{host}:{port}" if isinstance(port, int) else host
        label = f"Kong service {name} ({protocol})"
        yield from address(
            where(source, service, "host", host),
            written,
            env,
            label,
            default_scheme=protocol if protocol in ("http", "https") else None,
            name_hint="HOST",
        )


def kong_fed_by(line: Sequence[str], env: Mapping[str, str]) -> str | None:
    """The Kong Admin API address a decK sync on the command ``line`` writes its state to
    (``--kong-addr``, else ``DECK_KONG_ADDR``); ``""`` for a decK sync that names none (its
    default, localhost:8001, is its own container); None when the line runs no decK sync."""
    from socklock.discover.commands import simple_commands

    for command in simple_commands(list(line)):
        words = [w for w in command if w]
        if not words or not _DECK.search(words[0]) or "sync" not in words[1:3]:
            continue
        for index, word in enumerate(words):
            if word == _ADDRESS_FLAG and index + 1 < len(words):
                return words[index + 1]
            if word.startswith(_ADDRESS_FLAG + "="):
                return word.split("=", 1)[1]
        return env.get(_ADDRESS_ENV, "")
    return None
