"""The real sock shop's policies (microservices-demo, ../shared/corpus): what socklock finds.

Its policies have real bugs: cart-access selects `name: cart` but the carts pods are labelled
`name: carts`, and carts-db admits `name: cart`; cortex-access has `matchLabels:` left empty,
which selects every pod of the namespace and admits only pods named cortex. So carts (and
session-db) are isolated with no rule for their callers, and every pod can reach front-end.
"""

from __future__ import annotations

from pathlib import Path

from socklock.load import load_paths
from socklock.model import EntryPoint, ServiceGraph
from socklock.model.graph import Edge
from socklock.policy import analyse, explain
from socklock.policy.intent import check_intent, graph_externals

NS = "sock-shop"
WORKLOADS = [
    "carts", "carts-db", "catalogue", "catalogue-db", "front-end", "orders", "orders-db",
    "payment", "queue-master", "rabbitmq", "session-db", "shipping", "user", "user-db",
]  # fmt: skip
# What the shop needs (its source code and docs): caller, callee, container port.
NEEDED = [
    ("front-end", "catalogue", 80), ("front-end", "carts", 80), ("front-end", "orders", 80),
    ("front-end", "user", 80), ("front-end", "session-db", 6379),
    ("catalogue", "catalogue-db", 3306), ("carts", "carts-db", 27017),
    ("orders", "carts", 80), ("orders", "payment", 80), ("orders", "shipping", 80),
    ("orders", "user", 80), ("orders", "orders-db", 27017), ("user", "user-db", 27017),
    ("shipping", "rabbitmq", 5672), ("queue-master", "rabbitmq", 5672),
]  # fmt: skip


def _id(name: str) -> str:
    return f"{NS}/{name}"


def _analyse(corpus: Path):  # type: ignore[no-untyped-def]
    inventory = load_paths([str(corpus / "manifests"), str(corpus / "manifests-policy")])
    assert [str(d) for d in inventory.errors] == []
    return inventory


def test_what_the_policies_allow(corpus: Path) -> None:
    connectivity = analyse(_analyse(corpus))
    assert connectivity.endpoints == tuple(_id(w) for w in WORKLOADS)
    allowed = {
        (r.source.split("/")[1], r.target.split("/")[1], r.port) for r in connectivity.connections()
    }
    assert all(r.allowed for r in connectivity.connections())
    everyone_to_front_end = {(w, "front-end", 8079) for w in WORKLOADS}
    assert allowed == everyone_to_front_end | {
        ("front-end", "catalogue", 80),
        ("front-end", "orders", 80),
        ("front-end", "user", 80),
        ("catalogue", "catalogue-db", 3306),
        ("orders", "orders-db", 27017),
        ("orders", "payment", 80),
        ("orders", "shipping", 80),
        ("orders", "user", 80),
        ("user", "user-db", 27017),
        ("shipping", "rabbitmq", 5672),
        ("queue-master", "rabbitmq", 5672),
    }
    # Every pod is selected for ingress (cortex-access selects all), none for egress.
    for workload in WORKLOADS:
        assert tuple(connectivity.isolation(_id(workload))) == (True, False)


def test_needed_calls_are_denied_and_the_typo_is_why(corpus: Path) -> None:
    inventory = _analyse(corpus)
    graph = ServiceGraph(
        edges=tuple(Edge(_id(s), _id(t), p, "TCP") for s, t, p in NEEDED),
        entry_points=(EntryPoint(_id("front-end"), 8079, "TCP"),),
    )
    connectivity = analyse(inventory, externals=graph_externals(graph))
    check = check_intent(connectivity, graph)
    assert [(m.source, m.target, m.port, str(m.verdict)) for m in check.missing] == [
        (_id("carts"), _id("carts-db"), 27017, "denied"),
        (_id("front-end"), _id("carts"), 80, "denied"),
        (_id("front-end"), _id("session-db"), 6379, "denied"),
        (_id("orders"), _id("carts"), 80, "denied"),
    ]
    # Excess: every workload reaches front-end:8079 (it needs only the outside world), and
    # nothing limits egress to outside addresses.
    to_front_end = [e for e in check.excess if e.target == _id("front-end")]
    assert sorted(e.source for e in to_front_end) == [_id(w) for w in WORKLOADS]
    assert all(e.port == 8079 for e in to_front_end)
    outward = [e for e in check.excess if e.target == "external:0.0.0.0/0"]
    assert len(outward) == 3 * len(WORKLOADS)
    assert {(e.port, e.end_port) for e in outward} == {(1, 65535)}
    assert len(check.excess) == len(to_front_end) + len(outward)

    why = explain(connectivity, _id("front-end"), _id("carts"), 80, "TCP")
    assert why.ingress is not None and not why.ingress.allowed
    assert [p.policy for p in why.ingress.selecting] == [f"{NS}/cortex-access"]
    assert why.ingress.selecting[0].location.file.endswith("netpol-cortex-access.yaml")
    assert why.ingress.admitting == ()
    cortex = why.ingress.selecting[0].location.file
    assert why.ingress.near_misses == (
        f"{NS}/cortex-access spec.ingress[0] ({cortex}:11:7) covers the port, but admits "
        "pods name=cortex only",
    )
    # carts-db admits `name: cart`, a label no pod has.
    why = explain(connectivity, _id("carts"), _id("carts-db"), 27017, "TCP")
    assert why.ingress is not None
    assert [p.policy for p in why.ingress.selecting] == [
        f"{NS}/carts-db-access",
        f"{NS}/cortex-access",
    ]
    db = why.ingress.selecting[0].location.file
    assert db.endswith("netpol-cart-db-access.yaml")
    assert why.ingress.near_misses[0] == (
        f"{NS}/carts-db-access spec.ingress[0] ({db}:12:7) covers the port, but admits pods "
        "name=cart only"
    )
