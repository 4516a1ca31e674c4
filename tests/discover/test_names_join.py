"""Service-discovery names joined with the inventory: exact edge sets and exact reasons."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.discover.shop import workload
from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

    from socklock.model import ServiceGraph

Edges = set[tuple[str, str, int | None]]


def _kubernetes(root: Path, *names: str) -> None:
    """A Deployment and a Service (port 80 → http 8080) per name, and a build context."""
    for name in names:
        _write(
            root,
            {
                f"k8s/{name}.yaml": workload(name, service_port=80, port_name="http"),
                f"{name}/Dockerfile": "FROM eclipse-temurin:21\n",
            },
        )


def _graph(root: Path) -> ServiceGraph:
    return discover(load_paths([str(root)]), manifests=False)


def _edges(graph: ServiceGraph) -> Edges:
    return {(e.source, e.target, e.port) for e in graph.edges}


def _unresolved(graph: ServiceGraph) -> set[tuple[str, str, str]]:
    return {(u.source, u.expression, u.reason) for u in graph.unresolved}


GATEWAY_YML = """\
spring:
  application:
    name: gateway
  cloud:
    gateway:
      routes:
        - id: orders
          uri: lb://orders
        - id: payment
          uri: lb://payment
        - id: ghost
          uri: lb://ghost
"""
BILLING_YML = """\
spring:
  application:
    name: payment
server:
  port: 8080
"""
FEIGN = """\
@FeignClient(name = "orders")
interface OrdersClient {}

@FeignClient(name = "inventory")
interface InventoryClient {}
"""


def test_kubernetes_names_resolve_by_identity_then_service(tmp_path: Path) -> None:
    _kubernetes(tmp_path, "gateway", "orders", "billing")
    _write(
        tmp_path,
        {
            "gateway/src/main/resources/application.yml": GATEWAY_YML,
            "gateway/src/main/java/shop/OrdersClient.java": FEIGN,
            "billing/src/main/resources/application.yml": BILLING_YML,
        },
    )
    graph = _graph(tmp_path)
    # lb://orders and @FeignClient("orders"): the Service named orders; lb://payment: the
    # module that registers as payment (billing), on its one container port
    assert _edges(graph) == {
        ("shop/gateway", "shop/orders", 8080),
        ("shop/gateway", "shop/billing", 8080),
    }
    assert _unresolved(graph) == {
        ("shop/gateway", "lb://ghost", "load-balanced service id 'ghost' matches no workload"),
        ("shop/gateway", "inventory", "Feign client name 'inventory' matches no workload"),
    }
    (billing,) = [e for e in graph.edges if e.target == "shop/billing"]
    (evidence,) = billing.evidence
    assert evidence.kind.value == "config"
    assert evidence.location.line == 10
    where = tmp_path / "billing" / "src" / "main" / "resources" / "application.yml"
    assert f"'payment' is the service name shop/billing declares at {where}:3:11" in (
        evidence.detail
    )
    (orders,) = [e for e in graph.edges if e.target == "shop/orders"]
    assert {ev.location.file.rsplit("/", 1)[1] for ev in orders.evidence} == {
        "application.yml",
        "OrdersClient.java",
    }


COMPOSE = """\
services:
  web:
    build: ./web
  orders:
    build: ./orders
    expose: ["8081"]
  pay:
    build: ./pay
    ports: ["9000:9000"]
  ledger:
    build: ./ledger
    expose: ["7000", "7001"]
  audit:
    build: ./audit
    expose: ["8000"]
