"""One test per row of data/client_libraries.toml: the property prefix finds its library,
which a build declaring the client has and a build without it lacks."""

from __future__ import annotations

import pytest

from socklock.discover.libraries import libraries, library_for

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
    assert library_for("spring.cloud.config.server.git.uri") is None
    assert library_for("orders.url") is None
