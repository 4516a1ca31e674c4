"""One test per ``[[local_default]]`` row of data/client_libraries.toml: a unit run on the
host whose build has the client and whose config gives it no address dials the library's
default on localhost, where the input's server listens; not when an address is given
(config or env), not when the client is off (or not switched on), not in a container."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.local_defaults import local_defaults
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

YML = "src/main/resources/application.yml"
MAIN = "src/main/java/shop/Application.java"
APPLICATION = (
    "package shop;\npublic class Application {\n"
    "    public static void main(String[] args) { Micronaut.run(Application.class, args); }\n}\n"
)


def _pom(name: str, *artifacts: str) -> str:
    dependencies = "".join(
        f"<dependency><artifactId>{a}</artifactId></dependency>" for a in artifacts
    )
    return (
        f"<project><artifactId>{name}</artifactId><dependencies>{dependencies}</dependencies>"
        "<build><plugins><plugin><artifactId>micronaut-maven-plugin</artifactId></plugin>"
        "</plugins></build></project>"
    )


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


# row → (artifact, config that runs it with no address, config that gives one, server, port)
CASES = {
    "Micronaut Kafka": (
        "micronaut-kafka",
        "",
        "kafka:\n  bootstrap:\n    servers: broker.example.com:9092\n",
        "kafka",
        9092,
    ),
    "Micronaut Zipkin tracing": (
        "micronaut-tracing-zipkin",
        "tracing:\n  zipkin:\n    enabled: true\n",
        "tracing:\n  zipkin:\n    enabled: true\n    http:\n      url: http://zipkin.example.com\n",
        "zipkin",
        9411,
    ),
    "Micronaut Jaeger tracing": (
        "jaeger-thrift",
        "tracing:\n  jaeger:\n    enabled: true\n",
        "tracing:\n  jaeger:\n    enabled: true\n    sender:\n"
        "      agent-host: agent.example.com\n",
        "jaeger",
        6831,
    ),
}


def test_every_row_has_a_case() -> None:
    assert {row.what for row in local_defaults()} == set(CASES)


@pytest.mark.parametrize("what", sorted(CASES))
def test_row(tmp_path: Path, what: str) -> None:
    artifact, running, addressed, server, port = CASES[what]
    name = "micronaut:\n  application:\n    name: {}\n"
    _write(
        tmp_path / "repo",
        {
            "orders/pom.xml": _pom("orders", artifact),
            f"orders/{MAIN}": APPLICATION,
            f"orders/{YML}": name.format("orders") + running,
            # its config gives an address: that value maps it, no default
            "billing/pom.xml": _pom("billing", artifact),
            f"billing/{MAIN}": APPLICATION,
            f"billing/{YML}": name.format("billing") + addressed,
            # no client library: no call
            "audit/pom.xml": _pom("audit", "micronaut-http-server-netty"),
            f"audit/{MAIN}": APPLICATION,
            f"audit/{YML}": name.format("audit") + running,
        },
    )
    assert {e for e in _edges(tmp_path / "repo") if not e[1].startswith("external:")} == {
        ("code/orders", f"code/{server}", port)  # the server the README starts beside it
    }


def test_a_zipkin_reporter_not_switched_on_and_kafka_switched_off_call_nothing(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "orders/pom.xml": _pom("orders", "micronaut-kafka", "micronaut-tracing-zipkin"),
            f"orders/{MAIN}": APPLICATION,
            f"orders/{YML}": "kafka:\n  enabled: false\n",
        },
    )
    assert _edges(tmp_path) == set()


def test_a_unit_in_a_container_uses_no_default(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                "  orders:\n    build: ./orders\n"
                "    environment:\n      KAFKA_BOOTSTRAP_SERVERS: broker:9092\n"
                "  billing:\n    build: ./billing\n"
                "  broker:\n    image: bitnami/kafka:3.7\n    ports: ['9092:9092']\n"
            ),
            "orders/pom.xml": _pom("orders", "micronaut-kafka"),
            f"orders/{MAIN}": APPLICATION,
            "orders/Dockerfile": "FROM eclipse-temurin:21\n",
            "billing/pom.xml": _pom("billing", "micronaut-kafka"),
            f"billing/{MAIN}": APPLICATION,
            "billing/Dockerfile": "FROM eclipse-temurin:21\n",
        },
    )
    # billing, in its container, has no broker on localhost: its default is no call
    assert {e for e in _edges(tmp_path) if e[0].endswith("/billing")} == set()


def test_a_jaeger_agent_named_by_its_env_is_no_default(tmp_path: Path) -> None:
    """Micronaut's Jaeger tracer starts from Configuration.fromEnv(): ``JAEGER_AGENT_HOST``
    in a host-run unit's env file names the agent, so localhost:6831 is not dialled; a unit
    that does not switch ``tracing.jaeger.enabled`` on sends no spans at all."""
    _write(
        tmp_path,
        {
            "orders/pom.xml": _pom("orders", "micronaut-tracing-jaeger"),
            f"orders/{MAIN}": APPLICATION,
            f"orders/{YML}": "tracing:\n  jaeger:\n    enabled: true\n",
            "orders/.env": "JAEGER_AGENT_HOST=agent.example.com\n",
            "billing/pom.xml": _pom("billing", "micronaut-tracing-jaeger"),
            f"billing/{MAIN}": APPLICATION,
            f"billing/{YML}": "tracing:\n  jaeger:\n    sampler:\n      probability: 1\n",
        },
    )
    assert {e for e in _edges(tmp_path) if e[1] == "code/jaeger"} == set()
