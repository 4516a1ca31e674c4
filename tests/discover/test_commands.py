"""Addresses on command lines: Kubernetes command/args and Dockerfile CMD/ENTRYPOINT."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.discover import discover
from socklock.discover.commands import command_values
from socklock.load import load_paths

ENV = {"FRONTEND_ADDR": "frontend:80", "API": "api"}


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ('locust --host="http://${FRONTEND_ADDR}" -u "${USERS:-10}"', [("http://frontend:80")]),
        (["sh", "-c", "wget -q http://$FRONTEND_ADDR/health"], ["http://frontend:80/health"]),
        (["--upstream=$(API):8080"], ["api:8080"]),
        (["--upstream=${MISSING}:8080"], []),  # unknown variable, no default: not a call
        (["--port=${PORT:-8080}", "--name=x"], []),  # no host:port, no scheme
        (["echo", "pinging ${FRONTEND_ADDR}..."], []),  # a message, not a call
        (["--target=${TARGET:-http://api:80}"], ["http://api:80"]),
    ],
)
def test_command_values(command: str | list[str], expected: list[str]) -> None:
    assert [value for _, value, _ in command_values(command, ENV)] == expected


def test_kubernetes_args_and_dockerfile_entrypoint(tmp_path: Path) -> None:
    (tmp_path / "k8s.yaml").write_text("""\
apiVersion: apps/v1
kind: Deployment
metadata: {name: load, namespace: shop}
spec:
  template:
    metadata: {labels: {app: load}}
    spec:
      containers:
      - name: load
        image: shop/load:1
        args: ["--check=http://$(FRONTEND_ADDR)/"]
        env: [{name: FRONTEND_ADDR, value: "web:80"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: shop/web:1, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
""")
    (tmp_path / "load").mkdir()
    (tmp_path / "load" / "Dockerfile").write_text(
        'FROM alpine\nENV RATE=1\nENTRYPOINT locust --host="http://${FRONTEND_ADDR}" -r $RATE\n'
    )
    graph = discover(load_paths([str(tmp_path)]))
    (edge,) = graph.edges
    assert (edge.source, edge.target, edge.port) == ("shop/load", "shop/web", 8080)
    commands = sorted(
        (Path(ev.location.file).name, ev.location.line, ev.detail)
        for ev in edge.evidence
        if ev.kind.value == "command"
    )
    assert commands == [
        (
            "Dockerfile",
            3,
            "ENTRYPOINT http://${FRONTEND_ADDR} (FRONTEND_ADDR from env) "
            "(Service shop/web port 80 → targetPort 8080)",
        ),
        (
            "k8s.yaml",
            11,
            "args of container load: http://$(FRONTEND_ADDR)/ (FRONTEND_ADDR from "
            "env) (Service shop/web port 80 → targetPort 8080)",
        ),
    ]
