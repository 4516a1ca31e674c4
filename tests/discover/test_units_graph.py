"""The workload universe: build units as workloads, one identity per service, deployment
variants, shared images and config-server files (fixtures in tests/fixtures/units)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import REPO
from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.deployments import find_deployments, select_deployment
from socklock.discover.identity import Named, service_named
from socklock.errors import UsageError
from socklock.load import load_paths
from socklock.model import ServiceGraph

UNITS = REPO / "tests" / "fixtures" / "units"

Edge = tuple[str, str, int | None, str]


def _graph(case: str, deployment: str | None = None) -> ServiceGraph:
    return discover(load_paths([str(UNITS / case)]), deployment=deployment)


def _nodes(graph: ServiceGraph) -> set[tuple[str, str | None, tuple[int, ...]]]:
    return {(n.id, n.workload_kind, tuple(p.port for p in n.ports)) for n in graph.nodes}


def _edges(graph: ServiceGraph) -> set[Edge]:
    return {(e.source, e.target, e.port, e.evidence[0].kind.value) for e in graph.edges}


EXPECTED: dict[str, tuple[set[tuple[str, str | None, tuple[int, ...]]], set[Edge]]] = {
    "maven": (
        {
            ("code/account-service", "maven-unit", (6000,)),
            ("code/config", "maven-unit", (8888,)),
            ("code/gateway", "maven-unit", (4000,)),
            ("code/statistics-service", "maven-unit", (7000,)),
        },
        {
            ("code/account-service", "code/config", 8888, "config"),
            ("code/account-service", "code/statistics-service", 7000, "config"),
            ("code/gateway", "code/account-service", 6000, "config"),
            # the config repository's application.yml configures each of its clients (and a
            # client is not its own caller)
            ("code/statistics-service", "code/config", 8888, "config"),
        },
    ),
    "gradle": (
        {("code/inventory", "gradle-unit", (9090,)), ("code/orders", "gradle-unit", (8081,))},
        {("code/orders", "code/inventory", 9090, "config")},
    ),
    # the api calls search through the workspace library it depends on
    "npm": (
        {
            ("code/api", "npm-unit", (3000,)),
            ("code/search", "npm-unit", (4100,)),
            ("code/users", "npm-unit", (4000,)),
        },
        {
            ("code/api", "code/users", 4000, "literal"),
            ("code/api", "code/search", 4100, "literal"),
            ("code/users", "code/search", 4100, "literal"),  # localhost:4100, one listener
        },
    ),
    "go": (
        {("code/checkout", "go-unit", (5050,)), ("code/frontend", "go-unit", (8080,))},
        {("code/frontend", "code/checkout", 5050, "literal")},
    ),
    "python": (
        {
            ("code/admin", "python-unit", ()),
            ("code/orders", "python-unit", (8000,)),
            ("code/payments", "python-unit", (9000,)),
        },
        {
            ("code/admin", "code/orders", 8000, "literal"),
            ("code/orders", "code/payments", 9000, "literal"),
        },
    ),
    "dotnet": (
        {("code/basket-api", "dotnet-unit", ()), ("code/catalog-api", "dotnet-unit", (8080,))},
        {("code/basket-api", "code/catalog-api", 8080, "literal")},
    ),
    # the AppHost is the deployment: its projects' code is attributed to its resources
    "aspire": (
        {
            ("shop-apphost/basket-api", "aspire-project", ()),
            ("shop-apphost/bff", "aspire-container", ()),
            ("shop-apphost/basketcache", "aspire-container", (6379,)),
            ("shop-apphost/catalog-api", "aspire-project", (8080,)),
            ("shop-apphost/mail", "aspire-container", (1080,)),
            ("shop-apphost/postgres", "aspire-container", (5432,)),
            ("shop-apphost/postgres-pgadmin", "aspire-container", (80,)),
        },
        {
            ("shop-apphost/basket-api", "shop-apphost/basketcache", 6379, "manifest"),
            ("shop-apphost/basket-api", "shop-apphost/catalog-api", 8080, "manifest"),
            ("shop-apphost/basket-api", "shop-apphost/mail", 1080, "literal"),
            ("shop-apphost/bff", "shop-apphost/catalog-api", 8080, "proxy"),
            ("shop-apphost/catalog-api", "shop-apphost/postgres", 5432, "manifest"),
            ("shop-apphost/postgres-pgadmin", "shop-apphost/postgres", 5432, "manifest"),
        },
    ),
    # Aspire endpoints: a project's launch profile (the default, or the one AddProject names;
    # chosen at run time: https) and WithHttp(s)Endpoint; a service-discovery URL's scheme
    # names the endpoint it calls, a port written with the name wins
    "aspire-endpoints": (
        {
            ("store-apphost/admin", "aspire-project", (5300,)),
            ("store-apphost/basket-api", "aspire-project", (5221,)),
            ("store-apphost/bff", "aspire-container", ()),
            ("store-apphost/bus", "aspire-container", (5672,)),
            ("store-apphost/cache", "aspire-container", (6379,)),
            ("store-apphost/orders-api", "aspire-project", (6000, 6001)),
            ("store-apphost/pg", "aspire-container", (5432,)),
            ("store-apphost/web", "aspire-project", (7443, 7298, 5045)),
        },
        {
            ("store-apphost/web", "store-apphost/basket-api", 5221, "literal"),
            ("store-apphost/web", "store-apphost/orders-api", 6000, "grpc"),
            ("store-apphost/web", "store-apphost/orders-api", 6100, "literal"),
            # YARP clusters and routes: in a callback, in an extension method, to a named
            # endpoint; a route to a cluster variable or a literal is no second call
            ("store-apphost/bff", "store-apphost/basket-api", 5221, "proxy"),
            ("store-apphost/bff", "store-apphost/orders-api", 6000, "proxy"),
            ("store-apphost/bff", "store-apphost/web", 7443, "proxy"),
            # WithEnvironment naming an endpoint, read by a library both APIs reference
            # (Identity:Url); Unread__Url is read by no code, CallBackUrl is web's own address
            ("store-apphost/basket-api", "store-apphost/web", 7298, "env"),
            ("store-apphost/orders-api", "store-apphost/web", 5045, "env"),
            ("store-apphost/basket-api", "store-apphost/cache", 6379, "env-read"),
            ("store-apphost/orders-api", "store-apphost/pg", 5432, "env-read"),
            # through a connection-name wrapper (AddBus("Bus") → AddRabbitMQClient)
            ("store-apphost/web", "store-apphost/bus", 5672, "env-read"),
            # referenced, read by no code: the AppHost's reference is the call
            ("store-apphost/web", "store-apphost/cache", 6379, "manifest"),
        },
    ),
    # hosting-integration admin tools beside their servers; the AppHost's own launch profile
    # picks each project's; a bare reference asks https first
    "aspire-tools": (
        {
            ("mall-apphost/ai", "aspire-container", (11434,)),  # its model: no resource
            ("mall-apphost/audit", "aspire-container", (27017,)),
            ("mall-apphost/audit-mongoexpress", "aspire-container", (8081,)),
            ("mall-apphost/bus", "aspire-container", (5672,)),
            ("mall-apphost/cache", "aspire-container", (6379,)),
            ("mall-apphost/cache-commander", "aspire-container", (8081,)),
            ("mall-apphost/cache-ui", "aspire-container", (5540,)),
            ("mall-apphost/events", "aspire-container", (9092,)),
            ("mall-apphost/events-kafka-ui", "aspire-container", (8080,)),
            ("mall-apphost/mongo", "aspire-container", (27017,)),
            ("mall-apphost/mongo-mongoexpress", "aspire-container", (8081,)),
            ("mall-apphost/orders", "aspire-project", (7100, 5100)),
            ("mall-apphost/pg", "aspire-container", (5432,)),
            ("mall-apphost/pg-pgadmin", "aspire-container", (80,)),
            ("mall-apphost/pg-pgweb", "aspire-container", (8081,)),
            ("mall-apphost/reports", "aspire-project", (5400,)),
            ("mall-apphost/reports-pg", "aspire-container", (5432,)),
            ("mall-apphost/web", "aspire-project", (7200, 5200)),
            ("mall-apphost/worker", "aspire-project", (5300,)),
        },
        {
            # one pgAdmin and one pgweb for every Postgres server; no reports-pg-pgadmin
            ("mall-apphost/pg-pgadmin", "mall-apphost/pg", 5432, "manifest"),
            ("mall-apphost/pg-pgadmin", "mall-apphost/reports-pg", 5432, "manifest"),
            ("mall-apphost/pg-pgweb", "mall-apphost/pg", 5432, "manifest"),
            ("mall-apphost/pg-pgweb", "mall-apphost/reports-pg", 5432, "manifest"),
            ("mall-apphost/cache-commander", "mall-apphost/cache", 6379, "manifest"),
            ("mall-apphost/cache-ui", "mall-apphost/cache", 6379, "manifest"),
            # Mongo Express: each its own server
            ("mall-apphost/audit-mongoexpress", "mall-apphost/audit", 27017, "manifest"),
            ("mall-apphost/mongo-mongoexpress", "mall-apphost/mongo", 27017, "manifest"),
            ("mall-apphost/events-kafka-ui", "mall-apphost/events", 9093, "manifest"),
            # a database's connection is its server's (ordersdb: pg)
            ("mall-apphost/orders", "mall-apphost/pg", 5432, "env-read"),
            ("mall-apphost/orders", "mall-apphost/cache", 6379, "env-read"),
            ("mall-apphost/reports", "mall-apphost/reports-pg", 5432, "env-read"),
            ("mall-apphost/web", "mall-apphost/orders", 7100, "literal"),
            ("mall-apphost/web", "mall-apphost/reports", 5400, "manifest"),
            ("mall-apphost/web", "mall-apphost/worker", 5300, "manifest"),
            # WithReference(bus, connectionName: "messaging"), AddRabbitMQClient("messaging")
            ("mall-apphost/worker", "mall-apphost/bus", 5672, "env-read"),
            # WithReference(ai): the Ollama server's own port
            ("mall-apphost/worker", "mall-apphost/ai", 11434, "manifest"),
        },
    ),
    # one image, three commands: each module's calls are its own service's
    "shared-image": (
        {
            ("shared-image/api", "compose-service", (8000,)),
            ("shared-image/scheduler", "compose-service", (7000,)),
            ("shared-image/worker", "compose-service", ()),
        },
        {
            ("shared-image/api", "shared-image/scheduler", 7000, "literal"),
            ("shared-image/worker", "shared-image/api", 8000, "literal"),
        },
    ),
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_graph_of_each_repository(case: str) -> None:
    graph = _graph(case)
    nodes, edges = EXPECTED[case]
    assert _nodes(graph) == nodes
    assert _edges(graph) == edges
    assert graph.unresolved == ()


def test_config_server_file_is_evidence_of_the_service_it_names() -> None:
    graph = _graph("maven")
    edge = next(e for e in graph.edges if e.target == "code/statistics-service")
    files = sorted(
        (Path(ev.location.file).name, ev.location.line, ev.kind.value) for ev in edge.evidence
    )
    assert files == [
        ("AccountApplication.java", 11, "literal"),
        ("account-service.yml", 4, "config"),
        ("application.yml", 6, "config"),
    ]


def test_a_library_url_is_no_call() -> None:
    """common/ is no unit (no main): its constant is nobody's call."""
    graph = _graph("maven")
    assert not any("Money.java" in ev.location.file for e in graph.edges for ev in e.evidence)


