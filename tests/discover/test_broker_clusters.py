"""Kafka brokers of one cluster: a client of one broker calls every broker of its cluster
(partition leaders, at the listener it bootstrapped through), and the brokers call each
other (replication). Exact edge sets, negatives included."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

COMPOSE = """\
services:
  zk: {image: confluentinc/cp-zookeeper:7.4.0}
  kafka-1:
    image: confluentinc/cp-kafka:7.4.0
    environment:
      KAFKA_ZOOKEEPER_CONNECT: zk:2181
      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka-1:9092,HOST://localhost:29092
      KAFKA_INTER_BROKER_LISTENER_NAME: PLAINTEXT
  kafka-2:
    image: confluentinc/cp-kafka:7.4.0
    environment:
      KAFKA_ZOOKEEPER_CONNECT: zk:2181
      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka-2:9093,HOST://localhost:29093
      KAFKA_INTER_BROKER_LISTENER_NAME: PLAINTEXT
  # another cluster (its own coordinator): a broker alone, no one else's
  solo:
    image: bitnami/kafka:3.6
    environment:
      KAFKA_CFG_ZOOKEEPER_CONNECT: zk:2181/solo
      KAFKA_CFG_ADVERTISED_LISTENERS: PLAINTEXT://solo:9092
  registry:
    image: confluentinc/cp-schema-registry:7.4.0
    environment:
      SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: kafka-1:9092
  app:
    image: shop/app
    environment:
      KAFKA_BROKERS: kafka-1:9092
"""


def _edges(root: Path, manifests: bool) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]), manifests=manifests)
    return {
        (e.source.rsplit("/", 1)[1], e.target.rsplit("/", 1)[1], e.port)
        for e in graph.edges
        if not e.hint and e.target.rsplit("/", 1)[1].startswith(("kafka", "solo"))
    }


def test_clients_call_every_broker_of_the_cluster_and_brokers_each_other(
    tmp_path: Path,
) -> None:
    (tmp_path / "docker-compose.yml").write_text(COMPOSE, encoding="utf-8")
    assert _edges(tmp_path, manifests=True) == {
        ("app", "kafka-1", 9092),
        ("app", "kafka-2", 9093),  # kafka-2's PLAINTEXT listener, the one app bootstrapped on
        ("kafka-1", "kafka-2", 9093),  # replication on the inter-broker listener
        ("kafka-2", "kafka-1", 9092),
        # Schema Registry's one topic has one partition: its leader is not known
        ("registry", "kafka-1", 9092),
    }


def test_a_listener_that_does_not_name_the_broker_gives_nothing(tmp_path: Path) -> None:
    text = COMPOSE.replace("PLAINTEXT://kafka-2:9093", "PLAINTEXT://10.0.0.7:9093")
    (tmp_path / "docker-compose.yml").write_text(text, encoding="utf-8")
    assert _edges(tmp_path, manifests=True) == {
        ("app", "kafka-1", 9092),
        ("kafka-2", "kafka-1", 9092),
        ("registry", "kafka-1", 9092),
    }
