"""Dapr: the components a sidecar loads (scoped to its app-id or unscoped, of its
namespace) and its Configuration's tracing endpoint are calls of the app's workload."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths
from socklock.model import ServiceGraph

from .test_graph import _deployment

DAPR = 'dapr.io/enabled: "true", dapr.io/app-id: {app}, dapr.io/config: tracing'
COMPONENTS = """\
---
apiVersion: dapr.io/v1alpha1
kind: Component
metadata: {name: pubsub, namespace: shop}
spec:
  type: pubsub.redis
  version: v1
  metadata:
  - name: redisHost
    value: redis
  - name: redisPassword
    secretKeyRef: {name: secrets, key: redis}
---
apiVersion: dapr.io/v1alpha1
kind: Component
metadata: {name: sendmail, namespace: shop}
spec:
  type: bindings.smtp
  metadata:
  - {name: host, value: mail}
  - {name: port, value: 25}
scopes: [orders-api]
---
apiVersion: dapr.io/v1alpha1
kind: Component
metadata: {name: store, namespace: shop}
spec:
  type: state.postgresql
  metadata:
  - name: connectionString
    secretKeyRef: {name: secrets, key: pg}
scopes: [orders-api]
---
apiVersion: dapr.io/v1alpha1
kind: Component
metadata: {name: elsewhere, namespace: other}
spec:
  type: pubsub.kafka
  metadata:
  - {name: brokers, value: "kafka:9092"}
---
apiVersion: dapr.io/v1alpha1
kind: Configuration
metadata: {name: tracing, namespace: shop}
spec:
  tracing:
    zipkin: {endpointAddress: "http://zipkin:9411/api/v2/spans"}
"""


def _config_edges(graph: ServiceGraph) -> set[tuple[str, str, int | None, str]]:
    return {
        (e.source, e.target, e.port, f"{Path(v.location.file).name}:{v.location.line}")
        for e in graph.edges
        for v in e.evidence
        if v.kind.value == "config"
    }


def test_dapr_sidecars_in_kubernetes(tmp_path: Path) -> None:
    text = (
        _deployment("orders", 80, "shop", DAPR.format(app="orders-api"))
        + _deployment("cart", 80, "shop", DAPR.format(app="cart-api"))
        + _deployment("plain", 80, "shop")
        + _deployment("other", 80, "other", DAPR.format(app="orders-api"))
        + "".join(_deployment(n, p, "shop") for n, p in [("redis", 6379), ("mail", 25)])
        + _deployment("zipkin", 9411, "shop")
        + _deployment("kafka", 9092, "other")
    )
    (tmp_path / "apps.yaml").write_text(text)
    (tmp_path / "dapr.yaml").write_text(COMPONENTS)
    graph = discover(load_paths([str(tmp_path)]))
    assert _config_edges(graph) == {
        ("shop/orders", "shop/redis", 6379, "dapr.yaml:10"),
        ("shop/orders", "shop/mail", 25, "dapr.yaml:20"),
        ("shop/orders", "shop/zipkin", 9411, "dapr.yaml:47"),
        ("shop/cart", "shop/redis", 6379, "dapr.yaml:10"),
        ("shop/cart", "shop/zipkin", 9411, "dapr.yaml:47"),
        ("other/other", "other/kafka", 9092, "dapr.yaml:40"),
    }  # not: plain (no sidecar), cart -> mail (scoped to orders-api)
    assert {
        (u.source, f"{Path(u.location.file).name}:{u.location.line}", u.reason)
        for u in graph.unresolved
        if "Dapr" in u.expression
    } == {
        ("shop/orders", "dapr.yaml:30", "the value is read from a secret at run time"),
    }


def test_daprd_sidecar_services_in_compose(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        """\
name: shop
services:
  orders: {image: orders:1, expose: ["80"]}
  orders-dapr:
    image: daprio/daprd:1.14
    command: ["./daprd", "-app-id", "orders-api", "-components-path", "/components",
              "-config", "/configuration/config.yaml"]
    network_mode: "service:orders"
    volumes: ["./components/:/components", "./configuration/:/configuration"]
  cart: {image: cart:1, expose: ["80"]}
  cart-dapr:
    image: daprio/daprd:1.14
    command: ["--app-id=cart-api", "--resources-path", "/components"]  # the image runs daprd
    network_mode: "service:cart"
    volumes: ["./components/:/components"]
  rabbitmq: {image: rabbitmq:3, expose: ["5672"]}
  redis: {image: redis:7, expose: ["6379"]}
  zipkin: {image: openzipkin/zipkin, expose: ["9411"]}
