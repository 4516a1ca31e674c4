"""The service graph: who talks to whom, on which port, and the evidence for each call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from socklock.model.location import Location

EXTERNAL_PREFIX = "external:"


class EvidenceKind(StrEnum):
    ENV = "env"  # an env var value in a manifest or compose file names the callee
    CONFIG_MAP = "configmap"  # a ConfigMap value names the callee
    DEPENDS_ON = "depends_on"  # compose depends_on
    LINK = "links"  # compose links
    LITERAL = "literal"  # an address literal in code
    ENV_READ = "env-read"  # code reads an env var whose manifest value names the callee
    CONFIG = "config"  # an application config file names the callee
    GRPC = "grpc"  # a gRPC client stub dialed to the callee
    COMMAND = "command"  # a container's command line (Kubernetes args, Dockerfile CMD)
    WAIT_FOR = "wait-for"  # a command waits for the callee's port (wait-for-it, nc -z)
    PROXY = "proxy"  # a reverse proxy's config (nginx, Envoy, Ingress, routes) sends to it
    OBSERVED = "observed"  # observed traffic (socklock map --flows): see Evidence.observed
    MANIFEST = "manifest"  # a deployment program names the call (Aspire ``WithReference``)
    ENTRY = "entry"  # the workload is exposed outside (NodePort, LoadBalancer, Ingress, ports)


# Evidence that says start order, not a call: an edge with only these is a hint.
HINT_KINDS = frozenset({EvidenceKind.DEPENDS_ON, EvidenceKind.LINK})


@dataclass(frozen=True, slots=True, order=True)
class Observed:
    """How often and when observed traffic showed a call (times: RFC 3339, UTC)."""

    count: int
    first_seen: str | None
    last_seen: str | None


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    kind: EvidenceKind
    location: Location
    detail: str  # human text: "env CATALOGUE_URL=http://catalogue"
    expression: str | None = None  # the code expression, for code evidence
    confidence: float = 1.0
    observed: Observed | None = field(default=None, compare=False)  # kind OBSERVED only


class NodeKind(StrEnum):
    WORKLOAD = "workload"
    EXTERNAL = "external"


@dataclass(frozen=True, slots=True)
class PortSpec:
    port: int
    protocol: str = "TCP"
    name: str | None = None


@dataclass(frozen=True, slots=True)
class GraphNode:
    """A workload (``ns/name`` or ``project/service``) or an external endpoint."""

    id: str
    kind: NodeKind
    workload_kind: str | None  # Deployment, compose-service, ...
    labels: Mapping[str, str] = field(default_factory=dict)
    ports: tuple[PortSpec, ...] = ()
    location: Location | None = None

    @property
    def is_external(self) -> bool:
        return self.kind is NodeKind.EXTERNAL


@dataclass(frozen=True, slots=True, order=True)
class Edge:
    """``source`` calls ``target`` on the target's container ``port`` (None: port unknown)."""

    source: str
    target: str
    port: int | None
    protocol: str
    evidence: tuple[Evidence, ...] = field(default=(), compare=False)

    @property
    def key(self) -> tuple[str, str, int | None, str]:
        return (self.source, self.target, self.port, self.protocol)

    @property
    def hint(self) -> bool:
        """Only start-order evidence (compose ``depends_on``/``links``): not a known call."""
        return bool(self.evidence) and all(ev.kind in HINT_KINDS for ev in self.evidence)


@dataclass(frozen=True, slots=True, order=True)
class EntryPoint:
    """Traffic from outside the application reaches ``workload`` on container ``port``."""

    workload: str
    port: int
    protocol: str
    evidence: tuple[Evidence, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A call whose target could not be found statically, with the reason."""

    source: str
    location: Location
    expression: str
    reason: str


@dataclass(frozen=True, slots=True)
class ServiceGraph:
    nodes: tuple[GraphNode, ...] = ()
    edges: tuple[Edge, ...] = ()
    entry_points: tuple[EntryPoint, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()

    @property
    def calls(self) -> tuple[Edge, ...]:
        """The edges that are calls (hints left out)."""
        return tuple(e for e in self.edges if not e.hint)

    @property
    def hints(self) -> tuple[Edge, ...]:
        return tuple(e for e in self.edges if e.hint)

    def node(self, node_id: str) -> GraphNode | None:
        for node in self.nodes:
            if node.id == node_id:
                return node
        return None
