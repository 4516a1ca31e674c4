"""Names that are not hostnames: service ids that a registry, a load balancer or a sidecar
turns into an address at run time.

``lb://orders`` (Spring Cloud Gateway), ``xds:///orders`` (gRPC over xDS),
``consul://agent:8500/orders`` (a gRPC Consul resolver: the path is the service),
``http://localhost:3500/v1.0/invoke/orders/method/x`` (Dapr: the sidecar on localhost
forwards to the app-id), ``https+http://orders`` (.NET service discovery, as Aspire
configures it), a ``@FeignClient(name = "orders")``. Such a name is resolved
against the deployment's workloads by name (its Service or compose service, or the
``spring.application.name`` a module declares); the port is the callee's, since the
registry hands out the instance's own port. What a registry is called in reports is data
here, one line each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# registry tag (what analysers write in ``CallSite.service``) → how reports name it
REGISTRIES: dict[str, str] = {
    "feign": "Feign client name",
    "micronaut": "Micronaut client id",
    "discovery": "service id",
    "lb": "load-balanced service id",
    "zuul": "Zuul route service id",
    "turbine": "Turbine app (its Hystrix stream)",
    "xds": "xDS name",
    "consul": "Consul service name",
    "sidecar": "Eureka app name asked of a Spring Cloud Netflix Sidecar",
    "etcd": "etcd registry key",
    "dapr": "Dapr app-id",
    "dotnet": ".NET service discovery name",
    "ocelot": "Ocelot route ServiceName",
    "stork": "SmallRye Stork service name",
}
# Registry naming conventions: a name registered as ``srv-search`` is the ``search`` workload.
_NAME_PREFIXES = ("srv-", "srv.", "srv_")

_LB = re.compile(r"^lb://([A-Za-z0-9_.\-]+)(?::([0-9]{1,5}))?(?:[/?#].*)?$", re.IGNORECASE)
_XDS = re.compile(r"^xds:(?://[^/]*)?/+([A-Za-z0-9_.\-]+)(?::([0-9]{1,5}))?(?:[/?#].*)?$", re.I)
_CONSUL = re.compile(
    r"^consul://(?:[^/?#]*)/([A-Za-z0-9_.\-]+)(?:[/?#].*)?$|^consul:///?([A-Za-z0-9_.\-]+)$",
    re.IGNORECASE,
)
# Microsoft.Extensions.ServiceDiscovery (Aspire): https+http://catalog-api, http://_grpc.orders
_DOTNET = re.compile(
    r"^(?:https\+http|http\+https)://([A-Za-z0-9_.\-]+)(?::([0-9]{1,5}))?(?:[/?#].*)?$"
)
# SmallRye Stork (Quarkus REST clients, gRPC): ``stork://orders/api``, ``storks://`` for TLS;
# the name is the ``quarkus.stork.<name>`` service, which Consul and Kubernetes discovery
# look up under that same name unless configured otherwise
_STORK = re.compile(r"^storks?://([A-Za-z0-9_.\-]+)(?::([0-9]{1,5}))?(?:[/?#].*)?$", re.I)
_DAPR = re.compile(r"^[a-z]+://[^/]*/v1\.0(?:-alpha1)?/invoke/([A-Za-z0-9_.\-]+)/method(?:/|$)")
SCHEMES = frozenset({"lb", "xds", "consul", "https+http", "http+https", "stork", "storks"})
# Kuma's mesh DNS on Kubernetes: ``<service>_<namespace>_svc_<port>.mesh`` (the
# ``kuma.io/service`` tag it generates) and ``<service>.<namespace>.svc.<port>.mesh``; the
# sidecar intercepts the virtual IP on any port and sends the call to that Service port.
_KUMA = re.compile(
    r"^(?P<service>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:_(?P<ns>[a-z0-9-]+)_svc_"
    r"|\.(?P<dotted>[a-z0-9-]+)\.svc\.)(?P<port>[0-9]{1,5})\.mesh\.?$",
    re.IGNORECASE,
)
DAPR_APP_ID = "dapr.io/app-id"  # the pod annotation that names a workload's app-id
DAPR_APP_PORT = "dapr.io/app-port"  # the port the sidecar forwards invocations to


@dataclass(frozen=True, slots=True)
class ServiceName:
    """A registry name a call is addressed to."""

    name: str
    registry: str  # a key of REGISTRIES
    port: int | None = None  # written with the name (``lb://orders:8080``); rarely
    # the scheme the caller asks the instance for (an Ocelot route's ``DownstreamScheme``):
    # of a Service serving both, ``http`` is not its https port
    scheme: str | None = None

    @property
    def label(self) -> str:
        return REGISTRIES.get(self.registry, self.registry)


def service_name(text: str) -> ServiceName | None:
    """The registry name ``text`` calls, when it calls one rather than a host."""
    value = text.strip()
    for pattern, registry in ((_LB, "lb"), (_XDS, "xds"), (_DOTNET, "dotnet"), (_STORK, "stork")):
        match = pattern.match(value)
        if match is not None:
            port = int(match.group(2)) if match.group(2) else None
            return ServiceName(match.group(1).lower(), registry, port)
    match = _CONSUL.match(value)
    if match is not None:
        return ServiceName((match.group(1) or match.group(2)).lower(), "consul")
    match = _DAPR.match(value)
    if match is not None:
        return ServiceName(match.group(1).lower(), "dapr")
    return None


@dataclass(frozen=True, slots=True)
class MeshName:
    """A Kubernetes Service port named through a service mesh's own DNS."""

    service: str
    namespace: str
    port: int  # the Service port the mesh sends the call to, whatever port was dialled


def kuma_mesh_name(host: str) -> MeshName | None:
    """The Service and port a Kuma ``.mesh`` name stands for (None: not one)."""
    match = _KUMA.match(host.strip())
    if match is None:
        return None
    namespace = match["ns"] or match["dotted"]
    return MeshName(match["service"].lower(), namespace.lower(), int(match["port"]))


def name_variants(name: str) -> list[str]:
    """The name as written, then without a registry naming prefix (``srv-search``)."""
    lowered = name.lower()
    variants = [lowered]
    for prefix in _NAME_PREFIXES:
        if lowered.startswith(prefix) and len(lowered) > len(prefix):
            variants.append(lowered[len(prefix) :])
    return variants
