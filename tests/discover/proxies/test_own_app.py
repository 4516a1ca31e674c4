"""A proxy a workload runs in front of its own app routes to the workload's own address: no
call between workloads. The same config run by another workload is that workload's call."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

COMPOSE = """\
services:
  app:
    build: .
    ports: ["8010:8010"]
  app-nginx:
    build: ./nginx
    ports: ["8002:8020"]
"""
SITE = "server {\n  listen 8020;\n  location / { proxy_pass http://app:8010; }\n}\n"
# the app's image installs nginx, copies the site in and starts it beside the app server
APP_IMAGE = (
    "FROM ruby:3.1-alpine\nRUN apk add nginx\nCOPY nginx/nginx.conf /etc/nginx/conf.d\n"
    "COPY . .\nEXPOSE 8010\n"
)
PROXY_IMAGE = "FROM nginx:1.27-alpine\nCOPY ./nginx.conf /etc/nginx/conf.d\n"


def test_a_proxy_in_front_of_its_own_app_is_no_call_but_the_proxy_workloads_is(
    tmp_path: Path,
) -> None:
    root = tmp_path / "shop"
    (root / "nginx").mkdir(parents=True)
    (root / "docker-compose.yml").write_text(COMPOSE)
    (root / "Dockerfile").write_text(APP_IMAGE)
    (root / "nginx" / "Dockerfile").write_text(PROXY_IMAGE)
    (root / "nginx" / "nginx.conf").write_text(SITE)
    graph = discover(load_paths([str(root)]))
    proxied = {
        (e.source, e.target, e.port)
        for e in graph.edges
        if any(v.kind.value == "proxy" for v in e.evidence)
    }
    assert proxied == {("shop/app-nginx", "shop/app", 8010)}
