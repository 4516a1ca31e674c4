"""Which workload runs a proxy config: a compose ``build:`` names the one Dockerfile of the
image (another Dockerfile named like the service is not it), and a folder mounted into a
database's init-scripts directory is not read as any program's config."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

COMPOSE = """\
services:
  orders:
    build: ./orders
  db:
    image: postgres:16-alpine
    volumes:
      - ./infra/sql:/docker-entrypoint-initdb.d
  nginx:
    build: ./infra/sql/nginx
    ports: ["8080:80"]
"""
IMAGE = "FROM nginx:alpine\nCOPY nginx.conf /etc/nginx/nginx.conf\n"


def _site(port: int) -> str:
    return (
        f"events {{}}\nhttp {{\n  upstream orders_up {{ server orders:{port}; }}\n"
        "  server { listen 80; location / { proxy_pass http://orders_up/; } }\n}\n"
    )


def _proxied(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {
        (e.source, e.target, e.port)
        for e in graph.edges
        if any(v.kind.value == "proxy" for v in e.evidence)
    }


def test_the_declared_build_and_not_a_stray_dockerfile_named_like_the_service(
    tmp_path: Path,
) -> None:
    root = tmp_path / "shop"
    _write(
        root,
        {
            "docker-compose.yml": COMPOSE,
            "orders/Dockerfile": "FROM node:20\nCOPY . .\nEXPOSE 3002\n",
            "infra/sql/init.sql": "CREATE DATABASE orders;\n",
            "infra/sql/nginx/Dockerfile": IMAGE,
            "infra/sql/nginx/nginx.conf": _site(3002),
            # an older copy of the gateway, in a folder named like the service: not built
            "nginx/Dockerfile": IMAGE,
            "nginx/nginx.conf": _site(4000),
        },
    )
    # and postgres, which gets the gateway's folder among its init scripts, runs no nginx
    assert _proxied(root) == {("shop/nginx", "shop/orders", 3002)}


def test_a_dockerfile_named_like_a_service_with_no_declared_build_is_still_its_image(
    tmp_path: Path,
) -> None:
    root = tmp_path / "shop"
    compose = COMPOSE.replace("    build: ./infra/sql/nginx\n", "    image: acme/gateway:1\n")
    _write(
        root,
        {
            "docker-compose.yml": compose,
            "orders/Dockerfile": "FROM node:20\nCOPY . .\nEXPOSE 3002\n",
            "nginx/Dockerfile": IMAGE,
            "nginx/nginx.conf": _site(4000),
        },
    )
    assert _proxied(root) == {("shop/nginx", "shop/orders", 4000)}


def test_a_gateway_config_among_a_databases_init_scripts_is_not_the_databases(
    tmp_path: Path,
) -> None:
    root = tmp_path / "shop"
    compose = COMPOSE.replace("./infra/sql/nginx", "./gateway")
    _write(
        root,
        {
            "docker-compose.yml": compose,
            "orders/Dockerfile": "FROM node:20\nCOPY . .\nEXPOSE 3002\n",
            "infra/sql/init.sql": "CREATE DATABASE orders;\n",
            "infra/sql/nginx/nginx.conf": _site(5000),  # kept beside the SQL, built by none
            "gateway/Dockerfile": IMAGE,
            "gateway/nginx.conf": _site(3002),
        },
    )
    assert _proxied(root) == {("shop/nginx", "shop/orders", 3002)}
