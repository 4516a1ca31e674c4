"""The graph from manifests: the demo shop edge by edge, and the real sock shop's manifests."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DEMO_EDGES, DEMO_SHOP

from socklock.discover import discover
from socklock.load import load_paths

NS = "sock-shop"


def _edges(paths: list[Path]) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(p) for p in paths]), code=False)
    assert all(e.protocol == "TCP" for e in graph.edges)
    return {(e.source, e.target, e.port) for e in graph.edges}


def _qualified(edges: set[tuple[str, str, int]], ns: str) -> set[tuple[str, str, int]]:
    return {(f"{ns}/{a}", f"{ns}/{b}", port) for a, b, port in edges}


def test_demo_shop_kubernetes_edges() -> None:
    assert _edges([DEMO_SHOP / "kubernetes"]) == _qualified(DEMO_EDGES, NS)


def test_demo_shop_compose_edges() -> None:
    assert _edges([DEMO_SHOP / "docker-compose.yml"]) == _qualified(DEMO_EDGES, "sockshop")


def test_demo_shop_both_merge_into_kubernetes_workloads() -> None:
    graph = discover(load_paths([str(DEMO_SHOP)]), code=False)
    assert {(e.source, e.target, e.port) for e in graph.edges} == _qualified(DEMO_EDGES, NS)
    assert [(p.workload, p.port, p.protocol) for p in graph.entry_points] == [
        (f"{NS}/front-end", 8080, "TCP")
    ]
    assert graph.unresolved == ()
    edge = next(e for e in graph.edges if e.target == f"{NS}/catalogue")
    kinds = sorted((ev.kind.value, Path(ev.location.file).name) for ev in edge.evidence)
    assert kinds == [
        ("depends_on", "docker-compose.yml"),
        ("env", "docker-compose.yml"),
        ("env", "front-end.yaml"),
    ]
    k8s = next(ev for ev in edge.evidence if ev.location.file.endswith("front-end.yaml"))
    assert k8s.detail == (
        "env CATALOGUE_URL=http://catalogue "
        "(Service sock-shop/catalogue port 80 → targetPort http (8080))"
    )
    assert k8s.location.line > 0
    amqp = next(e for e in graph.edges if e.source == f"{NS}/queue-master")
    assert any("ConfigMap" in ev.detail and "guest:***@" in ev.detail for ev in amqp.evidence)


def test_external_and_unresolved_hosts(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "app.yaml",
        """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: pay, namespace: shop}
spec:
  template:
    metadata: {labels: {app: pay}}
    spec:
      containers:
      - name: pay
        image: pay:1
        env:
        - {name: STRIPE_URL, value: "https://api.stripe.com/v1"}
        - {name: ZIPKIN_HOST, value: zipkin}
        - {name: CACHE, value: "cache:6379"}
        - {name: SELF, value: "http://localhost:8080"}
---
apiVersion: v1
kind: Service
metadata: {name: cache, namespace: shop}
spec:
  selector: {app: cache}
  ports: [{port: 6380, targetPort: 6379}]
""",
    )
    graph = discover(load_paths([str(path)]), code=False)
    assert [(e.source, e.target, e.port) for e in graph.edges] == [
        ("shop/pay", "external:api.stripe.com", 443)
    ]
    assert [(u.expression, u.reason, u.location.line) for u in graph.unresolved] == [
        ("zipkin", "no Service 'zipkin' in namespace 'shop'", 13),
        ("cache:6379", "Service shop/cache has no TCP port 6379 (its ports: 6380)", 14),
    ]


def test_named_target_port_differs_per_workload(write) -> None:  # type: ignore[no-untyped-def]
    template = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  template:
    metadata: {{labels: {{app: api, track: {name}}}}}
    spec:
      containers:
      - name: c
        image: i
        ports: [{{name: web, containerPort: {port}}}]
"""
    path = write(
        "w.yaml",
        "---\n".join(
            [
                template.format(name="stable", port=8080),
                template.format(name="canary", port=9090),
                """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: client}
spec:
  template:
    metadata: {labels: {app: client}}
    spec:
      containers: [{name: c, image: i, env: [{name: API_URL, value: "http://api"}]}]
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: web}]
""",
            ]
        ),
    )
    assert _edges([path]) == {
        ("default/client", "default/canary", 9090),
        ("default/client", "default/stable", 8080),
    }


