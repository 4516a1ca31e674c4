"""Health checks a program registers with a service registry from its code: the registry's
agent polls the check URL (an edge agent -> program on the check's port), the program does
not call it. Exact edges; negatives: a check naming another host, a registration only in a
test, a check whose program reaches no registry agent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.discover.registered import registration_api
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

Edges = set[tuple[str, str, int | None]]

REGISTER_JS = """\
const axios = require('axios');
const PORT = {port};
async function register() {{
  await axios.put('http://consul:8500/v1/agent/service/register', {{
    Name: '{name}', Address: process.env.HOSTNAME, Port: PORT,
    Check: {{ HTTP: `http://{host}:${{PORT}}/health`, Interval: '5s' }},
  }});
}}
require('express')().listen(PORT, () => setTimeout(register, 2000));
"""

REGISTER_PY = """\
import consul

client = consul.Consul(host="consul", port=8500)
client.agent.service.register(
    "billing", port=5000, check=consul.Check.http("http://billing:5000/health", interval="5s")
)
"""


def _edges(root: Path, files: dict[str, str], services: str) -> Edges:
    compose = "services:\n  consul: {image: 'hashicorp/consul:1.18'}\n" + services
    for name, text in {**files, "compose.yaml": compose}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(root)]), manifests=False)
    return {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1], e.port)
        for e in graph.edges
        if not e.hint
    }


def _js(name: str, port: int, host: str = "${process.env.HOSTNAME}") -> str:
    return REGISTER_JS.format(name=name, port=port, host=host)


def test_the_agent_polls_a_check_on_the_programs_own_hostname(tmp_path: Path) -> None:
    """orders PUTs its registration to Consul's agent API with an HTTP check on
    ``$HOSTNAME`` (the container's own hostname): orders -> consul, consul -> orders on the
    check's port; the check URL is no call of orders."""
    edges = _edges(
        tmp_path,
        {"orders/index.js": _js("orders", 3001), "orders/Dockerfile": "FROM node:22\n"},
        "  orders: {build: ./orders}\n",
    )
    assert edges == {("orders", "consul", 8500), ("consul", "orders", 3001)}


def test_a_check_naming_another_host_is_no_edge(tmp_path: Path) -> None:
    """A check URL on another service's address: neither the program nor (fail closed) the
    agent is drawn calling it."""
    edges = _edges(
        tmp_path,
        {
            "orders/index.js": _js("orders", 3001, host="audit"),
            "orders/Dockerfile": "FROM node:22\n",
        },
        "  orders: {build: ./orders}\n  audit: {image: audit, expose: ['3001']}\n",
    )
    assert edges == {("orders", "consul", 8500)}


def test_a_registration_in_a_test_is_none(tmp_path: Path) -> None:
    """The same registration in a test file registers nothing the deployment runs."""
    edges = _edges(
        tmp_path,
        {
            "orders/index.js": "require('express')().listen(3001);\n",
            "orders/test/register.test.js": _js("orders", 3001),
            "orders/Dockerfile": "FROM node:22\n",
        },
        "  orders: {build: ./orders}\n",
    )
    assert ("consul", "orders", 3001) not in edges


def test_a_client_librarys_registration_reaches_the_agent_it_connects_to(
    tmp_path: Path,
) -> None:
    """python-consul names no registration path: the agent is the Consul server the client
    connects to (a workload running Consul's image); its check on billing's own name."""
    edges = _edges(
        tmp_path,
        {"billing/app.py": REGISTER_PY, "billing/Dockerfile": "FROM python:3.13\n"},
        "  billing: {build: ./billing}\n",
    )
    assert ("consul", "billing", 5000) in edges
    assert ("billing", "billing", 5000) not in edges


def test_a_check_without_an_agent_is_no_edge(tmp_path: Path) -> None:
    """A check URL in a program that reaches no registry agent (no Consul in the deployment
    answers its registration): no edge from anyone."""
    text = _js("orders", 3001).replace("http://consul:8500", "http://registry:8500")
    edges = _edges(
        tmp_path,
        {"orders/index.js": text, "orders/Dockerfile": "FROM node:22\n"},
        "  orders: {build: ./orders}\n",
    )
    assert not any(target == "orders" for _, target, _ in edges)


def test_a_url_of_a_registration_endpoint_is_a_registration() -> None:
    assert registration_api("http://consul:8500/v1/agent/service/register")
    assert registration_api("http://localhost:8500/v1/catalog/register?replace-existing-checks=1")
    assert not registration_api("http://consul:8500/v1/health/service/orders")  # a lookup
    assert not registration_api("http://consul:8500/v1/agent/service/deregister/orders")
    assert not registration_api("/v1/agent/service/register")  # no address: not a call
    assert not registration_api(None)
