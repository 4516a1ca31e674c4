"""The rollout loop for real (root): the demo shop's own programs in the lab, a shopper and an
attacker before and after the generated policies, then log mode with one edge left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import DEMO_SHOP

from socklock.discover import discover
from socklock.lab import system
from socklock.load import load_paths
from socklock.rollout import find_edge, run

pytestmark = pytest.mark.lab

STEPS = ["browse the catalogue", "fill the cart", "place an order"]
# every Service of the namespace that selects a workload front-end does not call, and outside
ATTACKED = [
    ("sock-shop/carts-db", "carts-db.sock-shop.svc.cluster.local", 27017),
    ("sock-shop/catalogue-db", "catalogue-db.sock-shop.svc.cluster.local", 3306),
    ("sock-shop/orders-db", "orders-db.sock-shop.svc.cluster.local", 27017),
    ("sock-shop/payment", "payment.sock-shop.svc.cluster.local", 80),
    ("sock-shop/queue-master", "queue-master.sock-shop.svc.cluster.local", 80),
    ("sock-shop/rabbitmq", "rabbitmq.sock-shop.svc.cluster.local", 5672),
    ("sock-shop/shipping", "shipping.sock-shop.svc.cluster.local", 80),
    ("sock-shop/user-db", "user-db.sock-shop.svc.cluster.local", 27017),
    ("outside", "198.51.100.1", 443),
]
EDGE = ("sock-shop/orders", "sock-shop/payment", 8080, "TCP")


def test_the_shop_attacked_defended_and_rolled_out(tmp_path: Path, lab_run_id: str) -> None:
    inventory = load_paths([str(DEMO_SHOP)])
    graph = discover(inventory, code=False)
    edge = find_edge(graph, "sock-shop/orders", "sock-shop/payment")
    out = tmp_path / "out"
    story = run(
        inventory,
        graph,
        DEMO_SHOP / "shopper.py",
        edge,
        out,
        probe=False,
        inputs=(str(DEMO_SHOP),),
        run_id=lab_run_id,
    )
    # everything the lab made is gone: namespaces and their /etc/netns folders
    assert system.namespaces(f"{system.PREFIX}{lab_run_id}-") == []
    assert not any(system.ETC_NETNS.glob(f"{system.PREFIX}{lab_run_id}-*"))

    assert story.compromised == "sock-shop/front-end"
    for shopping in (story.shopper_before, story.shopper_after, story.shopper_log_mode):
        assert [(s.name, s.ok) for s in shopping.steps] == [(n, True) for n in STEPS]
        assert shopping.ok
    before = [
        (a.target.label, a.target.host, a.target.port, a.outcome) for a in story.attacks_before
    ]
    after = [(a.target.label, a.target.host, a.target.port, a.outcome) for a in story.attacks_after]
    assert before == [(*t, "ok:connected") for t in ATTACKED]
    assert after == [(*t, "refused") for t in ATTACKED]

    # log mode: exactly the left-out edge would be dropped, on both of its sides
    assert [d.flow for d in story.would_drop] == [EDGE]
    drop = story.would_drop[0]
    assert drop.seen.verdicts == {
        "socklock egress sock-shop/orders pod 0",
        "socklock ingress sock-shop/payment pod 0",
    }
    assert [(c.direction, c.workload, [p for p, _ in c.policies]) for c in drop.deciders] == [
        (
            "egress",
            "sock-shop/orders",
            ["sock-shop/socklock-default-deny", "sock-shop/socklock-orders-egress"],
        ),
        ("ingress", "sock-shop/payment", ["sock-shop/socklock-default-deny"]),
    ]
    assert story.missing == (EDGE,)
    assert story.ok
    # nothing else reached the log: every record is orders -> payment 8080/TCP
    records = [json.loads(line) for line in story.files["log"].read_text().splitlines()]
    orders = [p for p in _pods(story.files["addresses"]) if p[1] == "sock-shop/orders"]
    payment = [p for p in _pods(story.files["addresses"]) if p[1] == "sock-shop/payment"]
    assert {(r["src"], r["dst"], r["dport"], r["protocol"]) for r in records} <= {
        (o, p, 8080, "TCP") for o, _ in orders for p, _ in payment
    }
    assert records != []

    # the same answer from `socklock audit` on the files the story wrote
    from socklock._cli.main import cli

    result = CliRunner().invoke(
        cli,
        [
            "audit",
            str(story.files["log"]),
            "--policy",
            str(story.files["policies"]),
            "--cluster",
            str(DEMO_SHOP / "kubernetes"),
            "--addresses",
            str(story.files["addresses"]),
            "--no-graph",
            "--format",
            "json",
        ],
        standalone_mode=False,
    )
    assert result.return_value == 1, result.output
    document = json.loads(result.stdout)
    assert [(d["from"], d["to"], d["port"], d["protocol"]) for d in document["dropped"]] == [EDGE]
    assert document["unmapped"] == []

    # and a flow source for the map like any other: the edge, observed
    result = CliRunner().invoke(
        cli,
        [
            "map",
            str(DEMO_SHOP / "kubernetes"),
            "--flows",
            str(story.files["log"]),
            "--addresses",
            str(story.files["addresses"]),
            "--format",
            "json",
        ],
        standalone_mode=False,
    )
    assert result.return_value == 0, result.output
    observed = [
        (e["from"], e["to"], e["port"], e["protocol"], v["observed"]["count"])
        for e in json.loads(result.stdout)["edges"]
        for v in e["evidence"]
        if v["kind"] == "observed"
    ]
    assert observed == [(*EDGE, len(records))]


def _pods(table: Path) -> list[tuple[str, str]]:
    rows = [line.split() for line in table.read_text().splitlines() if not line.startswith("#")]
    return [(a, w) for a, w in rows]


def test_a_program_that_dies_at_start_fails_up_and_leaves_nothing(
    tmp_path: Path, lab_run_id: str
) -> None:
    from socklock.lab import LabError, programs, running

    (tmp_path / "crash").mkdir()
    (tmp_path / "crash" / "Dockerfile").write_text(
        'FROM python:3\nCMD ["python", "-c", "raise SystemExit(3)"]\n'
    )
    (tmp_path / "compose.yaml").write_text(
        "services:\n  crash: {build: ./crash, image: me/crash:1}\n"
    )
    (tmp_path / "k8s.yaml").write_text(
        """apiVersion: apps/v1
kind: Deployment
metadata: {name: crash, namespace: n}
spec:
  selector: {matchLabels: {app: crash}}
  template:
    metadata: {labels: {app: crash}}
    spec:
      containers: [{name: crash, image: me/crash:1, ports: [{containerPort: 8080}]}]
"""
    )
    inventory = load_paths([str(tmp_path)])
    chosen, _ = programs.programs(inventory)
    assert [p.endpoint for p in chosen] == ["n/crash"]
    refused = pytest.raises(LabError, match=r"a program exited at start: Program\(n/crash, crash, ")
    with refused, running(inventory, (), run=chosen, run_id=lab_run_id):
        pass
    assert system.namespaces(f"{system.PREFIX}{lab_run_id}-") == []
    assert not any(system.ETC_NETNS.glob(f"{system.PREFIX}{lab_run_id}-*"))
