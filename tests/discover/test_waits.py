"""Wait-for commands (wait-for-it, wait-for, dockerize -wait, nc -z) connect to what they name."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.discover import discover
from socklock.discover.waits import waits
from socklock.load import load_paths

ENV = {"DB_HOST": "db", "DB_PORT": "5432"}


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("wait-for-it api:8080 -- npm start", [("wait-for-it", "api:8080")]),
        ('bash -c "wait-for-it api:8080 -- ${CMD:-npm start}"', [("wait-for-it", "api:8080")]),
        (
            "./wait-for-it.sh -h $DB_HOST -p ${DB_PORT} -t 30 -- java -jar app.jar",
            [("wait-for-it.sh", "db:5432")],
        ),
        ("wait-for-it --host=db --port=5432 --strict", [("wait-for-it", "db:5432")]),
        ("sh ./wait-for.sh cache:6379 -t 10 -- node server.js", [("wait-for.sh", "cache:6379")]),
        (
            "wait-for -t 30 -q http://api:8080/ready -- ./app",
            [("wait-for", "http://api:8080/ready")],
        ),
        ("wait-for cache -- ./app", []),  # no port
        (
            "dockerize -wait tcp://db:5432 -wait=http://api:8080/health -timeout 60s ./app",
            [("dockerize", "tcp://db:5432"), ("dockerize", "http://api:8080/health")],
        ),
        (
            ["sh", "-c", "until nc -z -w1 $(DB_HOST) $DB_PORT; do sleep 1; done; exec ./app"],
            [("nc", "db:5432")],
        ),
        ("while ! nc -zv queue 5672 && true; do sleep 2; done", [("nc", "queue:5672")]),
        ("nc db 5432", []),  # no -z: not a wait
        ("nc -l -p 8080", []),  # a listener
        ("nc -z db 5000-5010", []),  # a range is a scan, not one address
        ("wait-for-it ${MISSING}:5432 -- app", []),  # unknown variable, no default
        ("echo wait-for-it api:8080", []),  # a word, not the program
        ("wait-for-it api -- app", []),  # no port
        ("dockerize -wait file:///tmp/ready -template a:b app", []),  # a file, not a socket
        ("wait-for-it.sh api:8080 -- wait-for-it db:5432", [("wait-for-it.sh", "api:8080")]),
    ],
)
def test_waits(command: str | list[str], expected: list[tuple[str, str]]) -> None:
    assert [(w.tool, w.value) for w in waits(command, ENV)] == expected


def test_compose_command_waits_for_a_service(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text("""\
services:
  web:
    image: shop/web:1
    command: bash -c "wait-for-it api:4000 -- npm run prod"
  worker:
    image: shop/api:1
    entrypoint: ["dockerize", "-wait", "tcp://db:5432"]
    command: ["sidekiq"]
  api:
    image: shop/api:1
    expose: ["4000"]
  db:
    image: postgres:16
  tool:
    image: shop/tool:1
    command: nc db 5432
""")
    graph = discover(load_paths([str(tmp_path)]))
    found = sorted(
        (e.source, e.target, e.port, ev.kind.value, ev.location.line, ev.detail)
        for e in graph.edges
        for ev in e.evidence
    )
    project = tmp_path.name.lower()
    assert [(s.split("/")[1], t.split("/")[1], p, k, line) for s, t, p, k, line, _ in found] == [
        ("web", "api", 4000, "wait-for", 4),
        ("worker", "db", 5432, "wait-for", 7),
    ]
    assert found[0][5] == (
        f"wait-for-it api:4000 in the command of compose service web (command) "
        f"(compose service {found[0][1]})"
    )
    assert found[0][1] == f"{project}/api"


def test_kubernetes_init_container_nc_waits_for_a_service(tmp_path: Path) -> None:
    (tmp_path / "k8s.yaml").write_text("""\
apiVersion: apps/v1
kind: Deployment
metadata: {name: orders, namespace: shop}
spec:
  template:
    metadata: {labels: {app: orders}}
    spec:
      initContainers:
      - name: wait-for-db
        image: busybox
        command: ["sh", "-c"]
        args: ["until nc -z $(WAIT_ON) 5432; do sleep 2; done"]
        env: [{name: WAIT_ON, value: db}]
      containers: [{name: orders, image: shop/orders:1}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres:16, ports: [{containerPort: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {selector: {app: db}, ports: [{port: 5432}]}
""")
    graph = discover(load_paths([str(tmp_path)]))
    (edge,) = graph.edges
    assert (edge.source, edge.target, edge.port) == ("shop/orders", "shop/db", 5432)
    assert [(ev.kind.value, ev.location.line, ev.detail) for ev in edge.evidence] == [
        (
            "wait-for",
            11,
            "nc $(WAIT_ON):5432 in the command of container wait-for-db (WAIT_ON from env) "
            "(Service shop/db port 5432)",
        )
    ]


def test_dockerfile_entrypoint_waits_unless_the_deployment_replaces_it(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text("""\
services:
  web:
    build: ./web
  job:
    build: ./job
    command: ["./run-once"]
  api:
    image: shop/api:1
    expose: ["4000"]
  db:
    image: postgres:16
""")
    for name in ("web", "job"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(
            "FROM node:20\n"
            'ENTRYPOINT ["dockerize", "-wait", "http://api:4000/health", "--"]\n'
            "CMD wait-for-it db:5432 -- node server.js\n"
        )
    graph = discover(load_paths([str(tmp_path)]))
    found = sorted(
        (e.source.split("/")[1], e.target.split("/")[1], e.port, ev.kind.value, ev.detail)
        for e in graph.edges
        for ev in e.evidence
    )
    project = tmp_path.name.lower()
    assert found == [
        (  # the compose command replaces the CMD, not the ENTRYPOINT
            "job",
            "api",
            4000,
            "wait-for",
            f"ENTRYPOINT dockerize http://api:4000/health (compose service {project}/api)",
        ),
        (
            "web",
            "api",
            4000,
            "wait-for",
            f"ENTRYPOINT dockerize http://api:4000/health (compose service {project}/api)",
        ),
        ("web", "db", 5432, "wait-for", f"CMD wait-for-it db:5432 (compose service {project}/db)"),
    ]
