"""A compose file that starts only the databases and brokers (public images, no ``build:``)
beside services that run on the host: the build units are the workloads, and
``localhost:<port>`` reaches the compose service that publishes that port."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import write_files as _write

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
    assert {(e.source, e.target, e.port) for e in graph.edges} == set()  # none at all
    assert "code/stock" in {u.source for u in graph.unresolved}


def test_a_service_image_named_like_a_unit_is_the_deployment(tmp_path: Path) -> None:
    _services(tmp_path)
    # a published image of the service, run by name: that unit's twin, nothing runs on the host
    pulled = INFRA + "  orders:\n    image: acme/orders:1.0\n"
    _write(tmp_path, {"docker-compose.yml": pulled})
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == set()  # none at all


def test_an_image_of_the_repositorys_own_is_no_infrastructure(tmp_path: Path) -> None:
    _services(tmp_path)
    # ``acme/storefront`` is built elsewhere (CI, a script): the compose file deploys the
    # application, not only what it needs; the units it does not name are left out
    pulled = INFRA + "  storefront:\n    image: acme/storefront:2.1\n"
    _write(tmp_path, {"docker-compose.yml": pulled})
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == set()  # none at all
    assert {"code/orders", "code/stock"} <= {u.source for u in graph.unresolved}


VENDOR = (
    "services:\n"
    "  zk:\n    image: confluentinc/cp-zookeeper:7.2.2\n"
    "  kafka:\n    image: confluentinc/cp-kafka:7.2.2\n    ports:\n      - 9092:9092\n"
    "    environment:\n      KAFKA_ZOOKEEPER_CONNECT: zk:2181\n"
    "      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:29092,HOST://localhost:9092\n"
    "  registry:\n    image: confluentinc/cp-schema-registry:7.2.2\n    ports:\n"
    "      - 8081:8081\n"
)


def test_a_vendors_server_images_are_infrastructure(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    _write(
        root,
        {
            "orders/pom.xml": _pom("orders"),
            f"orders/{PROPERTIES}": _props(
                "orders", 8081, "spring.kafka.bootstrap-servers=localhost:9092\n"
            ),
            "docker-compose.yml": VENDOR,
        },
    )
    graph = discover(load_paths([str(root)]))
    # Confluent's images are Kafka (a server: only its cluster settings are its calls) and
    # ZooKeeper, not the repository's own code: the unit runs on the host beside them
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "shop/kafka", 9092),
        ("shop/kafka", "shop/zk", 2181),
    }


VENDOR_PRODUCTS = (
    "services:\n"
    "  consul:\n    image: hashicorp/consul:1.22\n    ports:\n      - 8500:8500\n"
    "  keycloak:\n    image: quay.io/keycloak/keycloak:26.0\n    ports:\n      - 8180:8080\n"
    "  grid:\n    image: hazelcast/hazelcast:5.2.0\n    ports:\n      - 5701:5701\n"
)


def test_vendor_product_images_behind_a_registry_host_are_infrastructure(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    extra = (
        "consul.url=http://localhost:8500\nauth.url=http://localhost:8180/realms/shop\n"
        "hazelcast.client.network.cluster-members=localhost\n"
    )
    _write(
        root,
        {
            "orders/pom.xml": _pom("orders"),
            f"orders/{PROPERTIES}": _props("orders", 8081, extra),
            "docker-compose.yml": VENDOR_PRODUCTS,
        },
    )
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "shop/consul", 8500),
        ("code/orders", "shop/keycloak", 8080),  # host port 8180 → 8080
        ("code/orders", "shop/grid", 5701),  # Hazelcast's member port
    }


def test_an_own_image_behind_a_registry_host_is_no_infrastructure(tmp_path: Path) -> None:
    _services(tmp_path)
    # ``quay.io/acme/storefront``: the registry host is not the vendor, ``acme`` is no vendor
    pulled = INFRA + "  storefront:\n    image: quay.io/acme/storefront:2.1\n"
    _write(tmp_path, {"docker-compose.yml": pulled})
    graph = discover(load_paths([str(tmp_path)]))
    assert not any(e.source.startswith("code/") for e in graph.edges)


def test_a_host_run_unit_reads_its_local_profile(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    _services(root)
    _write(
        root,
        {
            "docker-compose.yml": INFRA,
            # written for the run on the host: its localhost addresses are published ports
            "stock/src/main/resources/application-local.yml": (
                "stock:\n  db:\n    url: mongodb://localhost:27017/stock\n"
            ),
            # another profile's file is not read on the host
            "stock/src/main/resources/application-test.yml": (
                "stock:\n  queue:\n    url: amqp://localhost:5673\n"
            ),
        },
    )
    graph = discover(load_paths([str(root)]))
    assert ("code/stock", "shop/mongo", 27017) in {
        (e.source, e.target, e.port) for e in graph.edges if not e.hint
    }
    assert ("code/stock", "shop/broker", 5672) not in {
        (e.source, e.target, e.port) for e in graph.edges
    }


def test_a_deployed_unit_keeps_the_default_profile(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "stock/pom.xml": _pom("stock"),
            f"stock/{PROPERTIES}": _props("stock", 8082),
            "stock/src/main/resources/application-local.yml": (
                "stock:\n  db:\n    url: mongodb://mongo:27017/stock\n"
            ),
            "docker-compose.yml": INFRA + "  stock:\n    build: ./stock\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert not [e for e in graph.edges if e.target.endswith("/mongo") and not e.hint]


TRACING = (
    "services:\n"
    "  jaeger:\n    image: jaegertracing/all-in-one:1.38\n    ports:\n"
    "      - 6831:6831/udp\n      - 16686:16686\n"
)
JAEGER_AGENT = (
    "fn main() {\n"
    "    // opentelemetry_jaeger::new_agent_pipeline() in a comment builds nothing\n"
    "    let tracer = opentelemetry_jaeger::new_agent_pipeline()\n"
    '        .with_service_name("orders")\n'
    "        .install_simple();\n"
    "}\n"
)
CARGO = '[package]\nname = "orders"\nversion = "0.1.0"\n'


def test_a_host_run_sdk_with_no_address_set_dials_its_local_default(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    _write(
        root,
        {
            "orders/Cargo.toml": CARGO,
            "orders/src/main.rs": JAEGER_AGENT,
            "docker-compose.yml": TRACING,
        },
    )
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port, e.protocol) for e in graph.edges if not e.hint} == {
        ("code/orders", "shop/jaeger", 6831, "UDP"),
    }


def test_a_deployed_sdk_default_is_its_own_localhost(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "orders/Cargo.toml": CARGO,
            "orders/src/main.rs": JAEGER_AGENT,
            "docker-compose.yml": TRACING + "  orders:\n    build: ./orders\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert not [e for e in graph.edges if e.target.endswith("/jaeger") and not e.hint]


def test_a_rust_program_calls_only_the_config_sections_it_reads(tmp_path: Path) -> None:
    """One config layout for every service: ``orders`` declares the schema registry's
    section but never reads it (no ``.schema_registry``), so that address is no call."""
    root = tmp_path / "shop"
    _write(
        root,
        {
            "orders/Cargo.toml": CARGO,
            "orders/resources/application.yml": (
                "database:\n  url: postgres://app:secret@localhost:5432/orders\n"
                "kafka:\n  broker:\n    urls: localhost:9092\n"
                "  schema-registry:\n    url: http://localhost:8081\n"
            ),
            "orders/src/main.rs": (
                "pub struct Kafka {\n    pub broker: Broker,\n"
                "    pub schema_registry: Registry,\n}\n"
                "fn main() {\n    let config = load();\n"
                "    connect(&config.database);\n"
                '    producer.set("bootstrap.servers", config.kafka.broker.urls.clone());\n}\n'
            ),
            "docker-compose.yml": VENDOR + "  db:\n    image: postgres:16\n    ports:\n"
            "      - 5432:5432\n",
        },
    )
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "shop/db", 5432),
        ("code/orders", "shop/kafka", 9092),
        ("shop/kafka", "shop/zk", 2181),
    }


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


def test_a_database_console_beside_the_infrastructure_is_no_code_of_the_repository(
    tmp_path: Path,
) -> None:
    """``dpage/pgadmin4`` (a namespaced image, a developer's web console) is a well-known
    program like the databases beside it: the services still run on the host."""
    root = tmp_path / "shop"
    _services(root)
    console = "  pgadmin:\n    image: dpage/pgadmin4\n    ports:\n      - 5050:80\n"
    _write(root, {"docker-compose.yml": INFRA + console})
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "shop/mongo", 27017),
        ("code/orders", "shop/broker", 5672),
        ("code/orders", "code/stock", 8082),
    }


def test_redpanda_and_its_kafka_console_are_infrastructure(tmp_path: Path) -> None:
    """``vectorized/redpanda`` (a Kafka API broker of a vendor that publishes only its
    products) and ``tchiotludo/akhq`` (a Kafka web console): the services run on the host."""
    root = tmp_path / "shop"
    _services(root)
    kafka = (
        "  redpanda:\n    image: vectorized/redpanda:v21.5.3\n    ports:\n      - 11002:11002\n"
        "  akhq:\n    image: tchiotludo/akhq\n    ports:\n      - 12002:8080\n"
    )
    _write(
        root,
        {
            "docker-compose.yml": INFRA + kafka,
            f"stock/{PROPERTIES}": _props(
                "stock", 8082, "spring.kafka.bootstrap-servers=localhost:11002\n"
            ),
        },
    )
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "shop/mongo", 27017),
        ("code/orders", "shop/broker", 5672),
        ("code/orders", "code/stock", 8082),
        ("code/stock", "shop/redpanda", 11002),
    }


def test_a_monitoring_image_built_with_its_config_and_named_brokers_are_infrastructure(
    tmp_path: Path,
) -> None:
    """A Dockerfile ``FROM prom/prometheus`` adding its ``prometheus.yml``, built by a
    script under the tag the compose file runs (that build unit's twin): Prometheus with
    the repository's config. Logstash and an Artemis image are well-known servers too."""
    root = tmp_path / "shop"
    _services(root)
    _write(
        root,
        {
            "docker-compose.yml": INFRA
            + "  prometheus:\n    image: shop-prometheus\n    network_mode: host\n"
            + "  logstash:\n    image: docker.elastic.co/logstash/logstash:7.15.1\n"
            + "    ports:\n      - 12201:12201/udp\n"
            + "  artemis:\n    image: vromero/activemq-artemis:2.11.0\n"
            + "    ports:\n      - 5672:5672\n",
            "monitoring/Dockerfile.prometheus": (
                "FROM prom/prometheus:v2.28.0\nADD prometheus.yml /etc/prometheus/\n"
            ),
            "monitoring/build.sh": "docker build -f Dockerfile.prometheus -t shop-prometheus .\n",
            "monitoring/prometheus.yml": "scrape_configs: []\n",
        },
    )
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "shop/mongo", 27017),
        ("code/orders", "shop/broker", 5672),
        ("code/orders", "code/stock", 8082),
    }


