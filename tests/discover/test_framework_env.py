"""One test per ``[[framework_env]]`` row of data/client_libraries.toml: an env var that a
framework binds to its properties (MicroProfile Config's env mapping) is read by a service
whose build declares the row's artifacts, even when none of its files names the property;
not by a service without them, and not when the name holds no address it dials."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.framework_env import bound_by, framework_envs
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

# row → (an artifact that brings it, a name it binds, a name it does not)
CASES = {
    "Quarkus configuration": (
        "quarkus-jdbc-postgresql",
        "QUARKUS_DATASOURCE_JDBC_URL",
        "QUARKUS_HTTP_CORS_ORIGINS",
    ),
    "MicroProfile Reactive Messaging": (
        "smallrye-reactive-messaging-kafka",
        "MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_BOOTSTRAP_SERVERS",
        "MP_CONFIG_PROFILE",
    ),
    "Kafka client of the framework": (
        "micronaut-kafka",
        "KAFKA_BOOTSTRAP_SERVERS",
        "KAFKA_BROKERS",
    ),
    "Apicurio Registry serde": (
        "quarkus-apicurio-registry-avro",
        "APICURIO_REGISTRY_URL",
        "REGISTRY_URL",
    ),
}


def test_every_row_has_a_case() -> None:
    assert {row.what for row in framework_envs()} == set(CASES)


@pytest.mark.parametrize("what", sorted(CASES))
def test_row(what: str) -> None:
    artifact, bound, unbound = CASES[what]
    (row,) = [r for r in bound_by([artifact, "junit-jupiter"]) if r.what == what]
    assert row.binds(bound)
    assert not row.binds(unbound)
    assert what not in {r.what for r in bound_by(["spring-boot-starter-web"])}


COMPOSE = """\
services:
  villains:
    build: ./villains
    environment:
      QUARKUS_DATASOURCE_JDBC_URL: jdbc:postgresql://villains-db:5432/villains
      QUARKUS_HTTP_CORS_ORIGINS: http://ui:8080
      QUARKUS_OPENTELEMETRY_TRACER_EXPORTER_OTLP_ENDPOINT: http://jaeger:4317
  legacy:
    build: ./legacy
    environment:
      QUARKUS_DATASOURCE_JDBC_URL: jdbc:postgresql://villains-db:5432/villains
  villains-db:
    image: postgres:16
  ui:
    image: nginx:1.27
  jaeger:
    image: jaegertracing/all-in-one:1.60
"""
MAIN = (
    "package shop;\npublic class Main {\n"
    "    public static void main(String[] args) { System.out.println(args.length); }\n}\n"
)


def _pom(name: str, *artifacts: str) -> str:
    dependencies = "".join(
        f"<dependency><artifactId>{a}</artifactId></dependency>" for a in artifacts
    )
    return (
        f"<project><artifactId>{name}</artifactId>"
        f"<dependencies>{dependencies}</dependencies></project>"
    )


def test_a_quarkus_service_reads_the_datasource_its_deployment_gives(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            "villains/Dockerfile": "FROM eclipse-temurin:21\n",
            "villains/pom.xml": _pom(
                "villains", "quarkus-hibernate-orm", "quarkus-jdbc-postgresql"
            ),
            "villains/src/main/java/shop/Main.java": MAIN,
            "villains/src/main/resources/application.properties": "quarkus.http.port=8084\n",
            # a plain Java program: nothing of it binds QUARKUS_* names
            "legacy/Dockerfile": "FROM eclipse-temurin:21\n",
            "legacy/pom.xml": _pom("legacy", "commons-lang3"),
            "legacy/src/main/java/shop/Main.java": MAIN,
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    project = tmp_path.name
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        # not the CORS origin ui, nor jaeger under the quarkus.opentelemetry.* names that
        # Quarkus 3.13 dropped
        (f"{project}/villains", f"{project}/villains-db", 5432),
    }
