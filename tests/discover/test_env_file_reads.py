"""A ``.env`` in a build context shared by several services hands each of them every
value; a value is a call only of the workloads whose code reads the variable. One
Dockerfile built by several compose services gives each of them its ENV."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

DOTENV = """\
ORDERS_HOST=orders:7000
PAYMENT_HOST=payment:6000
AUDIT_URL=http://audit:9000
"""
COMPOSE = """\
services:
  gateway: {build: {context: ., args: {DIR: gateway}}}
  orders: {build: {context: ., args: {DIR: orders}}}
  payment: {build: {context: ., args: {DIR: payment}}}
  audit: {image: shop/audit}
"""
MAIN = """\
package main

import "os"

func main() {{
{reads}
}}
"""


def _go(*names: str) -> str:
    return MAIN.format(reads="\n".join(f'\t_ = os.Getenv("{n}")' for n in names))


def test_shared_dotenv_values_are_calls_only_of_the_workloads_that_read_them(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "docker-compose.yml": COMPOSE,
            ".env": DOTENV,
            "Dockerfile": "FROM golang\nARG DIR\nCOPY . .\nCOPY .env .\nCMD ./main\n",
            "gateway/go.mod": "module shop/gateway\n",
            "gateway/main.go": _go("ORDERS_HOST"),
            "orders/go.mod": "module shop/orders\n",
            "orders/main.go": _go("PAYMENT_HOST"),
            "payment/go.mod": "module shop/payment\n",
            "payment/main.go": _go("LOG_LEVEL"),  # reads none of the addresses
        },
    )
    for manifests in (True, False):
        graph = discover(load_paths([str(tmp_path)]), manifests=manifests)
        edges = {
            (e.source.rsplit("/", 1)[1], e.target.rsplit("/", 1)[1], e.port)
            for e in graph.edges
            if not e.hint
        }
        # AUDIT_URL is read by no code: no workload calls audit
        assert edges == {("gateway", "orders", 7000), ("orders", "payment", 6000)}


PYTHON = 'import os\nbroker = os.getenv("BROKER")\nregistry = os.getenv("SCHEMA_URL")\n'
REPLICAS = """\
services:
  worker-1: {build: ./worker}
  worker-2: {build: ./worker}
  other: {build: {context: ./worker, dockerfile: Dockerfile.other}}
  broker: {image: shop/broker, expose: ["9092"]}
  registry: {image: shop/registry, expose: ["8081"]}
"""


def test_one_dockerfile_built_by_several_services_gives_each_its_env(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "docker-compose.yml": REPLICAS,
            "worker/Dockerfile": (
                "FROM python:3.12\nCOPY . .\nENV BROKER=broker:9092\n"
                "ENV SCHEMA_URL=http://registry:8081\nCMD python -u main.py\n"
            ),
            # built from the same context, another Dockerfile: not its env
            "worker/Dockerfile.other": "FROM python:3.12\nCOPY . .\nCMD python -u main.py\n",
            "worker/main.py": PYTHON,
        },
    )
    graph = discover(load_paths([str(tmp_path)]), manifests=True)
    edges = {
        (e.source.rsplit("/", 1)[1], e.target.rsplit("/", 1)[1], e.port)
        for e in graph.edges
        if not e.hint
    }
    assert edges == {
        ("worker-1", "broker", 9092),
        ("worker-1", "registry", 8081),
        ("worker-2", "broker", 9092),
        ("worker-2", "registry", 8081),
    }


def test_an_env_file_of_one_workloads_own_tree_stays_its_config_whole(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "docker-compose.yml": (
                "services:\n  web: {build: ./web}\n  audit: {image: shop/audit}\n"
            ),
            "web/Dockerfile": "FROM node:20\nCOPY . .\nCMD node index.js\n",
            # the key is read from a list: no read by name is seen, the value still counts
            "web/.env": "AUDIT_URL=http://audit:9000\n",
            "web/index.js": (
                "const keys = ['AUDIT_URL'];\nmodule.exports = keys.map(k => process.env[k]);\n"
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    assert {
        (e.source.rsplit("/", 1)[1], e.target.rsplit("/", 1)[1], e.port) for e in graph.edges
    } == {("web", "audit", 9000)}
