"""Spring Cloud Kubernetes Config: the ConfigMap named like the application configures it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.discover.shop import workload

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path


def _pom(starter: str) -> str:
    return (
        "<project><artifactId>app</artifactId><dependencies>"
        f"<dependency><groupId>org.springframework.cloud</groupId><artifactId>{starter}"
        "</artifactId></dependency></dependencies></project>\n"
    )


def _config_map(name: str) -> str:
    return (
        "apiVersion: v1\nkind: ConfigMap\n"
        f"metadata: {{name: {name}, namespace: shop}}\n"
        "data:\n"
        "  application.properties: |-\n"
        "    spring.data.mongodb.host: mongo\n"
        "  notes.txt: http://mongo:27017\n"
    )


def test_the_config_map_named_like_the_application_is_its_config(tmp_path: Path) -> None:
    files = {
        "k8s/orders.yaml": workload("orders"),
        "k8s/billing.yaml": workload("billing"),
        "k8s/mongo.yaml": workload("mongo", port=27017),
        "k8s/orders-config.yaml": _config_map("orders"),
        "k8s/billing-config.yaml": _config_map("billing"),
        "orders/Dockerfile": "FROM eclipse-temurin:21\n",
        "orders/pom.xml": _pom("spring-cloud-starter-kubernetes-client-config"),
        "orders/src/main/resources/application.yml": "spring:\n  application:\n    name: orders\n",
        "billing/Dockerfile": "FROM eclipse-temurin:21\n",
        "billing/pom.xml": _pom("spring-cloud-starter-openfeign"),
        "billing/src/main/resources/application.yml": (
            "spring:\n  application:\n    name: billing\n"
        ),
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    # billing has no Spring Cloud Kubernetes Config client: its ConfigMap configures nothing;
    # a key that is no application config file is not read
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("shop/orders", "shop/mongo", 27017)
    }
    (edge,) = graph.edges
    assert (edge.evidence[0].location.file, edge.evidence[0].location.line) == (
        str(tmp_path / "k8s/orders-config.yaml"),
        6,
    )
