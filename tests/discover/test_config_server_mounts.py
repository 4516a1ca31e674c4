"""A native config server's ``file:/config/repo`` search location is the directory a
deployment mounts there (``./settings/repo:/config/repo``): the server reads its files
though no code names them, and serves ``application.yml`` to every client and
``<name>.yml`` to the application of that name. A property of the shared file that a
placeholder names (``app.mongo.host`` for ``${app.mongo.host}``) is a variable: only the
services that write the placeholder call its host."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

POM = (
    "<project><artifactId>{name}</artifactId><build><plugins><plugin>"
    "<artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>"
)
COMPOSE = """\
services:
  config:
    build: ./config
    environment: [SPRING_PROFILES_ACTIVE=docker]
    volumes: ["./settings/repo:{mount}"]
  orders:
    build: ./orders
    environment: [SPRING_PROFILES_ACTIVE=docker]
  billing:
    build: ./billing
    environment: [SPRING_PROFILES_ACTIVE=docker]
  registry:
    build: ./registry
  mongo:
    image: mongo:7
"""
CONFIG_SERVER = """\
server.port: 8888
spring.profiles.active: native
spring.cloud.config.server.native.searchLocations: file:@parent.basedir@/settings/repo
---
spring.profiles: docker
spring.cloud.config.server.native.searchLocations: file:/config/repo
"""
BOOTSTRAP = """\
spring.application.name: {name}
spring.cloud.config.uri: http://localhost:8888
---
spring.profiles: docker
spring.cloud.config.uri: http://config:8888
"""
SHARED = """\
app:
  registry: localhost
  mongo:
    host: localhost
eureka.client.serviceUrl.defaultZone: http://u:p@${app.registry}:8761/eureka/
---
spring.profiles: docker
app:
  registry: registry
  mongo:
    host: mongo
"""
ORDERS = """\
spring.data.mongodb:
  host: ${app.mongo.host}
  port: 27017
"""


def _shop(root: Path, mount: str) -> None:
    files = {
        "compose.yaml": COMPOSE.format(mount=mount),
        "config/src/main/resources/application.yml": CONFIG_SERVER,
        "orders/src/main/resources/bootstrap.yml": BOOTSTRAP.format(name="orders"),
        "billing/src/main/resources/bootstrap.yml": BOOTSTRAP.format(name="billing"),
        "registry/src/main/resources/application.yml": "server.port: 8761\n",
        "settings/repo/application.yml": SHARED,
        "settings/repo/orders.yml": ORDERS,
    }
    for name in ("config", "orders", "billing", "registry"):
        files[f"{name}/Dockerfile"] = "FROM eclipse-temurin:21\n"
        files[f"{name}/pom.xml"] = POM.format(name=name)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


def test_the_directory_mounted_at_a_file_search_location_is_served(tmp_path: Path) -> None:
    """Both clients get the shared file's registry; orders alone, which writes
    ``${app.mongo.host}``, calls mongo; the literal ``app.mongo.host: mongo`` calls
    nothing itself."""
    _shop(tmp_path, "/config/repo")
    p = tmp_path.name
    assert _edges(tmp_path) == {
        (f"{p}/orders", f"{p}/config", 8888),
        (f"{p}/billing", f"{p}/config", 8888),
        (f"{p}/orders", f"{p}/registry", 8761),
        (f"{p}/billing", f"{p}/registry", 8761),
        (f"{p}/orders", f"{p}/mongo", 27017),
    }


def test_a_directory_mounted_elsewhere_is_not_served(tmp_path: Path) -> None:
    """The same directory mounted at a path the server does not search: its files are no
    client's configuration (and the server, whose code names none of them, reads none)."""
    _shop(tmp_path, "/srv/other")
    p = tmp_path.name
    assert _edges(tmp_path) == {
        (f"{p}/orders", f"{p}/config", 8888),
        (f"{p}/billing", f"{p}/config", 8888),
    }
