"""Accumulate edges from any source of evidence into one :class:`ServiceGraph`."""

from __future__ import annotations

from collections import defaultdict

from socklock.model import (
    EXTERNAL_PREFIX,
    Edge,
    EntryPoint,
    Evidence,
    GraphNode,
    NodeKind,
    ServiceGraph,
    Unresolved,
)
from socklock.model.graph import HINT_KINDS

EdgeKey = tuple[str, str, int | None, str]


class GraphBuilder:
    """Edges with the same (from, to, port, protocol) merge; their evidence accumulates.

    Each one's evidence is kept as a dict's keys (in the order first given, each once): a
    proxy config that routes thousands of paths to one backend gives one edge thousands of
    pieces of evidence, and a list's membership test made adding them quadratic."""

    def __init__(self) -> None:
        self.nodes: dict[str, GraphNode] = {}
        self._edges: dict[EdgeKey, dict[Evidence, None]] = defaultdict(dict)
        self._entries: dict[tuple[str, int, str], dict[Evidence, None]] = defaultdict(dict)
        self.unresolved: list[Unresolved] = []
        # graph id → ports its own code says it serves on (``server.port``): what a later
        # stage (a proxy on the host's network) needs to know who listens where
        self.listens: dict[str, set[int]] = defaultdict(set)

    def add_node(self, node: GraphNode) -> None:
        self.nodes.setdefault(node.id, node)

    def add_external(self, host: str) -> str:
        node_id = f"{EXTERNAL_PREFIX}{host}"
        self.add_node(GraphNode(node_id, NodeKind.EXTERNAL, None))
        return node_id

    def add_edge(
        self, source: str, target: str, port: int | None, protocol: str, evidence: Evidence
    ) -> None:
        self._edges[(source, target, port, protocol)].setdefault(evidence)

    def add_entry_point(self, workload: str, port: int, protocol: str, evidence: Evidence) -> None:
        self._entries[(workload, port, protocol)].setdefault(evidence)

    def calls_to(self, target: str) -> list[tuple[str, int | None, str]]:
        """(source, port, protocol) of the edges to ``target`` that some evidence says are
        calls (not start-order hints alone)."""
        return [
            (s, p, proto)
            for (s, t, p, proto), evidence in self._edges.items()
            if t == target and any(e.kind not in HINT_KINDS for e in evidence)
        ]

    def ports_called(self, source: str, target: str) -> set[int]:
        return {k[2] for k in self._edges if k[0] == source and k[1] == target and k[2]}

    def build(self) -> ServiceGraph:
        edges = self._edges
        # An edge whose port is unknown adds nothing where the same call has a known port:
        # its evidence moves onto those edges.
        for key in [k for k in edges if k[2] is None]:
            known = [k for k in edges if k[:2] == key[:2] and k[2] is not None and k[3] == key[3]]
            if known:
                for other in known:
                    for evidence in edges[key]:
                        edges[other].setdefault(evidence)
                del edges[key]
        return ServiceGraph(
            nodes=tuple(sorted(self.nodes.values(), key=lambda n: (n.is_external, n.id))),
            edges=tuple(
                sorted(
                    (
                        Edge(s, t, p, proto, tuple(sorted(ev)))
                        for (s, t, p, proto), ev in edges.items()
                    ),
                    key=lambda e: (e.source, e.target, e.port or 0, e.protocol),
                )
            ),
            entry_points=tuple(
                sorted(
                    EntryPoint(w, p, proto, tuple(sorted(ev)))
                    for (w, p, proto), ev in self._entries.items()
                )
            ),
            unresolved=tuple(sorted(self.unresolved, key=lambda u: (u.location, u.expression))),
        )
