"""Resolve a proxy's upstreams from the workload that runs it, as any address is resolved."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from socklock.discover.addresses import Target, redact_credentials
from socklock.discover.builder import GraphBuilder
from socklock.discover.dapr import dapr_apps
from socklock.discover.identity import unit_id
from socklock.discover.manifests import add_resolution
from socklock.discover.proxies.interface import Found, Unknown
from socklock.discover.resolve import ComposeResolver, KubernetesResolver, Reached, Resolution
from socklock.model import (
    ComposeProject,
    ComposeService,
    Evidence,
    EvidenceKind,
    Inventory,
    Unresolved,
)


def merged_projects(projects: Sequence[ComposeProject]) -> list[ComposeProject]:
    """Compose files of one project (``compose.yaml`` + ``compose.observability.yaml``, run
    together with ``-f``) as one: a proxy in one file routes to services of another. A
    service written in several files is taken from the one that gives its image or build."""
    by_name: dict[str, list[ComposeProject]] = {}
    for project in projects:
        by_name.setdefault(project.name, []).append(project)
    merged: list[ComposeProject] = []
    for group in by_name.values():
        services: dict[str, ComposeService] = {}
        for service in (s for project in group for s in project.services):
            known = services.get(service.name)
            defined = service.image or service.build_context
            if known is None or (defined and not (known.image or known.build_context)):
                services[service.name] = service
        merged.append(dataclasses.replace(group[0], services=tuple(services.values())))
    return merged


class ProxyJoin:
    """Upstreams of a Kubernetes workload resolve against Services of its namespace; those of a
    compose service against the services of its project."""

    def __init__(self, inventory: Inventory, aliases: dict[str, str], builder: GraphBuilder):
        self.builder = builder
        self.kubernetes = KubernetesResolver(inventory)
        self.kubernetes_ids = {w.id for w in inventory.workloads if w.owner is None}
        self.compose: dict[str, tuple[ComposeResolver, ComposeService]] = {}
        self.dapr_apps = dapr_apps(inventory, aliases)  # app-id → the workloads it names
        for project in merged_projects(inventory.compose_projects):
            resolver = ComposeResolver(project)
            for service in project.services:
                self.compose[aliases.get(service.id, service.id)] = (resolver, service)
        # the processes a host program (a Procfile) starts on one host, and their ports
        self.hosted: dict[str, tuple[str, tuple[int, ...]]] = {
            unit_id(u): (u.host or "", u.ports) for u in inventory.units if u.on_host
        }

    def add(self, workload: str, found: Found, origin: str = "") -> None:
        if isinstance(found, Unknown):
            self.builder.unresolved.append(
                Unresolved(workload, found.location, found.expression, found.reason)
            )
            return
        text = f"{found.scheme}://{found.host}" if found.scheme else found.host
        target = Target(found.host, found.port, found.scheme, found.protocol, text)
        if found.service == "dapr":
            detail = redact_credentials(found.detail) + (f" ({origin})" if origin else "")
            evidence = Evidence(EvidenceKind.PROXY, found.location, detail, found.detail)
            reached: Resolution | None = self.dapr_apps.get(found.host, [])
            if not reached:  # no pod declares it: the app-id is the service's name
                named = Target(found.host, None, None, "TCP", found.host)
                reached = self.resolve(workload, named)
            if not isinstance(reached, list) or not reached:
                reason = f"Dapr app-id {found.host!r} matches no workload"
                self.builder.unresolved.append(
                    Unresolved(workload, found.location, found.host, reason)
                )
                return
            add_resolution(self.builder, workload, target, reached, evidence)
            return
        if target.is_local:
            hosted = self.on_host(workload, target)
            if hosted:
                detail = redact_credentials(found.detail) + (f" ({origin})" if origin else "")
                evidence = Evidence(found.evidence, found.location, detail, found.detail)
                add_resolution(self.builder, workload, target, hosted, evidence)
            elif workload in self.hosted and target.port is not None:
                host = self.hosted[workload][0]
                reason = f"no other process of {host} is known to listen on port {target.port}"
                self.builder.unresolved.append(
                    Unresolved(workload, found.location, found.detail or text, reason)
                )
            return
        resolution = self.resolve(workload, target)
        if resolution is None:
            return
        if isinstance(resolution, list):
            # a server's config naming its own address (its listener, its self-telemetry), or
            # a proxy the workload runs in front of its own app (nginx and the app started by
            # one entry point): the workload's own address, no call between workloads (as
            # code that names its own address: code_evidence.add_resolution)
            resolution = [reached for reached in resolution if reached.workload != workload]
        detail = redact_credentials(found.detail) + (f" ({origin})" if origin else "")
        evidence = Evidence(found.evidence, found.location, detail, found.detail)
        add_resolution(self.builder, workload, target, resolution, evidence)

    def on_host(self, workload: str, target: Target) -> list[Reached]:
        """``localhost:<port>`` from a compose service on the host's network: the other
        service that listens on that host port (``ComposeResolver.on_host``); from a process
        a Procfile starts: the one other process of it that listens on that port."""
        if workload in self.hosted:
            return self._hosted(workload, target)
        if workload not in self.compose or self.compose[workload][1].network_mode != "host":
            return []
        resolver, _ = self.compose[workload]
        listens = {
            service.id: self.builder.listens.get(graph_id, set())
            for graph_id, (_, service) in self.compose.items()
        }
        found = resolver.on_host(target, listens)
        return [r for r in found if r.workload != workload] if isinstance(found, list) else []

    def _hosted(self, workload: str, target: Target) -> list[Reached]:
        host = self.hosted[workload][0]
        listeners = [
            graph_id
            for graph_id, (other, ports) in self.hosted.items()
            if other == host and target.port in ports
        ]
        if len(listeners) != 1 or listeners[0] == workload:
            return []
        via = f"the one process of {host} that listens on port {target.port}"
        return [Reached(listeners[0], target.port, target.protocol, via)]

    def resolve(self, workload: str, target: Target) -> Resolution | None:
        if workload in self.kubernetes_ids:
            return self.kubernetes.resolve(target, workload.split("/", 1)[0])
        if workload in self.compose:
            resolver, service = self.compose[workload]
            return resolver.resolve(target, service)
        return None
