"""Spring Cloud clients: what shared config names is a call only of a client that has the
library for it; an instance's own advertised address is not a call; a Dockerfile the build
points at gives each module its env."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.discover.shop import workload
from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

Edges = set[tuple[str, str, int | None]]
BOOT = (
    "<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin>"
    "</plugins></build>"
)


def _pom(name: str, *artifacts: str) -> str:
    dependencies = "".join(
        f"<dependency><artifactId>{a}</artifactId></dependency>" for a in artifacts
    )
    return (
        f"<project><artifactId>{name}</artifactId>"
        f"<dependencies>{dependencies}</dependencies>{BOOT}</project>"
    )


def _edges(root: Path, *, manifests: bool = False) -> Edges:
    graph = discover(load_paths([str(root)]), manifests=manifests)
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


SHARED = """\
eureka:
  client:
    serviceUrl:
      defaultZone: http://registry:8761/eureka/
security:
  oauth2:
    resource:
      user-info-uri: http://auth:5000/uaa/users/current
spring:
  rabbitmq:
    host: rabbitmq
"""


def test_shared_config_is_a_call_only_of_clients_with_the_library(tmp_path: Path) -> None:
    """The config server's application.yml names the registry, the auth server and the
    broker for every client: accounts has all three libraries, the dashboard only the
    config client, the registry a Eureka server (itself: no self call) and legacy no
    build file at all (its libraries are unknown, so the config is taken as it reads)."""
    services = ("config", "accounts", "dashboard", "registry", "auth", "legacy")
    compose = "services:\n" + "".join(f"  {s}: {{build: ./{s}}}\n" for s in services)
    compose += "  rabbitmq: {image: rabbitmq:3}\n"
    files = {"compose.yaml": compose}
    for service in services:
        files[f"{service}/Dockerfile"] = "FROM eclipse-temurin:21\n"
        files[f"{service}/src/main/resources/bootstrap.yml"] = (
            f"spring:\n  application:\n    name: {service}\n"
        )
    files["auth/src/main/resources/application.yml"] = "server:\n  port: 5000\n"
    files["registry/src/main/resources/application.yml"] = "server:\n  port: 8761\n"
    files["config/src/main/resources/application.yml"] = (
        "spring:\n  cloud:\n    config:\n      server:\n        native:\n"
        "          search-locations: classpath:/shared\n"
    )
    files["config/src/main/resources/shared/application.yml"] = SHARED
    files["config/pom.xml"] = _pom("config", "spring-cloud-config-server")
    files["accounts/pom.xml"] = _pom(
        "accounts",
        "spring-cloud-starter-netflix-eureka-client",
        "spring-cloud-starter-oauth2",
        "spring-cloud-starter-bus-amqp",
    )
    files["dashboard/pom.xml"] = _pom("dashboard", "spring-cloud-starter-config")
    files["registry/pom.xml"] = _pom("registry", "spring-cloud-starter-netflix-eureka-server")
    files["auth/pom.xml"] = _pom("auth", "spring-boot-starter-security")
    _write(tmp_path, files)
    p = tmp_path.name
    assert _edges(tmp_path) == {
        (f"{p}/accounts", f"{p}/registry", 8761),
        (f"{p}/accounts", f"{p}/auth", 5000),
        (f"{p}/accounts", f"{p}/rabbitmq", 5672),
        (f"{p}/legacy", f"{p}/registry", 8761),
        (f"{p}/legacy", f"{p}/auth", 5000),
        (f"{p}/legacy", f"{p}/rabbitmq", 5672),
    }


EUREKA_SERVER = """\
spring:
  application:
    name: registry
server:
  port: 8761
eureka:
  instance:
    hostname: registry
  client:
    registerWithEureka: false
    fetchRegistry: false
    serviceUrl:
      defaultZone: http://registry:8761/eureka/
---
spring:
  profiles: peer
eureka:
  client:
    register-with-eureka: true
    fetch-registry: true
    serviceUrl:
      defaultZone: http://registry:8761/eureka/
"""
CLIENT = """\
spring:
  application:
    name: orders
eureka:
  instance:
    hostname: orders
    statusPageUrl: http://orders:8080/info
  client:
    serviceUrl:
      defaultZone: http://registry:8761/eureka/
"""


def test_own_addresses_and_a_eureka_client_that_is_off_are_no_calls(tmp_path: Path) -> None:
    """``eureka.instance.hostname`` is what an instance advertises (no orders -> orders);
    a Eureka server that neither registers nor fetches calls no defaultZone, unless a
    profile that is active turns the client back on (mirror runs it with profile peer)."""
    compose = (
        "services:\n  registry: {build: ./registry}\n  orders: {build: ./orders}\n"
        "  mirror: {build: ./mirror, environment: {SPRING_PROFILES_ACTIVE: peer}}\n"
    )
    _write(
        tmp_path,
        {
            "compose.yaml": compose,
            "registry/Dockerfile": "FROM eclipse-temurin:21\n",
            "registry/src/main/resources/application.yml": EUREKA_SERVER,
            "mirror/Dockerfile": "FROM eclipse-temurin:21\n",
            "mirror/src/main/resources/application.yml": EUREKA_SERVER.replace(
                "name: registry", "name: mirror"
            ),
            "orders/Dockerfile": "FROM eclipse-temurin:21\n",
            "orders/src/main/resources/application.yml": CLIENT,
        },
    )
    p = tmp_path.name
    assert _edges(tmp_path) == {
        (f"{p}/orders", f"{p}/registry", 8761),
        (f"{p}/mirror", f"{p}/registry", 8761),
    }


DB_CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: db-config, namespace: shop}
data:
  DB_URI: postgresql://admin@db:5432/accounts
  AUDIT_URL: http://audit:8080/log
"""


