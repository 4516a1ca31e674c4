"""Which workload serves an Ingress or a Gateway, and Traefik labels: small inputs, exact edges."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

BACKEND = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop, namespace: web}
spec:
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers: [{name: shop, image: shop:1, ports: [{containerPort: 3000}]}]
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: web}
spec:
  selector: {app: shop}
  ports: [{name: http, port: 80, targetPort: 3000}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: web
  annotations: {kubernetes.io/ingress.class: nginx}
spec:
  defaultBackend:
    service: {name: shop, port: {name: http}}
"""


def _controller(name: str, image: str, args: str = "[]") -> str:
    return f"""\
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: edge}}
spec:
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{{name: c, image: "{image}", args: {args}}}]
"""


def _keys(tmp_path: Path, text: str) -> tuple[set[tuple[str, str, int | None]], set[str]]:
    (tmp_path / "all.yaml").write_text(text)
    graph = discover(load_paths([str(tmp_path)]))
    return {(e.source, e.target, e.port) for e in graph.edges}, {
        e.workload for e in graph.entry_points
    }


def test_known_controller_image_serves_the_class_named_by_annotation(tmp_path: Path) -> None:
    text = BACKEND + _controller("nginx", "registry.k8s.io/ingress-nginx/controller:v1.11")
    assert _keys(tmp_path, text) == ({("edge/nginx", "web/shop", 3000)}, set())


def test_a_controller_that_names_another_class_does_not_serve_it(tmp_path: Path) -> None:
    text = BACKEND + _controller(
        "internal", "registry.k8s.io/ingress-nginx/controller:v1.11", "[--ingress-class=internal]"
    )
    assert _keys(tmp_path, text) == (set(), {"web/shop"})


def test_gateway_pods_labelled_with_the_gateway_name(tmp_path: Path) -> None:
    text = (
        BACKEND.split("---\napiVersion: networking.k8s.io/v1")[0]
        + """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: edge}
spec: {gatewayClassName: istio}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: public-istio, namespace: edge}
spec:
  template:
    metadata: {labels: {gateway.networking.k8s.io/gateway-name: public}}
    spec:
      containers: [{name: istio-proxy, image: istio/proxyv2:1.23}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: web}
spec:
  parentRefs: [{name: public, namespace: edge}]
  rules:
  - backendRefs: [{name: shop, port: 80}, {name: shop, port: 81}, {kind: Bucket, name: x}]
"""
    )
    assert _keys(tmp_path, text) == ({("edge/public-istio", "web/shop", 3000)}, set())


