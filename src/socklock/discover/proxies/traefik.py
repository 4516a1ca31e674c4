"""Traefik's Docker provider: compose labels route a Traefik service to the labelled ones.

A service with ``traefik.http.routers.*`` or ``traefik.<http|tcp|udp>.services.*`` labels
(or v1's ``traefik.frontend.rule``/``traefik.port``), or ``traefik.enable=true``, is a
callee of every Traefik service of its project, on the port
``traefik.<proto>.services.<name>.loadbalancer.server.port`` (v1: ``traefik.port``) names,
or on the one port the service exposes. ``traefik.enable=false`` takes a service out, and a
Traefik started with ``exposedbydefault=false`` routes only to ``traefik.enable=true``. A
Traefik service is one whose image is Traefik's or whose command enables the Docker provider.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from socklock.discover.builder import GraphBuilder
from socklock.discover.resolve import ComposeResolver
from socklock.model import ComposeProject, ComposeService, Evidence, EvidenceKind, Location

# v2/v3 routers and services; v1's ``traefik.frontend.rule``, ``traefik.backend``,
# ``traefik.port`` and per-service ``traefik.<name>.port`` / ``traefik.<name>.frontend.*``
_ROUTING = re.compile(
    r"^traefik\.(?:(?:http|tcp|udp)\.(?:routers|services)\.|frontend\.|backend$|port$"
    r"|[^.]+\.port$|[^.]+\.frontend\.)"
)
_SERVER_PORT = re.compile(
    r"^traefik\.(?:(http|tcp|udp)\.services\.[^.]+\.loadbalancer\.server\.port|port|[^.]+\.port)$"
)


def _labels(service: ComposeService) -> Iterator[tuple[str, str, Location]]:
    labels = service.body.get("labels")
    file = service.location.file
    if isinstance(labels, dict):
        for key, value in labels.items():
            line, column = getattr(labels, "key_positions", {}).get(key, (0, 0))
            yield str(key), str(value), Location(file, line, column)
    elif isinstance(labels, list):
        positions = getattr(labels, "item_positions", [])
        for index, item in enumerate(labels):
            key, _, value = str(item).partition("=")
            line, column = positions[index] if index < len(positions) else (0, 0)
            yield key.strip(), value.strip(), Location(file, line, column)


def _command(service: ComposeService) -> list[str]:
    command = service.body.get("command")
    return [str(w) for w in command] if isinstance(command, list) else str(command or "").split()


def _is_traefik(service: ComposeService) -> bool:
    image = (service.image or "").split("@")[0].rsplit("/", 1)[-1].split(":")[0]
    words = _command(service)
    return image == "traefik" or any(
        w.startswith(("--providers.docker", "--docker")) for w in words
    )


def _exposed_by_default(proxy: ComposeService) -> bool:
    """``--providers.docker.exposedbydefault=false``: only ``traefik.enable=true`` is routed."""
    for word in _command(proxy):
        flag, _, value = word.partition("=")
        if flag.lower() in ("--providers.docker.exposedbydefault", "--docker.exposedbydefault"):
            return value.strip("\"'").lower() != "false"
    return True


def add_traefik_edges(
    project: ComposeProject, aliases: dict[str, str], builder: GraphBuilder
) -> None:
    proxies = [s for s in project.services if _is_traefik(s)]
    if not proxies:
        return
    resolver = ComposeResolver(project)
    for service in project.services:
        if service in proxies:
            continue
        labels = list(_labels(service))
        enable = {v.lower() for k, v, _ in labels if k == "traefik.enable"}
        if "false" in enable:
            continue
        routing = [(k, v, where) for k, v, where in labels if _ROUTING.match(k)]
        if not routing and "true" not in enable:
            continue
        routers = [p for p in proxies if "true" in enable or _exposed_by_default(p)]
        if not routing:
            routing = [(k, v, where) for k, v, where in labels if k == "traefik.enable"]
        calls: list[tuple[int | None, str, str, Location]] = []
        for key, value, where in routing:
            match = _SERVER_PORT.match(key)
            if match and value.isdigit():
                protocol = "UDP" if match.group(1) == "udp" else "TCP"
                calls.append((int(value), protocol, f"{key}={value}", where))
        if not calls:
            known = resolver.service_ports(service)
            key, value, where = routing[0]
            calls.append((known[0] if len(known) == 1 else None, "TCP", f"{key}={value}", where))
        for proxy in routers:
            source, target = proxy.id, service.id
            if proxy.id in aliases and service.id in aliases:
                source, target = aliases[proxy.id], aliases[service.id]
            for port, protocol, label, where in calls:
                builder.add_edge(
                    source,
                    target,
                    port,
                    protocol,
                    Evidence(
                        EvidenceKind.PROXY,
                        where,
                        f"traefik label {label} on {service.id} (routed by {proxy.id})",
                    ),
                )
