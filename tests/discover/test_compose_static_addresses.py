"""A compose service answers to the static address it takes on a network
(``networks: {back: {ipv4_address: 172.21.0.11}}``): Docker gives that address to that
container alone. An address no service takes stays outside the project."""

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
      API_URL: http://172.21.0.11:3011
      V6_URL: http://[fd00::12]:3012
      OTHER_URL: http://172.21.0.99:3011
    networks: [back]
  api:
    image: example/api
    expose: ["3011"]
    networks:
      back: {ipv4_address: 172.21.0.11}
  api6:
    image: example/api6
    expose: ["3012"]
    networks:
      back: {ipv6_address: "fd00::12"}
networks:
  back:
    enable_ipv6: true
    ipam: {config: [{subnet: 172.21.0.0/16}, {subnet: "fd00::/64"}]}
"""


def test_a_static_address_is_its_service(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(_COMPOSE)
    graph = discover(load_paths([str(tmp_path)]))
    calls = {(e.source, e.target, e.port) for e in graph.edges if not e.hint}
    assert {c for c in calls if not c[1].startswith("external:")} == {
        ("shop/web", "shop/api", 3011),
        ("shop/web", "shop/api6", 3012),
    }
