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


def _profiled_pom(starter: str, activation: str) -> str:
    """The starter only in a Maven profile (``activation``: its ``<activation>`` body)."""
    return (
        "<project><artifactId>app</artifactId><profiles><profile><id>k8s</id>"
        f"<activation>{activation}</activation><dependencies><dependency>"
        f"<groupId>org.springframework.cloud</groupId><artifactId>{starter}</artifactId>"
        "</dependency></dependencies></profile></profiles></project>\n"
    )


def _bootstrap(name: str, config_map: str, profile: str) -> str:
    """``spring.cloud.kubernetes.config.name`` under Spring profile ``profile``."""
    return (
        f"spring:\n  application:\n    name: {name}\n---\n"
        f"spring:\n  config:\n    activate:\n      on-profile: {profile}\n"
        f"  cloud:\n    kubernetes:\n      config:\n        name: {config_map}\n"
    )


def _shared(name: str, host: str) -> str:
    return (
        "apiVersion: v1\nkind: ConfigMap\n"
        f"metadata: {{name: {name}, namespace: shop}}\n"
        "data:\n"
        "  application.yaml: |-\n"
        f"    spring:\n      data:\n        mongodb:\n          host: {host}\n"
    )


def test_the_config_map_the_application_names_is_its_config(tmp_path: Path) -> None:
    starter = "spring-cloud-starter-kubernetes-client-config"
    kubernetes = "{name: SPRING_PROFILES_ACTIVE, value: kubernetes}"
    files = {
        "k8s/catalog.yaml": workload("catalog", env=kubernetes),
        "k8s/ledger.yaml": workload("ledger", env=kubernetes),
        "k8s/stock.yaml": workload("stock", env=kubernetes),
        "k8s/mongo.yaml": workload("mongo", port=27017),
        "k8s/archive.yaml": workload("archive", port=27017),
        "k8s/shared.yaml": _shared("shared-config", "mongo"),
        # named like catalog, but catalog reads the ConfigMap it names instead
        "k8s/catalog-config.yaml": _shared("catalog", "archive"),
        # the starter in a Maven profile active by default: a plain build has it
        "catalog/Dockerfile": "FROM eclipse-temurin:21\n",
        "catalog/pom.xml": _profiled_pom(starter, "<activeByDefault>true</activeByDefault>"),
        "catalog/src/main/resources/bootstrap.yml": _bootstrap(
            "catalog", "shared-config", "kubernetes"
        ),
        # the name in a profile it does not run: its own name's ConfigMap (there is none)
        "ledger/Dockerfile": "FROM eclipse-temurin:21\n",
        "ledger/pom.xml": _pom(starter),
        "ledger/src/main/resources/bootstrap.yml": _bootstrap("ledger", "shared-config", "cloud"),
        # the starter only in a profile a property switches on: a plain build lacks it
        "stock/Dockerfile": "FROM eclipse-temurin:21\n",
        "stock/pom.xml": _profiled_pom(starter, "<property><name>k8s</name></property>"),
        "stock/src/main/resources/bootstrap.yml": _bootstrap(
            "stock", "shared-config", "kubernetes"
        ),
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(tmp_path)]), manifests=False)
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("shop/catalog", "shop/mongo", 27017)
    }


def test_a_list_of_sources_names_each_config_map() -> None:
    from socklock.discover.code.config_files import ConfigFileAnalyser
    from socklock.discover.code.interface import Declaration

    resources = "/app/src/main/resources/"
    listed = (
        b"spring:\n  cloud:\n    kubernetes:\n      config:\n        sources:\n"
        b"          - name: shared\n          - name: orders\n"
    )
    cases = [
        ("application.properties", b"spring.cloud.kubernetes.config.sources[0].name=shared\n"),
        ("application.yml", listed),
        ("application.properties", b"spring.cloud.kubernetes.secrets.name=vault\n"),  # not one
    ]
    found = [
        [
            r.value
            for r in ConfigFileAnalyser().analyse(resources + name, text)
            if isinstance(r, Declaration) and r.what == "config-map-name"
        ]
        for name, text in cases
    ]
    assert found == [["shared"], ["shared", "orders"], []]
