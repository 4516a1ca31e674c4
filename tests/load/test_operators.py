"""A RabbitmqCluster custom resource is a broker the operator runs: its StatefulSet and
Services are read as if written, so a client's ``rabbitmq`` host resolves to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

CLUSTER = """\
apiVersion: rabbitmq.com/v1beta1
kind: RabbitmqCluster
metadata:
  name: rabbitmq
spec:
  replicas: 3
"""
OTHER_CR = """\
apiVersion: example.com/v1
kind: RabbitmqCluster
metadata:
  name: lookalike
"""
CLIENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  selector:
    matchLabels: {app: orders}
  template:
    metadata:
      labels: {app: orders}
    spec:
      containers:
      - name: orders
        image: shop/orders:1
        env:
        - name: AMQP_URL
          value: amqp://rabbitmq
        - name: OTHER_URL
          value: http://lookalike:8080
"""


def test_the_operators_objects_are_loaded(tmp_path: Path) -> None:
    write_files(tmp_path, {"k8s/rabbitmq.yaml": CLUSTER, "k8s/other.yaml": OTHER_CR})
    inventory = load_paths([str(tmp_path)])
    assert [(w.kind, w.name, w.replicas) for w in inventory.workloads] == [
        ("StatefulSet", "rabbitmq-server", 3)
    ]
    ports = {s.name: sorted(p.port for p in s.ports) for s in inventory.services}
    assert ports == {"rabbitmq": [5672, 15672, 15692], "rabbitmq-nodes": [4369, 25672]}
    (server,) = inventory.workloads
    assert str(server.location) == f"{tmp_path}/k8s/rabbitmq.yaml:1:1"


def test_a_client_calls_the_operated_broker(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {"k8s/rabbitmq.yaml": CLUSTER, "k8s/other.yaml": OTHER_CR, "k8s/orders.yaml": CLIENT},
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("default/orders", "default/rabbitmq-server", 5672)
    }
