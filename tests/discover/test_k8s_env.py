"""Kubernetes dependent env vars: ``$(VAR)`` expanded as the kubelet does, from the entries
defined before and the Service environment variables of the namespace."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.discover.k8s_env import expand, service_variables
from socklock.load import load_paths


def test_references_expand_from_the_first_mapping_that_has_them() -> None:
    assert expand("http://$(HOST):$(PORT)/x", {"HOST": "api"}, {"PORT": "80", "HOST": "no"}) == (
        "http://api:80/x"
    )


def test_unresolved_escaped_and_incomplete_references_stay_as_the_reference_says() -> None:
    assert expand("$(MISSING)", {}) == "$(MISSING)"
    assert expand("$$(HOST)", {"HOST": "api"}) == "$(HOST)"
    assert expand("a$$b", {}) == "a$b"
    assert expand("$(HOST", {"HOST": "api"}) == "$(HOST"
    assert expand("${HOST} $HOST $", {"HOST": "api"}) == "${HOST} $HOST $"
    assert expand("$()", {"": "x"}) == "x"


_MANIFESTS = """\
apiVersion: v1
kind: Service
metadata: {name: order-store}
spec:
  selector: {app: order-store}
  ports: [{name: grpc-api, port: 7000, targetPort: 7001}, {name: metrics, port: 9100}]
---
apiVersion: v1
kind: Service
metadata: {name: ledger}
spec:
  clusterIP: None
  selector: {app: ledger}
  ports: [{port: 5000}]
---
apiVersion: v1
kind: Service
metadata: {name: bank, namespace: other}
spec:
  selector: {app: bank}
  ports: [{port: 6000}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: order-store}
spec:
  selector: {matchLabels: {app: order-store}}
  template:
    metadata: {labels: {app: order-store}}
    spec:
      containers: [{name: s, image: org/store, ports: [{containerPort: 7001}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger}
spec:
  selector: {matchLabels: {app: ledger}}
  template:
    metadata: {labels: {app: ledger}}
    spec:
      containers: [{name: l, image: org/ledger, ports: [{containerPort: 5000}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: bank, namespace: other}
spec:
  selector: {matchLabels: {app: bank}}
  template:
    metadata: {labels: {app: bank}}
    spec:
      containers: [{name: b, image: org/bank, ports: [{containerPort: 6000}]}]
"""

_CALLER = """\
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      {links}containers:
      - name: c
        image: org/{name}
        env:
{env}
"""


def _edges(tmp_path: Path, callers: dict[str, list[tuple[str, str]]], links: str = "") -> set:
    text = _MANIFESTS
    for name, env in callers.items():
        lines = "\n".join(f"        - {{name: {n}, value: '{v}'}}" for n, v in env)
        text += _CALLER.format(name=name, env=lines, links=links)
    (tmp_path / "app.yaml").write_text(text)
    graph = discover(load_paths([str(tmp_path)]), code=False)
    return {(e.source, e.target, e.port) for e in graph.edges}


def test_service_variables_name_the_service_and_its_ports(tmp_path: Path) -> None:
    edges = _edges(
        tmp_path,
        {
            "first": [
                ("STORE_URL", "http://$(ORDER_STORE_SERVICE_HOST):$(ORDER_STORE_SERVICE_PORT)")
            ],
            "named": [("STORE", "$(ORDER_STORE_SERVICE_HOST):$(ORDER_STORE_SERVICE_PORT_METRICS)")],
            "linked": [("STORE_ADDR", "$(ORDER_STORE_PORT)")],
            "chained": [("PREFIX", "order"), ("STORE_URL", "grpc://$(PREFIX)-store:7000")],
        },
    )
    assert edges == {
        ("default/first", "default/order-store", 7001),
        ("default/named", "default/order-store", 9100),
        ("default/linked", "default/order-store", 7001),
        ("default/chained", "default/order-store", 7001),
    }


def test_what_the_kubelet_leaves_unexpanded_calls_nothing(tmp_path: Path) -> None:
    edges = _edges(
        tmp_path,
        {
            # a later entry, an escaped reference, a headless Service, another namespace's
            "later": [("STORE_URL", "grpc://$(PREFIX)-store:7000"), ("PREFIX", "order")],
            "escaped": [("STORE_URL", "http://$$(ORDER_STORE_SERVICE_HOST):7000")],
            "headless": [("LEDGER", "http://$(LEDGER_SERVICE_HOST):5000")],
            "foreign": [("BANK", "http://$(BANK_SERVICE_HOST):6000")],
        },
    )
    assert edges == set()


def test_a_pod_without_service_links_gets_no_service_variables(tmp_path: Path) -> None:
    env = [("STORE_URL", "http://$(ORDER_STORE_SERVICE_HOST):$(ORDER_STORE_SERVICE_PORT)")]
    assert _edges(tmp_path, {"unlinked": env}, links="enableServiceLinks: false\n      ") == set()


def test_the_link_variables_of_each_port(tmp_path: Path) -> None:
    (tmp_path / "dns.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: dns-cache}\nspec:\n"
        "  selector: {app: dns}\n"
        "  ports: [{name: dns, port: 53, protocol: UDP}, {port: 8080}]\n"
    )
    services = load_paths([str(tmp_path)]).services
    assert service_variables(services, "default") == {
        "DNS_CACHE_SERVICE_HOST": "dns-cache",
        "DNS_CACHE_SERVICE_PORT": "53",
        "DNS_CACHE_SERVICE_PORT_DNS": "53",
        "DNS_CACHE_PORT": "udp://dns-cache:53",
        "DNS_CACHE_PORT_53_UDP": "udp://dns-cache:53",
        "DNS_CACHE_PORT_53_UDP_PROTO": "udp",
        "DNS_CACHE_PORT_53_UDP_PORT": "53",
        "DNS_CACHE_PORT_53_UDP_ADDR": "dns-cache",
        "DNS_CACHE_PORT_8080_TCP": "tcp://dns-cache:8080",
        "DNS_CACHE_PORT_8080_TCP_PROTO": "tcp",
        "DNS_CACHE_PORT_8080_TCP_PORT": "8080",
        "DNS_CACHE_PORT_8080_TCP_ADDR": "dns-cache",
    }
    assert service_variables(services, "other") == {}
