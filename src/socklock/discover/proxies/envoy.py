"""Envoy static bootstrap (YAML or JSON): clusters and the routes and filters that use them.

A cluster's endpoints (``load_assignment.endpoints[].lb_endpoints[].endpoint.address.
socket_address``, or the legacy ``hosts``) are calls of the proxy only when something
outside the cluster list names the cluster: a route (``cluster``, ``weighted_clusters``),
a listener filter (``tcp_proxy``, ``ext_authz``'s ``cluster_name``), a tracer's
``collector_cluster``, an xDS source. A cluster nothing names is never sent a request,
unless a route takes its cluster from a request header (``cluster_header``): then any may be.

A route to a cluster on the pod's own loopback that rewrites the path to Dapr's service
invocation API (``prefix_rewrite: /v1.0/invoke/<app-id>/method/``) is a call of the app with
that Dapr app-id, through the Dapr sidecar (the cluster): the app-id is what is called.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from socklock.discover.addresses import redact_credentials
from socklock.discover.proxies.envsubst import fill
from socklock.discover.proxies.interface import (
    Found,
    Source,
    Unknown,
    Upstream,
    items,
    unset_reason,
)
from socklock.model import Location

_UNSET = re.compile(r"\$\{(\w+)\}")
_ANY = "*"  # a route picks its cluster from a request header: any cluster may be used
_REFERENCE_KEYS = frozenset({"cluster", "cluster_name", "collector_cluster"})
_DAPR_INVOKE = re.compile(r"^/v1\.0(?:-alpha1)?/invoke/([A-Za-z0-9_.\-]+)/method(?:/|$)")
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0"})


class EnvoyReader:
    name = "envoy"

    def claims(self, name: str, text: str) -> bool:
        return "static_resources" in text and "clusters" in text

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            yield from _read_one(source, env)


def _read_one(source: Source, env: Mapping[str, str]) -> Iterator[Found]:
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.yamlread import Document, load_json, load_yaml

    text, _ = fill(source.text, env)  # Envoy has no ``${}`` of its own: always a template
    loader = load_json if source.file.endswith(".json") and not source.line_offset else load_yaml
    for document in loader(text, source.file, DEFAULT_LIMITS):
        if not isinstance(document, Document) or not isinstance(document.value, dict):
            continue
        static = document.value.get("static_resources")
        if not isinstance(static, dict):
            continue
        clusters = static.get("clusters")
        if not isinstance(clusters, list):
            continue
        users: dict[str, list[str]] = {}
        _references(document.value, users, clusters, source.line_offset)
        invoked: dict[str, dict[str, Any]] = {}  # cluster → Dapr app-id → the route
        _dapr_routes(document.value, invoked, clusters)
        for cluster in clusters:
            if not isinstance(cluster, dict) or not isinstance(cluster.get("name"), str):
                continue
            name = cluster["name"]
            if name not in users and _ANY not in users:
                continue
            used = ", ".join(sorted(set(users.get(name, []) + users.get(_ANY, []))))
            sidecar = [a for a in _addresses(cluster) if str(a.get("address")) in _LOOPBACK]
            if sidecar and name in invoked:
                yield from _invocations(source, name, sidecar[0], invoked[name])
            for address in _addresses(cluster):
                found = _found(source, name, used, address, env)
                if isinstance(found, Upstream) and f"udp:{name}" in users:
                    found = dataclasses.replace(found, protocol="UDP")
                yield found


def _found(source: Source, cluster: str, used: str, address: Any, env: Mapping[str, str]) -> Found:
    host = address.get("address")
    port = address.get("port_value")
    line, column = address.key_positions.get("address", address.position)
    port_line, _ = address.key_positions.get("port_value", (line, 0))
    written = source.text.split("\n")
    names = [
        name
        for number in dict.fromkeys((line, port_line))
        if 0 < number <= len(written)
        for name in _UNSET.findall(written[number - 1])
        if name in env
    ]
    filled = ", ".join(f"{n}={redact_credentials(env[n])}" for n in dict.fromkeys(names))
    if source.line_offset:
        where = source.where(line, "address")
    else:
        where = Location(source.file, line, column)
    expression = f"cluster {cluster}: {host}:{port}"
    if not isinstance(host, str) or "${" in host or "${" in str(port):
        return Unknown(where, expression, unset_reason(_UNSET.findall(f"{host} {port}")))
    number = int(port) if isinstance(port, int | str) and str(port).isdigit() else None
    via = f" (envsubst: {filled})" if filled else ""
    protocol = "UDP" if str(address.get("protocol", "")).upper() == "UDP" else "TCP"
    detail = f"Envoy {expression}{via} (used by {used})"
    return Upstream(host.lower(), number, None, where, detail, protocol)


def _addresses(cluster: Mapping[str, Any]) -> Iterator[Any]:
    endpoints: list[Any] = []
    assignment = cluster.get("load_assignment")
    if isinstance(assignment, dict):
        for locality in items(assignment.get("endpoints")):
            if isinstance(locality, dict):
                for lb in items(locality.get("lb_endpoints")):
                    endpoint = lb.get("endpoint") if isinstance(lb, dict) else None
                    if isinstance(endpoint, dict):
                        endpoints.append(endpoint.get("address"))
    endpoints.extend(items(cluster.get("hosts")))  # v2's ``hosts: [{socket_address: ...}]``
    for address in endpoints:
        socket = address.get("socket_address") if isinstance(address, dict) else None
        if isinstance(socket, dict) and "address" in socket:
            yield socket


def _references(
    node: Any,
    users: dict[str, list[str]],
    skip: Any,
    offset: int,
    parent: str = "",
    udp: bool = False,
) -> None:
    """Cluster names used anywhere but in the cluster list itself, with where they are used.
    A cluster that a ``udp_proxy`` filter sends to is recorded as ``udp:<name>`` too."""
    if node is skip:
        return
    if isinstance(node, dict):
        udp = udp or any("udp_proxy" in str(node.get(k, "")) for k in ("name", "@type"))
        for key, value in node.items():
            if key == "cluster_header" and isinstance(value, str):
                users.setdefault(_ANY, []).append(_describe(node, key, parent, offset))
            elif key in _REFERENCE_KEYS and isinstance(value, str):
                users.setdefault(value, []).append(_describe(node, key, parent, offset))
                if udp:
                    users.setdefault(f"udp:{value}", [])
            elif key == "weighted_clusters" and isinstance(value, dict):
                for item in items(value.get("clusters")):
                    if isinstance(item, dict) and isinstance(item.get("name"), str):
                        used = _describe(item, "name", "weighted_clusters", offset)
                        users.setdefault(item["name"], []).append(used)
            else:
                _references(value, users, skip, offset, str(key), udp)
    elif isinstance(node, list):
        for item in node:
            _references(item, users, skip, offset, parent, udp)


def _describe(node: Any, key: str, parent: str, offset: int) -> str:
    """``route.cluster at line 18``."""
    line, _ = getattr(node, "key_positions", {}).get(key, (0, 0))
    name = f"{parent}.{key}" if parent else key
    return f"{name} at line {line + offset}" if line else name


def _dapr_routes(node: Any, invoked: dict[str, dict[str, Any]], skip: Any) -> None:
    """Routes whose ``prefix_rewrite`` is Dapr's invoke path, by the cluster they use."""
    if node is skip:
        return
    if isinstance(node, dict):
        cluster, rewrite = node.get("cluster"), node.get("prefix_rewrite")
        if isinstance(cluster, str) and isinstance(rewrite, str):
            match = _DAPR_INVOKE.match(rewrite)
            if match is not None:
                invoked.setdefault(cluster, {}).setdefault(match.group(1).lower(), node)
        for value in node.values():
            _dapr_routes(value, invoked, skip)
    elif isinstance(node, list):
        for item in node:
            _dapr_routes(item, invoked, skip)


def _invocations(
    source: Source, cluster: str, sidecar: Any, routes: Mapping[str, Any]
) -> Iterator[Found]:
    """One call per Dapr app-id the routes invoke through the sidecar cluster."""
    address = f"{sidecar.get('address')}:{sidecar.get('port_value')}"
    for app_id, route in routes.items():
        line, column = route.key_positions.get("prefix_rewrite", route.position)
        if source.line_offset:
            where = source.where(line, "prefix_rewrite")
        else:
            where = Location(source.file, line, column)
        detail = (
            f"Envoy route prefix_rewrite {route['prefix_rewrite']} on cluster {cluster} "
            f"({address}, the Dapr sidecar)"
        )
        yield Upstream(app_id, None, "http", where, detail, service="dapr")
