"""Kong declarative config: the services Kong proxies to; a decK container that syncs the
file to a Kong's Admin API makes them that Kong's calls, not its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files

from socklock.discover import discover
from socklock.discover.proxies.interface import Source, Upstream
from socklock.discover.proxies.kong import KongReader, kong_fed_by
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

KONG_YAML = """\
_format_version: "3.0"
services:
- name: orders
  host: orders
  port: 5001
  protocol: http
  routes:
  - name: orders
    paths: [/orders]
- name: billing
  url: https://billing:8443/api
- name: search
  host: search-pool
- name: retired
  enabled: false
  host: legacy
  port: 9000
- name: docs
  host: docs
upstreams:
- name: search-pool
  targets:
  - target: search-a:9200
  - target: search-b
"""


def test_the_services_and_upstream_targets_are_proxied_to() -> None:
    found = list(KongReader().read([Source("/k/kong.yaml", KONG_YAML)], {}))
    assert [(f.host, f.port, str(f.location)) for f in found if isinstance(f, Upstream)] == [
        ("orders", 5001, "/k/kong.yaml:4:3"),
        ("billing", 8443, "/k/kong.yaml:11:3"),
        ("search-a", 9200, "/k/kong.yaml:23:5"),
        ("search-b", 8000, "/k/kong.yaml:24:5"),
        ("docs", 80, "/k/kong.yaml:19:3"),
    ]


def test_only_a_declarative_config_is_claimed() -> None:
    reader = KongReader()
    assert reader.claims("kong.yaml", KONG_YAML)
    assert not reader.claims("kong.yaml", "services:\n- name: orders\n  host: orders\n")
    assert not reader.claims("kong.conf", KONG_YAML)


def test_a_deck_sync_names_the_kong_it_writes_to() -> None:
    line = [
        "/bin/sh",
        "-c",
        "apk add curl && deck sync --state /d/kong.yaml --kong-addr http://kong:8001",
    ]
    assert kong_fed_by(line, {}) == "http://kong:8001"
    assert kong_fed_by(
        ["deck", "gateway", "sync", "k.yaml"], {"DECK_KONG_ADDR": "http://gw:8001"}
    ) == ("http://gw:8001")
    assert kong_fed_by(["deck", "sync", "-s", "k.yaml"], {}) == ""  # its own localhost
    assert (
        kong_fed_by(["deck", "diff", "-s", "k.yaml", "--kong-addr", "http://kong:8001"], {}) is None
    )
    assert kong_fed_by(["kong", "start"], {}) is None


COMPOSE = """\
services:
  kong:
    image: kong/kong-gateway:3.9
    environment:
      KONG_DATABASE: "off"
  deck-sync:
    image: kong/deck:latest
    volumes:
      - ./kong-data:/deck
    entrypoint: >
      /bin/sh -c "until curl --fail http://kong:8001/status; do sleep 2; done;
      deck sync --state /deck/kong.yaml {address}"
  orders:
    image: python:3.12
  billing:
    image: python:3.12
  legacy:
    image: python:3.12
"""
SHOP_KONG = """\
_format_version: "3.0"
services:
- name: orders
  host: orders
  port: 5001
- name: billing
  url: http://billing:5002
- name: retired
  enabled: false
  host: legacy
  port: 9000
"""


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


def test_the_synced_services_are_the_kongs_calls(tmp_path: Path) -> None:
    """kong proxies to orders and billing (not to the disabled legacy); deck-sync calls
    kong's Admin API (its curl wait), never the services."""
    write_files(
        tmp_path,
        {
            "compose.yaml": COMPOSE.format(address="--kong-addr http://kong:8001"),
            "kong-data/kong.yaml": SHOP_KONG,
        },
    )
    p = tmp_path.name
    assert _edges(tmp_path) == {
        (f"{p}/kong", f"{p}/orders", 5001),
        (f"{p}/kong", f"{p}/billing", 5002),
        (f"{p}/deck-sync", f"{p}/kong", 8001),
    }


def test_a_deck_sync_to_its_own_localhost_feeds_no_kong(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {"compose.yaml": COMPOSE.format(address=""), "kong-data/kong.yaml": SHOP_KONG},
    )
    p = tmp_path.name
    assert _edges(tmp_path) == {(f"{p}/deck-sync", f"{p}/kong", 8001)}
