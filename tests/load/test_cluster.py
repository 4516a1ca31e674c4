"""`--cluster`: the official client against a local HTTPS API server of ours.

The server answers list calls with responses recorded as the API server writes them (List
objects whose items carry no kind, server-set metadata, status, managedFields), built here
from the example shop's manifests; nothing in the client is patched.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from tests.conftest import DEMO_SHOP

pytest.importorskip("kubernetes", reason="the 'cluster' extra (kubernetes client) is needed")

MANIFESTS = DEMO_SHOP / "kubernetes"
# kind -> the list path the client calls for every namespace (as kubectl get -A does)
PATHS = {
    "Namespace": "/api/v1/namespaces",
    "Deployment": "/apis/apps/v1/deployments",
    "StatefulSet": "/apis/apps/v1/statefulsets",
    "DaemonSet": "/apis/apps/v1/daemonsets",
    "ReplicaSet": "/apis/apps/v1/replicasets",
    "Job": "/apis/batch/v1/jobs",
    "CronJob": "/apis/batch/v1/cronjobs",
    "Pod": "/api/v1/pods",
    "Service": "/api/v1/services",
    "ServiceAccount": "/api/v1/serviceaccounts",
    "ConfigMap": "/api/v1/configmaps",
    "NetworkPolicy": "/apis/networking.k8s.io/v1/networkpolicies",
    "Ingress": "/apis/networking.k8s.io/v1/ingresses",
}
API_VERSIONS = {"apps": "apps/v1", "batch": "batch/v1", "networking.k8s.io": "networking.k8s.io/v1"}


def recorded(objects: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """List items by path, as the API server returns them."""
    items: dict[str, list[dict[str, Any]]] = {path: [] for path in PATHS.values()}
    for number, obj in enumerate(objects):
        if obj["kind"] not in PATHS:
            continue  # Secrets: socklock does not read them from a cluster
        item = copy.deepcopy(obj)
        item.pop("apiVersion")
        kind = item.pop("kind")
        metadata = item["metadata"]
        if kind != "Namespace":
            metadata.setdefault("namespace", "default")
        metadata.update(
            uid=f"00000000-0000-0000-0000-{number:012d}",
            resourceVersion=str(1000 + number),
            creationTimestamp="2026-12-01T10:00:00Z",
            managedFields=[{"manager": "kubectl", "operation": "Apply", "fieldsV1": {}}],
        )
        item.setdefault("status", {})
        items[PATHS[kind]].append(item)
    return items


def shop_objects() -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        objects.extend(d for d in yaml.safe_load_all(path.read_text()) if d)
    return objects


def running_pods(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the controllers make of each Deployment: a ReplicaSet and one Pod with an IP."""
    made: list[dict[str, Any]] = []
    for number, deployment in enumerate(o for o in objects if o["kind"] == "Deployment"):
        meta = deployment["metadata"]
        rs_name = f"{meta['name']}-5d9c7b{number:02d}"
        template = deployment["spec"]["template"]
        labels = {**template["metadata"]["labels"], "pod-template-hash": f"5d9c7b{number:02d}"}
        owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs_name, "controller": True}
        made.append(
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "metadata": {
                    "name": rs_name,
                    "namespace": meta.get("namespace", "default"),
                    "labels": labels,
                    "ownerReferences": [{**owner, "kind": "Deployment", "name": meta["name"]}],
                },
                "spec": {"selector": {"matchLabels": labels}, "template": template},
            }
        )
        made.append(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": f"{rs_name}-x{number:02d}",
                    "namespace": meta.get("namespace", "default"),
                    "labels": labels,
                    "ownerReferences": [owner],
                },
                "spec": template["spec"],
                "status": {"podIP": f"10.244.0.{number + 10}"},
            }
        )
    return made


@dataclass
class ApiServer:
    """A TLS server on loopback answering list calls from ``lists`` (path -> items)."""

    lists: dict[str, list[dict[str, Any]]]
    forbidden: set[str] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)
    port: int = 0

    def items(self, path: str) -> list[dict[str, Any]] | None:
        """A namespaced list is the cluster-wide one, filtered, as the API server does."""
        if path in self.lists:
            return self.lists[path]
        match = re.fullmatch(r"(/api/v1|/apis/[^/]+/v1)/namespaces/([^/]+)/([^/]+)", path)
        if match is None or f"{match[1]}/{match[3]}" not in self.lists:
            return None
        return [
            item
            for item in self.lists[f"{match[1]}/{match[3]}"]
            if item["metadata"].get("namespace") == match[2]
        ]

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                server.requests.append(self.path)
                query = parse_qs(url.query)
                if url.path in server.forbidden:
                    resource = url.path.rsplit("/", 1)[-1]
                    return self.reply(
                        403,
                        status(
                            403,
                            f'{resource} is forbidden: User "viewer" cannot list resource '
                            f'"{resource}" in API group "" at the cluster scope',
                        ),
                    )
                items = server.items(url.path)
                if items is None:
                    return self.reply(404, status(404, "the server could not find the resource"))
                start = int(query.get("continue", ["0"])[0])
                limit = int(query.get("limit", [str(len(items) or 1)])[0])
                page = items[start : start + limit]
                more = start + limit < len(items)
                kind = "List"
                return self.reply(
                    200,
                    {
                        "kind": kind,
                        "apiVersion": "v1",
                        "metadata": {"resourceVersion": "5000"}
                        | ({"continue": str(start + limit)} if more else {}),
                        "items": page,
                    },
                )

            def reply(self, code: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


def status(code: int, message: str) -> dict[str, Any]:
    reason = {403: "Forbidden", 404: "NotFound"}[code]
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to make the test API server's certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "server.crt", folder / "server.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def api(
    certificate: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ApiServer]:
    objects = shop_objects()
    server_state = ApiServer(recorded([*objects, *running_pods(objects)]))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), server_state.handler())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, certificate))
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    server_state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    kubeconfig = write_kubeconfig(tmp_path, server_state.port, certificate[0])
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    try:
        yield server_state
    finally:
        httpd.shutdown()
        httpd.server_close()


