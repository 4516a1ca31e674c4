"""nginx-proxy routes to every container whose environment sets VIRTUAL_HOST."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

_COMPOSE = """\
name: forum
services:
  proxy:
    image: nginxproxy/nginx-proxy:alpine
    volumes: ["/var/run/docker.sock:/tmp/docker.sock:ro"]
  web:
    image: forum/web:1
    expose: ["3000"]
    env_file: web.env
  live:
    image: forum/web:1
    environment: [VIRTUAL_HOST=live.example.com]
  admin:
    image: forum/admin:1
    expose: ["8080", "9090"]
    environment: [VIRTUAL_HOST=admin.example.com, VIRTUAL_PORT=9090]
  db:
    image: postgres:16
"""


def test_services_with_virtual_host_are_nginx_proxy_upstreams(tmp_path: Path) -> None:
    """The port: VIRTUAL_PORT, else the one exposed, else 80; a service without
    VIRTUAL_HOST (db) is no upstream."""
    (tmp_path / "compose.yaml").write_text(_COMPOSE)
    (tmp_path / "web.env").write_text("VIRTUAL_HOST=forum.example.com\n")
    graph = discover(load_paths([str(tmp_path)]), code=False)
    assert {e.key for e in graph.edges if not e.target.startswith("external:")} == {
        ("forum/proxy", "forum/web", 3000, "TCP"),
        ("forum/proxy", "forum/live", 80, "TCP"),
        ("forum/proxy", "forum/admin", 9090, "TCP"),
    }


def test_virtual_host_without_nginx_proxy_routes_nothing(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        _COMPOSE.replace("nginxproxy/nginx-proxy:alpine", "nginx:1.27")
    )
    (tmp_path / "web.env").write_text("VIRTUAL_HOST=forum.example.com\n")
    graph = discover(load_paths([str(tmp_path)]), code=False)
    assert {e.key for e in graph.edges if not e.target.startswith("external:")} == set()
