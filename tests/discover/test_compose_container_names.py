"""A compose service answers to the names compose gives its containers
(``<project>-<service>-<n>``, ``<project>_<service>_<n>``) unless it sets its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_COMPOSE = """\
name: shop
services:
  web:
    image: example/web
    environment:
      ORDERS_URL: http://shop-orders-1:8080
      BILLING_URL: http://shop_billing_2:9000
      LEGACY_URL: http://shop-legacy-1:7000
      ELSEWHERE_URL: http://other-orders-1:8080
  orders:
    image: example/orders
    expose: ["8080"]
  billing:
    image: example/billing
    expose: ["9000"]
    deploy: {replicas: 2}
  legacy:
    image: example/legacy
    container_name: legacy
    expose: ["7000"]
"""


def test_a_service_answers_to_its_default_container_names(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(_COMPOSE)
    graph = discover(load_paths([str(tmp_path)]))
    calls = {(e.source, e.target, e.port) for e in graph.edges if not e.hint}
    # legacy names its container itself; another project's container is not this one's
    assert {c for c in calls if not c[1].startswith("external:")} == {
        ("shop/web", "shop/orders", 8080),
        ("shop/web", "shop/billing", 9000),
    }
