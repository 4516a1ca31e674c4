"""A program that asks a registry for a service by a name written in the URL (Consul's
catalog and health API, a Spring Cloud Netflix Sidecar's /hosts/<app>) then calls that
service. Exact edges; negatives: the same path on a server that is no registry, a name
the code builds at run time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

Edges = set[tuple[str, str, int | None]]

GATEWAY_JS = """\
const axios = require('axios');
async function orders() {{
  const found = await axios.get('http://{registry}/v1/health/service/orders?passing=true');
  return axios.get(`http://${{found.data[0].Service.Address}}:${{found.data[0].Service.Port}}/x`);
}}
async function any(service) {{
  const name = `server-${{service}}`;
  return axios.get(`http://{registry}/v1/catalog/service/${{name}}`);
}}
module.exports = {{ orders, any }};
"""

SIDECAR_CONFIG = """\
server:
  port: 5678
spring:
  application:
    name: ${SERVICE_NAME}
eureka:
  client:
    serviceUrl:
      defaultZone: http://registry:8761/eureka/
sidecar:
  port: 80
  hostname: ${APP_HOST}
"""
SIDECAR_POM = (
    "<project><artifactId>sidecar</artifactId><dependencies><dependency><artifactId>"
    "{artifact}</artifactId></dependency></dependencies></project>"
)
SIDECAR_MAIN = "package app;\n@EnableSidecar\npublic class Sidecar {}\n"
CALL_BOB_PY = """\
import requests

def call_bob():
    uri = requests.get("http://sidecar-alice:5678/hosts/bob").json()[0]["uri"]
    return requests.get(uri).text
"""


def _edges(root: Path, files: dict[str, str], compose: str) -> Edges:
    for name, text in {**files, "compose.yaml": compose}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(root)]), manifests=False)
    return {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1], e.port)
        for e in graph.edges
        if not e.hint
    }


def _consul(root: Path, registry_image: str) -> Edges:
    compose = (
        f"services:\n  consul: {{image: '{registry_image}'}}\n"
        "  orders: {image: orders, expose: ['3001']}\n"
        "  server-a: {image: server, expose: ['3002']}\n"
        "  gateway: {build: ./gateway}\n"
    )
    files = {
        "gateway/index.js": GATEWAY_JS.format(registry="consul:8500"),
        "gateway/Dockerfile": "FROM node:22\n",
    }
    return _edges(root, files, compose)


def test_a_catalog_lookup_by_a_written_name_calls_that_service(tmp_path: Path) -> None:
    """The gateway asks Consul's health API for ``orders``: gateway -> consul and
    gateway -> orders; ``server-${service}`` is built at run time: no gateway -> server-a."""
    assert _consul(tmp_path, "hashicorp/consul:1.18") == {
        ("gateway", "consul", 8500),
        ("gateway", "orders", 3001),
    }


def test_the_same_path_on_a_server_that_is_no_registry_names_no_service(
    tmp_path: Path,
) -> None:
    """``/v1/health/service/orders`` on a server that runs no registry image is that
    server's own API: only the call to it."""
    assert _consul(tmp_path, "acme/inventory") == {("gateway", "consul", 8500)}


def _sidecar_app(root: Path, artifact: str) -> Edges:
    compose = (
        "services:\n  registry: {image: eureka, expose: ['8761']}\n"
        "  alice: {build: ./alice, expose: ['80']}\n  bob-app: {image: bob, expose: ['80']}\n"
        "  sidecar-alice: {image: sidecar, environment: [SERVICE_NAME=alice, APP_HOST=alice]}\n"
        "  sidecar-bob: {image: sidecar, environment: [SERVICE_NAME=bob, APP_HOST=bob-app]}\n"
    )
    files = {
        "alice/app/main.py": CALL_BOB_PY,
        "alice/Dockerfile": "FROM python:3.13\n",
        "sidecar/Dockerfile": "FROM eclipse-temurin:21\n",
        "sidecar/pom.xml": SIDECAR_POM.format(artifact=artifact),
        "sidecar/src/main/resources/application.yml": SIDECAR_CONFIG,
        "sidecar/src/main/java/app/Sidecar.java": SIDECAR_MAIN,
    }
    return _edges(root, files, compose)


def test_a_sidecars_hosts_lookup_calls_the_app_the_named_sidecar_registers(
    tmp_path: Path,
) -> None:
    """alice asks its sidecar for ``bob``'s instances; sidecar-bob registers the name bob
    for ``sidecar.hostname`` bob-app on ``sidecar.port`` 80: alice -> bob-app:80 (not the
    sidecar that declares the name)."""
    assert _sidecar_app(tmp_path, "spring-cloud-netflix-sidecar") == {
        ("alice", "sidecar-alice", 5678),
        ("alice", "bob-app", 80),
        ("sidecar-alice", "registry", 8761),
        ("sidecar-bob", "registry", 8761),
    }


def test_a_hosts_path_on_a_server_that_is_no_sidecar_names_no_service(tmp_path: Path) -> None:
    """The same ``/hosts/bob`` on a Spring app without the sidecar library: its own API."""
    edges = _sidecar_app(tmp_path, "spring-boot-starter-web")
    assert not {("alice", "bob-app", 80), ("alice", "sidecar-bob", 5678)} & edges
    assert ("alice", "sidecar-alice", 5678) in edges