def test_real_sock_shop_manifests(corpus: Path) -> None:
    graph = discover(load_paths([str(corpus / "manifests")]), code=False)
    # The original sock shop names most peers in code, not env: only user → user-db is in env.
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("sock-shop/user", "sock-shop/user-db", 27017)
    }
    assert [(p.workload, p.port) for p in graph.entry_points] == [("sock-shop/front-end", 8079)]


def test_compose_call_to_a_compose_only_service_stays_in_compose(write) -> None:  # type: ignore[no-untyped-def]
    write(
        "k8s/carts.yaml",
        """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: carts, namespace: shop}
spec:
  template:
    metadata: {labels: {app: carts}}
    spec:
      containers: [{name: carts, image: carts:1, ports: [{containerPort: 80}]}]
""",
    )
    compose = write(
        "carts/docker-compose-zipkin.yml",
        """\
services:
  carts:
    image: carts:1
    environment: ["ZIPKIN=http://zipkin:9411/api/v1/spans"]
  zipkin:
    image: openzipkin/zipkin
    expose: ["9411"]
""",
    )
    graph = discover(load_paths([str(compose.parent.parent)]), code=False)
    assert [(e.source, e.target, e.port) for e in graph.edges] == [
        ("carts/carts", "carts/zipkin", 9411)
    ]
    assert {n.id for n in graph.nodes} == {"shop/carts", "carts/carts", "carts/zipkin"}


def test_compose_ports_do_not_expose_a_kubernetes_workload(write) -> None:  # type: ignore[no-untyped-def]
    write(
        "k8s/api.yaml",
        """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: api:1, ports: [{containerPort: 80}]}]
""",
    )
    write("api/docker-compose.yml", 'services:\n  api:\n    image: api:1\n    ports: ["80:80"]\n')
    write("tools/docker-compose.yml", 'services:\n  admin:\n    image: a:1\n    ports: ["9:90"]\n')
    graph = discover(load_paths([str(Path(write("x.txt", "")).parent)]), code=False)
    assert [(p.workload, p.port) for p in graph.entry_points] == [("tools/admin", 90)]


def test_a_compose_service_answers_to_its_hostname_and_container_name(write) -> None:  # type: ignore[no-untyped-def]
    """``hostname: carts`` on service ``cart``, ``container_name: orders-db``: peers given
    those names reach the service; a service's own name wins over another's hostname."""
    compose = write(
        "app/compose.yaml",
        """\
name: shop
services:
  web:
    image: web:1
    environment:
      - CARTS_URL=http://carts:8080
      - DB_URL=postgresql://orders-db/orders
      - SEARCH_URL=http://search:9200
  cart: {image: cart:1, hostname: carts, expose: ["8080"]}
  orders-postgres: {image: postgres:16, container_name: orders-db, expose: ["5432"]}
  search: {image: search:1, expose: ["9200"]}
  decoy: {image: decoy:1, hostname: search, expose: ["9300"]}
""",
    )
    graph = discover(load_paths([str(compose)]), code=False)
    assert [(e.source, e.target, e.port) for e in graph.edges] == [
        ("shop/web", "shop/cart", 8080),
        ("shop/web", "shop/orders-postgres", 5432),
        ("shop/web", "shop/search", 9200),
    ]


def test_a_bare_host_reaches_a_server_image_on_its_protocol_port(write) -> None:  # type: ignore[no-untyped-def]
    """``WORDPRESS_DB_HOST=db``: ``db`` runs mariadb and exposes 3306 and 33060 (the X
    protocol); a client naming only the host dials 3306. ``cache`` runs an image of our own
    exposing two ports: which one is not known."""
    compose = write(
        "app/compose.yaml",
        """\
name: blog
services:
  wordpress:
    image: wordpress:6
    environment:
      - WORDPRESS_DB_HOST=db
      - CACHE_HOST=cache
  db: {image: "mariadb:10.6", expose: ["3306", "33060"]}
  cache: {image: "blog/cache:1", expose: ["7000", "7001"]}
""",
    )
    graph = discover(load_paths([str(compose)]), code=False)
    assert [(e.source, e.target, e.port) for e in graph.edges] == [
        ("blog/wordpress", "blog/cache", None),
        ("blog/wordpress", "blog/db", 3306),
    ]


