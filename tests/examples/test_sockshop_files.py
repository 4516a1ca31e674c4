"""The demo sock shop's manifests, compose file, Dockerfiles and sources agree with each other."""

from __future__ import annotations

import ast
import base64
import io
import re
import sys
import tokenize
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

SHOP = Path(__file__).resolve().parents[2] / "examples" / "sockshop"
NAMESPACE = "sock-shop"
WORKLOADS = {
    "front-end",
    "catalogue",
    "catalogue-db",
    "carts",
    "carts-db",
    "orders",
    "orders-db",
    "payment",
    "shipping",
    "queue-master",
    "rabbitmq",
    "user",
    "user-db",
}
DATASTORE_PORTS = {
    "catalogue-db": 3306,
    "carts-db": 27017,
    "orders-db": 27017,
    "user-db": 27017,
    "rabbitmq": 5672,
}
EDGES = {
    ("front-end", "catalogue"),
    ("front-end", "carts"),
    ("front-end", "orders"),
    ("front-end", "user"),
    ("orders", "payment"),
    ("orders", "shipping"),
    ("orders", "carts"),
    ("orders", "user"),
    ("orders", "orders-db"),
    ("carts", "carts-db"),
    ("catalogue", "catalogue-db"),
    ("user", "user-db"),
    ("shipping", "rabbitmq"),
    ("queue-master", "rabbitmq"),
}
DEFAULT_PORTS = {"http": 80, "mongodb": 27017, "mysql": 3306, "amqp": 5672}

Doc = dict[str, Any]


@cache
def manifests() -> tuple[tuple[Path, Doc], ...]:
    docs = []
    for path in sorted((SHOP / "kubernetes").glob("*.yaml")):
        docs += [(path, doc) for doc in yaml.safe_load_all(path.read_text()) if doc is not None]
    return tuple(docs)


def of_kind(kind: str) -> dict[str, Doc]:
    return {doc["metadata"]["name"]: doc for _, doc in manifests() if doc["kind"] == kind}


@cache
def compose() -> Doc:
    loaded: Doc = yaml.safe_load((SHOP / "docker-compose.yml").read_text())
    return loaded


def container(deployment: Doc) -> Doc:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return dict(only)


def container_env(deployment: Doc) -> dict[str, str]:
    """The environment Kubernetes gives the container, with every reference resolved."""
    configmaps = {name: doc["data"] for name, doc in of_kind("ConfigMap").items()}
    secrets = {name: doc["data"] for name, doc in of_kind("Secret").items()}
    spec = container(deployment)
    env: dict[str, str] = {}
    for source in spec.get("envFrom", []):
        env.update(configmaps[source["configMapRef"]["name"]])
    for var in spec.get("env", []):
        if "value" in var:
            value = re.sub(r"\$\((\w+)\)", lambda m: env.get(m[1], m[0]), var["value"])
        elif "configMapKeyRef" in var["valueFrom"]:
            ref = var["valueFrom"]["configMapKeyRef"]
            value = configmaps[ref["name"]][ref["key"]]
        else:
            ref = var["valueFrom"]["secretKeyRef"]
            value = base64.b64decode(secrets[ref["name"]][ref["key"]]).decode()
        env[var["name"]] = value
    return env


def compose_env(service: Doc) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        return dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def source(name: str) -> str:
    return (SHOP / name / "app.py").read_text()


def test_every_manifest_parses_into_kubernetes_objects() -> None:
    files = sorted((SHOP / "kubernetes").glob("*.yaml"))
    assert {path.name for path in files} >= {"00-namespace.yaml"} | {f"{w}.yaml" for w in WORKLOADS}
    for path in files:
        docs = [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]
        assert docs, path
        for doc in docs:
            assert {"apiVersion", "kind", "metadata"} <= doc.keys(), path
            if doc["kind"] != "Namespace":
                assert doc["metadata"]["namespace"] == NAMESPACE, path


def test_namespace_configmap_and_secret_exist() -> None:
    assert set(of_kind("Namespace")) == {NAMESPACE}
    assert of_kind("ConfigMap")
    for secret in of_kind("Secret").values():
        for value in secret["data"].values():
            assert base64.b64decode(value).decode().startswith("fake")


