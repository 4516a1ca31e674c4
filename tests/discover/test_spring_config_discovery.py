"""Two Spring Cloud naming details: a config client with
``spring.cloud.config.discovery.enabled: true`` finds its config server through the
registry, by ``service-id``; and an image repository every service pushes to under its own
tag (``shop/main:orders``) names no service: the tag does, so each module's code is the
workload that runs its tag, not every workload of the repository."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path


def _pom(name: str, image: str = "") -> str:
    jib = (
        "<plugin><artifactId>jib-maven-plugin</artifactId><configuration><to>"
        f"<image>{image}</image></to></configuration></plugin>"
        if image
        else ""
    )
    return (
        f"<project><artifactId>{name}</artifactId><build><plugins><plugin>"
        f"<artifactId>spring-boot-maven-plugin</artifactId></plugin>{jib}</plugins></build>"
        "</project>"
    )


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {
        (e.source.split("/")[-1], e.target.split("/")[-1], e.port)
        for e in graph.edges
        if not e.hint
    }


LOCATED = """\
spring.application.name: {name}
spring.cloud.config:
  discovery:
    enabled: {enabled}
    service-id: config-server
"""


def test_a_config_client_located_through_the_registry_calls_the_service_of_that_id(
    tmp_path: Path,
) -> None:
    """orders enables discovery of its config server: it calls config-server's port;
    billing names the same service-id with discovery off: no call."""
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n  config: {build: ./config}\n  orders: {build: ./orders}\n"
                "  billing: {build: ./billing}\n"
            ),
            "config/pom.xml": _pom("config"),
            "config/src/main/resources/application.yml": (
                "spring.application.name: config-server\nserver.port: 8888\n"
            ),
            "orders/pom.xml": _pom("orders"),
            "orders/src/main/resources/bootstrap.yml": LOCATED.format(
                name="orders", enabled="true"
            ),
            "billing/pom.xml": _pom("billing"),
            "billing/src/main/resources/bootstrap.yml": LOCATED.format(
                name="billing", enabled="false"
            ),
        },
    )
    assert _edges(tmp_path) == {("orders", "config", 8888)}


def test_a_shared_image_repository_tag_names_the_module(tmp_path: Path) -> None:
    """api-gateway's module pushes shop/main:api-gateway, which only the gateway service
    runs: its route to orders is the gateway's call, not orders' or billing's."""
    images = {"api-gateway": "gateway", "orders": "orders", "billing": "billing"}
    compose = "services:\n" + "".join(
        f"  {service}: {{image: 'shop/main:{module}'}}\n" for module, service in images.items()
    )
    files = {"compose.yaml": compose}
    for module in images:
        files[f"{module}/pom.xml"] = _pom(module, f"shop/main:{module}")
        files[f"{module}/src/main/resources/application.yml"] = (
            f"spring.application.name: {module}\nserver.port: 8080\n"
        )
    files["api-gateway/src/main/resources/application.yml"] += (
        "spring.cloud.gateway.routes:\n  - id: orders\n    uri: http://orders:8080\n"
    )
    _write(tmp_path, files)
    assert _edges(tmp_path) == {("gateway", "orders", 8080)}


def test_a_config_client_that_names_no_server_fetches_from_its_default(tmp_path: Path) -> None:
    """Units run from their sources on the host (no deployment): orders has the config
    client, a bootstrap file and names no server, so it fetches from the default
    localhost:8888, where the config server listens; billing turns the client off; stock
    has no bootstrap context (no bootstrap file, no bootstrap starter): it fetches nothing."""

    def pom(name: str, artifact: str) -> str:
        dependency = f"<dependency><artifactId>{artifact}</artifactId></dependency>"
        return _pom(name).replace("<build>", f"<dependencies>{dependency}</dependencies><build>")

    client = "spring-cloud-starter-config"
    resources = "src/main/resources"
    _write(
        tmp_path,
        {
            "config/pom.xml": pom("config", "spring-cloud-config-server"),
            f"config/{resources}/application.yml": "server.port: 8888\n",
            "orders/pom.xml": pom("orders", client),
            f"orders/{resources}/bootstrap.yml": "spring.application.name: orders\n",
            "billing/pom.xml": pom("billing", client),
            f"billing/{resources}/bootstrap.yml": (
                "spring.application.name: billing\nspring.cloud.config.enabled: false\n"
            ),
            "stock/pom.xml": pom("stock", client),
            f"stock/{resources}/application.yml": "spring.application.name: stock\n",
        },
    )
    assert _edges(tmp_path) == {("orders", "config", 8888)}


def test_a_registry_hands_out_the_port_the_instance_listens_on(tmp_path: Path) -> None:
    """orders calls lb://txn and lb://stock through the registry. txn listens on its
    ``server.port`` 8888 whatever port its compose entry publishes ("8080"); stock's env
    ``SERVER_PORT=9000`` replaces its ``server.port``."""
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n  orders: {build: ./orders}\n"
                "  txn: {build: ./txn, ports: ['8080']}\n"
                "  stock: {build: ./stock, ports: ['8080'], environment: [SERVER_PORT=9000]}\n"
            ),
            "orders/pom.xml": _pom("orders"),
            "orders/src/main/resources/application.yml": (
                "spring.application.name: orders\napp.txn: lb://txn\napp.stock: lb://stock\n"
            ),
            "txn/pom.xml": _pom("txn"),
            "txn/src/main/resources/application.yml": (
                "spring.application.name: txn\nserver.port: 8888\n"
            ),
            "stock/pom.xml": _pom("stock"),
            "stock/src/main/resources/application.yml": (
                "spring.application.name: stock\nserver.port: 8888\n"
            ),
        },
    )
    assert _edges(tmp_path) == {("orders", "txn", 8888), ("orders", "stock", 9000)}


def test_a_served_server_port_wins_over_the_env(tmp_path: Path) -> None:
    """The config server serves stock ``server.port: 8082`` under the profile it runs; its
    env says ``SERVER_PORT=8083``: Spring Cloud Config's remote properties win, so the
    registry hands out 8082."""
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n  orders: {build: ./orders}\n  config: {build: ./config}\n"
                "  stock:\n    build: ./stock\n"
                "    environment: [SERVER_PORT=8083, SPRING_PROFILES_ACTIVE=prod]\n"
            ),
            "config/pom.xml": _pom("config"),
            "config/src/main/resources/application.yml": (
                "server.port: 8888\n"
                "spring.cloud.config.server.native.search-locations: classpath:/shared\n"
            ),
            "config/src/main/resources/shared/stock-prod.yml": "server.port: 8082\n",
            "orders/pom.xml": _pom("orders"),
            "orders/src/main/resources/application.yml": (
                "spring.application.name: orders\napp.stock: lb://stock\n"
            ),
            "stock/pom.xml": _pom("stock"),
            "stock/src/main/resources/bootstrap.yml": (
                "spring.application.name: stock\nspring.cloud.config.uri: http://config:8888\n"
            ),
        },
    )
    assert _edges(tmp_path) == {("orders", "stock", 8082), ("stock", "config", 8888)}