def test_traefik_udp_label(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        """\
name: dns
services:
  proxy:
    image: docker.io/library/traefik:v3.1
  resolver:
    image: coredns:1
    labels:
      - traefik.udp.routers.dns.entrypoints=dns
      - traefik.udp.services.dns.loadbalancer.server.port=53
"""
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {e.key for e in graph.edges} == {("dns/proxy", "dns/resolver", 53, "UDP")}


def test_traefik_v1_labels_and_exposed_by_default_false(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        """\
name: conf
services:
  v1:
    image: traefik:v1.7
    command: --web --docker --docker.domain=docker.localhost
  v2:
    image: traefik:v2.11
    command: ["--providers.docker", "--providers.docker.exposedbydefault=false"]
  attendee:
    image: conf/attendee:1
    labels:
      - "traefik.frontend.rule=Host:conf.localhost;PathPrefix:/attendee"
      - "traefik.port=8080"
  rating:
    image: conf/rating:1
    expose: ["9000"]
    labels:
      traefik.enable: true
  db:
    image: postgres:16
"""
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert {e.key for e in graph.edges} == {
        # only v1 routes a service without traefik.enable=true
        ("conf/v1", "conf/attendee", 8080, "TCP"),
        ("conf/v1", "conf/rating", 9000, "TCP"),
        ("conf/v2", "conf/rating", 9000, "TCP"),
    }


def test_traefik_ingressroute_and_istio_virtualservice(tmp_path: Path) -> None:
    service = BACKEND.split("---\napiVersion: networking.k8s.io/v1")[0]
    text = (
        service
        + _controller("traefik", "traefik:v3.1", "[--providers.kubernetescrd]")
        + """\
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: shop, namespace: web}
spec:
  routes:
  - match: Host(`shop.example.com`)
    services: [{name: shop, port: http}, {name: shop-tsvc, kind: TraefikService}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  template:
    metadata: {labels: {istio: ingressgateway}}
    spec:
      containers: [{name: istio-proxy, image: istio/proxyv2:1.23}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: web}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: web}
spec:
  hosts: ["*"]
  gateways: [public]
  http:
  - route:
    - destination: {host: shop.web.svc.cluster.local, port: {number: 80}}
---
# sidecar routing only: not a proxy's call
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop-mesh, namespace: web}
spec:
  hosts: [shop]
  http:
  - route:
    - destination: {host: shop}
"""
    )
    assert _keys(tmp_path, text) == (
        {
            ("edge/traefik", "web/shop", 3000),
            ("istio-system/istio-ingressgateway", "web/shop", 3000),
        },
        set(),
    )


def test_traefik_file_provider_yaml_and_toml(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        """\
name: files
services:
  traefik:
    image: traefik:v3.1
    command: ["--providers.file.directory=/etc/traefik/dynamic"]
    volumes: ["./dynamic:/etc/traefik/dynamic:ro"]
  api:
    image: api:1
  blue:
    image: blue:1
  green:
    image: green:1
  db:
    image: postgres:16
  old:
    image: old:1
"""
    )
    (tmp_path / "dynamic").mkdir()
    (tmp_path / "dynamic" / "http.yml").write_text(
        """\
http:
  routers:
    api: {rule: "PathPrefix(`/api`)", service: api@file}
    site: {rule: "PathPrefix(`/`)", service: canary}
  services:
    api:
      loadBalancer:
        servers:
          - url: "http://api:8080"
    canary:
      weighted:
        services: [{name: blue, weight: 9}, {name: green, weight: 1}]
    blue:
      loadBalancer: {servers: [{url: "http://blue:3000/"}]}
    green:
      loadBalancer: {servers: [{url: "http://green:3000/"}]}
    retired:
      loadBalancer: {servers: [{url: "http://old:80/"}]}
"""
    )
    (tmp_path / "dynamic" / "tcp.toml").write_text(
        """\
[tcp.routers.pg]
  rule = "HostSNI(`*`)"
  service = "pg"

[[tcp.services.pg.loadBalancer.servers]]
  address = "db:5432"
"""
    )
    graph = discover(load_paths([str(tmp_path)]))
    dynamic = tmp_path / "dynamic"
    assert {
        (e.source, e.target, e.port, str(v.location)) for e in graph.edges for v in e.evidence
    } == {
        ("files/traefik", "files/api", 8080, f"{dynamic / 'http.yml'}:9:13"),
        ("files/traefik", "files/blue", 3000, f"{dynamic / 'http.yml'}:14:33"),
        ("files/traefik", "files/green", 3000, f"{dynamic / 'http.yml'}:16:33"),
        ("files/traefik", "files/db", 5432, f"{dynamic / 'tcp.toml'}:6:3"),
    }


def test_ingress_nginx_default_backend_and_tcp_services(tmp_path: Path) -> None:
    service = BACKEND.split("---\napiVersion: networking.k8s.io/v1")[0]
    text = (
        service
        + """\
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: pg, namespace: web}
spec:
  template:
    metadata: {labels: {app: pg}}
    spec:
      containers: [{name: pg, image: postgres:16, ports: [{containerPort: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: pg, namespace: web}
spec:
  selector: {app: pg}
  ports: [{port: 5432}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: tcp-services, namespace: edge}
data:
  "5432": "web/pg:5432"
"""
        + _controller(
            "nginx",
            "registry.k8s.io/ingress-nginx/controller:v1.11",
            "[--default-backend-service=web/shop, --tcp-services-configmap=edge/tcp-services]",
        )
    )
    assert _keys(tmp_path, text) == (
        {("edge/nginx", "web/shop", 3000), ("edge/nginx", "web/pg", 5432)},
        set(),
    )
