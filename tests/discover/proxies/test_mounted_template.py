"""A mounted config a setup step writes from a committed template: the template is read."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

COMPOSE = """\
name: shop
services:
  edge:
    image: caddy:2-alpine
    ports: ["80:80"]
    volumes: ["./caddy/Caddyfile:/etc/caddy/Caddyfile"]
  storefront:
    image: acme/storefront:1
  ledger:
    image: acme/ledger:1
"""


def _proxy_edges(root: Path) -> set[tuple[str, str, int | None, str]]:
    graph = discover(load_paths([str(root)]))
    return {e.key for e in graph.edges if any(v.kind.value == "proxy" for v in e.evidence)}


def test_missing_mounted_config_is_read_from_its_template(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / "caddy").mkdir()
    (tmp_path / "caddy" / "Caddyfile.template").write_text(
        "$DOMAIN_NAME {\n    reverse_proxy /* storefront:3000\n}\n"
    )
    assert _proxy_edges(tmp_path) == {("shop/edge", "shop/storefront", 3000, "TCP")}


def test_a_committed_mounted_config_wins_over_its_template(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / "caddy").mkdir()
    (tmp_path / "caddy" / "Caddyfile").write_text(":80 {\n    reverse_proxy ledger:4000\n}\n")
    (tmp_path / "caddy" / "Caddyfile.template").write_text(
        ":80 {\n    reverse_proxy storefront:3000\n}\n"
    )
    assert _proxy_edges(tmp_path) == {("shop/edge", "shop/ledger", 4000, "TCP")}


def test_a_missing_mounted_config_without_template_gives_no_call(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / "caddy").mkdir()
    (tmp_path / "caddy" / "Caddyfile.old").write_text(":80 {\n    reverse_proxy ledger:4000\n}\n")
    assert _proxy_edges(tmp_path) == set()
