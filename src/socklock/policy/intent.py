"""What the policies allow against what the application needs (a service graph).

- *missing*: an edge of the graph (or an entry point: outside -> workload) that is not
  ALLOWED. Edges whose port is unknown, or whose ends are not workloads of the input, cannot
  be checked and are listed as skipped.
- *excess*: an allowed (or partly allowed) row of :meth:`Connectivity.connections` that no
  edge needs. Rows from outside are needed on the ports of the target's entry points. A row
  to an ``external:`` endpoint is needed when the graph has an edge from that source to any
  external endpoint on that port (a host name can only be allowed through a CIDR). A row of
  an unknown-port edge's pair is needed on every port.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from socklock.model import EXTERNAL_PREFIX, Protocol, ServiceGraph
from socklock.policy.addresses import is_external
from socklock.policy.engine import Connectivity
from socklock.policy.intervals import ALL_PORTS, IntervalSet
from socklock.policy.result import Connection, Verdict

WORLD = f"{EXTERNAL_PREFIX}0.0.0.0/0"


@dataclass(frozen=True, slots=True, order=True)
class Needed:
    source: str
    target: str
    port: int
    protocol: Protocol
    verdict: Verdict  # what the policies give it (not ALLOWED: it is missing)
    why: str  # "edge" or "entry point"


@dataclass(frozen=True, slots=True)
class IntentCheck:
    missing: tuple[Needed, ...]
    excess: tuple[Connection, ...]
    skipped: tuple[str, ...]  # edges that could not be checked, with the reason

    @property
    def ok(self) -> bool:
        return not self.missing and not self.excess


def graph_externals(graph: ServiceGraph) -> list[str]:
    """The external endpoints a graph names (pass them to ``analyse(externals=...)``)."""
    names = {n.id for n in graph.nodes if n.is_external}
    names.update(e.target for e in graph.edges if is_external(e.target))
    names.update(e.source for e in graph.edges if is_external(e.source))
    if graph.entry_points:
        names.add(WORLD)
    return sorted(names)


def check_intent(
    connectivity: Connectivity,
    graph: ServiceGraph,
    rows: Iterable[Connection] | None = None,
) -> IntentCheck:
    """Missing and excess connections of ``connectivity`` against ``graph``."""
    known = set(connectivity.endpoints)
    needed_ports: dict[tuple[str, str, Protocol], IntervalSet] = {}
    external_ports: dict[tuple[str, Protocol], IntervalSet] = {}
    missing: list[Needed] = []
    skipped: list[str] = []

    def need(source: str, target: str, ports: IntervalSet, protocol: Protocol) -> None:
        key = (source, target, protocol)
        needed_ports[key] = needed_ports.get(key, IntervalSet()) | ports

    for edge in graph.edges:
        protocol = Protocol(edge.protocol)
        ends_ok = all(e in known or is_external(e) for e in (edge.source, edge.target))
        if not ends_ok or (is_external(edge.source) and is_external(edge.target)):
            skipped.append(
                f"{edge.source} -> {edge.target}: not a workload of the input, cannot check"
            )
            continue
        if edge.port is None:
            need(edge.source, edge.target, ALL_PORTS, protocol)
            skipped.append(f"{edge.source} -> {edge.target}: port unknown, cannot check")
            continue
        point = IntervalSet.point(edge.port)
        need(edge.source, edge.target, point, protocol)
        if is_external(edge.target):
            key = (edge.source, protocol)
            external_ports[key] = external_ports.get(key, IntervalSet()) | point
        if edge.hint:  # start order only: allowing it is not excess, denying it not missing
            skipped.append(
                f"{edge.source} -> {edge.target}: a start-order hint (depends_on/links), "
                "not required"
            )
            continue
        verdict = connectivity.verdict(edge.source, edge.target, edge.port, protocol)
        if verdict is not Verdict.ALLOWED:
            missing.append(Needed(edge.source, edge.target, edge.port, protocol, verdict, "edge"))
    entry_ports: dict[tuple[str, Protocol], IntervalSet] = {}
    for entry in graph.entry_points:
        protocol = Protocol(entry.protocol)
        if entry.workload not in known:
            skipped.append(f"entry point {entry.workload}: not a workload of the input")
            continue
        key = (entry.workload, protocol)
        entry_ports[key] = entry_ports.get(key, IntervalSet()) | IntervalSet.point(entry.port)
        verdict = connectivity.verdict(WORLD, entry.workload, entry.port, protocol)
        if verdict is not Verdict.ALLOWED:
            missing.append(
                Needed(WORLD, entry.workload, entry.port, protocol, verdict, "entry point")
            )
    excess: list[Connection] = []
    for row in rows if rows is not None else connectivity.connections():
        if row.verdict is Verdict.DENIED:
            continue
        if row.source == row.target:
            endpoint = connectivity.endpoint(row.source)
            if endpoint.single_pod:
                continue  # a pod talking to itself: never blocked, never a finding
        span = IntervalSet.span(row.port, row.end_port if row.end_port is not None else row.port)
        covered = needed_ports.get((row.source, row.target, row.protocol), IntervalSet())
        if is_external(row.source):
            covered = covered | entry_ports.get((row.target, row.protocol), IntervalSet())
        if is_external(row.target):
            covered = covered | external_ports.get((row.source, row.protocol), IntervalSet())
        for low, high in span - covered:
            excess.append(
                Connection(
                    row.source,
                    row.target,
                    low,
                    row.protocol,
                    row.verdict,
                    high if high != low else None,
                )
            )
    return IntentCheck(tuple(sorted(missing)), tuple(sorted(excess)), tuple(sorted(skipped)))
