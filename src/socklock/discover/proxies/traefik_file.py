"""Traefik's file provider (dynamic configuration in YAML or TOML).

``http|tcp|udp.services.<name>.loadBalancer.servers[]`` (``url`` for HTTP, ``address`` for
TCP/UDP) are calls of the Traefik that reads the file when a router names the service
(``routers.<r>.service``, with or without ``@file``), or a used ``weighted``/``mirroring``
service does. A service no router reaches is never sent a request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from socklock.discover.addresses import find_targets
from socklock.discover.proxies.envsubst import fill
from socklock.discover.proxies.interface import Found, Source, Upstream, items
from socklock.model import Location

_PROTOCOLS = ("http", "tcp", "udp")


class TraefikFileReader:
    name = "traefik"

    def claims(self, name: str, text: str) -> bool:
        lowered = name.lower()
        if not lowered.endswith((".yaml", ".yml", ".toml")) and not lowered.endswith(
            (".yaml.tmpl", ".yml.tmpl", ".toml.tmpl")
        ):
            return False
        return "loadBalancer" in text and "servers" in text and "routers" in text

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            text = fill(source.text, env)[0] if source.template else source.text
            for document in _documents(source, text):
                for protocol in _PROTOCOLS:
                    section = document.get(protocol)
                    if isinstance(section, Mapping):
                        yield from _section(source, protocol, section)


def _documents(source: Source, text: str) -> Iterator[Mapping[str, Any]]:
    if source.file.lower().split(".tmpl")[0].endswith(".toml"):
        import tomllib

        try:
            yield tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return
        return
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.yamlread import Document, load_yaml

    for document in load_yaml(text, source.file, DEFAULT_LIMITS):
        if isinstance(document, Document) and isinstance(document.value, Mapping):
            yield document.value


def _section(source: Source, protocol: str, section: Mapping[str, Any]) -> Iterator[Found]:
    routers = section.get("routers")
    services = section.get("services")
    if not isinstance(routers, Mapping) or not isinstance(services, Mapping):
        return
    used: dict[str, str] = {}  # service → the router that names it
    for name, router in routers.items():
        if isinstance(router, Mapping) and isinstance(router.get("service"), str):
            used.setdefault(router["service"].split("@")[0], f"router {name}")
    for name, service in services.items():  # weighted and mirroring services name others
        if name not in used or not isinstance(service, Mapping):
            continue
        for kind in ("weighted", "mirroring"):
            spec = service.get(kind)
            if not isinstance(spec, Mapping):
                continue
            named = [spec.get("service")] + [
                item.get("name")
                for key in ("services", "mirrors")
                for item in items(spec.get(key))
                if isinstance(item, Mapping)
            ]
            for other in named:
                if isinstance(other, str):
                    used.setdefault(other.split("@")[0], f"{kind} service {name}")
    for name, service in services.items():
        balancer = service.get("loadBalancer") if isinstance(service, Mapping) else None
        servers = balancer.get("servers") if isinstance(balancer, Mapping) else None
        if name not in used or not isinstance(servers, list):
            continue
        for server in servers:
            if not isinstance(server, Mapping):
                continue
            value = server.get("url") or server.get("address")
            if not isinstance(value, str):
                continue
            where = _where(source, server, value)
            for target in find_targets(value, name_hint="ADDRESS"):
                yield Upstream(
                    target.host,
                    target.port,
                    target.scheme,
                    where,
                    f"Traefik {protocol} service {name}: {value} (used by {used[name]})",
                    "UDP" if protocol == "udp" else "TCP",
                )


def _where(source: Source, server: Any, value: str) -> Location:
    key = "url" if "url" in server else "address"
    line, column = getattr(server, "key_positions", {}).get(key, (0, 0))
    if line and not source.line_offset:
        return Location(source.file, line, column)
    if line:
        return source.where(line, key)
    for number, text in enumerate(source.text.split("\n"), start=1):  # TOML: no positions
        if re.search(rf"\b{key}\s*=", text) and (value in text or "$" in text):
            return source.where(number, key)
    return Location(source.file)