def test_apphost_env_is_read_in_a_shared_library_by_each_service() -> None:
    graph = _graph("aspire-endpoints")
    auth = UNITS / "aspire-endpoints" / "Shared.Defaults" / "Auth.cs"
    reads = {
        (e.source, e.port, str(ev.location))
        for e in graph.edges
        for ev in e.evidence
        if ev.kind.value == "env-read" and e.target == "store-apphost/web"
    }
    assert reads == {
        ("store-apphost/basket-api", 7298, f"{auth}:9:29"),
        ("store-apphost/orders-api", 5045, f"{auth}:9:29"),
    }


def test_apphost_env_without_code_is_kept_but_never_a_call_to_itself() -> None:
    inventory = load_paths([str(UNITS / "aspire-endpoints")])
    graph = discover(inventory, code=False)
    assert {(e.source, e.target, e.port) for e in graph.edges if e.target.endswith("/web")} == {
        ("store-apphost/basket-api", "store-apphost/web", 7298),
        ("store-apphost/bff", "store-apphost/web", 7443),
        ("store-apphost/orders-api", "store-apphost/web", 5045),
        ("store-apphost/orders-api", "store-apphost/web", 7443),  # Unread__Url: no code
    }


def test_code_alone_reads_what_the_apphost_references_give() -> None:
    """Code only: the AppHost still says what runs and what env each resource gets
    (``ConnectionStrings__<name>``), as a manifest's env does; the calls are the code's reads
    (AddRedisClient, AddNpgsqlDataSource), its service-discovery URLs and its config keys;
    YARP routes are proxy configuration in a file, as an nginx.conf is. A reference no code
    reads (web → cache) is the AppHost's alone."""
    graph = discover(load_paths([str(UNITS / "aspire-endpoints")]), manifests=False)
    assert _edges(graph) == {
        ("store-apphost/bff", "store-apphost/basket-api", 5221, "proxy"),
        ("store-apphost/bff", "store-apphost/orders-api", 6000, "proxy"),
        ("store-apphost/bff", "store-apphost/web", 7443, "proxy"),
        ("store-apphost/basket-api", "store-apphost/cache", 6379, "env-read"),
        ("store-apphost/basket-api", "store-apphost/web", 7298, "env-read"),
        ("store-apphost/orders-api", "store-apphost/pg", 5432, "env-read"),
        ("store-apphost/orders-api", "store-apphost/web", 5045, "env-read"),
        ("store-apphost/web", "store-apphost/basket-api", 5221, "literal"),
        ("store-apphost/web", "store-apphost/bus", 5672, "env-read"),
        ("store-apphost/web", "store-apphost/orders-api", 6000, "grpc"),
        ("store-apphost/web", "store-apphost/orders-api", 6100, "literal"),
    }


