"""One test per row of data/client_libraries.toml: the property prefix finds its library,
which a build declaring the client has and a build without it lacks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from socklock.discover import discover
from socklock.discover.libraries import libraries, library_for
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

ROWS = [
    (
        "eureka.client.service-url.defaultZone",
        "spring-cloud-starter-netflix-eureka-client",
        "spring-cloud-starter-config",
        "Eureka client",
    ),
    (
        "spring.cloud.config.uri",
        "spring-cloud-starter-config",
        "spring-cloud-config-server",
        "Spring Cloud Config client",
    ),
    (
        "spring.rabbitmq.host",
        "spring-cloud-starter-bus-amqp",
        "spring-boot-starter-web",
        "Spring AMQP (RabbitMQ)",
    ),
    (
        "security.oauth2.resource.user-info-uri",
        "spring-cloud-starter-oauth2",
        "spring-boot-starter-security",
        "Spring Security OAuth2",
    ),
    (
        "spring.zipkin.base-url",
        "spring-cloud-starter-zipkin",
        "spring-cloud-starter-sleuth",
        "Zipkin reporter",
    ),
    (
        "spring.data.mongodb.host",
        "spring-boot-starter-data-mongodb",
        "spring-boot-starter-data-jpa",
        "Spring Data MongoDB",
    ),
    (
        "spring.data.redis.host",
        "spring-boot-starter-data-redis",
        "spring-boot-starter-web",
        "Spring Data Redis",
    ),
    (
        "spring.kafka.bootstrap-servers",
        "spring-kafka",
        "spring-boot-starter-amqp",
        "Spring for Apache Kafka",
    ),
    (
        "spring.datasource.url",
        "spring-boot-starter-data-jpa",
        "spring-boot-starter-data-mongodb",
        "Spring JDBC DataSource",
    ),
    (
        "spring.cloud.consul.host",
        "spring-cloud-starter-consul-discovery",
        "spring-cloud-starter-netflix-eureka-client",
        "Spring Cloud Consul",
    ),
    (
        "spring.boot.admin.client.url",
        "spring-boot-admin-starter-client",
        "spring-boot-admin-starter-server",
        "Spring Boot Admin client",
    ),
    (
        "eventuatelocal.zookeeper.connection.string",
        "eventuate-local-java-cdc-connector-mysql-binlog",
        "eventuate-tram-spring-consumer-kafka",
        "Eventuate CDC",
    ),
]


@pytest.mark.parametrize(("key", "has", "lacks", "what"), ROWS)
def test_each_row_knows_its_client(key: str, has: str, lacks: str, what: str) -> None:
    library = library_for(key)
    assert library is not None
    assert library.what == what
    assert library.declared_in([has])
    assert not library.declared_in([lacks])


def test_every_row_has_a_test_and_other_properties_have_no_library() -> None:
    assert sorted({row[3] for row in ROWS}) == sorted(lib.what for lib in libraries())
    # relaxed binding: any spelling of the prefix; a property no client reads: none
    assert library_for("EUREKA.CLIENT.SERVICEURL.DEFAULTZONE") is not None
    # a key an application makes up under ``eureka.`` for its defaultZone's placeholders
    eureka = library_for("eureka.host")
    assert eureka is not None and eureka.what == "Eureka client"
    assert library_for("spring.cloud.config.server.git.uri") is None
    assert library_for("orders.url") is None


def _pom(name: str, *artifacts: str) -> str:
    dependencies = "".join(
        f"<dependency><artifactId>{a}</artifactId></dependency>" for a in artifacts
    )
    return (
        f"<project><artifactId>{name}</artifactId><dependencies>{dependencies}</dependencies>"
        "<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin>"
        "</plugins></build></project>"
    )


def test_a_framework_the_build_declares_reads_its_variables_in_code_alone(
    tmp_path: Path,
) -> None:
    """Spring Boot binds ``SPRING_DATASOURCE_URL`` in a module with a JDBC library, and
    ``SPRING_RABBITMQ_HOST`` in one with AMQP: code alone (the build) finds the calls the
    manifests' values name; a module without the library calls neither."""
    env = (
        "    environment: [SPRING_DATASOURCE_URL=jdbc:postgresql://db:5432/x,"
        " SPRING_RABBITMQ_HOST=queue]\n"
    )
    files = {
        "compose.yaml": (
            "services:\n"
            f"  orders:\n    build: ./orders\n{env}"
            f"  legacy:\n    build: ./legacy\n{env}"
            "  db: {image: postgres:16, expose: ['5432']}\n"
            "  queue: {image: rabbitmq:3, expose: ['5672', '15672']}\n"
        ),
        "orders/pom.xml": _pom(
            "orders", "spring-boot-starter-data-jpa", "spring-boot-starter-amqp"
        ),
        "orders/Dockerfile": "FROM eclipse-temurin:21\n",
        "legacy/pom.xml": _pom("legacy", "spring-boot-starter-web"),
        "legacy/Dockerfile": "FROM eclipse-temurin:21\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    found = {
        (e.source.split("/")[-1], e.target.split("/")[-1], e.port): [
            (ev.kind.value, ev.location.file, ev.detail) for ev in e.evidence
        ]
        for e in graph.edges
    }
    compose = f"{tmp_path}/compose.yaml"
    assert found == {
        ("orders", "db", 5432): [
            (
                "config",
                f"{tmp_path}/orders/pom.xml",
                "spring-boot-starter-data-jpa in the build of orders (Spring JDBC DataSource "
                f"reads SPRING_DATASOURCE_URL=jdbc:postgresql://db:5432/x at {compose}:4:19, "
                "by convention) (compose service "
                f"{tmp_path.name.lower()}/db)",
            )
        ],
        ("orders", "queue", 5672): [
            (
                "config",
                f"{tmp_path}/orders/pom.xml",
                "spring-boot-starter-amqp in the build of orders (Spring AMQP (RabbitMQ) "
                f"reads SPRING_RABBITMQ_HOST=queue at {compose}:4:70, by convention) "
                f"(compose service {tmp_path.name.lower()}/queue)",
            )
        ],
    }


def test_steeltoes_dotnet_discovery_client_is_a_eureka_and_registry_client() -> None:
    """.NET builds have dependencies too: Steeltoe's client reads the Eureka keys."""
    from socklock.discover.libraries import registry_client

    eureka = library_for("eureka.client.serviceUrl.defaultZone")
    assert eureka is not None
    assert eureka.declared_in(["Steeltoe.Discovery.Eureka"])
    assert eureka.declared_in(["Steeltoe.Discovery.ClientCore"])
    assert not eureka.declared_in(["Steeltoe.Management.Endpoint"])
    assert registry_client(["Npgsql", "Steeltoe.Discovery.Consul"]) == "Steeltoe.Discovery.Consul"
    assert registry_client(["Npgsql", "Azure.Storage.Queues"]) is None
