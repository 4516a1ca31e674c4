"""Broken proxy configs never stop discovery: what can be read is, the rest is reported."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

COMPOSE = """\
name: bad
services:
  proxy:
    image: nginx:1.27
    volumes:
      - ./conf:/etc/nginx/conf.d
      - {type: bind}
      - 42
      - ./missing.conf:/etc/nginx/missing.conf
    labels: [42, "traefik.http.routers.x.rule"]
    configs: [{source: nope}, 7]
  api:
    image: api:1
    expose: ["8080"]
    labels: {traefik.http.services.x.loadbalancer.server.port: notaport}
configs:
  other: {file: 12}
"""


def test_garbage_configs_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "a-good.conf").write_text("server { location / { proxy_pass http://api:8080; } }\n")
    (conf / "b-broken.conf").write_text("server {\n  location / { proxy_pass http://api:9;\n")
    (conf / "c-binary.conf").write_bytes(b"server {\x00\xff\xfe proxy_pass \x00;}")
    (conf / "d-include-loop.conf").write_text(
        "include /etc/nginx/conf.d/d-include-loop.conf;\nserver { location / {} }\n"
    )
    (conf / "e-envoy.yaml").write_text("static_resources: {clusters: [1, {name: [x]}], :\n")
    (conf / "f-envoy.yaml").write_text("static_resources:\n  clusters: 7\n")
    (conf / "g-traefik.toml").write_text("[http.routers\nservers loadBalancer\n")
    graph = discover(load_paths([str(tmp_path)]))
    assert {e.key for e in graph.edges} == {("bad/proxy", "bad/api", 8080, "TCP")}
    assert [(Path(u.location.file).name, u.location.line, u.reason) for u in graph.unresolved] == [
        (
            "b-broken.conf",
            2,
            'crossplane could not read it: unexpected end of file, expecting "}"',
        ),
    ]


def test_route_objects_of_the_wrong_shape_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "routes.yaml").write_text(
        """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a, namespace: x}
spec: {parentRefs: 5, rules: "x"}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: b, namespace: x}
spec:
  parentRefs: [{name: [1]}, 7]
  rules: [{backendRefs: {name: x}}, 3, {backendRefs: [{name: svc, port: "80"}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: g, namespace: x}
spec: [1, 2]
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: c, namespace: x}
spec: {routes: {services: 1}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: d, namespace: x}
spec: {gateways: 3, http: [5, {route: 6}, {route: [{destination: {host: [1]}}]}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: e, namespace: x}
spec: {gateways: [g], tcp: [{route: [{destination: {host: svc, port: 80}}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ctl, namespace: x}
spec:
  template:
    metadata: {labels: {app: ctl}}
    spec:
      containers: [{name: c, image: traefik:v3, args: "--ingress-class=traefik"}]
"""
    )
    graph = discover(load_paths([str(tmp_path)]))
    assert graph.edges == ()
    assert graph.entry_points == ()
