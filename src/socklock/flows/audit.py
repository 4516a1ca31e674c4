"""Replay observed flows against a candidate policy set with the exact engine, and against
the service graph.

Flows are first grouped by what the engine can tell apart, (source workload, destination
workload, container port, protocol): the engine answers once per such tuple, however many
records the files hold. A tuple the policies do not fully allow is a *drop*, with the side
(the source's egress, the destination's ingress) that refuses it and the policies that
isolate that side (:func:`socklock.policy.explain`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from socklock.flows.addresses import AddressBook, Endpoint, Mapped
from socklock.flows.read import FlowRead, Observation
from socklock.model import EXTERNAL_PREFIX, Location, ServiceGraph
from socklock.policy import Connectivity, Verdict, explain

POLICY_PROTOCOLS = frozenset({"TCP", "UDP", "SCTP"})
Tuple = tuple[str, str, int, str]  # source, target, container port, protocol


@dataclass(slots=True)
class Seen:
    """The records behind one tuple."""

    count: int
    first: float | None
    last: float | None
    location: Location  # the first record's file:line
    verdicts: set[str] = field(default_factory=set)

    def merge(self, other: Observation) -> None:
        self.count += other.count
        if other.first is not None and (self.first is None or other.first < self.first):
            self.first = other.first
        if other.last is not None and (self.last is None or other.last > self.last):
            self.last = other.last
        self.verdicts |= other.verdicts


@dataclass(frozen=True, slots=True)
class Decider:
    """The side that refuses a flow and the policies that isolate it (file:line)."""

    direction: str  # egress | ingress
    workload: str
    policies: tuple[tuple[str, Location], ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Drop:
    flow: Tuple
    verdict: Verdict
    seen: Seen
    deciders: tuple[Decider, ...]


@dataclass(frozen=True, slots=True)
class Unmapped:
    side: str  # source | destination
    what: str  # the address or namespace/name
    reason: str
    flows: int
    location: Location


@dataclass(slots=True)
class Replay:
    tuples: dict[Tuple, Seen] = field(default_factory=dict)
    unmapped: dict[tuple[str, str], Unmapped] = field(default_factory=dict)
    not_judged: dict[str, int] = field(default_factory=dict)  # reason -> records


def endpoints(connectivity: Connectivity) -> list[Endpoint]:
    """The engine's workloads (dumped pods under their owners), as the mapper sees them."""
    out = []
    for endpoint in connectivity.cluster.endpoints:
        names = [endpoint.id.partition("/")[2]]
        named: dict[tuple[str, str], int] = {}
        for w in endpoint.workloads:
            names.append(w.name)
            for port in w.ports:
                if port.name is not None:
                    named.setdefault((port.name, str(port.protocol)), port.container_port)
        out.append(
            Endpoint(
                endpoint.id,
                endpoint.namespace,
                tuple(dict.fromkeys(names)),
                frozenset(w.obj.ref for w in endpoint.workloads),
                tuple(dict(w.labels) for w in endpoint.workloads),
                tuple(ip for w in endpoint.workloads for ip in w.pod_ips),
                named,
            )
        )
    return out


def _what(ip: str | None, name: tuple[str, str] | None) -> str:
    return ip if ip is not None else f"{name[0]}/{name[1]}" if name else "?"


def replay(read: FlowRead, book: AddressBook) -> Replay:
    """Group the observations by workload tuple; say what could not be mapped."""
    out = Replay()
    for (src, dst, src_name, dst_name, port, protocol), seen in read.observations.items():
        if protocol not in POLICY_PROTOCOLS:
            reason = f"{protocol}: NetworkPolicies govern TCP, UDP and SCTP only"
            out.not_judged[reason] = out.not_judged.get(reason, 0) + seen.count
            continue
        if port is None:
            reason = "no destination port"
            out.not_judged[reason] = out.not_judged.get(reason, 0) + seen.count
            continue
        sources = book.map(src, src_name, None, protocol)
        targets = book.map(dst, dst_name, port, protocol)
        location = Location(seen.file, seen.line)
        failed = False
        for side, found, ip, name in (
            ("source", sources, src, src_name),
            ("destination", targets, dst, dst_name),
        ):
            if isinstance(found, str):
                failed = True
                what = _what(ip, name)
                known = out.unmapped.get((side, what))
                flows = seen.count + (known.flows if known else 0)
                where = known.location if known else location
                out.unmapped[(side, what)] = Unmapped(side, what, found, flows, where)
        if failed:
            continue
        assert not isinstance(sources, str) and not isinstance(targets, str)
        for source in sources:
            for target in targets:
                _group(out, source, target, protocol, seen, location)
    return out


def _group(
    out: Replay, source: Mapped, target: Mapped, protocol: str, seen: Observation, at: Location
) -> None:
    if source.endpoint.startswith(EXTERNAL_PREFIX) and target.endpoint.startswith(EXTERNAL_PREFIX):
        reason = "both sides outside the cluster"
        out.not_judged[reason] = out.not_judged.get(reason, 0) + seen.count
        return
    assert target.port is not None
    key = (source.endpoint, target.endpoint, target.port, protocol)
    found = out.tuples.get(key)
    if found is None:
        out.tuples[key] = Seen(seen.count, seen.first, seen.last, at, set(seen.verdicts))
    else:
        found.merge(seen)


def drops(connectivity: Connectivity, tuples: dict[Tuple, Seen]) -> list[Drop]:
    """The tuples the policies do not fully allow: one engine query per tuple."""
    out = []
    for key in sorted(tuples):
        source, target, port, protocol = key
        verdict = connectivity.verdict(source, target, port, protocol)
        if verdict is Verdict.ALLOWED:
            continue
        explanation = explain(connectivity, source, target, port, protocol)
        deciders = tuple(
            Decider(
                "egress" if side is explanation.egress else "ingress",
                side.workload,
                tuple((ref.policy, ref.location) for ref in side.selecting),
                side.reason,
            )
            for side in (explanation.egress, explanation.ingress)
            if side is not None and not side.allowed
        )
        out.append(Drop(key, verdict, tuples[key], deciders))
    return out


def missing(graph: ServiceGraph, tuples: Iterable[Tuple]) -> list[Tuple]:
    """Observed workload-to-workload tuples the graph has no edge for (an edge of unknown
    port covers every port)."""
    known = {e.key for e in graph.edges}
    out = []
    for key in sorted(tuples):
        source, target, _, protocol = key
        if source.startswith(EXTERNAL_PREFIX) or target.startswith(EXTERNAL_PREFIX):
            continue
        if key in known or (source, target, None, protocol) in known:
            continue
        out.append(key)
    return out
