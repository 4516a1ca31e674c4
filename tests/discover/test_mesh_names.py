"""Service mesh DNS names (Kuma's ``.mesh``) and a host variable paired with its port
variable: each reaches the one Service port it names, never every port of the Service."""

from __future__ import annotations

import pytest

from socklock.discover import discover
from socklock.discover.names import MeshName, kuma_mesh_name
from socklock.load import load_paths


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("orders_shop_svc_8080.mesh", MeshName("orders", "shop", 8080)),
        ("Orders.Shop.svc.8080.mesh", MeshName("orders", "shop", 8080)),
        ("pay-api_my-ns_svc_80.mesh.", MeshName("pay-api", "my-ns", 80)),
        ("orders.mesh", None),
        ("orders_shop_svc_8080.mesh.example.com", None),
        ("orders.shop.svc.cluster.local", None),
        ("orders_shop_svc_http.mesh", None),
    ],
)
def test_kuma_mesh_name(host: str, expected: MeshName | None) -> None:
    assert kuma_mesh_name(host) == expected


_MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: web:1
        args: ["-P", "http://api_shop_svc_3001.mesh"]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: api:1
        env:
        - {name: DB_HOST, value: db.shop.svc.5432.mesh}
        - {name: DB_PORT, value: "80"}
        - {name: CACHE_HOST, value: cache_other_svc_6379.mesh}
        - {name: AUTH_GRPC_ENDPOINT, value: auth}
        - {name: AUTH_GRPC_PORT, value: "3030"}
        - {name: BILLING_ENDPOINT, value: billing}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "postgres:16"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: auth, namespace: shop}
spec:
  template:
    metadata: {labels: {app: auth}}
    spec:
      containers: [{name: auth, image: "auth:1"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: billing, namespace: shop}
spec:
  template:
    metadata: {labels: {app: billing}}
    spec:
      containers: [{name: billing, image: "billing:1"}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{port: 3001, targetPort: 3001}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  selector: {app: db}
  ports: [{port: 5432, targetPort: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: auth, namespace: shop}
spec:
  selector: {app: auth}
  ports: [{port: 9003, targetPort: 3000}, {port: 3030, targetPort: 3030}]
---
apiVersion: v1
kind: Service
metadata: {name: billing, namespace: shop}
spec:
  selector: {app: billing}
  ports: [{port: 80, targetPort: 8080}, {port: 9090, targetPort: 9090}]
"""


def test_mesh_names_and_port_variables_reach_one_service_port(write) -> None:  # type: ignore[no-untyped-def]
    graph = discover(load_paths([str(write("app.yaml", _MANIFEST))]), code=False)
    assert sorted((e.source, e.target, e.port) for e in graph.edges) == [
        ("shop/api", "shop/auth", 3030),  # AUTH_GRPC_PORT, not the REST port 9003 → 3000
        ("shop/api", "shop/billing", 8080),  # no port variable: every port, as before
        ("shop/api", "shop/billing", 9090),
        ("shop/api", "shop/db", 5432),  # the mesh name's port, not DB_PORT's 80
        ("shop/web", "shop/api", 3001),  # the args of http-server -P
    ]
    web = next(e for e in graph.edges if e.source == "shop/web")
    assert web.evidence[0].detail == (
        "args of container web: http://api_shop_svc_3001.mesh "
        "(Kuma mesh name api_shop_svc_3001.mesh: Service shop/api port 3001)"
    )
    # a mesh name of a namespace the input does not hold is not a call into this one
    assert [(u.expression, u.reason) for u in graph.unresolved] == [
        ("cache_other_svc_6379.mesh", "no Service 'cache' in namespace 'other'")
    ]
