"""Traefik's Docker provider: compose labels route a Traefik service to the labelled ones.

A service with ``traefik.http.routers.*`` or ``traefik.<http|tcp|udp>.services.*`` labels
(or v1's ``traefik.frontend.rule``/``traefik.port``), or ``traefik.enable=true``, is a
callee of every Traefik service of its project, on the port
``traefik.<proto>.services.<name>.loadbalancer.server.port`` (v1: ``traefik.port``) names,
or on the one port the service exposes: the one it declares, else the one its local build's
Dockerfile EXPOSEs, else a well-known server image's; with none of these the route is
reported unresolved (never a call on no port). ``traefik.enable=false`` takes a service
out, and a Traefik started with ``exposedbydefault=false`` routes only to
``traefik.enable=true``. A ``forwardAuth`` middleware that a router uses is a call of
Traefik too: it asks the ``address`` before every request it forwards. A Traefik service is
one whose image is Traefik's or whose command enables the Docker provider.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from socklock.discover.addresses import find_targets, image_port
from socklock.discover.builder import GraphBuilder
from socklock.discover.manifests import add_resolution
from socklock.discover.resolve import ComposeResolver
from socklock.model import (
    ComposeProject,
    ComposeService,
    Dockerfile,
    Evidence,
    EvidenceKind,
    Location,
    Unresolved,
)

# v2/v3 routers and services; v1's ``traefik.frontend.rule``, ``traefik.backend``,
# ``traefik.port`` and per-service ``traefik.<name>.port`` / ``traefik.<name>.frontend.*``
_ROUTING = re.compile(
    r"^traefik\.(?:(?:http|tcp|udp)\.(?:routers|services)\.|frontend\.|backend$|port$"
    r"|[^.]+\.port$|[^.]+\.frontend\.)"
)
_FORWARD_AUTH = re.compile(r"^traefik\.http\.middlewares\.([^.]+)\.forwardauth\.address$", re.I)
_ROUTER_MIDDLEWARES = re.compile(r"^traefik\.http\.routers\.[^.]+\.middlewares$", re.I)
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


def _exposed(service: ComposeService, dockerfiles: Sequence[Dockerfile]) -> list[int]:
    """The ports the final stage of the service's local build EXPOSEs."""
    if not service.build_context:
        return []
    path = (Path(service.build_context) / (service.dockerfile or "Dockerfile")).resolve()
    built = next((d for d in dockerfiles if Path(d.path).resolve() == path), None)
    ports: set[int] = set()
    for instruction in built.final_stage() if built is not None else ():
        if instruction.keyword == "EXPOSE":
            for word in instruction.value.split():
                number = word.split("/")[0]
                if number.isdigit():
                    ports.add(int(number))
    return sorted(ports)


def routed_port(
    service: ComposeService, resolver: ComposeResolver, dockerfiles: Sequence[Dockerfile]
) -> int | None:
    """The port Traefik routes to without a port label: the container's one port."""
    for known in (resolver.service_ports(service), _exposed(service, dockerfiles)):
        if len(known) == 1:
            return known[0]
        if known:
            return None
    return image_port(service.image)


def _forward_auth(
    project: ComposeProject,
    proxies: list[ComposeService],
    aliases: dict[str, str],
    builder: GraphBuilder,
    resolver: ComposeResolver,
) -> None:
    """``forwardAuth.address`` of a middleware some router uses: Traefik calls it."""
    labels = [label for service in project.services for label in _labels(service)]
    used = {
        name.strip().split("@")[0]
        for key, value, _ in labels
        if _ROUTER_MIDDLEWARES.match(key)
        for name in value.split(",")
    }
    for key, value, where in labels:
        match = _FORWARD_AUTH.match(key)
        if match is None or match.group(1) not in used:
            continue
        for proxy in proxies:
            evidence = Evidence(
                EvidenceKind.PROXY,
                where,
                f"traefik forwardAuth {key}={value} (called by {proxy.id})",
            )
            for target in find_targets(value):
                source = aliases.get(proxy.id, proxy.id)
                add_resolution(builder, source, target, resolver.resolve(target, proxy), evidence)


def add_traefik_edges(
    project: ComposeProject,
    aliases: dict[str, str],
    builder: GraphBuilder,
    dockerfiles: Sequence[Dockerfile] = (),
) -> None:
    proxies = [s for s in project.services if _is_traefik(s)]
    if not proxies:
        return
    resolver = ComposeResolver(project)
    _forward_auth(project, proxies, aliases, builder, resolver)
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
            key, value, where = routing[0]
            calls.append(
                (routed_port(service, resolver, dockerfiles), "TCP", f"{key}={value}", where)
            )
        for proxy in routers:
            source, target = proxy.id, service.id
            if proxy.id in aliases and service.id in aliases:
                source, target = aliases[proxy.id], aliases[service.id]
            for port, protocol, label, where in calls:
                if port is None:
                    reason = (
                        f"traefik routes to the one port {service.id} listens on, which the "
                        "input does not show (no ports, expose, EXPOSE or server.port label)"
                    )
                    builder.unresolved.append(Unresolved(source, where, label, reason))
                    continue
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
