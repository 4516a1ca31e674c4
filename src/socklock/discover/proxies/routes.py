"""Ingress backends, Gateway API ``backendRefs``, Traefik ``IngressRoute`` services and Istio
``VirtualService`` destinations on gateways: callees of whatever serves them.

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
from socklock.discover.proxies.controllers import Controllers, arguments
from socklock.discover.proxies.interface import items
from socklock.discover.resolve import KubernetesResolver
from socklock.model import Evidence, EvidenceKind, Inventory, K8sObject, Location, Workload
from socklock.model.document import position_of

ROUTE_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute", "UDPRoute"})
TRAEFIK_ROUTE_KINDS = frozenset({"IngressRoute", "IngressRouteTCP", "IngressRouteUDP"})
TRAEFIK_GROUPS = frozenset({"traefik.io", "traefik.containo.us"})


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
    protocol: str | None = None  # only Service ports of this protocol (None: any)


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
            if backend.protocol is not None and port.protocol.value != backend.protocol:
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
        group = obj.api_version.split("/", 1)[0]
        if obj.kind in ROUTE_KINDS and group == "gateway.networking.k8s.io":
            yield from _route_backends(obj, controllers)
        elif obj.kind in TRAEFIK_ROUTE_KINDS and group in TRAEFIK_GROUPS:
            yield from _traefik_backends(obj, controllers)
        elif obj.kind == "VirtualService" and group == "networking.istio.io":
            yield from _istio_backends(obj, controllers)
    for workload in controllers.workloads:
        yield from _controller_flags(workload, inventory)


def _controller_flags(workload: Workload, inventory: Inventory) -> Iterator[Backend]:
    """ingress-nginx's own backends: ``--default-backend-service=ns/name`` and the Services
    its ``--tcp-services-configmap``/``--udp-services-configmap`` ConfigMap lists
    (``"<port>": "ns/name:port"``)."""
    flags = arguments(workload)
    for value in flags.get("--default-backend-service", ()):
        namespace, _, name = value.rpartition("/")
        yield Backend(
            namespace or workload.namespace,
            name,
            None,
            workload.location,
            f"--default-backend-service of {workload.id}",
            (workload,),
            "its own flag",
        )
    config_maps = {(c.namespace, c.name): c for c in inventory.config_maps}
    for flag in ("--tcp-services-configmap", "--udp-services-configmap"):
        for value in flags.get(flag, ()):
            namespace, _, name = value.rpartition("/")
            config_map = config_maps.get((namespace or workload.namespace, name))
            if config_map is None:
                continue
            for key, entry in config_map.data.items():
                service, _, rest = entry.partition(":")
                port = rest.split(":", 1)[0]
                service_namespace, _, service_name = service.rpartition("/")
                yield Backend(
                    service_namespace or config_map.namespace,
                    service_name,
                    int(port) if port.isdigit() else port or None,
                    config_map.data_locations[key],
                    f"{flag.removeprefix('--')} {config_map.namespace}/{config_map.name} "
                    f"port {key}",
                    (workload,),
                    "its own flag",
                    "UDP" if flag.startswith("--udp") else "TCP",
                )


def _at(obj: K8sObject, node: object) -> Location:
    line, column = position_of(node)
    return Location(obj.location.file, line, column)


def _traefik_backends(route: K8sObject, controllers: Controllers) -> Iterator[Backend]:
    """Traefik's ``IngressRoute``: ``spec.routes[].services[]`` (Services, not
    TraefikServices), served by the Traefik controller of the input."""
    namespace = route.namespace or "default"
    served, how = controllers.for_traefik(route)
    spec = route.body.get("spec")
    for entry in items(spec.get("routes") if isinstance(spec, Mapping) else None):
        for ref in items(entry.get("services") if isinstance(entry, Mapping) else None):
            if not isinstance(ref, Mapping) or ref.get("kind", "Service") != "Service":
                continue
            port = ref.get("port")
            yield Backend(
                str(ref.get("namespace") or namespace),
                str(ref.get("name")),
                port if isinstance(port, int | str) else None,
                _at(route, ref),
                f"{route.kind} {route.name}",
                tuple(served),
                how,
            )


def _istio_backends(route: K8sObject, controllers: Controllers) -> Iterator[Backend]:
    """Istio ``VirtualService`` bound to gateways: ``http|tcp|tls[].route[].destination``,
    served by the pods the Istio ``Gateway``'s selector picks. Routes for the ``mesh`` only
    are sidecar routing, not a proxy's calls."""
    namespace = route.namespace or "default"
    spec = route.body.get("spec")
    if not isinstance(spec, Mapping):
        return
    gateways = [str(g) for g in items(spec.get("gateways")) if str(g) != "mesh"]
    if not gateways:
        return
    served: list[Workload] = []
    hows: list[str] = []
    for gateway in gateways:
        gw_namespace, _, name = gateway.rpartition("/")
        found, how = controllers.for_istio_gateway(gw_namespace or namespace, name)
        served.extend(w for w in found if w not in served)
        hows.append(how)
    for section in ("http", "tcp", "tls"):
        for rule in items(spec.get(section)):
            for entry in items(rule.get("route") if isinstance(rule, Mapping) else None):
                destination = entry.get("destination") if isinstance(entry, Mapping) else None
                if not isinstance(destination, Mapping) or not destination.get("host"):
                    continue
                host = str(destination["host"]).split(".")
                port = destination.get("port")
                number = port.get("number") if isinstance(port, Mapping) else None
                yield Backend(
                    host[1] if len(host) > 1 else namespace,
                    host[0],
                    number if isinstance(number, int) else None,
                    _at(route, destination),
                    f"VirtualService {route.name}",
                    tuple(served),
                    "; ".join(hows),
                )


def _route_backends(route: K8sObject, controllers: Controllers) -> Iterator[Backend]:
    namespace = route.namespace or "default"
    spec = route.body.get("spec")
    if not isinstance(spec, Mapping):
        return
    served: list[Workload] = []
    hows: list[str] = []
    for parent in items(spec.get("parentRefs")):
        if not isinstance(parent, Mapping) or parent.get("kind", "Gateway") != "Gateway":
            continue
        found, how = controllers.for_gateway(
            str(parent.get("namespace") or namespace), str(parent.get("name"))
        )
        served.extend(w for w in found if w not in served)
        hows.append(how)
    for rule in items(spec.get("rules")):
        refs = rule.get("backendRefs") if isinstance(rule, Mapping) else None
        for ref in items(refs):
            if not isinstance(ref, Mapping) or ref.get("kind", "Service") != "Service":
                continue
            if ref.get("group", "") not in ("", "core"):
                continue
            port = ref.get("port")
            yield Backend(
                str(ref.get("namespace") or namespace),
                str(ref.get("name")),
                port if isinstance(port, int) else None,
                _at(route, ref),
                f"{route.kind} {route.name}",
                tuple(served),
                "; ".join(hows) or "no parentRefs",
            )
