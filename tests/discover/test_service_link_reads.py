"""Code that reads a Kubernetes Service environment variable calls that Service.

The kubelet gives every container ``<NAME>_SERVICE_HOST`` / ``_SERVICE_PORT`` (and the
Docker-link ``<NAME>_PORT_<port>_TCP_ADDR`` family) for each Service of its namespace that
has a cluster IP, unless the pod sets ``enableServiceLinks: false``; an ``env`` entry of the
same name wins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.discover.shop import workload

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_PYTHON = (
    "app.py",
    "FROM python:3.12\nCOPY app.py .\n",
    "import os, requests\n"
    "host = os.environ.get('ORDER_STORE_SERVICE_HOST', 'localhost')\n"
    "port = os.environ.get('ORDER_STORE_SERVICE_PORT', '80')\n"
    "requests.get('http://{}:{}/orders'.format(host, port))\n",
)
_GO = (
    "main.go",
    'FROM golang:1.22\nCOPY main.go .\nRUN go build -o /web .\nCMD ["/web"]\n',
    'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n\t"os"\n)\n\n'
    "func main() {\n"
    '\thost := os.Getenv("ORDER_STORE_SERVICE_HOST")\n'
    '\tport := os.Getenv("ORDER_STORE_SERVICE_PORT")\n'
    '\thttp.Get(fmt.Sprintf("http://%s:%s/orders", host, port))\n'
    "}\n",
)
_NODE = (
    "index.js",
    'FROM node:20\nCOPY index.js .\nCMD ["node", "index.js"]\n',
    "const axios = require('axios');\n"
    "const url = `http://${process.env.ORDER_STORE_PORT_80_TCP_ADDR}:"
    "${process.env.ORDER_STORE_PORT_80_TCP_PORT}/orders`;\n"
    "axios.get(url);\n",
)


def _write(root: Path, code: tuple[str, str, str], *, pod: str = "", env: str = "") -> None:
    (root / "k8s").mkdir()
    web = workload("web", env=env)
    if pod:
        spec = "    spec:\n      containers:"
        web = web.replace(spec, spec.replace("containers:", f"{pod}\n      containers:"))
    (root / "k8s" / "web.yaml").write_text(web)
    (root / "k8s" / "store.yaml").write_text(workload("order-store", port=7001, service_port=80))
    (root / "web").mkdir()
    file, dockerfile, text = code
    (root / "web" / "Dockerfile").write_text(dockerfile)
    (root / "web" / file).write_text(text)


def _web_edges(root: Path) -> set[tuple[str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {(e.target, e.port) for e in graph.edges if e.source == "shop/web"}


@pytest.mark.parametrize("code", [_PYTHON, _GO, _NODE], ids=["python", "go", "node"])
def test_a_service_variable_the_code_reads_calls_the_service(
    tmp_path: Path, code: tuple[str, str, str]
) -> None:
    _write(tmp_path, code)
    assert _web_edges(tmp_path) == {("shop/order-store", 7001)}


def test_the_service_is_the_evidence(tmp_path: Path) -> None:
    _write(tmp_path, _PYTHON)
    graph = discover(load_paths([str(tmp_path)]))
    (edge,) = [e for e in graph.edges if e.source == "shop/web"]
    assert any(
        "ORDER_STORE_SERVICE_HOST=order-store at " in ev.detail and "store.yaml" in ev.detail
        for ev in edge.evidence
    )


def test_a_pod_without_service_links_reads_nothing(tmp_path: Path) -> None:
    _write(tmp_path, _PYTHON, pod="enableServiceLinks: false")
    assert _web_edges(tmp_path) == set()


def test_the_container_env_wins_over_the_service_variable(tmp_path: Path) -> None:
    _write(tmp_path, _PYTHON, env="{name: ORDER_STORE_SERVICE_HOST, value: ledger}")
    assert ("shop/order-store", 7001) not in _web_edges(tmp_path)


def test_a_variable_of_no_service_calls_nothing(tmp_path: Path) -> None:
    _write(tmp_path, (_PYTHON[0], _PYTHON[1], _PYTHON[2].replace("ORDER_STORE", "LEDGER")))
    assert _web_edges(tmp_path) == set()
