"""Servers that reach every service in the registry: Zuul's default routes, the Gateway's
discovery locator, Spring Boot Admin; and Turbine's app list. Exact edges, exact reasons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

    from socklock.model import ServiceGraph

EUREKA = "spring-cloud-starter-netflix-eureka-client"
ZONE = "eureka:\n  client:\n    serviceUrl:\n      defaultZone: http://registry:8761/eureka/\n"


def _pom(name: str, *artifacts: str) -> str:
    dependencies = "".join(
        f"<dependency><artifactId>{a}</artifactId></dependency>" for a in artifacts
    )
    return (
        f"<project><artifactId>{name}</artifactId><dependencies>{dependencies}</dependencies>"
        "<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin>"
        "</plugins></build></project>"
    )


def _service(name: str, port: int, config: str = "", java: str = "", *deps: str) -> dict[str, str]:
    files = {
        f"{name}/Dockerfile": "FROM eclipse-temurin:21\n",
        f"{name}/pom.xml": _pom(name, *deps),
        f"{name}/src/main/resources/application.yml": (
            f"spring:\n  application:\n    name: {name}\nserver:\n  port: {port}\n{config}"
        ),
    }
    if java:
        files[f"{name}/src/main/java/App.java"] = java
    return files


def _graph(root: Path, files: dict[str, str]) -> ServiceGraph:
    names = sorted({f.split("/", 1)[0] for f in files})
    compose = "services:\n  registry: {image: eureka, expose: ['8761']}\n" + "".join(
        f"  {n}: {{build: ./{n}}}\n" for n in names
    )
    files = {**files, "compose.yaml": compose}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return discover(load_paths([str(root)]), manifests=False)


def _edges(graph: ServiceGraph) -> set[tuple[str, str, int | None]]:
    return {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1], e.port)
        for e in graph.edges
        if e.target.rsplit("/", 1)[-1] != "registry"
    }


ZUUL = "@EnableZuulProxy\n@SpringBootApplication\nclass Edge {}\n"
ADMIN = "@EnableAdminServer\n@EnableDiscoveryClient\nclass Admin {}\n"
OFF = ZONE.replace("  client:\n", "  client:\n    register-with-eureka: false\n")


def test_zuul_gateway_locator_and_admin_reach_every_registered_service(tmp_path: Path) -> None:
    """orders registers (its config names the registry), billing by its build's Eureka
    client; audit turns registration off, and legacy has neither: no server reaches them.
    The Zuul proxy routes to every registered service but the ones it ignores (billing),
    the Gateway's locator to all, Spring Boot Admin polls all; none reaches itself."""
    locator = "spring.cloud.gateway.discovery.locator.enabled: true\n"
    files = {
        **_service("orders", 6000, ZONE),
        **_service("billing", 7000, "", "", EUREKA),
        **_service("audit", 7100, OFF, "", EUREKA),
        **_service("legacy", 7200),
        **_service("edge", 8080, "zuul:\n  ignored-services: bill*\n", ZUUL, EUREKA),
        **_service("gate", 8090, locator, "", EUREKA),
        **_service("admin", 9000, "", ADMIN, EUREKA, "spring-boot-admin-starter-server"),
    }
    graph = _graph(tmp_path, files)
    registered = {"orders": 6000, "billing": 7000, "edge": 8080, "gate": 8090, "admin": 9000}
    expected = {
        (server, callee, port)
        for server in ("edge", "gate", "admin")
        for callee, port in registered.items()
        if callee != server and (server, callee) != ("edge", "billing")
    }
    assert _edges(graph) == expected
    evidence = {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1]): e.evidence[0]
        for e in graph.edges
    }
    assert evidence["edge", "orders"].detail == (
        "Zuul proxy reaches every registered service: "
        f"{tmp_path.name}/orders (its config names the registry at "
        f"{tmp_path}/orders/src/main/resources/application.yml:9:20)"
    )
    assert evidence["admin", "billing"].location.line == 1


def test_a_zuul_proxy_with_routes_of_its_own_or_no_registry_client_has_no_default_routes(
    tmp_path: Path,
) -> None:
    """``routed`` has an explicit route (only that one is taken); ``lonely`` has no Eureka
    client in its build (unresolved, with the reason); ``closed`` ignores every service."""
    route = "zuul:\n  routes:\n    pay:\n      path: /pay/**\n      serviceId: orders\n"
    files = {
        **_service("orders", 6000, ZONE),
        **_service("billing", 7000, ZONE),
        **_service("routed", 8080, route, ZUUL, EUREKA),
        **_service("lonely", 8081, "", ZUUL, "spring-cloud-starter-netflix-zuul"),
        **_service("closed", 8082, "zuul:\n  ignoredServices: '*'\n", ZUUL, EUREKA),
    }
    graph = _graph(tmp_path, files)
    assert _edges(graph) == {("routed", "orders", 6000)}
    assert {(u.source.rsplit("/", 1)[-1], u.reason) for u in graph.unresolved} == {
        ("lonely", "Zuul proxy has no registry client in its build: no registry"),
    }


def test_turbine_reads_the_streams_of_the_apps_it_lists(tmp_path: Path) -> None:
    files = {
        **_service("orders", 6000),
        **_service("billing", 7000),
        **_service("audit", 7100),
        **_service("turbine", 8989, "turbine:\n  appConfig: orders, billing\n"),
    }
    graph = _graph(tmp_path, files)
    assert _edges(graph) == {("turbine", "orders", 6000), ("turbine", "billing", 7000)}


CONSUL = "spring-cloud-starter-consul-discovery"
ZOOKEEPER = "spring-cloud-starter-zookeeper-discovery"


def test_a_registry_wide_server_reaches_only_its_own_registrys_services(tmp_path: Path) -> None:
    """The Gateway's locator reads Eureka: orders (Eureka by its zone) and billing (Eureka
    client) are reached, audit (Consul) and stock (ZooKeeper) are not; legacy, whose build
    has a registry client of no known family, still counts."""
    locator = "spring.cloud.gateway.discovery.locator.enabled: true\n"
    files = {
        **_service("orders", 6000, ZONE),
        **_service("billing", 7000, "", "", EUREKA),
        **_service("audit", 7100, "", "", CONSUL),
        **_service("stock", 7200, "", "", ZOOKEEPER),
        **_service("legacy", 7300, "", "", "steeltoe.discovery.clientcore"),
        **_service("gate", 8090, locator, "", EUREKA),
    }
    assert {e for e in _edges(_graph(tmp_path, files)) if e[0] == "gate"} == {
        ("gate", "orders", 6000),
        ("gate", "billing", 7000),
        ("gate", "legacy", 7300),
    }


def test_a_service_id_resolves_among_the_callers_registrys_services(tmp_path: Path) -> None:
    """Two modules register as ``payment``, one in Consul and one in ZooKeeper: a Consul
    client's ``@FeignClient("payment")`` reaches the Consul one only."""
    feign = '@FeignClient("payment")\ninterface Payments {}\n'
    named = "spring:\n  application:\n    name: payment\n"
    files = {
        **_service("pay-consul", 8006, "", "", CONSUL),
        **_service("pay-zk", 8004, "", "", ZOOKEEPER),
        **_service("orders", 80, "", feign, CONSUL, "spring-cloud-starter-openfeign"),
    }
    for module in ("pay-consul", "pay-zk"):
        config = f"{module}/src/main/resources/application.yml"
        files[config] = files[config].replace(
            f"spring:\n  application:\n    name: {module}\n", named
        )
    assert {e for e in _edges(_graph(tmp_path, files)) if e[0] == "orders"} == {
        ("orders", "pay-consul", 8006)
    }
