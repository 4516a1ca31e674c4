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
        (["sh", "-c", "echo http://$FRONTEND_ADDR && curl http://$API/x"], ["http://api/x"]),
        # a quoted message is no script of its own; a quoted ``sh -c`` one is
        ('echo "open http://api:80 now"; curl http://api:81', ["http://api:81"]),
        ('sh -c "curl http://api:82 && true"', ["http://api:82"]),
        # a here-document's body is text written to a file, not a word handed to a program
        (
            [
                "sh",
                "-c",
                "cat <<'EOF' > /cfg/dyn.yml\n  url: http://api:80\nEOF\ncurl http://$API/y",
            ],
            ["http://api/y"],
        ),
        (["--target=${TARGET:-http://api:80}"], ["http://api:80"]),
        # an address flag's value as the next word; not an image tag, a port mapping, a name
        ("consul-template -log-level info -consul consul:8500", ["consul:8500"]),
        (["agent", "--broker", "$API:6379"], ["api:6379"]),
        (["daprd", "-placement-host-address", "placement:50006"], []),
        ("docker run --rm postgres:15 -p 8080:80 --name cache:1", []),
        # database clients: the host flag names the server, on the tool's default port
        ("mongoimport --host db --db shop --file /seed.json", ["mongodb://db"]),
        ("mongorestore --host=rs0/db1:27017,db2:27017 /dump", ["mongodb://db1:27017,db2:27017"]),
        (["sh", "-c", "psql -h $API -p ${PGPORT:-5433} -f /init.sql"], ["postgresql://api:5433"]),
        ("PGPASSWORD=x exec pg_isready -h pg --port=5432", ["postgresql://pg:5432"]),
        ("mysql -hdb -P3307 -uroot -psecret shop < /dump.sql", ["mysql://db:3307"]),
        ("until redis-cli -h cache ping; do sleep 1; done", ["redis://cache"]),
        ("mongosh -h", []),  # the shells' -h is --help
        ("psql -h /var/run/postgresql -c 'select 1'", []),  # a Unix socket
        ("psql -h $MISSING -c 'select 1'", []),  # unknown variable, no default
        ("mysql -u root shop", []),  # no host flag: the local socket
        ("mongoimport --db shop --file /seed.json", []),
        ("app --server 8080:80 --host localhost", []),
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


def test_compose_command_hands_its_program_an_address(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("""\
name: mon
services:
  db-exporter:
    image: example/db-exporter:1
    command: ["--db.uri=${DB_URI:-mongodb://db:27017}", "--collect-all"]
  bus-exporter:
    image: example/bus-exporter:1
    command: [-healthz, -varz, "http://bus:8222"]
  reporter:
    image: example/reporter:1
    command: --listen=0.0.0.0:9000 --name=reporter --port=${PORT:-80} --retries 3
  docs:
    image: example/docs:1
    command: echo see http://bus for details
  db: {image: 'mongo:7', expose: ['27017']}
  bus: {image: 'nats:2', expose: ['4222', '8222']}
""")
    graph = discover(load_paths([str(tmp_path)]))
    found = sorted(
        (e.source, e.target, e.port, [(ev.kind.value, ev.detail) for ev in e.evidence])
        for e in graph.edges
    )
    assert found == [
        (
            "mon/bus-exporter",
            "mon/bus",
            8222,
            [("command", "command of bus-exporter: http://bus:8222 (compose service mon/bus)")],
        ),
        (
            "mon/db-exporter",
            "mon/db",
            27017,
            [
                (
                    "command",
                    "command of db-exporter: mongodb://db:27017 (compose service mon/db)",
                )
            ],
        ),
    ]
