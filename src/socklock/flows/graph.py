"""Observed calls as graph evidence (``socklock map --flows``): kind ``observed``, with the
count and the first and last time; an edge the graph already has gains the evidence."""

from __future__ import annotations

import datetime as dt

from socklock.flows.audit import Seen, Tuple
from socklock.model import (
    EXTERNAL_PREFIX,
    Edge,
    Evidence,
    EvidenceKind,
    GraphNode,
    NodeKind,
    Observed,
    ServiceGraph,
)


def rfc3339(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    text = moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def observed_evidence(seen: Seen) -> Evidence:
    first, last = rfc3339(seen.first), rfc3339(seen.last)
    detail = f"observed {seen.count} flow(s)"
    if first is not None:
        detail += f", {first} to {last}"
    return Evidence(
        EvidenceKind.OBSERVED,
        seen.location,
        detail,
        observed=Observed(seen.count, first, last),
    )


def add_observed(graph: ServiceGraph, tuples: dict[Tuple, Seen]) -> ServiceGraph:
    edges = {e.key: e for e in graph.edges}
    nodes = {n.id: n for n in graph.nodes}
    for (source, target, port, protocol), seen in tuples.items():
        evidence = observed_evidence(seen)
        key = (source, target, port, protocol)
        found = edges.get(key)
        if found is None:
            edges[key] = Edge(source, target, port, protocol, (evidence,))
        else:
            edges[key] = Edge(source, target, port, protocol, (*found.evidence, evidence))
        for node in (source, target):
            if node.startswith(EXTERNAL_PREFIX) and node not in nodes:
                nodes[node] = GraphNode(node, NodeKind.EXTERNAL, None)
    return ServiceGraph(
        nodes=tuple(sorted(nodes.values(), key=lambda n: (n.is_external, n.id))),
        edges=tuple(
            sorted(edges.values(), key=lambda e: (e.source, e.target, e.port or 0, e.protocol))
        ),
        entry_points=graph.entry_points,
        unresolved=graph.unresolved,
    )
