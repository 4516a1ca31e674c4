"""Ingress backends and Gateway API route ``backendRefs``: callees of whatever serves them.

When the ingress controller (or the Gateway's workload) is in the input, each backend is
one of its calls, and traffic from outside reaches only that workload. When it is not,
the backend is an entry point as before, and its evidence says that nothing in the input
serves the route.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from socklock.discover.addresses import Target
from socklock.discover.builder import GraphBuilder
from socklock.discover.proxies.controllers import Controllers
from socklock.discover.resolve import KubernetesResolver
from socklock.model import Evidence, EvidenceKind, Inventory, K8sObject, Location, Workload
from socklock.model.document import position_of

ROUTE_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute", "UDPRoute"})


@dataclass(frozen=True, slots=True)
class Backend:
    """A Service (``namespace/name``) port that a route sends to."""

    namespace: str
    service: str
    port: int | str | None  # number or Service port name; None: every port
    location: Location
    route: str  # "Ingress shop/web" / "HTTPRoute shop/store"
    served_by: tuple[Workload, ...]
    how: str  # how the serving workloads were found, or why none was


def add_routes(inventory: Inventory, resolver: KubernetesResolver, builder: GraphBuilder) -> None:
    """Edges from ingress controllers and gateways to the backends they route to; backends
    that nothing in the input serves are entry points."""
    for backend in backends(inventory):
        service = resolver.services.get((backend.namespace, backend.service))
        if service is None:
            continue
        for port in service.ports:
            if backend.port is not None and backend.port not in (port.port, port.name):
                continue
            target = Target(service.name, port.port, None, port.protocol.value, service.name)
            resolution = resolver.resolve(target, service.namespace)
            detail = f"{backend.route} → Service {service.id} port {port.port}"
            for reached in resolution if isinstance(resolution, list) else ():
                if reached.port is None:
                    continue
                if not backend.served_by:
                    builder.add_entry_point(
                        reached.workload,
                        reached.port,
                        reached.protocol,
                        Evidence(
                            EvidenceKind.ENTRY,
                            backend.location,
                            f"{detail} ({backend.how}; nothing in the input serves it, "
                            "so the backend is an entry point)",
                        ),
                    )
                    continue
                for proxy in backend.served_by:
                    builder.add_edge(
                        proxy.id,
                        reached.workload,
                        reached.port,
                        reached.protocol,
                        Evidence(
                            EvidenceKind.PROXY,
                            backend.location,
                            f"{detail} ({reached.via}; served by {proxy.id}: {backend.how})",
                        ),
                    )


def backends(inventory: Inventory) -> Iterator[Backend]:
    controllers = Controllers(inventory)
    for ingress in inventory.ingresses:
        served_by, how = controllers.for_ingress(ingress.obj)
        for backend in ingress.backends:
            yield Backend(
                ingress.namespace,
                backend.service,
                backend.port,
                backend.location,
                f"Ingress {ingress.obj.name}",
                tuple(served_by),
                how,
            )
    for obj in inventory.objects:
        if obj.kind in ROUTE_KINDS and obj.api_version.startswith("gateway.networking.k8s.io/"):
            yield from _route_backends(obj, controllers)


def _route_backends(route: K8sObject, controllers: Controllers) -> Iterator[Backend]:
    namespace = route.namespace or "default"
    spec = route.body.get("spec")
    if not isinstance(spec, Mapping):
        return
    served: list[Workload] = []
    hows: list[str] = []
    for parent in spec.get("parentRefs") or ():
        if not isinstance(parent, Mapping) or parent.get("kind", "Gateway") != "Gateway":
            continue
        found, how = controllers.for_gateway(
            str(parent.get("namespace") or namespace), str(parent.get("name"))
        )
        served.extend(w for w in found if w not in served)
        hows.append(how)
    for rule in spec.get("rules") or ():
        refs = rule.get("backendRefs") if isinstance(rule, Mapping) else None
        for ref in refs or ():
            if not isinstance(ref, Mapping) or ref.get("kind", "Service") != "Service":
                continue
            if ref.get("group", "") not in ("", "core"):
                continue
            line, column = position_of(ref)
            port = ref.get("port")
            yield Backend(
                str(ref.get("namespace") or namespace),
                str(ref.get("name")),
                port if isinstance(port, int) else None,
                Location(route.location.file, line, column),
                f"{route.kind} {route.name}",
                tuple(served),
                "; ".join(hows) or "no parentRefs",
            )
