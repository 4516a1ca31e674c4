"""Spring placeholders that name other properties (``${app.config-host}``) take the value the
application's config gives under its active profiles: its own files, then what a config
server serves it; a callee found by service name is called on its ``server.port`` of the
profiles it runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

Edges = set[tuple[str, str, int | None]]
POM = (
    "<project><artifactId>{name}</artifactId><build><plugins><plugin>"
    "<artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>"
)
COMPOSE = """\
services:
  config:
    build: ./config
    environment: [SPRING_PROFILES_ACTIVE=docker]
    volumes: ["./config-repo:/config-repo"]
  orders:
    build: ./orders
    environment: [SPRING_PROFILES_ACTIVE=docker]
  billing:
    build: ./billing
    environment: [SPRING_PROFILES_ACTIVE=docker]
  registry:
    build: ./registry
  audit:
    image: shop/audit:1
  broker:
    image: rabbitmq:3
"""
CONFIG_SERVER = """\
server.port: 8888
spring.cloud.config.server.native.searchLocations: file:/config-repo
"""
ORDERS_BOOTSTRAP = """\
app.config-host: localhost
spring:
  application.name: orders
  cloud.config.uri: http://${app.config-host}:8888
audit.url: http://${app.audit-host}:9000/events
---
spring.profiles: docker
app.config-host: config
---
spring.profiles: k8s
app.audit-host: audit
"""
SHARED = """\
app:
  registry: localhost
eureka.client.serviceUrl.defaultZone: http://${app.registry}:8761/eureka/
spring.rabbitmq:
  host: 127.0.0.1
  port: 5672
