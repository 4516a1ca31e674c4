"""A repository without deployment files: its services expect well-known servers beside them
(``localhost:8500`` is the Consul agent its README starts), and Spring Cloud Consul's
discovery starter registers each service with an HTTP health check the agent polls."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.host_servers import host_server
from socklock.load import load_paths

CONSUL = "spring:\n  cloud:\n    consul:\n      host: localhost\n      port: 8500\n"


def _pom(name: str, *artifacts: str) -> str:
    dependencies = "".join(
        f"<dependency><artifactId>{a}</artifactId></dependency>" for a in artifacts
    )
    return (
        f"<project><artifactId>{name}</artifactId><dependencies>{dependencies}</dependencies>"
        "<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin>"
        "</plugins></build></project>"
    )


def test_host_servers_and_the_consul_health_check(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "orders/pom.xml": _pom("orders", "spring-cloud-starter-consul-discovery"),
            "orders/src/main/resources/application.yml": (
                "spring:\n  application:\n    name: orders\n"
                "  data:\n    mongodb:\n      uri: mongodb://localhost:27017/orders\n"
                "  cloud:\n    consul:\n      host: localhost\n      port: 8500\n"
            ),
            # a heartbeat (a TTL check the service reports) replaces the HTTP check
            "billing/pom.xml": _pom("billing", "spring-cloud-starter-consul-discovery"),
            "billing/src/main/resources/application.yml": (
                "spring:\n  application:\n    name: billing\n"
                + CONSUL[len("spring:\n") :]
                + "      discovery:\n        heartbeat:\n          enabled: true\n"
            ),
            # no discovery starter: it reads Consul's KV config only, nothing polls it
            "audit/pom.xml": _pom("audit", "spring-cloud-starter-consul-config"),
            "audit/src/main/resources/application.yml": (
                "spring:\n  application:\n    name: audit\n"
                + CONSUL[len("spring:\n") :]
                + "logstash:\n  url: tcp://localhost:5000\n"
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("code/orders", "code/consul", 8500),
        ("code/orders", "code/mongodb", 27017),
        # nothing sets its server.port: Spring Boot listens on its default, 8080
        ("code/consul", "code/orders", 8080),
        ("code/billing", "code/consul", 8500),
        ("code/audit", "code/consul", 8500),
    }
    # a port no well-known server owns stays unknown
    assert [(u.source, u.reason) for u in graph.unresolved] == [
        ("code/audit", "no build unit of the input listens on port 5000")
    ]


def test_host_server_names_only_well_known_ports() -> None:
    node = host_server(8500)
    assert node is not None and (node.id, [p.port for p in node.ports]) == ("code/consul", [8500])
    assert host_server(5000) is None
    kafka = host_server(29092)  # Kafka's host listener in the Confluent compose examples
    assert kafka is not None and (kafka.id, [p.port for p in kafka.ports]) == (
        "code/kafka",
        [29092],
    )
    assert host_server(None) is None
    jaeger = host_server(6831)  # the Jaeger agent's UDP port
    assert jaeger is not None and (jaeger.id, jaeger.ports[0].protocol) == ("code/jaeger", "UDP")
    nacos = host_server(8848)
    assert nacos is not None and nacos.id == "code/nacos"


def test_a_database_image_of_the_repository_is_the_server_on_its_port(tmp_path: Path) -> None:
    """``db/Dockerfile`` builds on ``postgres`` (adding the schema): that unit listens on
    5432, so ``localhost:5432`` is it, not a Postgres of the README's; with two such images
    the port names neither."""
    _write(
        tmp_path,
        {
            "orders/pom.xml": _pom("orders"),
            "orders/src/main/resources/application.yml": (
                "spring:\n  datasource:\n    url: jdbc:postgresql://localhost:5432/orders\n"
            ),
            "db/Dockerfile": "FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {("code/orders", "code/db", 5432)}
    _write(tmp_path, {"db2/Dockerfile": "FROM postgres:16\n"})
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == set()
    assert [u.reason for u in graph.unresolved] == [
        "2 build units of the input listen on port 5432"
    ]