def test_env_naming_the_workload_itself_is_its_own_address(tmp_path: Path) -> None:
    """db and api load one ConfigMap: DB_URI is the api's call to db, and db's own address
    (for its clients, or its init scripts); db's AUDIT_URL is still a call."""
    _write(
        tmp_path,
        {
            "k8s/db.yaml": workload("db", port=5432, env_from="db-config"),
            "k8s/api.yaml": workload("api", env_from="db-config"),
            "k8s/audit.yaml": workload("audit"),
            "k8s/config.yaml": DB_CONFIG,
        },
    )
    assert _edges(tmp_path, manifests=True) == {
        ("shop/api", "shop/db", 5432),
        ("shop/api", "shop/audit", 8080),
        ("shop/db", "shop/audit", 8080),
    }


def test_a_dockerfile_the_build_points_at_sets_each_modules_profile(tmp_path: Path) -> None:
    """``docker/Dockerfile`` (named by the parent pom's property) sets the docker profile for
    both modules: their docker documents import the config server; billing's pom points at
    no Dockerfile, so its docker document does not apply."""
    parent = (
        "<project><artifactId>shop</artifactId><packaging>pom</packaging><properties>"
        "<docker.image.dockerfile.dir>${basedir}/../docker</docker.image.dockerfile.dir>"
        "</properties></project>"
    )
    config = (
        "spring:\n  application:\n    name: {name}\n---\nspring:\n  config:\n    activate:\n"
        "      on-profile: docker\n    import: configserver:http://config:8888\n"
    )
    compose = "services:\n" + "".join(
        f"  {s}: {{image: shop/{s}, expose: ['{port}']}}\n"
        for s, port in (("config", 8888), ("orders", 8080), ("billing", 8080))
    )
    files = {
        "compose.yaml": compose,
        "pom.xml": parent,
        "docker/Dockerfile": "FROM eclipse-temurin:21\nENV SPRING_PROFILES_ACTIVE=docker\n",
        "orders/pom.xml": _pom("orders"),
        "orders/src/main/resources/application.yml": config.format(name="orders"),
        "config/pom.xml": _pom("config"),
        "config/src/main/resources/application.yml": "server:\n  port: 8888\n",
        "billing/pom.xml": _pom("billing").replace(
            "<dependencies>",
            "<properties><docker.image.dockerfile.dir>${basedir}</docker.image.dockerfile.dir>"
            "</properties><dependencies>",
        ),
        "billing/src/main/resources/application.yml": config.format(name="billing"),
    }
    _write(tmp_path, files)
    p = tmp_path.name
    assert _edges(tmp_path) == {(f"{p}/orders", f"{p}/config", 8888)}


SIDECAR = """\
server:
  port: 5678
spring:
  application:
    name: ${SERVICE_NAME}
eureka:
  client:
    serviceUrl:
      defaultZone: http://registry:8761/eureka/
sidecar:
  port: 80
  health-uri: http://${SERVICE_NAME}:80/health
  home-page-uri: http://${SERVICE_NAME}:80/
  hostname: ${SERVICE_NAME}
"""


SIDECAR_MAIN = """\
package app;

@SpringBootApplication
@EnableSidecar
public class Sidecar {
    public static void main(String[] args) { SpringApplication.run(Sidecar.class, args); }
}
"""


def _sidecar_app(root: Path, sidecar_config: str) -> Edges:
    compose = (
        "services:\n  registry: {image: registry}\n  alice: {image: alice}\n"
        "  sidecar-alice: {build: ./sidecar, environment: [SERVICE_NAME=alice]}\n"
    )
    _write(
        root,
        {
            "compose.yaml": compose,
            "sidecar/Dockerfile": "FROM eclipse-temurin:21\n",
            "sidecar/pom.xml": _pom("sidecar", "spring-cloud-netflix-sidecar"),
            "sidecar/src/main/resources/application.yml": sidecar_config,
            "sidecar/src/main/java/app/Sidecar.java": SIDECAR_MAIN,
        },
    )
    return _edges(root, manifests=True)


def test_a_sidecars_app_addresses_are_what_it_advertises(tmp_path: Path) -> None:
    """A Spring Cloud Netflix Sidecar registers its app's hostname, home page and health
    URL in Eureka: none is a call of the sidecar (its health URL is polled only when its
    own health is evaluated, which nothing here does); the registry is."""
    p = tmp_path.name
    assert _sidecar_app(tmp_path, SIDECAR) == {(f"{p}/sidecar-alice", f"{p}/registry", 8761)}


def test_a_sidecar_whose_heartbeat_checks_health_polls_its_app(tmp_path: Path) -> None:
    """With ``eureka.client.healthcheck.enabled`` each heartbeat evaluates the sidecar's
    health, which GETs the app's health URL: a call; the home page still is none."""
    config = SIDECAR.replace("  client:\n", "  client:\n    healthcheck:\n      enabled: true\n")
    p = tmp_path.name
    assert _sidecar_app(tmp_path, config) == {
        (f"{p}/sidecar-alice", f"{p}/registry", 8761),
        (f"{p}/sidecar-alice", f"{p}/alice", 80),
    }