def test_a_runtime_image_built_by_tag_is_the_repositorys_code(tmp_path: Path) -> None:
    """The same, but the Dockerfile builds on a language runtime (``FROM eclipse-temurin``):
    the repository's own program, so the compose file runs the code."""
    _services(tmp_path)
    _write(
        tmp_path,
        {
            "docker-compose.yml": INFRA + "  worker:\n    image: shop-worker\n",
            "worker/Dockerfile": "FROM eclipse-temurin:21\nCOPY app.jar /app.jar\n",
            "worker/build.sh": "docker build -t shop-worker .\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert not [e for e in graph.edges if e.source.startswith("code/")]


def test_an_image_named_like_a_console_under_the_repositorys_own_name_still_is_no_tool(
    tmp_path: Path,
) -> None:
    """Only the console's own program name counts: ``acme/pgadmin-sso`` is the repository's."""
    _services(tmp_path)
    own = "  pgadmin:\n    image: acme/pgadmin-sso:1.0\n"
    _write(tmp_path, {"docker-compose.yml": INFRA + own})
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == set()  # none at all


def test_a_database_image_built_with_its_init_scripts_is_infrastructure(tmp_path: Path) -> None:
    """``build: postgres`` whose Dockerfile is ``FROM postgres`` adding ``init.sql``: the
    database's own program with the repository's schema, no code of the repository's."""
    root = tmp_path / "shop"
    _services(root)
    _write(
        root,
        {
            "docker-compose.yml": INFRA + "  db:\n    build: ./db\n    ports:\n      - 5432:5432\n",
            "db/Dockerfile": "FROM postgres:16\nADD init.sql /docker-entrypoint-initdb.d/\n",
            "db/init.sql": "CREATE DATABASE orders;\n",
            f"stock/{PROPERTIES}": _props(
                "stock", 8082, "spring.datasource.url=jdbc:postgresql://localhost:5432/stock\n"
            ),
        },
    )
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "shop/mongo", 27017),
        ("code/orders", "shop/broker", 5672),
        ("code/orders", "code/stock", 8082),
        ("code/stock", "shop/db", 5432),
    }