def test_a_bare_host_reaches_a_server_image_that_declares_no_port(write) -> None:  # type: ignore[no-untyped-def]
    """``DB_HOST=postgres`` where ``postgres`` runs ``postgres:16`` with no ``ports:`` or
    ``expose:``: the image listens on its protocol's port. An image of our own that
    declares no port stays unknown."""
    compose = write(
        "app/compose.yaml",
        """\
name: inventory
services:
  web:
    image: inventory/web:1
    environment: [DB_HOST=postgres, SEARCH_HOST=search]
  postgres: {image: "docker.io/library/postgres:16-alpine"}
  search: {image: "inventory/search:1"}
""",
    )
    graph = discover(load_paths([str(compose)]), code=False)
    assert [(e.source, e.target, e.port) for e in graph.edges] == [
        ("inventory/web", "inventory/postgres", 5432),
        ("inventory/web", "inventory/search", None),
    ]


def test_an_env_file_missing_from_the_clone_is_read_from_its_template(write) -> None:  # type: ignore[no-untyped-def]
    """``env_file: .env`` that the repository does not commit, ``.env.example`` beside it:
    the service's environment is the template's, so its DATABASE_URL is a call."""
    compose = write(
        "app/compose.yaml",
        "name: shop\nservices:\n"
        "  api: {image: shop/api:1, env_file: .env}\n"
        "  db: {image: postgres:16}\n",
    )
    write("app/.env.example", "DATABASE_URL=postgresql://app:secret@db:5432/app\n")
    graph = discover(load_paths([str(compose)]), code=False)
    assert [(e.source, e.target, e.port) for e in graph.edges] == [("shop/api", "shop/db", 5432)]


_ASSETS = """\
apiVersion: apps/v1
kind: {kind}
metadata: {{name: {name}}}
spec:
  template:
    metadata: {{labels: {{app: assets}}}}
    spec:
      containers: [{{name: c, image: assets, ports: [{{containerPort: 3000}}]}}]
---
"""
_EDGE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: edge}
spec:
  template:
    metadata: {labels: {app: edge}}
    spec:
      containers: [{name: c, image: i, env: [{name: ASSETS_URL, value: "http://assets"}]}]
---
apiVersion: v1
kind: Service
metadata: {name: assets}
spec:
  selector: {app: assets}
  ports: [{port: 80, targetPort: 3000}]
"""


def test_a_job_sharing_its_apps_labels_is_not_reached_through_the_service(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "w.yaml",
        _ASSETS.format(kind="Deployment", name="assets")
        + _ASSETS.format(kind="Job", name="assets-upload")
        + _EDGE,
    )
    assert _edges([path]) == {("default/edge", "default/assets", 3000)}


def test_a_service_selecting_only_a_job_still_reaches_it(write) -> None:  # type: ignore[no-untyped-def]
    path = write("w.yaml", _ASSETS.format(kind="Job", name="assets-upload") + _EDGE)
    assert _edges([path]) == {("default/edge", "default/assets-upload", 3000)}


def test_a_service_without_a_namespace_answers_the_namespace_its_caller_names(
    tmp_path: Path,
) -> None:
    """Manifests written for ``kubectl apply -n stage``: the address says the namespace."""
    path = tmp_path / "app.yaml"
    path.write_text(
        """\
apiVersion: v1
kind: Namespace
metadata: {name: stage}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: front}
spec:
  template:
    metadata: {labels: {app: front}}
    spec:
      containers:
      - name: front
        image: front:1
        env:
        - {name: LEDGER_URL, value: "http://ledger.stage.svc.cluster.local:9000/x"}
        - {name: LEDGER_SHORT, value: "ledger.stage:9000"}
        - {name: QUEUE, value: "ledger.entries"}
        - {name: TAX_URL, value: "http://tax.stage:7000"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger}
spec:
  template:
    metadata: {labels: {app: ledger}}
    spec:
      containers: [{name: ledger, image: ledger:1, ports: [{containerPort: 9000}]}]
---
apiVersion: v1
kind: Service
metadata: {name: ledger}
spec:
  selector: {app: ledger}
  ports: [{port: 9000}]
---
apiVersion: v1
kind: Service
metadata: {name: tax, namespace: other}
spec:
  selector: {app: tax}
  ports: [{port: 7000}]
""",
    )
    graph = discover(load_paths([str(path)]), code=False)
    assert sorted((e.source, e.target, e.port) for e in graph.edges) == [
        ("default/front", "default/ledger", 9000)
    ]
    assert sorted(u.reason for u in graph.unresolved) == ["no Service 'tax' in namespace 'stage'"]
