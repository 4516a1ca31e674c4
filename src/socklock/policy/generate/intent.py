"""The intent: the exact set of connections the generated policies must allow.

It is the service graph restricted to the Kubernetes workloads in scope, plus DNS and the
entry points, after three documented decisions:

- a call whose destination port is unknown (edge port ``None``) allows every port the
  callee declares for that protocol (``UnknownPorts.DECLARED``, reported as a note), or is
  left out (``UnknownPorts.REFUSE``); a callee that declares no port leaves it out either way;
- a call to an external *address* (IP or CIDR) becomes an ipBlock; a call to an external
  *name* cannot be expressed in a NetworkPolicy (that needs FQDN policy, a Calico
  Enterprise/Cilium feature) and is left out, reported, and written as a comment;
- graph nodes that are not Kubernetes workloads of the inventory (compose-only services,
  workloads the manifests do not define) are left out and reported.

The verifier compares what the engine says the policies allow with this intent, not with
the policies: the proof does not trust the generator.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from socklock.model import (
    EXTERNAL_PREFIX,
    Evidence,
    Inventory,
    Location,
    ServiceGraph,
    Workload,
)
from socklock.policy.generate.options import (
    SYSTEM_NAMESPACES,
    Flavor,
    GenerateOptions,
    UnknownPorts,
)
from socklock.policy.pods import Cluster, Endpoint

OUTSIDE = "outside"


class NoteLevel(StrEnum):
    INFO = "info"
    WARNING = "warning"  # the application may break here, or the output allows more
    ERROR = "error"  # part of the input could not be turned into policy: it must change


@dataclass(frozen=True, slots=True, order=True)
class Note:
    level: NoteLevel
    subject: str  # a workload id, a pair "a -> b", or "" for the whole set
    message: str
    location: Location | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location is not None else ""
        subject = f"{self.subject}: " if self.subject else ""
        return f"{where}{self.level.value}: {subject}{self.message}"


EVERY_PORT = 0


@dataclass(frozen=True, slots=True, order=True)
class Port:
    """A destination container port as a policy writes it (``name`` when the Service
    that reaches it targets it by name); number 0 (:data:`EVERY_PORT`) means every port of
    the protocol."""

    protocol: str
    number: int
    name: str | None = None

    def __str__(self) -> str:
        if self.number == EVERY_PORT:
            return f"every {self.protocol} port"
        return f"{self.number}/{self.protocol}"


@dataclass(frozen=True, slots=True)
class Call:
    """``source`` (a workload) may open ``port`` on ``target`` (a workload)."""

    source: str
    target: str
    port: Port
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class AddressCall:
    """``source`` may reach the external ``cidr`` on ``port`` (None: every port)."""

    source: str
    cidr: str
    host: str  # as the graph names it
    port: int | None
    protocol: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    """Traffic from outside (or from ``Intent.ingress_namespace``) reaches ``workload``."""

    workload: str
    port: Port
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Unexpressed:
    """A call the output does not allow, and why (written as a comment and a note)."""

    source: str
    target: str
    port: int | None
    protocol: str
    reason: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Intent:
    scope: tuple[str, ...]  # workload ids the set governs (sorted)
    namespaces: tuple[str, ...]  # their namespaces: each gets a default deny
    calls: tuple[Call, ...]
    address_calls: tuple[AddressCall, ...]
    entries: tuple[Entry, ...]
    unexpressed: tuple[Unexpressed, ...]
    notes: tuple[Note, ...]
    dns: bool
    ingress_namespace: str | None
    secondary_files: frozenset[str] = frozenset()  # compose files: their evidence goes last


def fqdn_reason(host: str, flavor: Flavor) -> str:
    """Why a call to the external name ``host`` is not allowed in ``flavor``."""
    if flavor is Flavor.CILIUM:
        why = (
            "toFQDNs needs Cilium's DNS proxy (an L7 dns rule) and the DNS answers, which the "
            "proof cannot see (the decider is L3/L4)"
        )
    elif flavor is Flavor.ANP:
        why = (
            "a NetworkPolicy matches addresses only, and AdminNetworkPolicy domainNames is "
            "experimental and not proven by the decider"
        )
    else:
        why = (
            "a NetworkPolicy matches addresses only "
            "(FQDN policy is a Calico Enterprise / Cilium feature)"
        )
    return f"{host} is a DNS name: {why}; give its address range to allow it"


def is_address(host: str) -> str | None:
    """The CIDR of an IP or CIDR literal; None for a DNS name."""
    try:
        return str(ipaddress.ip_network(host, strict=False))
    except ValueError:
        return None


class PortNames:
    """Which container ports a Service targets by name (so policies name them too)."""

    def __init__(self, inventory: Inventory, cluster: Cluster) -> None:
        self.by_endpoint: dict[str, dict[tuple[int, str], str]] = {}
        services: dict[str, list[tuple[dict[str, str], str, str]]] = defaultdict(list)
        for service in inventory.services:
            if not service.selector:
                continue
            for port in service.ports:
                if isinstance(port.target_port, str):
                    services[service.namespace].append(
                        (dict(service.selector), port.target_port, port.protocol.value)
                    )
        for endpoint in cluster.endpoints:
            names: dict[tuple[int, str], str] = {}
            workloads = endpoint.workloads
            for selector, name, protocol in services.get(endpoint.namespace, ()):
                if not all(_selects(selector, w) for w in workloads):
                    continue
                numbers = {_named(w, name, protocol) for w in workloads}
                if len(numbers) == 1:
                    number = numbers.pop()
                    if number is not None:
                        names.setdefault((number, protocol), name)
            self.by_endpoint[endpoint.id] = names

    def port(self, endpoint: str, number: int, protocol: str) -> Port:
        name = self.by_endpoint.get(endpoint, {}).get((number, protocol))
        return Port(protocol, number, name)


def _selects(selector: Mapping[str, str], workload: Workload) -> bool:
    return all(workload.labels.get(k) == v for k, v in selector.items())


def _named(workload: Workload, name: str, protocol: str) -> int | None:
    for port in workload.ports:
        if port.name == name and port.protocol.value == protocol:
            return port.container_port
    return None


def scope_namespaces(cluster: Cluster, options: GenerateOptions) -> tuple[str, ...]:
    present = {e.namespace for e in cluster.endpoints}
    if options.namespaces is not None:
        wanted = set(options.namespaces)
    else:
        wanted = present - SYSTEM_NAMESPACES
    if options.dns is not None:
        wanted.discard(options.dns.namespace)
    if options.ingress_namespace is not None:
        wanted.discard(options.ingress_namespace)
    wanted.difference_update(options.unlocked)
    return tuple(sorted(wanted & present))


def build_intent(
    inventory: Inventory,
    graph: ServiceGraph,
    cluster: Cluster,
    options: GenerateOptions,
    port_names: PortNames | None = None,
) -> Intent:
    """The connections the policies must allow (see the module docstring)."""
    names = port_names or PortNames(inventory, cluster)
    namespaces = scope_namespaces(cluster, options)
    in_namespaces = set(namespaces)
    endpoints: dict[str, Endpoint] = {e.id: e for e in cluster.endpoints}
    scope = tuple(sorted(e.id for e in cluster.endpoints if e.namespace in in_namespaces))
    in_scope = set(scope)
    notes: list[Note] = []
    if options.namespaces is not None:
        for namespace in sorted(set(options.namespaces) - in_namespaces):
            notes.append(
                Note(NoteLevel.WARNING, "", f"namespace {namespace} has no workload in the input")
            )
    skipped: set[str] = set()

    def known(node: str) -> bool:
        if node in endpoints:
            return True
        if node not in skipped:
            skipped.add(node)
            found = graph.node(node)
            notes.append(
                Note(
                    NoteLevel.WARNING,
                    node,
                    "not a Kubernetes workload of the input (a compose-only service?): "
                    "its calls are left out",
                    found.location if found else None,
                )
            )
        return False

    calls: dict[tuple[str, str, Port], Call] = {}
    address_calls: dict[tuple[str, str, int | None, str], AddressCall] = {}
    unexpressed: list[Unexpressed] = []
    for edge in graph.edges:
        source_external = edge.source.startswith(EXTERNAL_PREFIX)
        target_external = edge.target.startswith(EXTERNAL_PREFIX)
        if source_external or not known(edge.source):
            if source_external:
                notes.append(
                    Note(
                        NoteLevel.WARNING,
                        f"{edge.source} -> {edge.target}",
                        "a call from outside the cluster that no entry point explains: "
                        "left out (declare the entry point instead)",
                    )
                )
            continue
        if target_external:
            if edge.source not in in_scope:
                continue
            host = edge.target.removeprefix(EXTERNAL_PREFIX)
            cidr = is_address(host)
            if cidr is None:
                unexpressed.append(
                    Unexpressed(
                        edge.source,
                        edge.target,
                        edge.port,
                        edge.protocol,
                        fqdn_reason(host, options.flavor),
                        edge.evidence,
                    )
                )
                continue
            key = (edge.source, cidr, edge.port, edge.protocol)
            previous = address_calls.get(key)
            evidence = (previous.evidence if previous else ()) + edge.evidence
            address_calls[key] = AddressCall(
                edge.source, cidr, host, edge.port, edge.protocol, evidence
            )
            if edge.port is None:
                notes.append(
                    Note(
                        NoteLevel.WARNING,
                        f"{edge.source} -> {edge.target}",
                        "port unknown: every port of the address is allowed",
                    )
                )
            continue
        if not known(edge.target):
            continue
        if edge.source not in in_scope and edge.target not in in_scope:
            continue
        target = endpoints[edge.target]
        ports: list[Port]
        note: str | None = None
        if edge.port is not None:
            ports = [names.port(edge.target, edge.port, edge.protocol)]
        else:
            declared = sorted({p for p, proto in target.ports if proto.value == edge.protocol})
            if options.unknown_ports is UnknownPorts.REFUSE or not declared:
                reason = (
                    "port unknown, and unknown ports are refused (--unknown-ports refuse)"
                    if declared
                    else f"port unknown, and {edge.target} declares no {edge.protocol} port"
                )
                unexpressed.append(
                    Unexpressed(
                        edge.source, edge.target, None, edge.protocol, reason, edge.evidence
                    )
                )
                continue
            ports = [names.port(edge.target, p, edge.protocol) for p in declared]
            listed = ", ".join(f"{p}/{edge.protocol}" for p in declared)
            note = f"port unknown: every declared port allowed ({listed})"
            notes.append(Note(NoteLevel.WARNING, f"{edge.source} -> {edge.target}", note))
        for port in ports:
            key3 = (edge.source, edge.target, port)
            previous_call = calls.get(key3)
            evidence = (previous_call.evidence if previous_call else ()) + edge.evidence
            kept = note if note is not None else (previous_call.note if previous_call else None)
            calls[key3] = Call(edge.source, edge.target, port, evidence, kept)
    entries: dict[tuple[str, Port], Entry] = {}
    for entry in graph.entry_points:
        if entry.workload not in in_scope:
            if entry.workload not in endpoints:
                known(entry.workload)
            continue
        port = names.port(entry.workload, entry.port, entry.protocol)
        previous_entry = entries.get((entry.workload, port))
        evidence = (previous_entry.evidence if previous_entry else ()) + entry.evidence
        entries[(entry.workload, port)] = Entry(entry.workload, port, evidence)
    for item in unexpressed:
        notes.append(
            Note(
                NoteLevel.WARNING,
                f"{item.source} -> {item.target}",
                f"not allowed: {item.reason}",
                item.evidence[0].location if item.evidence else None,
            )
        )
    return Intent(
        scope=scope,
        namespaces=namespaces,
        calls=tuple(sorted(calls.values(), key=lambda c: (c.source, c.target, c.port))),
        address_calls=tuple(
            sorted(
                address_calls.values(),
                key=lambda a: (a.source, a.cidr, a.port or 0, a.protocol),
            )
        ),
        entries=tuple(sorted(entries.values(), key=lambda e: (e.workload, e.port))),
        unexpressed=tuple(unexpressed),
        notes=tuple(sorted(set(notes))),
        dns=options.dns is not None,
        ingress_namespace=options.ingress_namespace,
        secondary_files=frozenset(p.file for p in inventory.compose_projects),
    )