def write_kubeconfig(folder: Path, port: int, ca: Path) -> Path:
    path = folder / "kubeconfig"
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [
                    {
                        "name": "lab",
                        "cluster": {
                            "server": f"https://127.0.0.1:{port}",
                            "certificate-authority": str(ca),
                        },
                    }
                ],
                "users": [{"name": "viewer", "user": {"token": "not-a-secret"}}],
                "contexts": [
                    {"name": "test", "context": {"cluster": "lab", "user": "viewer"}},
                    {"name": "other", "context": {"cluster": "lab", "user": "viewer"}},
                ],
                "current-context": "test",
            }
        )
    )
    return path


def socklock(*args: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "socklock", *args],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
    )
    return done.returncode, done.stdout, done.stderr


def graph_of(out: str) -> tuple[list[tuple[str, str, int]], list[str]]:
    document = json.loads(out)
    edges = sorted((e["from"], e["to"], e["port"]) for e in document["edges"])
    return edges, sorted(w["id"] for w in document["workloads"])


def test_the_live_cluster_gives_the_same_graph_as_the_files(api: ApiServer) -> None:
    code, out, err = socklock("map", "--cluster", "--format", "json")
    assert (code, err) == (0, "")
    _, from_files, _ = socklock("map", str(MANIFESTS), "--no-code", "--format", "json")
    assert graph_of(out) == graph_of(from_files)
    edges, _ = graph_of(out)
    assert ("sock-shop/front-end", "sock-shop/catalogue", 8080) in edges
    evidence = [e for e in json.loads(out)["edges"] if e["from"] == "sock-shop/orders"]
    assert evidence[0]["evidence"][0]["file"].startswith("cluster:test/sock-shop/Deployment/")
    # every kind listed once, for every namespace, in pages
    assert sorted(r.split("?")[0] for r in api.requests) == sorted(PATHS.values())
    assert all("limit=500" in r for r in api.requests)


def test_a_kind_rbac_forbids_is_one_line_and_the_rest_is_read(api: ApiServer) -> None:
    api.forbidden.add("/api/v1/configmaps")
    code, out, err = socklock("map", "--cluster", "--format", "json")
    assert code == 2
    assert err.splitlines() == [
        "cluster:test: error: forbidden to list configmaps at the cluster scope (RBAC): "
        'configmaps is forbidden: User "viewer" cannot list resource "configmaps" in API '
        'group "" at the cluster scope'
    ]
    assert "sock-shop/front-end" in graph_of(out)[1]


def test_one_namespace_and_another_context(api: ApiServer) -> None:
    code, _, err = socklock(
        "map", "--cluster", "--context", "other", "--cluster-namespace", "sock-shop"
    )
    assert code == 0, err
    assert {r.split("?")[0] for r in api.requests} >= {"/api/v1/namespaces/sock-shop/services"}
    assert "/api/v1/namespaces" not in {r.split("?")[0] for r in api.requests}
    code, _, err = socklock("map", "--cluster", "--context", "nope")
    assert (code, err.strip()) == (
        2,
        "cluster:nope: error: cannot use the kubeconfig: no context 'nope' in the kubeconfig",
    )


def test_an_unreachable_server_is_one_line(
    tmp_path: Path, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("KUBECONFIG", str(write_kubeconfig(tmp_path, port, certificate[0])))
    code, _, err = socklock("map", "--cluster")
    assert code == 2
    assert err.splitlines() == [
        "cluster:test: error: cannot reach the API server: Failed to establish a new "
        "connection: [Errno 111] Connection refused"
    ]


def test_pages_are_followed_and_controller_made_objects_left_out(
    api: ApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socklock.load import cluster

    monkeypatch.setattr(cluster, "PAGE", 4)
    read = cluster.read_cluster()
    assert read.diagnostics == []
    names = sorted(read.streams)
    deployments = [n for n in names if "/Deployment/" in n]
    assert len(deployments) == 13 and deployments[0] == "cluster:test/sock-shop/Deployment/carts"
    assert [n for n in names if "/ReplicaSet/" in n] == []  # made by the Deployments
    assert len([n for n in names if "/Pod/" in n]) == 13
    assert any("continue=4" in r for r in api.requests)
    text = read.streams["cluster:test/sock-shop/Deployment/carts"].decode()
    assert text.startswith("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n")
    assert "managedFields" not in text


def test_no_paths_and_no_cluster_is_a_usage_error() -> None:
    code, _, err = socklock("map")
    assert (code, err.strip()) == (
        2,
        "error: give PATHS (directories, files, or - for standard input) or --cluster",
    )
