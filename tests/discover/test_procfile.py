"""A Procfile (foreman, honcho, overmind) is the deployment: each process type is a workload
run on the host, with the ``.env`` beside it and foreman's ``PORT`` (5000 + 100 per process
type above it + 1 per further instance); ``localhost:<port>`` reaches the process that
listens there, and a Traefik process's file-provider routes are its calls. A Procfile beside
a compose file that builds the code is a variant, never a second copy of the services."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.deployments import find_deployments, select_deployment
from socklock.load import load_paths
from socklock.load.units.procfile import read_processes
from socklock.model import ServiceGraph

_PROCFILE = """\
# the gateway first: it gets PORT=5000
proxy: ./proxy/traefik --configFile=./proxy/traefik.toml
orders: uvicorn --port $ORDERS_PORT --app-dir="./api" orders_service:app
stats: uvicorn --port $PORT --app-dir="./api" stats_service:app
web: uvicorn --port 8080 --app-dir=./api web:app
# cache: redis-server --port 6400
"""
_TRAEFIK = '[entryPoints]\n  [entryPoints.http]\n    address = ":9999"\n\n' + (
    '[providers]\n  [providers.file]\n    filename = "./proxy/routes.toml"\n'
)
_ROUTES = """\
[http.routers.orders]
  service = "orders"
  rule = "PathPrefix(`/orders`)"
[http.routers.stats]
  service = "stats"
  rule = "PathPrefix(`/stats`)"
[http.services.orders.loadBalancer]
  [[http.services.orders.loadBalancer.servers]]
    url = "http://127.0.0.1:5100"
[http.services.stats.loadBalancer]
  [[http.services.stats.loadBalancer.servers]]
    url = "http://127.0.0.1:5200"
  [[http.services.stats.loadBalancer.servers]]
    url = "http://127.0.0.1:5201"
  [[http.services.stats.loadBalancer.servers]]
    url = "http://127.0.0.1:7777"
"""
_WEB = """\
import httpx
from fastapi import FastAPI

app = FastAPI()

@app.get("/")
def home():
    return httpx.get("http://127.0.0.1:9999/orders/1").json()
"""
_STATS = """\
import redis
from fastapi import FastAPI

app = FastAPI()
cache = redis.Redis(host="localhost", port=6379)
"""
_ORDERS = "from fastapi import FastAPI\n\napp = FastAPI()\n"


def _app(root: Path, **extra: str) -> None:
    _write(
        root,
        {
            "Procfile": _PROCFILE,
            ".foreman": "formation: proxy=1,orders=1,stats=2,web=1\n",
            ".env": "ORDERS_PORT=5100\n",
            "proxy/traefik.toml": _TRAEFIK,
            "proxy/routes.toml": _ROUTES,
            "api/web.py": _WEB,
            "api/stats_service.py": _STATS,
            "api/orders_service.py": _ORDERS,
            **extra,
        },
    )


def _edges(graph: ServiceGraph) -> set[tuple[str, str, int | None]]:
    return {(e.source, e.target, e.port) for e in graph.edges}


def test_process_types_in_order_comments_and_other_lines_left_out() -> None:
    text = "web: node server.js\n# worker: node worker.js\n  not a process\nclock: bin/clock\n"
    assert [(p.name, p.command, p.line) for p in read_processes(text)] == [
        ("web", "node server.js", 1),
        ("clock", "bin/clock", 4),
    ]


def test_each_process_is_a_workload_with_foremans_ports(tmp_path: Path) -> None:
    _app(tmp_path)
    graph = discover(load_paths([str(tmp_path)]))
    ports = {n.id: sorted(p.port for p in n.ports) for n in graph.nodes if n.id.startswith("Pro")}
    assert ports == {
        "Procfile/proxy": [9999],  # the entry point of the static config it is given
        "Procfile/orders": [5100],  # $ORDERS_PORT from .env
        "Procfile/stats": [5200, 5201],  # $PORT: third process type, two instances
        "Procfile/web": [8080],
    }
    assert _edges(graph) == {
        ("Procfile/web", "Procfile/proxy", 9999),
        ("Procfile/proxy", "Procfile/orders", 5100),
        ("Procfile/proxy", "Procfile/stats", 5200),
        ("Procfile/proxy", "Procfile/stats", 5201),
        ("Procfile/stats", "code/redis", 6379),
    }
    # no process listens on 7777: reported, not guessed; the commented process is none
    assert [u.reason for u in graph.unresolved if u.source == "Procfile/proxy"] == [
        "no other process of Procfile is known to listen on port 7777"
    ]
    assert not any(n.id.endswith("/cache") for n in graph.nodes)


def test_an_unknown_port_variable_gives_no_port(tmp_path: Path) -> None:
    _app(tmp_path, **{".env": "OTHER=1\n"})  # ORDERS_PORT set nowhere
    graph = discover(load_paths([str(tmp_path)]))
    orders = next(n for n in graph.nodes if n.id == "Procfile/orders")
    assert orders.ports == ()
    assert ("Procfile/proxy", "Procfile/orders", 5100) not in _edges(graph)


def test_a_process_with_no_instances_is_not_started(tmp_path: Path) -> None:
    _app(tmp_path, **{".foreman": "formation: proxy=1,orders=1,stats=0,web=1\n"})
    graph = discover(load_paths([str(tmp_path)]))
    assert "Procfile/stats" not in {n.id for n in graph.nodes}


_COMPOSE_BUILDS = """\
services:
  orders:
    build: ./api
    ports: ["5100:5100"]
  db:
    image: postgres:16
