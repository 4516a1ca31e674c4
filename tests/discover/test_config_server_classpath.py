"""A config server that runs the ``native`` profile and declares no search location
searches Spring Boot's own: its classpath (``classpath:/``, ``classpath:/config``). It
serves ``orders-default.yml`` beside its own ``application.yml`` to the application named
``orders``, however the file is named; its own ``application.yml`` it serves to no one
("any property sources present in the server are removed before being sent to the
client", Spring Cloud Config, File System Backend)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

POM = (
    "<project><artifactId>{name}</artifactId><dependencies><dependency>"
    "<groupId>org.springframework.{group}</groupId><artifactId>{dependency}</artifactId>"
    "</dependency></dependencies><build><plugins><plugin>"
    "<artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>"
)
COMPOSE = """\
services:
  config:
    build: ./configserver
  orders:
    build: ./orders
  kafka:
    image: apache/kafka:3.7.0
  rabbitmq:
    image: rabbitmq:3
"""
ORDERS_CONFIG = """\
server.port: 8080
spring:
  application.name: orders
  config.import: optional:configserver:http://config:3131
"""
KAFKA_CONFIGURATION = """\
package shop.orders;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.beans.factory.annotation.Value;

public class KafkaConfiguration {
    @Value("${kafka.address}")
    private String address;

    public Map<String, Object> producerConfigs() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, address);
    }
}
"""
SERVED = "kafka:\n  address: kafka:9092\n"


def _shop(root: Path, server_config: str, *, server_dependency: str) -> Path:
    return write_files(
        root,
        {
            "compose.yaml": COMPOSE,
            "configserver/Dockerfile": "FROM eclipse-temurin:21\n",
            "configserver/pom.xml": POM.format(
                name="config", group="cloud", dependency=server_dependency
            ),
            "configserver/src/main/resources/application.yml": server_config,
            "configserver/src/main/resources/orders-default.yml": SERVED,
            "orders/Dockerfile": "FROM eclipse-temurin:21\n",
            "orders/pom.xml": POM.format(name="orders", group="kafka", dependency="spring-kafka"),
            "orders/src/main/resources/application.yml": ORDERS_CONFIG,
            "orders/src/main/java/shop/orders/KafkaConfiguration.java": KAFKA_CONFIGURATION,
        },
    )


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


NATIVE = """\
server.port: 3131
spring.profiles.active: native
spring.rabbitmq.host: rabbitmq
"""


def test_a_native_server_without_locations_serves_its_classpath(tmp_path: Path) -> None:
    """orders gets ``kafka.address`` from ``orders-default.yml``; the server's own
    ``spring.rabbitmq.host`` is the server's call, not orders'."""
    _shop(tmp_path, NATIVE, server_dependency="spring-cloud-config-server")
    p = tmp_path.name
    assert _edges(tmp_path) == {
        (f"{p}/orders", f"{p}/config", 3131),
        (f"{p}/orders", f"{p}/kafka", 9092),
        (f"{p}/config", f"{p}/rabbitmq", 5672),
    }


def test_a_server_with_its_own_locations_does_not_serve_its_classpath(tmp_path: Path) -> None:
    """``search-locations`` replaces the default: the classpath file is served to no one."""
    config = NATIVE + "spring.cloud.config.server.native.search-locations: file:/srv/repo\n"
    _shop(tmp_path, config, server_dependency="spring-cloud-config-server")
    p = tmp_path.name
    assert _edges(tmp_path) == {
        (f"{p}/orders", f"{p}/config", 3131),
        (f"{p}/config", f"{p}/rabbitmq", 5672),
    }


def test_a_native_profile_without_a_config_server_serves_nothing(tmp_path: Path) -> None:
    """A module whose build has no config server: its ``native`` profile is its own."""
    _shop(tmp_path, NATIVE, server_dependency="spring-boot-starter-web")
    p = tmp_path.name
    assert _edges(tmp_path) == {
        (f"{p}/orders", f"{p}/config", 3131),
        (f"{p}/config", f"{p}/rabbitmq", 5672),
    }
