"""Producers and consumers of a broker are both its callers; the topic is on the evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.discover.shop import workload

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

PRODUCER = """\
from kafka import KafkaProducer
producer = KafkaProducer(bootstrap_servers="kafka:9092")
producer.send("orders", b"{}")
"""
CONSUMER = """\
package main

import (
	"os"

	kafka "github.com/segmentio/kafka-go"
)

func main() {
	brokers := []string{os.Getenv("KAFKA_ADDR")}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: "orders"})
	_ = r
}
"""
LISTENER = """\
package shop;

class Listener {
    @KafkaListener(topics = "orders")
    void onOrder(String order) {}
}
"""


def _service(root: Path, name: str, files: dict[str, str], env: str = "") -> None:
    (root / "k8s" / f"{name}.yaml").write_text(
        workload(name, port=8080 if files else 9092, env=env)
    )
    if files:
        (root / name).mkdir()
        (root / name / "Dockerfile").write_text("FROM scratch\nCOPY . .\n")
        for file, text in files.items():
            (root / name / file).write_text(text)


def test_producers_and_consumers_call_the_broker(tmp_path: Path) -> None:
    (tmp_path / "k8s").mkdir()
    _service(tmp_path, "kafka", {})
    _service(tmp_path, "orders", {"app.py": PRODUCER})
    _service(tmp_path, "shipping", {"main.go": CONSUMER}, "{name: KAFKA_ADDR, value: 'kafka:9092'}")
    _service(
        tmp_path,
        "billing",
        {
            "Listener.java": LISTENER,
            "application.yml": "spring.kafka.bootstrap-servers: kafka:9092\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    edges = {(e.source, e.target, e.port): [ev.detail for ev in e.evidence] for e in graph.edges}
    assert set(edges) == {
        ("shop/orders", "shop/kafka", 9092),
        ("shop/shipping", "shop/kafka", 9092),
        ("shop/billing", "shop/kafka", 9092),
    }
    (consumer,) = edges[("shop/shipping", "shop/kafka", 9092)]
    assert consumer == (
        "env-read brokers (topic orders) "
        f"(KAFKA_ADDR=kafka:9092 at {tmp_path / 'k8s' / 'shipping.yaml'}:12:15)"
        " (Service shop/kafka port 9092)"
    )


MASSTRANSIT = """\
using System;
using MassTransit;

public static class Bus
{
    public const string RabbitUri = "rabbitmq://rabbitmq/";

    public static void Start()
    {
        MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            var host = cfg.Host(new Uri(RabbitUri), h => { h.Username("guest"); });
        });
    }
}
"""


def test_a_masstransit_rabbitmq_address_dials_the_brokers_amqp_port(tmp_path: Path) -> None:
    """``rabbitmq://rabbitmq/`` (MassTransit's address scheme) is AMQP on 5672, not the
    management UI the broker's image also exposes."""
    (tmp_path / "compose.yml").write_text(
        "services:\n"
        "  orders:\n    build: ./orders\n"
        "  rabbitmq:\n    image: rabbitmq:3-management\n    ports: ['15672:15672', '5672:5672']\n"
    )
    (tmp_path / "orders").mkdir()
    (tmp_path / "orders" / "Dockerfile").write_text("FROM scratch\nCOPY . .\n")
    (tmp_path / "orders" / "Bus.cs").write_text(MASSTRANSIT)
    graph = discover(load_paths([str(tmp_path)]))
    assert {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1], e.port)
        for e in graph.edges
        if not e.hint
    } == {("orders", "rabbitmq", 5672)}