"""
_COMPOSE_INFRA = """\
services:
  db:
    image: postgres:16
    ports: ["15432:5432"]
"""


def test_a_procfile_beside_a_compose_file_that_builds_the_code_is_a_variant(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "docker-compose.yml": _COMPOSE_BUILDS,
            "Procfile": "api: uvicorn --port 5100 --app-dir=api main:app\n",
            "api/main.py": _ORDERS,
        },
    )
    inventory = load_paths([str(tmp_path)])
    assert [(d.name, d.kind, d.variant) for d in find_deployments(inventory)] == [
        ("docker-compose.yml", "compose", False),
        ("Procfile", "procfile", True),
    ]
    selection = select_deployment(inventory)
    assert selection.chosen is not None and selection.chosen.name == "docker-compose.yml"
    assert [d.name for d in selection.left_out] == ["Procfile"]
    graph = discover(inventory)
    assert not any(n.id.startswith("Procfile/") for n in graph.nodes)


def test_a_procfile_beside_a_compose_file_of_public_images_runs_beside_it(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "docker-compose.yml": _COMPOSE_INFRA,
            "Procfile": "api: uvicorn --port 5100 --app-dir=api main:app\n",
            "api/main.py": _ORDERS
            + 'import psycopg\nconn = psycopg.connect("postgresql://u:p@localhost:15432/app")\n',
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    db = f"{tmp_path.name}/db"
    assert {n.id for n in graph.nodes} == {"Procfile/api", db}
    assert _edges(graph) == {("Procfile/api", db, 5432)}  # the port compose publishes


def test_procfile_dev_is_another_way_to_run_the_same_processes(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Procfile": "web: gunicorn --bind 0.0.0.0:8000 --chdir api main:app\n",
            "Procfile.dev": (
                "web: uvicorn --port 3000 --app-dir api main:app\nworker: python api/worker.py\n"
            ),
            "api/main.py": _ORDERS,
            "api/worker.py": "import time\n",
        },
    )
    inventory = load_paths([str(tmp_path)])
    assert [(d.name, d.kind, d.variant) for d in find_deployments(inventory)] == [
        ("Procfile.dev", "procfile", False),
        ("Procfile", "procfile", False),
    ]
    selection = select_deployment(inventory)
    assert selection.chosen is not None and selection.chosen.name == "Procfile.dev"
    assert [d.name for d in selection.left_out] == ["Procfile"]
    graph = discover(inventory)
    ports = {n.id: sorted(p.port for p in n.ports) for n in graph.nodes}
    assert ports == {"Procfile.dev/web": [3000], "Procfile.dev/worker": []}