def test_every_workload_has_a_deployment_and_a_matching_service() -> None:
    deployments, services = of_kind("Deployment"), of_kind("Service")
    assert set(deployments) == WORKLOADS
    assert set(services) == WORKLOADS
    for name, deployment in deployments.items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert labels == {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": NAMESPACE}
        assert deployment["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": name}
        assert services[name]["spec"]["selector"] == {"app.kubernetes.io/name": name}
        assert container(deployment)["name"] == name


def test_service_target_ports_resolve_by_name_and_by_number() -> None:
    forms = set()
    for name, service in of_kind("Service").items():
        ports = container(of_kind("Deployment")[name])["ports"]
        for port in service["spec"]["ports"]:
            target = port["targetPort"]
            forms.add(type(target))
            key = "name" if isinstance(target, str) else "containerPort"
            assert target in {p[key] for p in ports}, (name, target)
            expected = DATASTORE_PORTS.get(name, 80)
            assert port["port"] == expected, name
    assert forms == {str, int}


def test_only_the_front_end_is_exposed_outside_the_cluster() -> None:
    for name, service in of_kind("Service").items():
        if name == "front-end":
            assert service["spec"]["type"] == "NodePort"
            assert service["spec"]["ports"] == [
                {"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30001}
            ]
        else:
            assert service["spec"].get("type", "ClusterIP") == "ClusterIP", name


def test_application_containers_listen_on_8080_and_datastores_on_their_usual_port() -> None:
    for name, deployment in of_kind("Deployment").items():
        (port,) = container(deployment)["ports"]
        assert port["containerPort"] == DATASTORE_PORTS.get(name, 8080), name
        if name not in DATASTORE_PORTS:
            assert port["name"] == "http"
            assert container_env(deployment)["PORT"] == "8080"


def service_of_host(host: str) -> str:
    """`orders`, `orders.sock-shop`, `orders.sock-shop.svc[.cluster.local]` all name `orders`."""
    first, *rest = host.split(".")
    suffixes: tuple[list[str], ...] = (
        [],
        [NAMESPACE],
        [NAMESPACE, "svc"],
        [NAMESPACE, "svc", "cluster", "local"],
    )
    assert rest in suffixes, host
    return first


def test_kubernetes_env_urls_name_real_services_and_draw_the_14_edges() -> None:
    services = of_kind("Service")
    edges = set()
    for name, deployment in of_kind("Deployment").items():
        for value in container_env(deployment).values():
            if "://" not in value:
                continue
            url = urlsplit(value)
            peer = service_of_host(url.hostname or "")
            assert peer in services, (name, value)
            port = url.port or DEFAULT_PORTS[url.scheme]
            assert port in {p["port"] for p in services[peer]["spec"]["ports"]}, (name, value)
            edges.add((name, peer))
    assert edges == EDGES


def test_kubernetes_env_uses_configmaps_secrets_and_several_url_spellings() -> None:
    deployments = of_kind("Deployment")
    assert container(deployments["queue-master"])["envFrom"]
    assert container_env(deployments["queue-master"])["AMQP_URL"].startswith("amqp://")
    catalogue = container(deployments["catalogue"])["env"]
    assert any("secretKeyRef" in var.get("valueFrom", {}) for var in catalogue)
    assert "$(" not in container_env(deployments["catalogue"])["CATALOGUE_DB_DSN"]
    front = container_env(deployments["front-end"])
    assert front == {
        "PORT": "8080",
        "CATALOGUE_URL": "http://catalogue",
        "CARTS_URL": "http://carts:80",
        "ORDERS_URL": "http://orders.sock-shop",
        "USER_URL": "http://user.sock-shop.svc.cluster.local:80",
    }


def test_manifests_keep_the_insecure_defaults_for_socklock_to_fix() -> None:
    assert all(doc["kind"] != "NetworkPolicy" for _, doc in manifests())
    images = []
    for name, deployment in of_kind("Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        assert "securityContext" not in pod, name
        assert "automountServiceAccountToken" not in pod, name
        assert "hostNetwork" not in pod, name
        spec = container(deployment)
        assert "securityContext" not in spec, name
        assert "resources" not in spec, name
        images.append(spec["image"])
        assert spec["image"].startswith(f"socklock-demo/{name}:"), name
    assert all("@sha256:" not in image for image in images)
    assert 1 <= sum(image.endswith(":latest") for image in images) <= 2
    literal_passwords = [
        var
        for deployment in of_kind("Deployment").values()
        for var in container(deployment).get("env", [])
        if "PASSWORD" in var["name"] and "value" in var
    ]
    assert literal_passwords


def test_manifests_carry_comments_for_the_fixer_to_preserve() -> None:
    inner_comments = 0
    for path in (SHOP / "kubernetes").glob("*.yaml"):
        lines = path.read_text().splitlines()
        inner_comments += sum(line.lstrip().startswith("#") for line in lines[1:])
    assert inner_comments >= 5


def test_compose_has_the_same_services_and_edges() -> None:
    project = compose()
    assert project["name"] == "sockshop"
    services = project["services"]
    assert set(services) == WORKLOADS
    edges = set()
    for name, service in services.items():
        assert service["build"] == f"./{name}"
        exposed = [int(port) for port in service["expose"]]
        assert exposed == [DATASTORE_PORTS.get(name, 8080)], name
        for value in compose_env(service).values():
            if "://" in value:
                url = urlsplit(value)
                assert url.hostname in services, (name, value)
                assert [url.port] == [int(p) for p in services[url.hostname]["expose"]], value
                edges.add((name, url.hostname))
    assert edges == EDGES


def test_compose_uses_both_spellings_and_keeps_the_insecure_defaults() -> None:
    services = compose()["services"]
    env_forms = {type(s["environment"]) for s in services.values() if "environment" in s}
    assert env_forms == {list, dict}
    depends_forms = {type(s["depends_on"]) for s in services.values() if "depends_on" in s}
    assert depends_forms == {list, dict}
    for name, service in services.items():
        assert not {"user", "read_only", "cap_drop", "security_opt", "mem_limit"} & service.keys()
        assert "deploy" not in service
        assert ("ports" in service) == (name == "front-end"), name
        assert set(service.get("depends_on", [])) == {b for a, b in EDGES if a == name}, name
    assert services["front-end"]["ports"] == ["8079:8080"]


BASE_DIGEST = "sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea"


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_every_service_directory_is_a_build_context(name: str) -> None:
    directory = SHOP / name
    assert (directory / "app.py").is_file()
    lines = (directory / "Dockerfile").read_text().splitlines()
    instructions = [line for line in lines if line and not line.startswith("#")]
    assert instructions[0] == f"FROM python:3.12-slim@{BASE_DIGEST}"
    assert "COPY app.py ." in instructions
    assert f"EXPOSE {DATASTORE_PORTS.get(name, 8080)}" in instructions
    assert instructions[-1] == 'CMD ["python", "app.py"]'
    assert instructions[-2].startswith("HEALTHCHECK ")
    assert not any(line.startswith("USER") for line in instructions)  # runs as root: to fix


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_sources_read_exactly_what_the_manifests_provide(name: str) -> None:
    text = source(name)
    read = set(re.findall(r"os\.(?:environ\.get|environ|getenv)[(\[]\"(\w+)\"", text))
    required = set(re.findall(r"os\.(?:environ\[|getenv\()\"(\w+)\"[\])]", text))
    k8s = container(of_kind("Deployment")[name])
    k8s_env = container_env(of_kind("Deployment")[name])
    only_expanded = {
        var["name"]
        for var in k8s.get("env", [])
        if any(f"$({var['name']})" in other.get("value", "") for other in k8s["env"])
    }
    assert set(k8s_env) - only_expanded <= read, name
    assert required <= set(k8s_env), name
    assert required <= set(compose_env(compose()["services"][name])), name


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_sources_use_only_the_standard_library_and_no_comment_names_a_url(name: str) -> None:
    text = source(name)
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            continue
        for module in modules:
            top = module.split(".")[0]
            assert top in sys.stdlib_module_names or top == "__future__", module
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            assert "://" not in token.string, token.string
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef):
            assert "://" not in (ast.get_docstring(node) or ""), name
