"""Quarkus services beside a compose file that starts only Consul: a ``stork://<name>`` REST
client calls the service registered under that name (``quarkus.application.name``), every
Consul client library calls the one agent, and the agent polls the health check that Spring
Cloud Consul registers by default (a Stork registration has none)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

CONSUL = "services:\n  consul:\n    image: hashicorp/consul:1.22\n    ports:\n      - 8500:8500\n"
PROPERTIES = "src/main/resources/application.properties"
QUARKUS_PLUGIN = "<plugin><artifactId>quarkus-maven-plugin</artifactId></plugin>"
SPRING_PLUGIN = "<plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin>"
CLIENT = (
    "package shop;\n"
    "import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;\n"
    '@RegisterRestClient(baseUri = "stork://stock-service")\n'
    "public interface StockClient {}\n"
)


def _pom(name: str, plugin: str, *artifacts: str) -> str:
    dependencies = "".join(
        f"<dependency><artifactId>{a}</artifactId></dependency>" for a in artifacts
    )
    return (
        f"<project><artifactId>{name}</artifactId><dependencies>{dependencies}</dependencies>"
        f"<build><plugins>{plugin}</plugins></build></project>"
    )


def test_stork_names_and_consul_clients(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    _write(
        root,
        {
            "docker-compose.yml": CONSUL,
            "orders/pom.xml": _pom("orders", QUARKUS_PLUGIN, "stork-service-discovery-consul"),
            f"orders/{PROPERTIES}": "quarkus.application.name=orders-service\n",
            "orders/src/main/java/shop/StockClient.java": CLIENT,
            # registers through Stork: a client of the agent, no HTTP check the agent polls
            "stock/pom.xml": _pom(
                "stock", QUARKUS_PLUGIN, "quarkus-rest", "stork-service-registration-consul"
            ),
            f"stock/{PROPERTIES}": "quarkus.application.name=stock-service\n",
            "gateway/pom.xml": _pom(
                "gateway", SPRING_PLUGIN, "spring-cloud-starter-consul-discovery"
            ),
            # no Consul client at all: no call to the agent
            "audit/pom.xml": _pom("audit", QUARKUS_PLUGIN, "quarkus-rest"),
            f"audit/{PROPERTIES}": "quarkus.application.name=audit\n",
        },
    )
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "code/stock", 8080),  # stork://stock-service: Quarkus's default port
        ("code/orders", "shop/consul", 8500),
        ("code/stock", "shop/consul", 8500),
        ("code/gateway", "shop/consul", 8500),
        ("shop/consul", "code/gateway", 8080),  # Spring Cloud Consul's HTTP check
    }


def test_consul_discovery_switched_off_calls_no_agent(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    _write(
        root,
        {
            "docker-compose.yml": CONSUL,
            "gateway/pom.xml": _pom(
                "gateway", SPRING_PLUGIN, "spring-cloud-starter-consul-discovery"
            ),
            "gateway/src/main/resources/application.yml": (
                "spring:\n  cloud:\n    consul:\n      enabled: false\n"
            ),
        },
    )
    graph = discover(load_paths([str(root)]))
    assert not [e for e in graph.edges if not e.hint]