---
spring.profiles: docker
app.registry: registry
spring.rabbitmq.host: broker
"""
ORDERS_SERVED = """\
billing.url: lb://billing
"""
BILLING_SERVED = """\
server.port: 7002
---
spring.profiles: docker
server.port: 8080
---
spring.profiles: k8s
server.port: 9090
"""


def _shop(root: Path, compose: str = COMPOSE) -> None:
    files = {
        "compose.yaml": compose,
        "config/src/main/resources/application.yml": CONFIG_SERVER,
        "orders/src/main/resources/bootstrap.yml": ORDERS_BOOTSTRAP,
        "billing/src/main/resources/bootstrap.yml": "spring.application.name: billing\n",
        "registry/src/main/resources/application.yml": "server.port: 8761\n",
        "config-repo/application.yml": SHARED,
        "config-repo/orders.yml": ORDERS_SERVED,
        "config-repo/billing.yml": BILLING_SERVED,
    }
    for name in ("config", "orders", "billing", "registry"):
        files[f"{name}/Dockerfile"] = "FROM eclipse-temurin:21\n"
        files[f"{name}/pom.xml"] = POM.format(name=name)
    _write(root, files)


def _edges(root: Path) -> Edges:
    graph = discover(load_paths([str(root)]), manifests=False)
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


def test_placeholders_take_the_active_profiles_properties(tmp_path: Path) -> None:
    """orders: the config server from its bootstrap.yml's docker document, the registry and
    the broker from the served application.yml's docker document, billing through the
    registry on billing.yml's docker port. ``app.audit-host`` is set only under k8s, which
    orders does not run: no call to audit."""
    _shop(tmp_path)
    p = tmp_path.name
    assert _edges(tmp_path) == {
        (f"{p}/orders", f"{p}/config", 8888),
        (f"{p}/orders", f"{p}/registry", 8761),
        (f"{p}/orders", f"{p}/broker", 5672),
        (f"{p}/orders", f"{p}/billing", 8080),
        (f"{p}/billing", f"{p}/registry", 8761),
        (f"{p}/billing", f"{p}/broker", 5672),
    }


def test_without_the_profile_the_default_documents_hold(tmp_path: Path) -> None:
    """No profile active: every placeholder is localhost (no call), and billing is called on
    its default port 7002."""
    _shop(tmp_path, COMPOSE.replace("SPRING_PROFILES_ACTIVE=docker", "TZ=UTC"))
    p = tmp_path.name
    assert _edges(tmp_path) == {(f"{p}/orders", f"{p}/billing", 7002)}


def test_a_property_of_an_inactive_profile_leaves_the_placeholder_unresolved(
    tmp_path: Path,
) -> None:
    _shop(tmp_path)
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    audit = [u for u in graph.unresolved if "audit" in u.expression]
    assert [(u.source, u.expression, u.reason) for u in audit] == [
        (
            f"{tmp_path.name}/orders",
            "http://${app.audit-host}:9000/events",
            f"env APP_AUDITHOST is not set for {tmp_path.name}/orders by any manifest,"
            " nor by its Spring config (profiles: docker)",
        )
    ]


def test_served_profile_documents_come_first_then_own_application_then_bootstrap(
    tmp_path: Path,
) -> None:
    """Spring Cloud Config's order: the served files of an active profile, the served
    ``<name>.yml`` before ``application.yml``, then the own files, ``application`` before
    ``bootstrap``; settings of equal rank that disagree are no answer."""
    from socklock.discover.spring_properties import Source, SpringProperties

    DOCKER = "spring.profiles: docker\n"
    files = {
        "bootstrap.yml": "a.host: boot\nb.host: boot\nc.host: boot\n",
        "application.yml": "b.host: own\nc.host: own\n---\n" + DOCKER + "c.host: own-docker\n",
        "served-shared.yml": "d.host: shared\n---\n" + DOCKER + "e.host: shared-docker\n",
        "served.yml": "d.host: named\ne.host: named\n",
        "other.yml": "f.host: one\n",
        "again.yml": "f.host: two\n",
    }
    _write(tmp_path / "config-repo", files)  # a directory where any YAML is config
    properties = SpringProperties()
    for name, source in (
        ("bootstrap.yml", Source.BOOTSTRAP),
        ("application.yml", Source.OWN),
        ("served-shared.yml", Source.SERVED_SHARED),
        ("served.yml", Source.SERVED),
        ("other.yml", Source.OWN),
        ("again.yml", Source.OWN),
    ):
        properties.add("w", str(tmp_path / "config-repo" / name), source)

    def value(name: str, active: frozenset[str]) -> str | None:
        found = properties.lookup("w", name, active)
        return found.value if found is not None else None

    docker = frozenset({"docker"})
    assert [value(n, docker) for n in ("A_HOST", "B_HOST", "C_HOST", "D_HOST", "E_HOST")] == [
        "boot", "own", "own-docker", "named", "shared-docker",
    ]  # fmt: skip
    assert [value(n, frozenset()) for n in ("C_HOST", "E_HOST", "F_HOST", "G_HOST")] == [
        "own", "named", None, None,
    ]  # fmt: skip
    assert properties.has("w") and not properties.has("x")


def test_the_env_overrides_the_own_files_but_not_what_the_config_server_serves(
    tmp_path: Path,
) -> None:
    """``APP_CONFIGHOST`` in orders' env replaces its bootstrap.yml's ``app.config-host``;
    ``APP_REGISTRY`` does not replace the served ``app.registry`` (Spring Cloud Config's
    remote properties are not overridden locally unless they allow it)."""
    compose = COMPOSE.replace(
        "    build: ./orders\n    environment: [SPRING_PROFILES_ACTIVE=docker]",
        "    build: ./orders\n    environment: [SPRING_PROFILES_ACTIVE=docker,"
        " APP_CONFIGHOST=audit, APP_REGISTRY=audit]",
    )
    assert compose != COMPOSE
    _shop(tmp_path, compose)
    p = tmp_path.name
    orders = {edge for edge in _edges(tmp_path) if edge[0] == f"{p}/orders"}
    assert orders == {
        (f"{p}/orders", f"{p}/audit", 8888),
        (f"{p}/orders", f"{p}/registry", 8761),
        (f"{p}/orders", f"{p}/broker", 5672),
        (f"{p}/orders", f"{p}/billing", 8080),
    }


def test_a_file_named_for_an_active_profile_ranks_as_that_profiles_document(
    tmp_path: Path,
) -> None:
    """A config server serves ``store.yml`` and ``store-prod.yml``: under ``prod`` the
    second's ``server.port`` wins; with no profile active the two are of one rank and
    disagree (no answer). ``store-dev.yml`` of an inactive profile is no profile's here."""
    from socklock.discover.spring_properties import Source, SpringProperties

    _write(
        tmp_path / "config-repo",
        {
            "store.yml": "server.port: 0\n",
            "store-prod.yml": "server.port: 8082\n",
            "store-dev.yml": "server.port: 9000\n",
        },
    )
    properties = SpringProperties()
    for name in ("store.yml", "store-prod.yml"):
        properties.add("w", str(tmp_path / "config-repo" / name), Source.SERVED)
    found = properties.lookup("w", "SERVER_PORT", frozenset({"prod"}))
    assert found is not None and (found.value, found.profile) == ("8082", "prod")
    assert properties.lookup("w", "SERVER_PORT", frozenset()) is None
    properties.add("x", str(tmp_path / "config-repo" / "store-dev.yml"), Source.SERVED)
    found = properties.lookup("x", "SERVER_PORT", frozenset({"prod"}))
    assert found is not None and (found.value, found.profile) == ("9000", None)
