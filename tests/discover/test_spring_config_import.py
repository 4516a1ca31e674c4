"""``spring.config.import: classpath:application-common.yml``: a shared module's config file
that every service imports is loaded whatever profiles run (its name is no profile's), and
like a config server's shared file it configures only the clients a service's build has."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

_COMMON = """\
eureka:
  host: ${DISCOVERY_HOST:localhost}
  client:
    serviceUrl:
      defaultZone: http://${eureka.host}:8761/eureka/
spring:
  kafka:
    bootstrap-servers: ${KAFKA_URI:localhost:9092}
"""
_COMPOSE = """\
x-env: &env
  environment:
    - DISCOVERY_HOST=registry
    - KAFKA_URI=kafka:9092
services:
  registry: {build: {context: ., dockerfile: registry.dockerfile}, ports: ["8761:8761"]}
  kafka: {image: apache/kafka:3.8, expose: ["9092"]}
  orders: {build: {context: ., dockerfile: orders.dockerfile}, <<: *env}
  mailer: {build: {context: ., dockerfile: mailer.dockerfile}, <<: *env}
  audit: {build: {context: ., dockerfile: audit.dockerfile}, <<: *env}
"""
_BOOT = 'plugins {\n    id("org.springframework.boot") version "3.5.0"\n}\n'


def _build(*dependencies: str) -> str:
    lines = "".join(f'    implementation("{d}")\n' for d in dependencies)
    return _BOOT + "dependencies {\n" + lines + "}\n"


def test_a_common_file_every_service_imports(tmp_path: Path) -> None:
    resources = "src/main/resources"
    eureka = "org.springframework.cloud:spring-cloud-starter-netflix-eureka-client"
    _write(
        tmp_path,
        {
            "docker-compose.yml": _COMPOSE,
            # every image builds the whole multi-project build and runs one module's jar
            **{
                f"{name}.dockerfile": (
                    f"FROM gradle:8-jdk21\nCOPY . /src\nRUN gradle -p /src :{name}:bootJar\n"
                )
                for name in ("registry", "orders", "mailer", "audit")
            },
            "settings.gradle.kts": 'include("common", "orders", "mailer", "audit", "registry")\n',
            "common/build.gradle.kts": "dependencies {\n}\n",
            f"common/{resources}/application-common.yml": _COMMON,
            "registry/build.gradle.kts": _build(
                "org.springframework.cloud:spring-cloud-starter-netflix-eureka-server"
            ),
            f"registry/{resources}/application.yml": "server:\n  port: 8761\n",
            # a Eureka client: it registers
            "orders/build.gradle.kts": _build(eureka).replace(
                "dependencies {\n", 'dependencies {\n    implementation(project(":common"))\n'
            ),
            f"orders/{resources}/application.yml": (
                "spring:\n  config:\n    import: classpath:application-common.yml\n"
            ),
            # no Eureka client: the registry settings it imports configure nothing
            "mailer/build.gradle.kts": _build("org.springframework.kafka:spring-kafka").replace(
                "dependencies {\n", 'dependencies {\n    implementation(project(":common"))\n'
            ),
            f"mailer/{resources}/application.yml": (
                "spring:\n  config:\n    import: optional:classpath:application-common.yml\n"
            ),
            # it does not import the file: a profile ``common`` it never runs
            "audit/build.gradle.kts": _build("org.springframework.kafka:spring-kafka").replace(
                "dependencies {\n", 'dependencies {\n    implementation(project(":common"))\n'
            ),
            f"audit/{resources}/application.yml": "spring:\n  application:\n    name: audit\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    project = tmp_path.name
    assert {
        (e.source.removeprefix(f"{project}/"), e.target.removeprefix(f"{project}/"), e.port)
        for e in graph.edges
        if not e.hint
    } == {
        ("orders", "registry", 8761),  # no Kafka client in its build: no Kafka call
        ("mailer", "kafka", 9092),  # no Eureka client: no registry call
    }
