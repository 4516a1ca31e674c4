"""A compose file that starts only the databases and brokers (public images, no ``build:``)
beside services that run on the host: the build units are the workloads, and
``localhost:<port>`` reaches the compose service that publishes that port."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

INFRA = (
    "services:\n"
    "  mongo:\n    image: mongo:7\n    ports:\n      - 27017:27017\n"
    "  broker:\n    image: rabbitmq:3-management\n    ports:\n      - '5673:5672'\n"
)


def _pom(name: str) -> str:
    return (
        f"<project><artifactId>{name}</artifactId>"
        "<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin>"
        "</plugins></build></project>"
    )


def _props(name: str, port: int, extra: str = "") -> str:
    return f"spring.application.name={name}\nserver.port={port}\n{extra}"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


PROPERTIES = "src/main/resources/application.properties"


def _services(root: Path) -> None:
    _write(
        root,
        {
            "orders/pom.xml": _pom("orders"),
            f"orders/{PROPERTIES}": _props(
                "orders",
                8081,
                "spring.data.mongodb.host=localhost\nspring.data.mongodb.port=27017\n"
                "spring.rabbitmq.host=localhost\nspring.rabbitmq.port=5673\n"
                "stock.url=http://localhost:8082/stock\n",
            ),
            "stock/pom.xml": _pom("stock"),
            f"stock/{PROPERTIES}": _props("stock", 8082),
        },
    )


def test_host_run_services_reach_the_published_infrastructure(tmp_path: Path) -> None:
    root = tmp_path / "shop"  # the compose project's name
    _services(root)
    _write(root, {"docker-compose.yml": INFRA})
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "shop/mongo", 27017),
        ("code/orders", "shop/broker", 5672),  # host port 5673 → container port 5672
        ("code/orders", "code/stock", 8082),
    }


def test_a_compose_file_that_builds_a_service_is_the_deployment(tmp_path: Path) -> None:
    _services(tmp_path)
    # it builds one of the services: the deployment runs the code, the other unit is left out
    built = INFRA + "  orders:\n    build: ./orders\n"
    _write(tmp_path, {"docker-compose.yml": built})
    graph = discover(load_paths([str(tmp_path)]))
    assert not any(e.source.startswith("code/") for e in graph.edges)
    assert "code/stock" in {u.source for u in graph.unresolved}


def test_a_service_image_named_like_a_unit_is_the_deployment(tmp_path: Path) -> None:
    _services(tmp_path)
    # a published image of the service, run by name: that unit's twin, nothing runs on the host
    pulled = INFRA + "  orders:\n    image: acme/orders:1.0\n"
    _write(tmp_path, {"docker-compose.yml": pulled})
    graph = discover(load_paths([str(tmp_path)]))
    assert not any(e.source.startswith("code/") for e in graph.edges)


def test_an_image_of_the_repositorys_own_is_no_infrastructure(tmp_path: Path) -> None:
    _services(tmp_path)
    # ``acme/storefront`` is built elsewhere (CI, a script): the compose file deploys the
    # application, not only what it needs; the units it does not name are left out
    pulled = INFRA + "  storefront:\n    image: acme/storefront:2.1\n"
    _write(tmp_path, {"docker-compose.yml": pulled})
    graph = discover(load_paths([str(tmp_path)]))
    assert not any(e.source.startswith("code/") for e in graph.edges)
    assert {"code/orders", "code/stock"} <= {u.source for u in graph.unresolved}


def test_an_opentelemetry_collector_is_infrastructure_the_host_run_services_reach(
    tmp_path: Path,
) -> None:
    root = tmp_path / "shop"
    _services(root)
    collector = (
        "  otel:\n    image: otel/opentelemetry-collector-contrib:0.98.0\n"
        "    ports:\n      - 127.0.0.1:4317:4317\n"
    )
    _write(
        root,
        {
            "docker-compose.yml": INFRA + collector,
            f"stock/{PROPERTIES}": _props(
                "stock", 8082, "tracing.otlp.endpoint=http://localhost:4317\n"
            ),
        },
    )
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "shop/mongo", 27017),
        ("code/orders", "shop/broker", 5672),
        ("code/orders", "code/stock", 8082),
        ("code/stock", "shop/otel", 4317),
    }
