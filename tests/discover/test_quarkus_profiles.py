"""Quarkus services: ``%dev.``/``%prod.`` keys apply under their profile only (dev for a
service run from its sources on the host, prod in a container, ``QUARKUS_PROFILE`` over
both), and host-run services reach the infrastructure a compose file of public images (a
broker's web console among them) publishes on localhost."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.code.config_readers import Entry
from socklock.discover.quarkus_profiles import applies, profiled, running_profile
from socklock.load import load_paths

PROPERTIES = "src/main/resources/application.properties"
GRADLE = (
    "plugins {\n    id 'io.quarkus'\n}\n"
    "dependencies {\n    implementation 'io.quarkus:quarkus-messaging-kafka'\n}\n"
)
ORDERS = (
    "quarkus.http.port=8081\n"
    "quarkus.datasource.jdbc.url=jdbc:postgresql://localhost:5432/orders\n"
    "%test.quarkus.datasource.jdbc.url=jdbc:postgresql://localhost:6543/orders\n"
    "%dev.kafka.bootstrap.servers=localhost:9092\n"
    "%prod.kafka.bootstrap.servers=queue:9092\n"
    "mp.messaging.outgoing.order-placed.connector=smallrye-kafka\n"
)
INFRA = (
    "services:\n"
    "  store:\n    image: postgres:16\n    ports: ['5432:5432']\n"
    "  queue:\n    image: bitnami/kafka:3.7\n    ports: ['9092:9092']\n"
    "  queue-ui:\n    image: redpandadata/console:latest\n"
    "    environment:\n      KAFKA_BROKERS: queue:9092\n    ports: ['8089:8080']\n"
)


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges}


def test_host_run_services_run_the_dev_profile(tmp_path: Path) -> None:
    root = tmp_path / "depot"
    _write(
        root,
        {
            "settings.gradle": "include 'orders'\n",
            "orders/build.gradle": GRADLE,
            f"orders/{PROPERTIES}": ORDERS,
            "compose.yaml": INFRA,
        },
    )
    assert _edges(root) == {
        ("code/orders", "depot/store", 5432),
        ("code/orders", "depot/queue", 9092),  # %dev: localhost:9092, published by queue
        ("depot/queue-ui", "depot/queue", 9092),
    }


def _deployed(root: Path, env: str = "") -> None:
    _write(
        root,
        {
            "orders/build.gradle": GRADLE,
            f"orders/{PROPERTIES}": ORDERS.replace("localhost:5432", "store:5432").replace(
                "localhost:9092", "devqueue:9092"
            ),
            "compose.yaml": (
                f"services:\n  orders:\n    build: ./orders\n{env}"
                "  queue:\n    image: bitnami/kafka:3.7\n"
                "  devqueue:\n    image: bitnami/kafka:3.7\n"
            ),
        },
    )


def test_a_container_runs_the_prod_profile(tmp_path: Path) -> None:
    _deployed(tmp_path / "shop")
    assert _edges(tmp_path / "shop") == {("shop/orders", "shop/queue", 9092)}


def test_quarkus_profile_names_the_profile(tmp_path: Path) -> None:
    _deployed(tmp_path / "shop", "    environment:\n      QUARKUS_PROFILE: dev\n")
    assert _edges(tmp_path / "shop") == {("shop/orders", "shop/devqueue", 9092)}


def test_profile_rules() -> None:
    entry = Entry(("%dev,test", "kafka", "bootstrap", "servers"), "localhost:9092", 3, 1)
    found = profiled(entry)
    assert (found.key, found.profile) == (("kafka", "bootstrap", "servers"), "%dev,test")
    plain = Entry(("kafka", "bootstrap", "servers"), "k:9092", 1, 1)
    assert profiled(plain) == plain
    assert applies("%dev,test", "test") and not applies("%dev,test", "prod")
    assert running_profile({}, on_host=True) == "dev"
    assert running_profile({}, on_host=False) == "prod"
    assert running_profile({"QUARKUS_PROFILE": "staging"}, on_host=False) == "staging"


def test_a_dev_profile_port_is_where_a_host_run_service_listens(tmp_path: Path) -> None:
    """``%dev.quarkus.http.port=8081``: ``quarkus:dev`` serves product on 8081, so the cart
    service's REST client of ``http://localhost:8081`` reaches it; a ``%test.`` port is a
    test run's, where nothing calls it (``localhost:8092`` reaches no unit)."""
    quarkus = (
        "<build><plugins><plugin><artifactId>quarkus-maven-plugin</artifactId>"
        "</plugin></plugins></build>"
    )
    _write(
        tmp_path,
        {
            "product/pom.xml": f"<project><artifactId>product</artifactId>{quarkus}</project>",
            f"product/{PROPERTIES}": "%dev.quarkus.http.port=8081\n",
            "user/pom.xml": f"<project><artifactId>user</artifactId>{quarkus}</project>",
            f"user/{PROPERTIES}": "%test.quarkus.http.port=8092\n",
            "cart/pom.xml": f"<project><artifactId>cart</artifactId>{quarkus}</project>",
            "cart/src/main/java/cart/ProductService.java": (
                "package cart;\n"
                '@RegisterRestClient(baseUri = "http://localhost:8081/product")\n'
                "public interface ProductService {}\n"
            ),
            "cart/src/main/java/cart/UserService.java": (
                "package cart;\n"
                '@RegisterRestClient(baseUri = "http://localhost:8092/user")\n'
                "public interface UserService {}\n"
            ),
        },
    )
    assert _edges(tmp_path) == {("code/cart", "code/product", 8081)}