def test_a_build_on_a_runtime_image_is_the_deployment(tmp_path: Path) -> None:
    """``FROM eclipse-temurin`` runs a program of the repository's: the compose file
    deploys code, so the units it does not build are left out, not drawn."""
    root = tmp_path / "shop"
    _services(root)
    _write(
        root,
        {
            "docker-compose.yml": INFRA + "  tool:\n    build: ./tool\n",
            "tool/Dockerfile": "FROM eclipse-temurin:21\nCOPY tool.jar /\n",
        },
    )
    graph = discover(load_paths([str(root)]))
    assert not any(e.source.startswith("code/") for e in graph.edges)
    assert {"code/orders", "code/stock"} <= {u.source for u in graph.unresolved}


@pytest.mark.parametrize("image", ["hashicorp/consul:1.22", "hazelcast/hazelcast:5.2.0"])
def test_a_vendors_product_image_is_infrastructure(tmp_path: Path, image: str) -> None:
    """``hashicorp/consul`` (a vendor that publishes only its own products) beside services
    run on the host: they are the workloads, and reach it on its published port; an image
    of another namespace (``acme/consul``) may be the repository's own (not infrastructure)."""
    root = tmp_path / "shop"
    _services(root)
    consul = "services:\n  consul:\n    image: {}\n    ports:\n      - 8500:8500\n"
    _write(root, {"docker-compose.yml": consul.format(image)})
    _write(
        root, {f"stock/{PROPERTIES}": _props("stock", 8082, "consul.url=http://localhost:8500\n")}
    )
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "code/mongodb", 27017),  # no compose service publishes 27017
        ("code/orders", "code/stock", 8082),
        ("code/stock", "shop/consul", 8500),
    }
    _write(root, {"docker-compose.yml": consul.format("acme/consul:1.0")})
    graph = discover(load_paths([str(root)]))
    assert not any(e.source.startswith("code/") for e in graph.edges)


