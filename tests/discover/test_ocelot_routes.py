"""Ocelot gateway routes, registry names in another case style, host lists, and the
container names of compose files layered into one project."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.code.config_files import ANALYSER
from socklock.discover.code.interface import CallSite
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

    from socklock.model import ServiceGraph

OCELOT = {
    "Routes": [
        {
            "DownstreamPathTemplate": "/api/orders/{everything}",
            "DownstreamScheme": "http",
            "DownstreamHostAndPorts": [{"Host": "orders", "Port": 8080}],
            "UpstreamPathTemplate": "/orders/{everything}",
        },
        {
            "DownstreamPathTemplate": "/api/cart",
            "DownstreamScheme": "https",
            "DownstreamHostAndPorts": [{"Host": "cart"}],
            "UpstreamPathTemplate": "/cart",
        },
        {
            "DownstreamPathTemplate": "/api/billing",
            "UpstreamPathTemplate": "/billing",
            "ServiceName": "BillingService",
        },
    ],
    "GlobalConfiguration": {
        "BaseUrl": "http://gateway:5000",
        "ServiceDiscoveryProvider": {"Type": "Consul", "Host": "consul", "Port": 8500},
    },
}


def _targets(path: str, text: str) -> set[tuple[int, str | None, str | None]]:
    results = ANALYSER.analyse(path, text.encode())
    return {(r.line, r.target, r.service) for r in results if isinstance(r, CallSite)}


def test_ocelot_routes_pair_each_host_with_its_port_and_name_registry_services() -> None:
    text = json.dumps(OCELOT, indent=2)
    lines = text.splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if fragment in line)

    # each route's Host goes with the Port of its own item; a Host without one takes its
    # route's scheme's port; a ServiceName is a registry name; the gateway's own BaseUrl is
    # no call
    assert _targets("gw/ocelot.json", text) == {
        (line_of('"orders"'), "http://orders:8080", None),
        (line_of('"cart"'), "https://cart", None),
        (line_of('"BillingService"'), "billingservice", "ocelot"),
        (line_of('"consul"'), "consul:8500", None),
    }


def test_a_json_file_with_routes_but_no_downstream_template_is_not_ocelot() -> None:
    text = json.dumps({"Routes": [{"ServiceName": "BillingService", "Host": "billing"}]})
    assert _targets("gw/ocelot.json", text) == set()


def test_hostnames_lists_take_their_sibling_port() -> None:
    text = (
        '{\n  "Broker": {\n    "port": 5672,\n    "hostnames": [\n      "rabbitmq"\n    ]\n  }\n}\n'
    )
    assert _targets("svc/appsettings.json", text) == {(5, "rabbitmq:5672", None)}


def _graph(root: Path, deployment: str) -> ServiceGraph:
    return discover(load_paths([str(root)]), manifests=False, deployment=deployment)


def test_gateway_routes_resolve_in_a_layered_compose_project(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "deploy/infra.yml": (
                "services:\n"
                "  registry:\n    image: hashicorp/consul:1.19\n    container_name: consul\n"
                "  broker:\n    image: rabbitmq:3\n    container_name: rabbit\n"
            ),
            "deploy/app.yml": (
                "services:\n"
                "  gateway:\n    build: ../gw\n"
                "  orders:\n    build: ../orders\n    expose: [8080]\n"
                "  cart:\n    image: example/cart\n"
                "  billing_service:\n    image: example/billing\n    expose: [7000]\n"
                "  billing-service:\n    image: example/billing\n    expose: [7001]\n"
            ),
            "gw/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
            "gw/ocelot.json": json.dumps(OCELOT, indent=2),
            "gw/appsettings.json": json.dumps(
                {"Routes": [], "Rabbit": {"Host": "rabbit", "Port": 5672}}
            ),
            "orders/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
            "orders/appsettings.json": json.dumps({"Spring": {"Application": {"Name": "Orders"}}}),
        },
    )
    graph = _graph(tmp_path, f"{tmp_path}/deploy/infra.yml+{tmp_path}/deploy/app.yml")
    edges = {(e.source, e.target, e.port) for e in graph.edges}
    # consul and rabbit are container names of the other file of the project; BillingService
    # is written like both billing_service and billing-service: ambiguous, no edge
    assert edges == {
        ("deploy/gateway", "deploy/orders", 8080),
        ("deploy/gateway", "deploy/cart", 443),
        ("deploy/gateway", "deploy/registry", 8500),
        ("deploy/gateway", "deploy/broker", 5672),
    }
    unresolved = {(u.source, u.expression, u.reason) for u in graph.unresolved}
    assert (
        "deploy/gateway",
        "billingservice",
        "Ocelot route ServiceName 'billingservice' matches no workload",
    ) in unresolved


def test_a_registry_name_in_another_case_style_names_the_one_workload(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                "  gateway:\n    build: ./gw\n"
                "  billing_service:\n    image: example/billing\n    expose: [7000]\n"
            ),
            "gw/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
            "gw/ocelot.json": json.dumps(OCELOT, indent=2),
        },
    )
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    project = tmp_path.name
    edges = {(e.source, e.target, e.port) for e in graph.edges}
    assert (f"{project}/gateway", f"{project}/billing_service", 7000) in edges


_SERVED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{{name: {name}, image: example/{name}}}]
---
apiVersion: v1
kind: Service
metadata: {{name: {name}}}
spec:
  selector: {{app: {name}}}
  ports: [{{name: http, port: 80}}, {{name: https, port: 443}}]
---
"""


def test_a_registry_route_reaches_the_port_of_its_scheme(tmp_path: Path) -> None:
    """Services serving both 80 and 443: a route asking for ``ws`` (HTTP's WebSocket) or
    ``http`` reaches 80, one asking for ``https`` 443, one with no scheme both."""

    def route(name: str, scheme: str | None) -> dict[str, str]:
        item = {"DownstreamPathTemplate": f"/{name}", "UpstreamPathTemplate": f"/{name}"}
        if scheme:
            item["DownstreamScheme"] = scheme
        return {**item, "ServiceName": name}

    routes = [route("hub", "ws"), route("api", "http"), route("vault", "https"), route("raw", None)]
    names = ("gateway", "hub", "api", "vault", "raw")
    _write(
        tmp_path,
        {
            "k8s/apps.yaml": "".join(_SERVED.format(name=name) for name in names),
            "gateway/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
            "gateway/ocelot.json": json.dumps({"Routes": routes}, indent=2),
        },
    )
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("default/gateway", "default/hub", 80),
        ("default/gateway", "default/api", 80),
        ("default/gateway", "default/vault", 443),
        ("default/gateway", "default/raw", 80),
        ("default/gateway", "default/raw", 443),
    }