"""
WEB_CONFIG = """\
@Configuration
class Config {
    @Bean
    @LoadBalanced
    RestTemplate rest() { return new RestTemplate(); }
}
"""
WEB_CALLS = """\
class Calls {
    Object orders(RestTemplate rest) {
        log.info("also see http://audit/x");
        rest.getForObject("http://ledger/entries", Object.class);
        rest.getForObject("http://partner/feed", Object.class);
        return rest.getForObject("http://order-service/api/orders", Object.class);
    }
}
"""
WEB_PROPERTIES = """\
spring.application.name=web
zuul.routes.pay.path=/pay/**
"""
WEB_TEST = """\
@FeignClient(name = "audit")
interface AuditClientTest {}
"""


def test_compose_load_balanced_hosts_zuul_routes_and_ports(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            "web/Dockerfile": "FROM eclipse-temurin:21\n",
            "web/src/main/java/Config.java": WEB_CONFIG,
            "web/src/main/java/Calls.java": WEB_CALLS,
            "web/src/main/resources/application.properties": WEB_PROPERTIES,
            "web/src/test/java/AuditClientTest.java": WEB_TEST,
            "web/src/main/java/Notes.java": '// calls http://audit/x via @FeignClient("audit")\n',
            "orders/Dockerfile": "FROM eclipse-temurin:21\n",
            "orders/src/main/resources/application.yml": (
                "spring:\n  application:\n    name: order-service\n"
            ),
            "pay/Dockerfile": "FROM eclipse-temurin:21\n",
            "ledger/Dockerfile": "FROM eclipse-temurin:21\n",
            "audit/Dockerfile": "FROM eclipse-temurin:21\n",
            "ledger/src/main/resources/application.yml": "server:\n  port: 7001\n",
        },
    )
    graph = _graph(tmp_path)
    project = tmp_path.name
    # @LoadBalanced: http://order-service/ is the module named order-service (compose
    # service orders, its one port); http://ledger/ is the compose service on its declared
    # server.port; Zuul's path-only route pay goes to the service pay. audit is named only in
    # a log message, a comment and a test file: no edge
    assert _edges(graph) == {
        (f"{project}/web", f"{project}/orders", 8081),
        (f"{project}/web", f"{project}/ledger", 7001),
        (f"{project}/web", f"{project}/pay", 9000),
    }
    # a host no registry knows is resolved as a DNS name (a plain client may call it)
    assert _unresolved(graph) == {
        (
            f"{project}/web",
            "http://partner",
            f"no service 'partner' in compose project {project!r}",
        )
    }


GO_FRONTEND = """\
package main

func main() {
	grpc.Dial("consul://consul:8500/srv-search?healthy=true")
	consul.Health().Service("srv-geo", "", true, nil)
	grpc.Dial("xds:///reviews.shop:80")
	grpc.Dial("dns:///ratings.shop.svc.cluster.local:80")
	http.Get("http://localhost:3500/v1.0/invoke/shopping-cart/method/items")
	client.InvokeMethod(ctx, "ghost", "m", "get")
	grpc.Dial("xds:///ratings.other:80")
}
"""
GO_GEO = """\
package main

func main() { register() }

func register() {
	agent.ServiceRegister(&api.AgentServiceRegistration{Name: "srv-geo", Port: 8083})
}
"""


def test_registry_names_consul_xds_dapr_and_kubernetes_dns(tmp_path: Path) -> None:
    _kubernetes(tmp_path, "frontend", "search", "locator", "reviews", "ratings", "cart")
    cart = tmp_path / "k8s" / "cart.yaml"
    cart.write_text(
        cart.read_text().replace(
            "labels: {app: cart}}",
            "labels: {app: cart}, annotations: {dapr.io/app-id: shopping-cart}}",
        )
    )
    _write(tmp_path, {"frontend/main.go": GO_FRONTEND, "locator/register.go": GO_GEO})
    graph = _graph(tmp_path)
    # srv-search: the Service search (registry prefix dropped); srv-geo: the module that
    # registers under it in Consul; xds/dns names in Kubernetes DNS forms; the Dapr app-id
    # of the pod annotation
    assert _edges(graph) == {
        ("shop/frontend", "shop/search", 8080),
        ("shop/frontend", "shop/locator", 8080),
        ("shop/frontend", "shop/reviews", 8080),
        ("shop/frontend", "shop/ratings", 8080),
        ("shop/frontend", "shop/cart", 8080),
    }
    assert _unresolved(graph) == {
        ("shop/frontend", "ghost", "Dapr app-id 'ghost' matches no workload"),
        (
            "shop/frontend",
            "xds:///ratings.other:80",
            "xDS name 'ratings.other' matches no workload",
        ),
    }


SERVER_YML = """\
spring:
  cloud:
    config:
      server:
        native:
          search-locations: classpath:/shared
server:
  port: 8888
"""


def test_config_server_files_configure_the_applications_they_name(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n  config: {build: ./config}\n  edge: {build: ./edge}\n"
                "  orders: {build: ./orders}\n  rabbitmq: {image: rabbitmq:3}\n"
            ),
            "config/Dockerfile": "FROM eclipse-temurin:21\n",
            "config/src/main/resources/application.yml": SERVER_YML,
            # the edge's routes and the orders' port live on the config server
            "config/src/main/resources/shared/edge.yml": (
                "zuul:\n  routes:\n    orders:\n      path: /orders/**\n"
            ),
            "config/src/main/resources/shared/orders-docker.yml": "server:\n  port: 6000\n",
            "config/src/main/resources/shared/application.yml": (
                "spring:\n  rabbitmq:\n    host: rabbitmq\norders:\n  url: http://orders:6000/api\n"
            ),
            "edge/Dockerfile": "FROM eclipse-temurin:21\n",
            "edge/src/main/resources/bootstrap.yml": (
                "spring:\n  application:\n    name: edge\n  cloud:\n    config:\n"
                "      uri: http://config:8888\n"
            ),
            "orders/Dockerfile": "FROM eclipse-temurin:21\n",
            "orders/src/main/resources/bootstrap.yml": (
                "spring:\n  application:\n    name: orders\n"
            ),
        },
    )
    graph = _graph(tmp_path)
    project = tmp_path.name
    # shared/application.yml is every application's (edge, orders), never the server's
    # own nor the broker's, and what it says about one of them is for the others (no
    # orders -> orders); shared/edge.yml is the edge's; orders' port is 6000
    assert _edges(graph) == {
        (f"{project}/edge", f"{project}/config", 8888),
        (f"{project}/edge", f"{project}/orders", 6000),
        (f"{project}/edge", f"{project}/rabbitmq", 5672),
        (f"{project}/orders", f"{project}/rabbitmq", 5672),
    }
    assert _unresolved(graph) == set()


def test_a_git_config_repository_in_the_input_configures_the_applications(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n  config: {build: ./config}\n  orders: {build: ./orders}\n"
                "  registry: {image: eureka:1, expose: ['8761']}\n"
                "  zipkin: {image: openzipkin/zipkin, expose: ['9411']}\n"
            ),
            "config/Dockerfile": "FROM eclipse-temurin:21\n",
            "config/src/main/resources/application.yml": (
                "spring:\n  cloud:\n    config:\n      server:\n        git:\n"
                "          uri: https://github.com/shop/shop-config\n"
            ),
            "orders/Dockerfile": "FROM eclipse-temurin:21\n",
            "orders/src/main/resources/application.yml": (
                "spring:\n  application:\n    name: orders\n"
            ),
            # a checkout of the server's repository, outside every build context
            "shop-config/orders.yml": (
                "eureka:\n  client:\n    serviceUrl:\n"
                "      defaultZone: http://registry:8761/eureka/\n"
            ),
            # config for a workload whose code is not in the input: nobody reads it here
            "shop-config/zipkin.yml": "spring:\n  rabbitmq:\n    host: registry\n",
            "shop-config/application.yml": "zipkin:\n  base-url: http://zipkin:9411/\n",
        },
    )
    graph = _graph(tmp_path)
    project = tmp_path.name
    assert _edges(graph) == {
        (f"{project}/orders", f"{project}/registry", 8761),
        (f"{project}/orders", f"{project}/zipkin", 9411),
    }
    assert _unresolved(graph) == set()


@pytest.mark.parametrize("second_server", [False, True])
def test_a_config_repository_given_beside_the_app_under_another_name(
    tmp_path: Path, second_server: bool
) -> None:
    """``socklock map app acme+shop-config``: the second path is the git-backed server's
    repository checked out under another name (its files are named after the app's
    services, it holds no code). With two git-backed servers it is nobody's: no edge."""
    app = tmp_path / "app"
    files = {
        "compose.yaml": (
            "services:\n  config: {build: ./config}\n  orders: {build: ./orders}\n"
            "  registry: {image: eureka:1, expose: ['8761']}\n"
        ),
        "config/Dockerfile": "FROM eclipse-temurin:21\n",
        "config/src/main/resources/application.yml": (
            "spring:\n  cloud:\n    config:\n      server:\n        git:\n"
            "          uri: https://github.com/shop/shop-config\n"
        ),
        "orders/Dockerfile": "FROM eclipse-temurin:21\n",
        "orders/src/main/resources/application.yml": "spring:\n  application:\n    name: orders\n",
    }
    if second_server:
        files["compose.yaml"] += "  audit: {build: ./audit}\n"
        files["audit/Dockerfile"] = "FROM eclipse-temurin:21\n"
        files["audit/src/main/resources/application.yml"] = files[
            "config/src/main/resources/application.yml"
        ].replace("shop-config", "audit-config")
    _write(app, files)
    checkout = tmp_path / "acme+shop-config"
    _write(
        checkout,
        {
            "orders-docker.yml": (
                "eureka:\n  client:\n    serviceUrl:\n"
                "      defaultZone: http://registry:8761/eureka/\n"
            )
        },
    )
    graph = discover(load_paths([str(app), str(checkout)]), manifests=False)
    expected = set() if second_server else {("app/orders", "app/registry", 8761)}
    assert _edges(graph) == expected


def test_a_host_run_load_balanced_clients_config_url_names_a_registered_service(
    tmp_path: Path,
) -> None:
    """Run on the host (no deployment), a ``@LoadBalanced`` module's configured URL
    ``http://payment`` is a service id: no DNS answers the name there, the registry does,
    with the port the payment module registers (its ``server.port``), not HTTP's 80."""

    def pom(name: str) -> str:
        return (
            f"<project><artifactId>{name}</artifactId><dependencies><dependency><artifactId>"
            "spring-cloud-starter-alibaba-nacos-discovery</artifactId></dependency>"
            "</dependencies><build><plugins><plugin><artifactId>spring-boot-maven-plugin"
            "</artifactId></plugin></plugins></build></project>"
        )

    _write(
        tmp_path,
        {
            "web/pom.xml": pom("web"),
            "web/src/main/java/Config.java": WEB_CONFIG,
            "web/src/main/resources/application.yml": (
                "server:\n  port: 83\nspring:\n  application:\n    name: web\n"
                "service-url:\n  payment: http://payment\n"
            ),
            "pay/pom.xml": pom("pay"),
            "pay/src/main/resources/application.yml": (
                "server:\n  port: 9001\nspring:\n  application:\n    name: payment\n"
            ),
        },
    )
    graph = _graph(tmp_path)
    assert _edges(graph) == {("code/web", "code/payment", 9001)}
