"""Dapr app-ids: the workload each names and the port its sidecar forwards to."""

from __future__ import annotations

from pathlib import Path

from socklock.discover.dapr import dapr_apps
from socklock.load import load_paths

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: basket, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: basket}
      annotations: {dapr.io/enabled: "true", dapr.io/app-id: Basket-API, dapr.io/app-port: "80"}
    spec:
      containers:
      - {name: basket, image: shop/basket:1, ports: [{containerPort: 80}, {containerPort: 81}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: orders, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: orders}
      annotations: {dapr.io/app-id: orders-api}
    spec:
      containers:
      - {name: orders, image: shop/orders:1, ports: [{containerPort: 9000}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: shop/web:1, ports: [{containerPort: 8080}]}
"""


def test_app_ids_from_pod_annotations(tmp_path: Path) -> None:
    (tmp_path / "apps.yaml").write_text(DEPLOYMENT)
    found = dapr_apps(load_paths([str(tmp_path)]), {})
    assert {
        app_id: [(r.workload, r.port) for r in reached] for app_id, reached in found.items()
    } == {
        "basket-api": [("shop/basket", 80)],  # the app-port annotation, not the first port
        "orders-api": [("shop/orders", 9000)],  # no app-port: the one container port
    }


def test_app_ids_of_compose_daprd_sidecars(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text(
        "name: shop\n"
        "services:\n"
        "  basket: {image: shop/basket:1}\n"
        "  basket-dapr:\n"
        "    image: daprio/daprd\n"
        "    command: ./daprd --app-id=basket-api --app-port 8080\n"
        '    network_mode: "service:basket"\n'
        "  placement:\n"
        "    image: daprio/dapr\n"
        "    command: ['./placement', '-port', '50000']\n"
    )
    found = dapr_apps(load_paths([str(tmp_path)]), {})
    assert {
        app_id: [(r.workload, r.port) for r in reached] for app_id, reached in found.items()
    } == {"basket-api": [("shop/basket", 8080)]}