def test_admin_tools_are_the_apphosts_and_not_of_code_alone() -> None:
    """Aspire configures an admin tool with its servers' addresses, as it hands a reference
    over: without the AppHost's references only the code's own calls stay."""
    graph = discover(load_paths([str(UNITS / "aspire-tools")]), manifests=False)
    assert _edges(graph) == {
        ("mall-apphost/orders", "mall-apphost/pg", 5432, "env-read"),
        ("mall-apphost/orders", "mall-apphost/cache", 6379, "env-read"),
        ("mall-apphost/reports", "mall-apphost/reports-pg", 5432, "env-read"),
        ("mall-apphost/web", "mall-apphost/orders", 7100, "literal"),
        ("mall-apphost/worker", "mall-apphost/bus", 5672, "env-read"),
    }


def test_admin_tool_evidence_names_the_call_that_adds_it() -> None:
    graph = _graph("aspire-tools")
    edge = next(e for e in graph.edges if e.source == "mall-apphost/cache-ui")
    (evidence,) = edge.evidence
    program = UNITS / "aspire-tools" / "Mall.AppHost" / "Program.cs"
    assert str(evidence.location) == f"{program}:21:1"
    assert evidence.detail == "AppHost cache.WithRedisInsight(): cache-ui connects to cache"


def test_yarp_route_evidence_names_the_extension_method_line() -> None:
    graph = _graph("aspire-endpoints")
    edge = next(e for e in graph.edges if e.target == "store-apphost/web" and e.port == 7443)
    (evidence,) = edge.evidence
    extensions = UNITS / "aspire-endpoints" / "Store.AppHost" / "Extensions.cs"
    assert str(evidence.location) == f"{extensions}:11:1"
    assert evidence.detail == "AppHost YARP bff.AddRoute(webApp.GetEndpoint('admin'))"


