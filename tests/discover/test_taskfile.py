"""A Taskfile (go-task) that starts the repository's own programs on the host is a deployment:
each distinct run of a program is a workload named by its code's directory, with the env
Task gives it (``dotenv``, global and task ``env``, ``{{.VAR}}`` filled from the variables a
``task:`` call passes). Tasks that build, lint or start containers start no workload."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths
from socklock.load.units import find_units
from socklock.load.units.taskfile import fill

_ROOT = """\
version: "3"
dotenv: [".env"]
includes:
  run:
    taskfile: ./taskfiles/run.yml
tasks:
  lint:
    cmds:
      - golangci-lint run ./...
  gen:
    cmds:
      - go generate ./...
"""
_RUN = """\
version: "3"
tasks:
  all:
    deps:
      - task: worker
      - task: service-orders
  infra:
    cmds:
      - docker compose up -d
  worker:
    deps: [infra]
    cmd: go run cmd/worker/main.go
    env:
      ORDERS_URL: "http://localhost:{{ .PORT_ORDERS }}"
  int-run:
    internal: true
    cmds:
      - "go run cmd/{{ .NAME }}/main.go --port {{ .PORT }}"
    env:
      DB_URL: "postgres://u:p@localhost:{{ .PORT_DB }}/app"
  service-orders:
    cmds:
      - task: int-run
        vars:
          NAME: orders
          PORT: "{{ .PORT_ORDERS }}"
  # a dynamic variable: known only when Task runs
  service-billing:
    vars:
      PORT:
        sh: ./free-port.sh
    cmds:
      - task: int-run
        vars: {NAME: billing, PORT: "{{ .PORT }}"}
"""
_COMPOSE = """\
services:
  db:
    image: postgres:16
    ports: ["15432:5432"]
"""
_WORKER = """\
package main

import (
\t"net/http"
\t"os"
)

func main() {
\thttp.Post(os.Getenv("ORDERS_URL")+"/orders", "application/json", nil)
}
"""
_ORDERS = """\
package main

import (
\t"database/sql"
\t"os"
)

func main() {
\tsql.Open("pgx", os.Getenv("DB_URL"))
}
"""


def _app(root: Path) -> None:
    _write(
        root,
        {
            "Taskfile.yml": _ROOT,
            "taskfiles/run.yml": _RUN,
            ".env": "PORT_ORDERS=9090\nPORT_DB=15432\n",
            "docker-compose.yml": _COMPOSE,
            "go.mod": "module shop\n\ngo 1.22\n",
            "cmd/worker/main.go": _WORKER,
            "cmd/orders/main.go": _ORDERS,
            "cmd/billing/main.go": _ORDERS,
        },
    )


def test_template_references_fill_and_anything_else_is_unknown() -> None:
    scope = {"PORT": "9090"}
    assert fill("--port {{ .PORT }} {{.PORT}}", scope) == "--port 9090 9090"
    assert fill("{{ .MISSING }}", scope) == "\x00"
    assert fill('{{if eq OS "windows"}}x{{end}}', scope) == "\x00x\x00"


def test_each_run_of_own_code_is_a_unit_with_its_env(tmp_path: Path) -> None:
    _app(tmp_path)
    units, _ = find_units([str(tmp_path)])
    hosted = {u.name: u for u in units if u.kind == "taskfile"}
    # billing's port is a ``sh:`` variable: its run still counts, without a port
    assert sorted(hosted) == ["billing", "orders", "worker"]
    assert hosted["orders"].names == ("orders", "service-orders")
    assert hosted["orders"].ports == (9090,)
    assert hosted["billing"].ports == ()
    assert hosted["orders"].sources == (str(tmp_path / "cmd/orders"),)
    assert {e.name: e.value for e in hosted["orders"].env} == {
        "DB_URL": "postgres://u:p@localhost:15432/app",
        "PORT_DB": "15432",
        "PORT_ORDERS": "9090",
    }
    assert {e.name: e.value for e in hosted["worker"].env}["ORDERS_URL"] == (
        "http://localhost:9090"
    )
    assert {u.host for u in hosted.values()} == {"Taskfile.yml"}


def test_the_processes_call_each_other_and_the_compose_databases(tmp_path: Path) -> None:
    _app(tmp_path)
    graph = discover(load_paths([str(tmp_path)]))
    db = f"{tmp_path.name}/db"
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("Taskfile.yml/worker", "Taskfile.yml/orders", 9090),
        ("Taskfile.yml/orders", db, 5432),
        ("Taskfile.yml/billing", db, 5432),
    }


def test_a_taskfile_of_tools_and_containers_starts_nothing(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Taskfile.yml": (
                'version: "3"\nvars:\n  MVNW: ./mvnw\ntasks:\n  build:\n    cmds:\n'
                '      - "{{.MVNW}} -pl orders spring-boot:build-image"\n'
                "  start:\n    cmds:\n      - docker compose up -d\n"
                "  test:\n    cmds:\n      - go test ./...\n"
            ),
            "go.mod": "module shop\n",
            "main.go": "package main\n\nfunc main() {}\n",
        },
    )
    units, _ = find_units([str(tmp_path)])
    assert [u for u in units if u.kind == "taskfile"] == []


def test_a_root_of_only_includes_gives_its_globals_to_the_included_tasks(tmp_path: Path) -> None:
    """The root Taskfile's ``vars`` and ``env`` hold in every included file, also when the
    root declares no task of its own."""
    root = 'version: "3"\nvars:\n  PORT_ORDERS: "9191"\n  PORT_DB: "15432"\nenv:\n  REGION: eu\n'
    root += "includes:\n  run:\n    taskfile: ./taskfiles/run.yml\n"
    _write(
        tmp_path,
        {
            "Taskfile.yml": root,
            "taskfiles/run.yml": _RUN,
            "go.mod": "module shop\n\ngo 1.22\n",
            "cmd/orders/main.go": _ORDERS,
        },
    )
    units, _ = find_units([str(tmp_path)])
    orders = next(u for u in units if u.kind == "taskfile" and u.name == "orders")
    assert orders.ports == (9191,)
    assert {e.name: e.value for e in orders.env} == {
        "DB_URL": "postgres://u:p@localhost:15432/app",
        "REGION": "eu",
    }
