"""One binary, several roles: a read inside ``if enabled("APP_ENABLE_<ROLE>") { ... }`` runs
only in the workloads that turn that role on, though a shared env hands every one the
addresses of all the others (code/gates.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from socklock.discover import discover
from socklock.discover.code.gates import gated_off, gates
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_COMPOSE = """\
name: shop
x-env: &env
  SHOP_CATALOG_URL: http://catalog:3333
  SHOP_CART_URL: http://cart:3333
  SHOP_AUDIT_URL: http://audit:3333
services:
  gateway:
    build: ./app
    environment:
      <<: *env
      SHOP_ENABLE_GATEWAY: "1"
  catalog:
    build: ./app
    environment:
      <<: *env
      SHOP_ENABLE_CATALOG: "1"
  cart:
    build: ./app
    environment:
      <<: *env
      SHOP_ENABLE_CART: "true"
      SHOP_ENABLE_GATEWAY: "false"
  audit: {image: nginx, expose: ['3333']}
"""

_GO = """\
package main

import (
\t"net/http"
\t"os"
)

func enabled(name string) bool { return os.Getenv(name) == "1" || os.Getenv(name) == "true" }

func main() {
\t// { a brace in a comment
\tif enabled("SHOP_ENABLE_GATEWAY") {
\t\thttp.Get(os.Getenv("SHOP_CATALOG_URL") + "/items")
\t\tif !enabled("SHOP_ENABLE_CATALOG") {
\t\t\thttp.Get(os.Getenv("SHOP_CART_URL") + "/x")
\t\t}
\t}
\tif enabled("SHOP_ENABLE_CART") {
\t\thttp.Get(os.Getenv("SHOP_CATALOG_URL") + "/price")
\t}
\tif !enabled("SHOP_ENABLE_AUDIT") {
\t\thttp.Get(os.Getenv("SHOP_AUDIT_URL") + "/log")
\t}
}
"""


def test_each_role_calls_only_what_its_own_block_reads(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(_COMPOSE)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM golang:1.22\n")
    (tmp_path / "app" / "main.go").write_text(_GO)
    graph = discover(load_paths([str(tmp_path)]))
    assert sorted((e.source, e.target, e.port) for e in graph.edges) == [
        # a negated test (``!enabled``) gates nothing: every role logs to audit
        ("shop/cart", "shop/audit", 3333),
        ("shop/cart", "shop/catalog", 3333),  # its own block
        ("shop/catalog", "shop/audit", 3333),
        ("shop/gateway", "shop/audit", 3333),
        ("shop/gateway", "shop/cart", 3333),  # CATALOG unset: ``!enabled`` holds
        ("shop/gateway", "shop/catalog", 3333),
    ]
    reasons = {(u.source, u.location.line, u.reason) for u in graph.unresolved}
    assert (
        "shop/cart",
        13,
        "the code runs only under a role switch: SHOP_ENABLE_GATEWAY=false",
    ) in (reasons)
    assert (
        "shop/catalog",
        13,
        "the code runs only under a role switch: SHOP_ENABLE_GATEWAY unset, "
        "the workload turns on SHOP_ENABLE_CATALOG",
    ) in reasons


def test_without_any_role_flag_every_block_runs(tmp_path: Path) -> None:
    """A workload that sets no flag of the code runs its defaults: nothing is decided."""
    (tmp_path / "compose.yaml").write_text(
        "name: shop\nservices:\n"
        "  all:\n    build: ./app\n    environment:\n"
        "      SHOP_CATALOG_URL: http://catalog:3333\n"
        "  catalog: {image: nginx, expose: ['3333']}\n"
    )
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM golang:1.22\n")
    (tmp_path / "app" / "main.go").write_text(_GO)
    graph = discover(load_paths([str(tmp_path)]))
    assert [(e.source, e.target, e.port) for e in graph.edges] == [
        ("shop/all", "shop/catalog", 3333)
    ]


_PY = """\
import os

if os.environ.get("APP_ENABLE_WORKER") == "1":
    BROKER = os.environ["BROKER_URL"]

if os.environ.get("APP_ENABLE_WEB", "true") == "true":
    DB = os.environ["DB_URL"]
if os.environ.get("APP_ENABLE_MAIL") != "0":
    MAIL = os.environ["MAIL_URL"]
"""


@pytest.mark.parametrize(
    ("line", "env", "expected"),
    [
        (4, {"APP_ENABLE_WORKER": "0"}, "APP_ENABLE_WORKER=0"),
        (
            4,
            {"APP_ENABLE_MAIL": "1"},
            "APP_ENABLE_WORKER unset, the workload turns on APP_ENABLE_MAIL",
        ),
        (4, {"APP_ENABLE_WORKER": "1"}, None),
        (4, {}, None),
        # a default of on, a test of "not off": no gate
        (7, {"APP_ENABLE_WORKER": "1"}, None),
        (9, {"APP_ENABLE_WORKER": "1"}, None),
    ],
)
def test_python_if_blocks(
    tmp_path: Path, line: int, env: dict[str, str], expected: str | None
) -> None:
    path = tmp_path / "settings.py"
    path.write_text(_PY)
    assert gates(str(path), 4) == ("APP_ENABLE_WORKER",)
    assert gated_off(str(path), line, env.get) == expected