def test_aspire_reference_evidence_names_the_apphost_line() -> None:
    graph = _graph("aspire")
    edge = next(e for e in graph.edges if e.target == "shop-apphost/postgres")
    (evidence,) = edge.evidence
    assert str(evidence.location) == f"{UNITS / 'aspire' / 'Shop.AppHost' / 'Program.cs'}:10:1"
    assert evidence.detail == "AppHost catalog-api.WithReference(catalogDb)"


def test_deployments_are_grouped_and_kubernetes_is_the_default() -> None:
    inventory = load_paths([str(UNITS / "variants")])
    assert [(d.name, d.kind, sorted(d.services)) for d in find_deployments(inventory)] == [
        ("k8s/base", "kubernetes", ["api", "web"]),
        ("k8s/istio", "kubernetes", ["api", "web"]),
        ("deploy/swarm/docker-stack.yml", "compose", ["api", "visualizer", "web"]),
        ("docker-compose.yml", "compose", ["api", "web"]),
    ]
    selection = select_deployment(inventory)
    assert selection.chosen is not None and selection.chosen.name == "k8s/base"
    assert [d.name for d in selection.left_out] == ["k8s/istio"]
    assert [d.name for d in selection.folded] == [
        "deploy/swarm/docker-stack.yml",
        "docker-compose.yml",
    ]


def test_default_deployment_has_one_copy_of_each_service() -> None:
    graph = _graph("variants")
    assert {n.id for n in graph.nodes} == {"shop/api", "shop/web", "swarm/visualizer"}
    assert _edges(graph) == {("shop/web", "shop/api", 9000, "env")}
    (edge,) = graph.edges
    assert sorted((Path(ev.location.file).name, ev.kind.value) for ev in edge.evidence) == [
        ("app.py", "env-read"),
        ("docker-compose.yml", "env"),
        ("docker-stack.yml", "env"),
        ("web.yaml", "env"),
    ]


@pytest.mark.parametrize(
    ("wanted", "nodes", "edges"),
    [
        ("k8s/istio", {"shop-mesh/api", "shop-mesh/web"}, set()),
        ("istio", {"shop-mesh/api", "shop-mesh/web"}, set()),
        (
            "docker-compose.yml",
            {"variants/api", "variants/web"},
            {("variants/web", "variants/api", 9000, "env")},
        ),
        (
            str(UNITS / "variants" / "deploy" / "swarm"),
            {"swarm/api", "swarm/web", "swarm/visualizer"},
            {("swarm/web", "swarm/api", 9000, "env")},
        ),
    ],
)
def test_a_named_deployment_is_mapped_alone(wanted: str, nodes: set[str], edges: set[Edge]) -> None:
    graph = _graph("variants", wanted)
    assert {n.id for n in graph.nodes} == nodes
    assert _edges(graph) == edges


def test_an_unknown_deployment_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as raised:
        _graph("variants", "prod")
    assert raised.value.diagnostics() == (
        "error: no deployment 'prod'; the input has: k8s/base (kubernetes), k8s/istio "
        "(kubernetes), deploy/swarm/docker-stack.yml (compose), docker-compose.yml (compose)"
    )


_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: NAME, namespace: shop}
spec:
  template:
    metadata: {labels: {app: NAME}}
    spec:
      containers: [{name: NAME, image: shop/NAME:1, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: NAME, namespace: shop}
spec:
  selector: {app: NAME}
  ports: [{port: 80, targetPort: 8080}]
"""


_POM = """\
<project><artifactId>orders-svc</artifactId><build><plugins><plugin>
<artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>
"""


def test_a_unit_joins_its_deployed_twin_and_an_undeployed_one_is_listed(tmp_path: Path) -> None:
    """A module named like a Deployment (by spring.application.name) is that workload: its
    code's calls are the workload's. A module no manifest runs is listed, not drawn."""
    _write(
        tmp_path,
        {
            "k8s/orders.yaml": _DEPLOYMENT.replace("NAME", "orders"),
            "k8s/payment.yaml": _DEPLOYMENT.replace("NAME", "payment"),
            "orders-svc/pom.xml": _POM,
            "orders-svc/src/main/resources/application.yml": (
                "spring.application.name: orders\npayment.url: http://payment\n"
            ),
            "payment/main.go": "package main\n\nfunc main() {}\n",
            "reports/manage.py": "print('django')\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {n.id for n in graph.nodes} == {"shop/orders", "shop/payment"}
    assert _edges(graph) == {("shop/orders", "shop/payment", 8080, "config")}
    assert [(u.source, str(u.location), u.reason) for u in graph.unresolved] == [
        (
            "code/reports",
            f"{tmp_path / 'reports' / 'manage.py'}:1:1",
            "python build unit 'reports' matches no workload of the deployment: not deployed, "
            "or deployed under another name ([code.owners] in socklock.toml maps its directory)",
        )
    ]


_VERSIONED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: NAME-VERSION, namespace: shop}
spec:
  template:
    metadata: {labels: {app: NAME, version: VERSION}}
    spec:
      containers: [{name: NAME, image: shop/NAME-VERSION:1, ports: [{containerPort: 8080}]}]
"""

_SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: NAME, namespace: shop}
spec:
  selector: {app: NAME}
  ports: [{port: 80, targetPort: 8080}]