"""
    )
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "pubsub.yaml").write_text(
        "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: pubsub}\n"
        "spec:\n  type: pubsub.rabbitmq\n  metadata:\n"
        "  - {name: host, value: 'amqp://rabbitmq:5672'}\n"
    )
    (tmp_path / "components" / "state.yaml").write_text(
        "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: state}\n"
        "spec:\n  type: state.redis\n  metadata:\n  - {name: redisHost, value: 'redis:6379'}\n"
        "scopes: [orders-api]\n"
    )
    (tmp_path / "configuration").mkdir()
    (tmp_path / "configuration" / "config.yaml").write_text(
        "apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata: {name: config}\n"
        "spec:\n  tracing:\n    zipkin: {endpointAddress: 'http://zipkin:9411/api/v2/spans'}\n"
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert _config_edges(graph) == {
        ("shop/orders", "shop/rabbitmq", 5672, "pubsub.yaml:7"),
        ("shop/orders", "shop/redis", 6379, "state.yaml:7"),
        ("shop/orders", "shop/zipkin", 9411, "config.yaml:6"),
        ("shop/cart", "shop/rabbitmq", 5672, "pubsub.yaml:7"),
    }  # cart: state is scoped to orders-api, and it has no -config


def test_config_read_from_a_dapr_secret_store_names_the_database(tmp_path: Path) -> None:
    """``AddDaprSecretStore("secrets")``: the app's configuration reads the keys of the
    ``secretstores.local.file`` its sidecar loads (``ConnectionStrings:OrdersDB``); cart
    reads the same key but never adds the store: its value is not known."""
    (tmp_path / "compose.yaml").write_text(
        """\
name: shop
services:
  orders: {build: ./orders, expose: ["80"]}
  orders-dapr:
    image: daprio/daprd:1.14
    command: ["./daprd", "-app-id", "orders-api", "-components-path", "/components"]
    network_mode: "service:orders"
    volumes: ["./components/:/components"]
  cart: {build: ./cart, expose: ["80"]}
  cart-dapr:
    image: daprio/daprd:1.14
    command: ["./daprd", "-app-id", "cart-api", "-components-path", "/components"]
    network_mode: "service:cart"
    volumes: ["./components/:/components"]
  sqldata: {image: mcr.microsoft.com/mssql/server, expose: ["1433"]}
"""
    )
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "secrets.yaml").write_text(
        "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: secrets}\n"
        "spec:\n  type: secretstores.local.file\n  metadata:\n"
        "  - {name: secretsFile, value: /components/secrets.json}\n"
        "  - {name: nestedSeparator, value: ':'}\n"
    )
    (tmp_path / "components" / "secrets.json").write_text(
        '{"ConnectionStrings": {"OrdersDB": "Server=sqldata;Database=orders;Password=x"}}'
    )
    reads = (
        "        builder.Services.AddDbContext<Db>(o =>\n"
        '            o.UseSqlServer(builder.Configuration["ConnectionStrings:OrdersDB"]));\n'
    )
    for app, adds in (("orders", True), ("cart", False)):
        (tmp_path / app).mkdir()
        (tmp_path / app / "Dockerfile").write_text("FROM mcr.microsoft.com/dotnet/aspnet:8.0\n")
        store = (
            '        builder.Configuration.AddDaprSecretStore("secrets", new DaprClientBuilder()'
            ".Build());\n"
            if adds
            else ""
        )
        (tmp_path / app / "Program.cs").write_text(
            "public static class Program {\n"
            "    public static void Main(string[] args) {\n"
            "        var builder = WebApplication.CreateBuilder(args);\n"
            f"{store}{reads}"
            "    }\n}\n"
        )
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    assert [
        (e.source, e.target, e.port, [ev.detail for ev in e.evidence]) for e in graph.edges
    ] == [
        (
            "shop/orders",
            "shop/sqldata",
            1433,
            [
                'env-read builder.Configuration["ConnectionStrings:OrdersDB"] '
                f"(ConnectionStrings__OrdersDB from a Dapr secret store at "
                f"{tmp_path}/components/secrets.json:1:1) (compose service shop/sqldata)"
            ],
        )
    ]
    assert [(u.source, u.reason) for u in graph.unresolved if "OrdersDB" in u.expression] == [
        ("shop/cart", "env ConnectionStrings__OrdersDB is not set for shop/cart by any manifest")
    ]


def test_a_sidecar_with_an_actor_state_store_joins_the_placement_service(tmp_path: Path) -> None:
    """``-placement-host-address`` is a call only when the actor runtime starts: an actor
    state store (``actorStateStore: "true"``) is among the components in the app's scope."""
    (tmp_path / "compose.yaml").write_text(
        """\
name: shop
services:
  placement:
    image: daprio/dapr:1.14
    command: ["./placement", "-port", "50006"]
  orders: {image: orders:1, expose: ["80"]}
  orders-dapr:
    image: daprio/daprd:1.14
    command: ["./daprd", "-app-id", "orders-api", "-components-path", "/components",
              "-placement-host-address", "placement:50006"]
    network_mode: "service:orders"
    volumes: ["./components/:/components"]
  cart: {image: cart:1, expose: ["80"]}
  cart-dapr:
    image: daprio/daprd:1.14
    command: ["./daprd", "-app-id", "cart-api", "-components-path", "/components",
              "-placement-host-address", "placement:50006"]
    network_mode: "service:cart"
    volumes: ["./components/:/components"]
  redis: {image: redis:7, expose: ["6379"]}
"""
    )
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "state.yaml").write_text(
        "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: state}\n"
        "spec:\n  type: state.redis\n  metadata:\n  - {name: redisHost, value: 'redis:6379'}\n"
        "  - {name: actorStateStore, value: 'true'}\nscopes: [orders-api]\n"
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert _config_edges(graph) == {
        ("shop/orders", "shop/redis", 6379, "state.yaml:7"),
        ("shop/orders", "shop/placement", 50006, "compose.yaml:8"),
    }  # cart: no actor state store in its scope, so no actor runtime