def test_a_vendors_demo_image_tagged_after_a_unit_is_the_repositorys_own(tmp_path: Path) -> None:
    """A vendor's demo repository pushes its services under the vendor's namespace, one tag
    per service directory (``ghcr.io/grafana/demo:stock-latest``): that image is the
    repository's code, so the compose file deploys the application and no unit runs on the
    host; only the units it does not name are left out."""
    _services(tmp_path)
    # a service named otherwise (``inventory``): only the tag names the unit
    demo = "  inventory:\n    image: ghcr.io/grafana/demo:stock-latest\n"
    _write(tmp_path, {"docker-compose.yml": INFRA + demo})
    graph = discover(load_paths([str(tmp_path)]))
    assert not any(e.source.startswith("code/") for e in graph.edges)
    assert {"code/orders", "code/stock"} <= {u.source for u in graph.unresolved}


def test_a_vendors_product_image_beside_a_unit_named_otherwise_is_infrastructure(
    tmp_path: Path,
) -> None:
    """The look-alike: ``grafana/loki:3.0`` names no unit (its tag is a version), so it is
    still the vendor's product and the units run on the host beside it."""
    root = tmp_path / "shop"
    _services(root)
    loki = "  loki:\n    image: grafana/loki:3.0.0\n"
    _write(root, {"docker-compose.yml": INFRA + loki})
    graph = discover(load_paths([str(root)]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "shop/mongo", 27017),
        ("code/orders", "shop/broker", 5672),
        ("code/orders", "code/stock", 8082),
    }


def test_a_server_image_built_over_the_repository_root_does_not_own_its_code(
    tmp_path: Path,
) -> None:
    """``mongodb`` builds ``infra/mongo/Dockerfile`` (``FROM mongo`` adding a key file) with
    the repository's root as context: the server is that Dockerfile's, the root's Spring
    service is the ``users`` image's code, which calls it."""
    _write(
        tmp_path,
        {
            "pom.xml": _pom("users"),
            PROPERTIES: _props(
                "users", 8080, "spring.data.mongodb.uri=mongodb://mongodb:27017/u\n"
            ),
            "infra/mongo/Dockerfile": "FROM mongo:5.0.1\nRUN echo key > /tmp/replica.key\n",
            "docker-compose.yml": (
                "services:\n"
                "  mongodb:\n    build:\n      context: .\n"
                "      dockerfile: ./infra/mongo/Dockerfile\n"
                "  users:\n    image: acme/users:1.0\n"
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    project = tmp_path.name
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        (f"{project}/users", f"{project}/mongodb", 27017)
    }