"""


def test_a_unit_deployed_as_several_versions_is_each_of_them(tmp_path: Path) -> None:
    """One build unit ``reviews`` runs as ``reviews-v1`` and ``reviews-v2`` (one Service
    selects both): its code's calls are each version's. A unit whose name reaches several
    workloads not named after it (``cart`` → ``basket``, ``checkout``) is not guessed."""
    versions = "---\n".join(
        _VERSIONED.replace("NAME", "reviews").replace("VERSION", v) for v in ("v1", "v2")
    )
    both = _SERVICE.replace("NAME", "cart").replace("{app: cart}", "{tier: shop}")
    _write(
        tmp_path,
        {
            "k8s/reviews.yaml": versions + "---\n" + _SERVICE.replace("NAME", "reviews"),
            "k8s/ratings.yaml": _DEPLOYMENT.replace("NAME", "ratings"),
            "k8s/shop.yaml": "---\n".join(
                [
                    _DEPLOYMENT.replace("NAME", n).replace(
                        "{app: " + n + "}", f"{{app: {n}, tier: shop}}"
                    )
                    for n in ("basket", "checkout")
                ]
                + [both]
            ),
            "reviews/Dockerfile": 'FROM python:3.12\nCOPY app.py .\nCMD ["python", "app.py"]\n',
            "reviews/app.py": "import requests\nrequests.get('http://ratings:80/ratings')\n",
            "cart/Dockerfile": 'FROM python:3.12\nCOPY app.py .\nCMD ["python", "app.py"]\n',
            "cart/app.py": "import requests\nrequests.get('http://ratings:80/ratings')\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert _edges(graph) == {
        ("shop/reviews-v1", "shop/ratings", 8080, "literal"),
        ("shop/reviews-v2", "shop/ratings", 8080, "literal"),
    }
    assert [u.reason for u in graph.unresolved if u.source == "code/cart"] == [
        "dockerfile build unit 'cart' matches no workload of the deployment: not deployed, "
        "or deployed under another name ([code.owners] in socklock.toml maps its directory)"
    ]


def test_a_bare_service_name_resolves_to_its_workload_and_port() -> None:
    inventory = load_paths([str(UNITS / "maven")])
    assert service_named(inventory, "statistics-service") == Named(
        "code/statistics-service", 7000, "service name statistics-service → code/statistics-service"
    )
    assert service_named(inventory, "edge") == Named(
        "code/gateway", 4000, "service name edge → code/gateway"
    )
    assert service_named(inventory, "common") is None


def test_names_match_across_spellings(tmp_path: Path) -> None:
    """A Gradle project ``api-gateway`` is the compose service ``apigateway``."""
    _write(
        tmp_path,
        {
            "docker-compose.yml": (
                "services:\n  apigateway:\n    image: shop/gw\n    expose: ['8080']\n"
                "  users:\n    image: shop/users\n    expose: ['9000']\n"
            ),
            "api-gateway/build.gradle": "plugins { id 'org.springframework.boot' }\n",
            "api-gateway/src/main/resources/application.yml": "users.url: http://users:9000\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    project = tmp_path.name.lower().replace("_", "_")
    assert _edges(graph) == {(f"{project}/apigateway", f"{project}/users", 9000, "config")}
    assert graph.unresolved == ()


def test_a_stray_manifest_does_not_outrank_a_complete_compose_file(tmp_path: Path) -> None:
    services = "".join(f"  s{i}:\n    image: s{i}\n" for i in range(5))
    _write(
        tmp_path,
        {
            "docker-compose.yml": f"services:\n{services}",
            "k8s/s0.yaml": _DEPLOYMENT.replace("NAME", "s0"),
        },
    )
    selection = select_deployment(load_paths([str(tmp_path)]))
    assert selection.chosen is not None
    assert (selection.chosen.name, [d.name for d in selection.left_out]) == (
        "docker-compose.yml",
        ["k8s"],
    )


def test_copies_of_an_application_the_nearest_is_the_deployed_one(tmp_path: Path) -> None:
    """A repository holding chapters of one app: the copy beside the manifests is the
    workload; the other copies are listed, their calls are no one's."""
    main = 'package main\n\nimport "net/http"\n\nfunc main() { http.Get("http://CALLEE") }\n'
    _write(
        tmp_path,
        {
            "ch1/api/main.go": main.replace("CALLEE", "old"),
            "ch2/api/main.go": main.replace("CALLEE", "payment"),
            "ch2/k8s/api.yaml": _DEPLOYMENT.replace("NAME", "api"),
            "ch2/k8s/payment.yaml": _DEPLOYMENT.replace("NAME", "payment"),
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert _edges(graph) == {("shop/api", "shop/payment", 8080, "literal")}
    assert [(u.source, u.expression) for u in graph.unresolved] == [("code/ch1-api", "ch1-api")]


def test_a_variant_below_a_left_out_directory_keeps_its_objects(tmp_path: Path) -> None:
    """``k8s/`` (two workloads) and ``k8s/mesh/`` (the same two and a third) are variants;
    the larger one is chosen and keeps its objects although ``k8s/`` holds it."""
    _write(
        tmp_path,
        {
            "k8s/api.yaml": _DEPLOYMENT.replace("NAME", "api"),
            "k8s/web.yaml": _DEPLOYMENT.replace("NAME", "web"),
            "k8s/mesh/all.yaml": "---\n".join(
                _DEPLOYMENT.replace("NAME", n) for n in ("api", "web", "proxy")
            ),
        },
    )
    selection = select_deployment(load_paths([str(tmp_path)]))
    assert selection.chosen is not None
    assert (selection.chosen.name, [d.name for d in selection.left_out]) == ("k8s/mesh", ["k8s"])
    kept = sorted(
        (w.name, Path(w.location.file).parent.name) for w in selection.inventory.workloads
    )
    assert kept == [("api", "mesh"), ("proxy", "mesh"), ("web", "mesh")]
    assert sorted(s.obj.name for s in selection.inventory.services) == ["api", "proxy", "web"]


def test_of_the_workloads_sharing_a_units_image_the_one_running_its_default_is_the_unit(
    tmp_path: Path,
) -> None:
    """``store`` and ``store-bot`` run the image ``shop/store-web``; the bot overrides the
    command to run its own program. The unit named like the image (``store-web``) is
    ``store``'s code; the bot's program (its own main package) is the bot's."""
    store = _DEPLOYMENT.replace("NAME", "store").replace("shop/store:1", "shop/store-web:1")
    bot = _DEPLOYMENT.replace("NAME", "store-bot").replace(
        "image: shop/store-bot:1", "image: shop/store-web:1, command: [store-bot]"
    )
    _write(
        tmp_path,
        {
            "k8s/store.yaml": store,
            "k8s/bot.yaml": bot,
            "k8s/ratings.yaml": _DEPLOYMENT.replace("NAME", "ratings"),
            "store-web/go.mod": "module example.com/store-web\n\ngo 1.22\n",
            "store-web/main.go": (
                'package main\n\nimport "net/http"\n\n'
                'func main() { http.Get("http://ratings:80/r") }\n'
            ),
            "store-web/cmd/store-bot/main.go": (
                'package main\n\nimport "net/http"\n\n'
                'func main() { http.Get("http://store:80/") }\n'
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    assert _edges(graph) == {
        ("shop/store", "shop/ratings", 8080, "literal"),
        ("shop/store-bot", "shop/store", 8080, "literal"),
    }


def test_copies_of_one_compose_build_each_run_its_code(tmp_path: Path) -> None:
    """``web1`` and ``web2`` build the same ``./web`` and run its default command (two
    copies behind a load balancer): the code's calls are each copy's. ``jobs`` builds it
    too but runs another command: the base code is not its."""
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                "  redis: {image: redis}\n"
                "  web1: {build: ./web}\n"
                "  web2: {build: ./web}\n"
                "  jobs: {build: ./web, command: [python, jobs.py]}\n"
            ),
            "web/Dockerfile": 'FROM python:3.12\nCOPY . .\nCMD ["python", "app.py"]\n',
            "web/app.py": "import redis\nredis.Redis(host='redis', port=6379)\n",
            "web/jobs.py": "print('no calls')\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    project = tmp_path.name
    assert _edges(graph) == {
        (f"{project}/web1", f"{project}/redis", 6379, "literal"),
        (f"{project}/web2", f"{project}/redis", 6379, "literal"),
    }


def test_services_of_one_build_each_running_a_command_of_its_own_each_run_its_code(
    tmp_path: Path,
) -> None:
    """``server`` and ``worker`` build ``.`` and each gives its own command to the image's
    entry point script (``dev_server``, ``dev_worker``): which code each command runs is
    not known, so the code's calls are each one's, never the last one's alone."""
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                "  redis: {image: redis}\n"
                "  server: {build: ., command: dev_server, environment: [REDIS_HOST=redis]}\n"
                "  worker: {build: ., command: dev_worker, environment: [REDIS_HOST=redis]}\n"
            ),
            "Dockerfile": 'FROM python:3.12\nCOPY . .\nENTRYPOINT ["/app/bin/entrypoint"]\n',
            "app/settings.py": "import os\nREDIS = os.environ.get('REDIS_HOST', 'localhost')\n",
            "app/queue.py": (
                "import redis\nfrom app.settings import REDIS\nredis.Redis(host=REDIS)\n"
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    project = tmp_path.name
    assert {(s, t, p) for s, t, p, _ in _edges(graph)} == {
        (f"{project}/server", f"{project}/redis", 6379),
        (f"{project}/worker", f"{project}/redis", 6379),
    }


def test_a_unit_matches_by_its_containers_name_or_by_its_name_less_a_language_word(
    tmp_path: Path,
) -> None:
    """``php-redis/`` builds the ``frontend`` Deployment's container ``php-redis``;
    ``guestbook-go/`` is the ``guestbook`` Deployment (the unit adds a language word). A
    container name is not a DNS name: a call to ``php-redis`` reaches nothing."""
    frontend = _DEPLOYMENT.replace("NAME", "frontend").replace(
        "containers: [{name: frontend,", "containers: [{name: php-redis,"
    )
    _write(
        tmp_path,
        {
            "k8s/frontend.yaml": frontend,
            "k8s/guestbook.yaml": _DEPLOYMENT.replace("NAME", "guestbook"),
            "k8s/redis.yaml": _DEPLOYMENT.replace("NAME", "redis"),
            "php-redis/Dockerfile": "FROM php:8-apache\nCOPY index.php /var/www/html/\n",
            "php-redis/index.php": (
                "<?php\n$c = new Predis\\Client(['host' => 'redis', 'port' => 80]);\n"
            ),
            "guestbook-go/go.mod": "module example.com/guestbook\n\ngo 1.22\n",
            "guestbook-go/main.go": (
                'package main\n\nimport "net/http"\n\n'
                'func main() {\n\thttp.Get("http://redis:80/")\n\thttp.Get("http://php-redis:80/")\n}\n'
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert _edges(graph) == {
        ("shop/frontend", "shop/redis", 8080, "literal"),
        ("shop/guestbook", "shop/redis", 8080, "literal"),
    }


def test_a_deployment_that_is_one_file_in_a_variant_directory_keeps_its_objects(
    tmp_path: Path,
) -> None:
    """``all-in-one/app.yaml`` chosen while the top directory (another variant holding
    the same services) and ``all-in-one/orders.yaml`` (an alternative file beside it) are
    left out: the chosen file's objects are the deployment."""
    both = _DEPLOYMENT.replace("NAME", "orders") + "---\n" + _DEPLOYMENT.replace("NAME", "payment")
    _write(
        tmp_path,
        {
            "orders.yaml": _DEPLOYMENT.replace("NAME", "orders"),
            "payment.yaml": _DEPLOYMENT.replace("NAME", "payment"),
            "all-in-one/app.yaml": both,
            "all-in-one/orders.yaml": _DEPLOYMENT.replace("NAME", "orders"),
        },
    )
    graph = discover(load_paths([str(tmp_path)]), deployment="all-in-one/app.yaml")
    assert sorted(n.id for n in graph.nodes) == ["shop/orders", "shop/payment"]
    assert {n.location.file for n in graph.nodes if n.location} == {
        str(tmp_path / "all-in-one" / "app.yaml")
    }


_PORTS = "ports: [{containerPort: 8080}]"
_ENV = ", env: [{name: PG_HOST, value: postgres}, {name: AUDIT_HOST, value: audit}]"


def test_units_match_workloads_by_their_cores_and_crates_run_in_each_binary(
    tmp_path: Path,
) -> None:
    """``product-catalog-api`` (a Cargo binary) is the ``productcatalogapp`` Deployment and
    ``inventory-api`` the ``inventoryapp`` one: each name less its trailing program word.
    Both binaries build in the ``common`` crate they depend on by path: its env read is a
    read of each, so each one's ``PG_HOST`` is its call and ``AUDIT_HOST``, which no code
    reads, is not. ``ordersvc`` matches nothing: two
    workloads (``orders`` and ``ordersapi``) share its core."""
    _write(
        tmp_path,
        {
            "k8s/productcatalogapp.yaml": _DEPLOYMENT.replace("NAME", "productcatalogapp").replace(
                _PORTS, _PORTS + _ENV
            ),
            "k8s/inventoryapp.yaml": _DEPLOYMENT.replace("NAME", "inventoryapp").replace(
                _PORTS, _PORTS + _ENV
            ),
            "k8s/postgres.yaml": _DEPLOYMENT.replace("NAME", "postgres"),
            "k8s/audit.yaml": _DEPLOYMENT.replace("NAME", "audit"),
            "k8s/orders.yaml": _DEPLOYMENT.replace("NAME", "orders"),
            "k8s/ordersapi.yaml": _DEPLOYMENT.replace("NAME", "ordersapi"),
            "rust/Cargo.toml": (
                '[package]\nname = "store"\nversion = "0.1.0"\n\n'
                '[[bin]]\nname = "inventory-api"\npath = "src/inventory.rs"\n\n'
                '[[bin]]\nname = "product-catalog-api"\npath = "src/catalog.rs"\n\n'
                '[dependencies]\ncommon = { path = "crates/common" }\n'
            ),
            "rust/src/inventory.rs": "fn main() { common::serve(); }\n",
            "rust/src/catalog.rs": "fn main() { common::serve(); }\n",
            "rust/crates/common/Cargo.toml": '[package]\nname = "common"\nversion = "0.1.0"\n',
            "rust/crates/common/src/lib.rs": (
                "use clap::Parser;\n#[derive(Parser)]\npub struct Db {\n"
                '    #[clap(default_value = "127.0.0.1", env)]\n    pub pg_host: String,\n}\n'
            ),
            "ordersvc/go.mod": "module example.com/ordersvc\n\ngo 1.22\n",
            "ordersvc/main.go": (
                'package main\n\nimport "net/http"\n\n'
                'func main() { http.Get("http://postgres:8080/") }\n'
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert _edges(graph) == {
        ("shop/inventoryapp", "shop/postgres", 8080, "env"),
        ("shop/productcatalogapp", "shop/postgres", 8080, "env"),
    }


def test_a_crate_built_in_is_its_library_and_what_that_library_names(tmp_path: Path) -> None:
    """``gateway`` depends on the ``orders`` crate for its client: only that crate's library
    (``src/lib.rs`` and its modules) is built into the gateway, not its ``main.rs``, and the
    ``storage`` crate only ``orders``' binary uses is not built in either. So PG_HOST, which
    ``storage`` reads, is a call of ``orders`` alone; AUDIT_HOST, read by the ``audit-log``
    crate that the library names (``audit_log::``), is a call of both."""
    cargo = '[package]\nname = "NAME"\nversion = "0.1.0"\n'
    _write(
        tmp_path,
        {
            "k8s/gateway.yaml": _DEPLOYMENT.replace("NAME", "gateway").replace(
                _PORTS, _PORTS + _ENV
            ),
            "k8s/orders.yaml": _DEPLOYMENT.replace("NAME", "orders").replace(_PORTS, _PORTS + _ENV),
            "k8s/postgres.yaml": _DEPLOYMENT.replace("NAME", "postgres"),
            "k8s/audit.yaml": _DEPLOYMENT.replace("NAME", "audit"),
            "gateway/Cargo.toml": cargo.replace("NAME", "gateway")
            + '[dependencies]\norders = { path = "../orders" }\n',
            "gateway/src/main.rs": "fn main() { orders::client::connect(); }\n",
            "orders/Cargo.toml": cargo.replace("NAME", "orders")
            + '[dependencies]\nstorage = { path = "../storage" }\n'
            + 'audit-log = { path = "../audit" }\n',
            "orders/src/lib.rs": "pub mod client;\n",
            "orders/src/client.rs": "pub fn connect() { audit_log::record(); }\n",
            "orders/src/main.rs": "fn main() { storage::open(); }\n",
            "storage/Cargo.toml": cargo.replace("NAME", "storage"),
            "storage/src/lib.rs": 'pub fn open() { std::env::var("PG_HOST").unwrap(); }\n',
            "audit/Cargo.toml": cargo.replace("NAME", "audit-log"),
            "audit/src/lib.rs": 'pub fn record() { std::env::var("AUDIT_HOST").unwrap(); }\n',
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert _edges(graph) == {
        ("shop/gateway", "shop/audit", 8080, "env"),
        ("shop/orders", "shop/audit", 8080, "env"),
        ("shop/orders", "shop/postgres", 8080, "env"),
    }


def test_a_service_name_reaches_the_unit_whose_name_less_a_program_word_is_its_own(
    tmp_path: Path,
) -> None:
    """No deployment file: the units are the workloads. The Dapr app-id ``go-app`` (its
    cloud deployment's name) reaches the unit in ``go-service/``: both are ``go`` less a
    program word. ``shop-app`` reaches nothing: ``shop-api`` and ``shop-svc`` leave two
    candidates."""
    _write(
        tmp_path,
        {
            "go-service/go.mod": "module example.com/inventory-mux\n\ngo 1.22\n",
            "go-service/main.go": (
                'package main\n\nimport "net/http"\n\n'
                'func main() { http.ListenAndServe(":8050", nil) }\n'
            ),
            "go-service/Dockerfile": "FROM golang:1.22\nEXPOSE 8050\n",
            "node-service/package.json": (
                '{"name": "node-service", "scripts": {"start": "node app.js"}}\n'
            ),
            "node-service/app.js": (
                "const axios = require('axios');\n"
                "axios.get('http://localhost:3500/stock', {headers: {'dapr-app-id': 'go-app'}});\n"
                "axios.get('http://localhost:3500/x', {headers: {'dapr-app-id': 'shop-app'}});\n"
            ),
            "shop-api/package.json": '{"name": "shop-api", "scripts": {"start": "node a.js"}}\n',
            "shop-api/a.js": "console.log('api');\n",
            "shop-svc/package.json": '{"name": "shop-svc", "scripts": {"start": "node w.js"}}\n',
            "shop-svc/w.js": "console.log('svc');\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {(s, t, p) for s, t, p, _ in _edges(graph)} == {
        ("code/node-service", "code/inventory-mux", 8050)
    }


def test_a_left_out_compose_file_still_says_which_directory_builds_an_image(
    tmp_path: Path,
) -> None:
    """The Kubernetes file is chosen; the compose file beside it is left out, but its
    ``build: ./vote`` + ``image: shop/vote-front:1`` says the code in ``vote/`` is the
    image the ``front`` Deployment runs: the code's call is ``front``'s."""
    front = _DEPLOYMENT.replace("NAME", "front").replace(
        "image: shop/front:1", "image: shop/vote-front:1"
    )
    _write(
        tmp_path,
        {
            "k8s.yaml": front + "---\n" + _DEPLOYMENT.replace("NAME", "back"),
            "docker-compose.yml": (
                "services:\n"
                "  vote-front: {build: ./vote, image: 'shop/vote-front:1'}\n"
                "  back: {image: 'shop/back:1'}\n"
            ),
            "vote/Dockerfile": "FROM python:3.12\nCOPY app.py .\n",
            "vote/app.py": "import requests\nrequests.get('http://back/votes')\n",
        },
    )
    graph = discover(load_paths([str(tmp_path)]), deployment=str(tmp_path / "k8s.yaml"))
    assert _edges(graph) == {("shop/front", "shop/back", 8080, "literal")}
