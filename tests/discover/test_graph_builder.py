"""The graph builder merges edges by (from, to, port, protocol) and keeps each piece of
evidence once, whatever order and however often it is given."""

from __future__ import annotations

from socklock.discover.builder import GraphBuilder
from socklock.model import Evidence, EvidenceKind, Location
from socklock.model.graph import Observed


def _proxy(line: int, observed: Observed | None = None) -> Evidence:
    return Evidence(
        EvidenceKind.PROXY, Location("nginx.conf", line), f"route {line}", None, 1.0, observed
    )


def test_evidence_given_again_is_kept_once_and_sorted() -> None:
    builder = GraphBuilder()
    for line in (3, 1, 2, 1, 3, 3):
        builder.add_edge("web", "api", 80, "TCP", _proxy(line))
    (edge,) = builder.build().edges
    assert (edge.source, edge.target, edge.port, edge.protocol) == ("web", "api", 80, "TCP")
    assert edge.evidence == (_proxy(1), _proxy(2), _proxy(3))


def test_equal_evidence_keeps_the_first_one_given() -> None:
    """``observed`` does not take part in equality: the copy given first stays."""
    builder = GraphBuilder()
    first, later = Observed(5, None, None), Observed(9, None, None)
    builder.add_edge("web", "api", 80, "TCP", _proxy(1, first))
    builder.add_edge("web", "api", 80, "TCP", _proxy(1, later))
    (edge,) = builder.build().edges
    assert [e.observed for e in edge.evidence] == [first]


def test_an_unknown_port_moves_its_evidence_onto_the_known_ones_once() -> None:
    builder = GraphBuilder()
    builder.add_edge("web", "api", None, "TCP", _proxy(1))
    builder.add_edge("web", "api", None, "TCP", _proxy(2))
    builder.add_edge("web", "api", 80, "TCP", _proxy(2))
    builder.add_edge("web", "api", 81, "TCP", _proxy(3))
    builder.add_edge("web", "db", None, "TCP", _proxy(4))
    edges = builder.build().edges
    assert [(e.target, e.port, e.evidence) for e in edges] == [
        ("api", 80, (_proxy(1), _proxy(2))),
        ("api", 81, (_proxy(1), _proxy(2), _proxy(3))),
        ("db", None, (_proxy(4),)),
    ]


def test_entry_points_keep_each_evidence_once() -> None:
    builder = GraphBuilder()
    for line in (2, 1, 2):
        builder.add_entry_point("web", 80, "TCP", _proxy(line))
    (entry,) = builder.build().entry_points
    assert entry.evidence == (_proxy(1), _proxy(2))
