"""One test per ``[[implied]]`` row of data/client_libraries.toml: a client whose build has
the library calls the deployment's one server of its kind when nothing in the input says
where it goes; not when its config names one, not when the deployment runs none or two,
and the server is never its own client."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.implied import implied_calls, implied_servers
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path


def _pom(name: str, *artifacts: str) -> str:
    dependencies = "".join(
        f"<dependency><artifactId>{a}</artifactId></dependency>" for a in artifacts
    )
    return (
        f"<project><artifactId>{name}</artifactId><dependencies>{dependencies}</dependencies>"
        "<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin>"
        "</plugins></build></project>"
    )


def _service(name: str, config: str, *artifacts: str) -> dict[str, str]:
    return {
        f"{name}/Dockerfile": "FROM eclipse-temurin:21\n",
        f"{name}/pom.xml": _pom(name, *artifacts),
        f"{name}/src/main/resources/application.yml": (
            f"spring:\n  application:\n    name: {name}\n{config}"
        ),
    }


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]), manifests=False)
    return {(e.source.split("/")[1], e.target.split("/")[1], e.port) for e in graph.edges}


COMPOSE = """\
services:
  registry: {build: ./registry, ports: ["8761:8761"]}
  tracing: {image: "openzipkin/zipkin:3", ports: ["9411:9411"]}
  orders: {build: ./orders}
  billing: {build: ./billing}
  legacy: {build: ./legacy}
"""
EUREKA_CLIENT = "spring-cloud-starter-netflix-eureka-client"
ZIPKIN = "spring-boot-starter-zipkin"
# billing's own config names both servers: its values map it (here: hosts outside the input)
NAMED = (
    "eureka:\n  client:\n    serviceUrl:\n      defaultZone: http://eureka.example.com/eureka/\n"
    "management:\n  zipkin:\n    tracing:\n      endpoint: http://zipkin.example.com/api/v2/spans\n"
)


def test_clients_call_the_one_registry_and_tracing_server(tmp_path: Path) -> None:
    """The registry's address and the zipkin endpoint come from a config repository that
    is not in the input: orders, which has both clients, calls both servers; billing's
    config says where it goes; legacy has no client; the registry is not its own client."""
    _write(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            **_service("registry", "", "spring-cloud-starter-netflix-eureka-server"),
            **_service("orders", "", EUREKA_CLIENT, ZIPKIN),
            **_service("billing", NAMED, EUREKA_CLIENT, ZIPKIN),
            **_service("legacy", "", "spring-boot-starter-web"),
        },
    )
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    found = {(e.source.split("/")[-1], e.target.split("/")[-1], e.port) for e in graph.edges}
    assert found == {
        ("orders", "registry", 8761),
        ("orders", "tracing", 9411),
        ("billing", "external:eureka.example.com", 80),
        ("billing", "external:zipkin.example.com", 80),
    }
    (registry,) = [e for e in graph.edges if e.target.endswith("/registry")]
    assert [(ev.location.file, ev.detail) for ev in registry.evidence] == [
        (
            f"{tmp_path}/orders/pom.xml",
            f"Eureka server: {tmp_path.name}/orders's build has {EUREKA_CLIENT} and the "
            f"deployment runs one Eureka server, {tmp_path.name}/registry; its address is set "
            "outside the input",
        )
    ]


def test_two_servers_or_none_imply_nothing(tmp_path: Path) -> None:
    compose = (
        "services:\n"
        "  zipkin-a: {image: openzipkin/zipkin, ports: ['9411:9411']}\n"
        "  zipkin-b: {image: openzipkin/zipkin-slim, ports: ['9411:9411']}\n"
        "  orders: {build: ./orders}\n"
    )
    _write(tmp_path, {"compose.yaml": compose, **_service("orders", "", EUREKA_CLIENT, ZIPKIN)})
    assert _edges(tmp_path) == set()


@pytest.mark.parametrize(
    ("what", "client", "server_build", "server_image", "key"),
    [
        (
            "Eureka server",
            "spring-cloud-starter-netflix-eureka-client",
            "spring-cloud-starter-netflix-eureka-server",
            "springcloud/eureka",
            "eureka.client.service-url.defaultZone",
        ),
        (
            "Zipkin server",
            "spring-cloud-sleuth-zipkin",
            "zipkin-server",
            "openzipkin/zipkin",
            "spring.zipkin.base-url",
        ),
        (
            "Consul agent",
            "stork-service-discovery-consul",
            None,  # no build is the agent: only its image
            "hashicorp/consul",
            "consul.client.defaultZone",
        ),
    ],
)
def test_each_row(
    what: str, client: str, server_build: str | None, server_image: str, key: str
) -> None:
    assert [row.what for row in implied_servers()] == [
        "Eureka server",
        "Zipkin server",
        "Consul agent",
    ]
    deps = {"app": [client], "built": [server_build or ""], "other": ["spring-boot-starter-web"]}

    def calls(
        workloads: list[str], images: dict[str, str | None], keys: dict[str, set[str]]
    ) -> list[tuple[str, str]]:
        return [
            (c.client, c.server)
            for c in implied_calls(workloads, lambda w: deps.get(w, []), images, keys)
            if c.row.what == what
        ]

    # the server by its build, or by its image (a registry host and a tag are not its name)
    if server_build is not None:
        assert calls(["app", "built", "other"], {}, {}) == [("app", "built")]
    assert calls(["app", "run"], {"run": f"docker.io/{server_image}:1.2"}, {}) == [("app", "run")]
    # its config names a server: that value maps it; no server, or two: nothing implied
    assert calls(["app", "built"], {}, {"app": {key}}) == []
    assert calls(["app", "other"], {}, {}) == []
    assert calls(["app", "run", "again"], {"run": server_image, "again": server_image}, {}) == []
    if server_build is not None:
        assert calls(["app", "built", "run"], {"run": server_image}, {}) == []


def test_a_zipkin_sender_through_the_broker_calls_no_zipkin_server(tmp_path: Path) -> None:
    """``spring.zipkin.sender.type: rabbit`` (here under the profile billing runs) sends the
    spans to the broker: no call to the deployment's Zipkin; orders sets it only under a
    profile it does not run, so it still calls the one Zipkin server."""
    compose = COMPOSE.replace(
        "billing: {build: ./billing}",
        "billing: {build: ./billing, environment: [SPRING_PROFILES_ACTIVE=docker]}",
    )
    sender = "---\nspring.profiles: {}\nspring.zipkin.sender.type: rabbit\n"
    _write(
        tmp_path,
        {
            "compose.yaml": compose,
            **_service("orders", sender.format("kafka"), ZIPKIN),
            **_service("billing", sender.format("docker"), ZIPKIN),
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    found = {(e.source.split("/")[-1], e.target.split("/")[-1], e.port) for e in graph.edges}
    assert found == {("orders", "tracing", 9411)}


def test_a_eureka_client_that_neither_registers_nor_fetches_calls_no_registry(
    tmp_path: Path,
) -> None:
    """billing's config turns registering and fetching off: no call to the one registry;
    orders turns off registering only: it still fetches, so it calls the registry."""
    off = "eureka.client:\n  register-with-eureka: false\n  fetch-registry: {}\n"
    _write(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            **_service("registry", "", "spring-cloud-starter-netflix-eureka-server"),
            **_service("orders", off.format("true"), EUREKA_CLIENT),
            **_service("billing", off.format("false"), EUREKA_CLIENT),
        },
    )
    assert _edges(tmp_path) == {("orders", "registry", 8761)}
