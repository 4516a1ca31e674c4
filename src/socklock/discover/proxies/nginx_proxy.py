"""nginx-proxy (docker-gen): a container with ``VIRTUAL_HOST`` in its env is routed to.

nginx-proxy watches the Docker socket and writes an nginx upstream for every container of
its network whose environment sets ``VIRTUAL_HOST``; it proxies to ``VIRTUAL_PORT`` when
set, else to the one port the container exposes, else to port 80 (its documented default
for a container that exposes several or none). A compose service running the
``nginxproxy/nginx-proxy`` (formerly ``jwilder/nginx-proxy``) image is such a proxy; the
variables come from the service's ``environment`` and ``env_file``.
"""

from __future__ import annotations

from collections.abc import Sequence

from socklock.discover.builder import GraphBuilder
from socklock.discover.manifests import compose_environment
from socklock.discover.proxies.traefik import routed_port
from socklock.discover.resolve import ComposeResolver
from socklock.model import ComposeProject, ComposeService, Dockerfile, Evidence, EvidenceKind

_IMAGES = frozenset({"nginxproxy/nginx-proxy", "jwilder/nginx-proxy"})
DEFAULT_PORT = 80  # nginx-proxy README: "defaults to the service running on port 80"


def _is_nginx_proxy(service: ComposeService) -> bool:
    name = (service.image or "").split("@")[0]
    last = name.rsplit("/", 1)[-1]
    untagged = name[: len(name) - len(last)] + last.split(":")[0]
    return untagged.removeprefix("docker.io/") in _IMAGES


def add_virtual_host_edges(
    project: ComposeProject,
    aliases: dict[str, str],
    builder: GraphBuilder,
    dockerfiles: Sequence[Dockerfile] = (),
) -> None:
    """An edge from each nginx-proxy service to each service that sets ``VIRTUAL_HOST``."""
    proxies = [s for s in project.services if _is_nginx_proxy(s)]
    if not proxies:
        return
    resolver = ComposeResolver(project)
    for service in project.services:
        if service in proxies:
            continue
        env = {e.name: e for e in compose_environment(service) if e.value}
        host = env.get("VIRTUAL_HOST")
        if host is None:
            continue
        port_env = env.get("VIRTUAL_PORT")
        where = host.location
        if port_env is not None and (port_env.value or "").strip().isdigit():
            port = int((port_env.value or "").strip())
            why = f"VIRTUAL_HOST={host.value}, VIRTUAL_PORT={port}"
        else:
            port = routed_port(service, resolver, dockerfiles) or DEFAULT_PORT
            why = f"VIRTUAL_HOST={host.value} (the port it exposes, else 80)"
        for proxy in proxies:
            source, target = proxy.id, service.id
            if proxy.id in aliases and service.id in aliases:
                source, target = aliases[proxy.id], aliases[service.id]
            builder.add_edge(
                source,
                target,
                port,
                "TCP",
                Evidence(EvidenceKind.PROXY, where, f"nginx-proxy upstream: {why}"),
            )
