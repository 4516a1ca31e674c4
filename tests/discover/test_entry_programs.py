"""One image, several workloads that differ only by the entry point their command runs: each
workload calls what the code its own entry point reaches calls, not every sibling's calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.discover.entrypoints import run_words_of
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_QUEUE_TS = """\
import amqplib from 'amqplib';

const { QUEUE_HOST = '' } = process.env;

export function openQueue() {
  return amqplib.connect(`amqp://${QUEUE_HOST}`);
}
"""
_CACHE_TS = """\
import Redis from 'ioredis';

export const newCache = () => {
  return new Redis({ host: process.env.CACHE_HOST });
};
"""
# the worker's handler calls the queue from its top-level code, once imported
_HANDLER_TS = """\
import { openQueue } from '../services/queue';

const queue = openQueue();

export default queue;
"""
_WORKER_TS = """\
import handler from './handlers/sync';

handler;
"""
_SERVER_TS = """\
import { newCache } from './services/cache';

async function start() {
  newCache();
}

start();
"""
_PACKAGE = """\
{"name": "shop", "scripts": {
  "server": "node --require ./telemetry.js server.js",
  "worker": "node --require ./telemetry.js worker.js"}}
"""
_DOCKERFILE = """\
FROM node:20
WORKDIR /app
ENV RUN_COMMAND=server
COPY app/.build/ ./
CMD ["sh", "-c", "npm run $RUN_COMMAND"]
"""
_ENV = "      QUEUE_HOST: queue\n      CACHE_HOST: cache\n"


def _node_app(root: Path, worker_env: str = "      RUN_COMMAND: worker\n") -> Path:
    """``server`` and ``worker`` build one context; the worker's env picks its npm script."""
    src = root / "app" / "src"
    (src / "services").mkdir(parents=True)
    (src / "handlers").mkdir()
    (src / "services" / "queue.ts").write_text(_QUEUE_TS)
    (src / "services" / "cache.ts").write_text(_CACHE_TS)
    (src / "handlers" / "sync.ts").write_text(_HANDLER_TS)
    (src / "worker.ts").write_text(_WORKER_TS)
    (src / "server.ts").write_text(_SERVER_TS)
    (src / "telemetry.ts").write_text("export const tracing = true;\n")
    (root / "app" / "package.json").write_text(_PACKAGE)
    (root / "Dockerfile").write_text(_DOCKERFILE)
    (root / "docker-compose.yml").write_text(
        "services:\n"
        f"  server:\n    build: .\n    environment:\n{_ENV}"
        f"  worker:\n    build: .\n    environment:\n{worker_env}{_ENV}"
        "  queue:\n    image: rabbitmq:3\n"
        "  cache:\n    image: redis:7\n"
    )
    return root


def _calls(root: Path) -> set[tuple[str, str]]:
    graph = discover(load_paths([str(root)]), manifests=False)
    return {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1])
        for e in graph.edges
        if not e.hint
    }


def test_each_npm_script_chosen_by_env_runs_its_own_part_of_the_package(tmp_path: Path) -> None:
    calls = _calls(_node_app(tmp_path))
    assert ("worker", "queue") in calls
    assert ("server", "cache") in calls
    # negatives: neither runs the other's entry point's code
    assert ("server", "queue") not in calls
    assert ("worker", "cache") not in calls


def test_an_unresolved_script_name_keeps_the_whole_context_each_siblings(tmp_path: Path) -> None:
    """The worker's variable comes from nowhere the input shows: fail back to today's
    attribution, in which both run the build context's code."""
    root = _node_app(tmp_path, worker_env="      RUN_COMMAND: ${FROM_THE_SHELL}\n")
    (root / "Dockerfile").write_text(_DOCKERFILE.replace("ENV RUN_COMMAND=server\n", ""))
    assert _calls(root) == {
        ("server", "cache"),
        ("server", "queue"),
        ("worker", "cache"),
        ("worker", "queue"),
    }


def test_run_words_follow_env_and_package_scripts(tmp_path: Path) -> None:
    _node_app(tmp_path)
    line = ["sh", "-c", "npm run $RUN_COMMAND"]
    found = list(run_words_of(line, {"RUN_COMMAND": "worker"}, tmp_path))
    app = tmp_path / "app"
    assert found == [
        ("node", app),
        ("--require", app),
        ("./telemetry.js", app),
        ("worker.js", app),
    ]
    # a variable the workload is not given names nothing
    assert list(run_words_of(line, {}, tmp_path)) == []


_PY_DB = """\
import os

import psycopg


def connect():
    return psycopg.connect(os.environ["DB_URL"])
"""
_PY_BROKER = """\
import os

import redis


def broker():
    return redis.Redis.from_url(os.environ["BROKER_URL"])
"""
_PY_WEB = """\
from shop.db import connect


def main():
    connect()
"""
_PY_BEAT = """\
from shop import broker


def main():
    broker.broker()
"""


def _python_app(root: Path, beat_command: str) -> Path:
    """``web`` and ``beat`` run one image: ``python -m shop.web`` / ``python -m shop.beat``."""
    shop = root / "shop"
    shop.mkdir(parents=True)
    (shop / "__init__.py").write_text("")
    (shop / "db.py").write_text(_PY_DB)
    (shop / "broker.py").write_text(_PY_BROKER)
    (shop / "web.py").write_text(_PY_WEB)
    (shop / "beat.py").write_text(_PY_BEAT)
    (root / "Dockerfile").write_text(
        'FROM python:3.12\nCOPY . /app\nCMD ["python", "-m", "shop.web"]\n'
    )
    env = (
        "    environment:\n"
        "      DB_URL: postgresql://db:5432/shop\n"
        "      BROKER_URL: redis://redis:6379/0\n"
    )
    (root / "docker-compose.yml").write_text(
        "services:\n"
        f"  web:\n    build: .\n{env}"
        f"  beat:\n    build: .\n    command: {beat_command}\n{env}"
        "  db:\n    image: postgres:16\n"
        "  redis:\n    image: redis:7\n"
    )
    return root


def test_a_python_module_command_runs_what_its_module_imports(tmp_path: Path) -> None:
    calls = _calls(_python_app(tmp_path, "python -m shop.beat"))
    assert ("beat", "redis") in calls
    assert ("web", "db") in calls
    assert ("beat", "db") not in calls  # beat's module never reaches shop.db
    assert ("web", "redis") not in calls


def test_a_command_naming_no_module_keeps_the_whole_code_base(tmp_path: Path) -> None:
    """``celery -A shop beat`` names the package, not one entry module of it: as before,
    the beat runs the package's code, its database client included."""
    calls = _calls(_python_app(tmp_path, "celery -A shop beat"))
    assert ("beat", "redis") in calls
    assert ("beat", "db") in calls


def _siblings_app(root: Path) -> Path:
    """``api`` keeps the image's command; ``worker`` and ``mcp`` run modules of their own.
    Every one is handed the API's address in one settings block."""
    shop = root / "shop"
    shop.mkdir(parents=True)
    (shop / "__init__.py").write_text("")
    (shop / "settings.py").write_text('import os\n\nAPI_URL = os.environ["API_URL"]\n')
    (shop / "api.py").write_text("from shop import settings\n\nsettings.API_URL\n")
    (shop / "worker.py").write_text(
        "from shop import settings\n\n\ndef run():\n    return settings\n"
    )
    (shop / "mcp.py").write_text(
        'import os\n\nimport httpx\n\n\ndef discover():\n    httpx.get(os.environ["API_URL"])\n'
    )
    (root / "Dockerfile").write_text(
        'FROM python:3.12\nCOPY . /app\nCMD ["python", "-m", "shop.api"]\n'
    )
    env = "    environment:\n      API_URL: http://api:8000\n"
    (root / "docker-compose.yml").write_text(
        "services:\n"
        f"  api:\n    build: .\n{env}"
        f"  worker:\n    build: .\n    command: python -m shop.worker\n{env}"
        f"  mcp:\n    build: .\n    command: python -m shop.mcp\n{env}"
    )
    return root


def test_a_sibling_reading_the_servers_address_in_its_own_code_calls_it(tmp_path: Path) -> None:
    """The API's own settings module reads its address: the worker, which imports it and
    calls nothing, is handed the API's own address (no call); the MCP server reads it in
    code the API never runs: its own client of the API."""
    calls = _calls(_siblings_app(tmp_path))
    assert ("mcp", "api") in calls
    assert ("worker", "api") not in calls


_RUN_SH = """\
#!/bin/sh
mkdir -p static
echo "starting" > static/revision.txt
FORMAT='%(h)s %(r)s'
exec gunicorn --access-logformat "${FORMAT}" --config gunicorn/config.py
"""
_GUNICORN_CONFIG = 'from os import getenv\n\nwsgi_app = "shop.wsgi:application"\nworkers = 3\n'
_PY_WSGI = """\
import os

os.environ.setdefault("SETTINGS", "shop.settings")

from shop.db import connect

application = connect
"""


def _script_app(root: Path, web_command: str, worker_command: str) -> Path:
    """``web`` runs a shell script that execs gunicorn with a config file naming the WSGI
    module; ``worker`` runs a module (or a package) of the same image."""
    _python_app(root, "unused")
    (root / "bin").mkdir()
    (root / "bin" / "run.sh").write_text(_RUN_SH)
    (root / "bin" / "quiet.sh").write_text('#!/bin/sh\necho "nothing to run"\n')
    (root / "gunicorn").mkdir()
    (root / "gunicorn" / "config.py").write_text(_GUNICORN_CONFIG)
    (root / "shop" / "wsgi.py").write_text(_PY_WSGI)
    env = (
        "    environment:\n"
        "      DB_URL: postgresql://db:5432/shop\n"
        "      BROKER_URL: redis://redis:6379/0\n"
    )
    (root / "docker-compose.yml").write_text(
        "services:\n"
        f"  web:\n    build: .\n    command: {web_command}\n{env}"
        f"  worker:\n    build: .\n    command: {worker_command}\n{env}"
        "  db:\n    image: postgres:16\n"
        "  redis:\n    image: redis:7\n"
    )
    return root


def test_a_script_entry_point_runs_what_the_command_it_execs_imports(tmp_path: Path) -> None:
    """``./bin/run.sh`` → ``exec gunicorn --config gunicorn/config.py`` → ``wsgi_app =
    "shop.wsgi:application"`` → ``shop.db``: the web server reaches the database client
    only; its sibling keeps the reach of its own module."""
    calls = _calls(_script_app(tmp_path, "./bin/run.sh", "python -m shop.beat"))
    assert ("web", "db") in calls
    assert ("worker", "redis") in calls
    assert ("web", "redis") not in calls  # no module the web server imports reaches it
    assert ("worker", "db") not in calls


def test_a_script_entry_point_beside_a_package_command_reaches_into_the_package(
    tmp_path: Path,
) -> None:
    """``celery -A shop worker`` runs the package ``shop/`` whole; the web server's script
    imports a module inside it (``shop.wsgi`` → ``shop.db``): it runs that module, not the
    rest of the package."""
    calls = _calls(_script_app(tmp_path, "./bin/run.sh", "celery -A shop worker"))
    assert ("web", "db") in calls
    assert ("worker", "db") in calls
    assert ("worker", "redis") in calls
    assert ("web", "redis") not in calls


def test_a_script_that_runs_no_program_names_no_entry_point(tmp_path: Path) -> None:
    """A script that only prints runs none of the image's modules: the web server is given
    no program by it and calls nothing (the siblings fall back to the reach of the names
    their entry points name, as for any entry point that is not a module)."""
    root = _script_app(tmp_path, "./bin/quiet.sh", "python -m shop.beat")
    from socklock.discover.script_programs import script_command

    assert script_command(root / "bin" / "quiet.sh", {}) == []
    calls = _calls(root)
    assert ("worker", "redis") in calls
    assert {callee for caller, callee in calls if caller == "web"} == set()


def test_a_scripts_command_names_its_entry_point_through_the_launchers(tmp_path: Path) -> None:
    """The command a script ends in names code the way a compose command does: ``python
    -m``, ``module:app`` of an ASGI server (its module from a ``${VAR:-default}``), ``npm
    run NAME``; a script that runs a script is followed too."""
    from socklock.discover.entrypoints import _line_entries

    _python_app(tmp_path, "unused")
    _node_app(tmp_path / "node")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "beat.sh").write_text("#!/bin/sh\nexec python -m shop.beat\n")
    (bin_dir / "web.sh").write_text(
        '#!/bin/sh\nAPP="${APP_MODULE:-shop.web:app}"\nexec uvicorn "$APP" --port 80\n'
    )
    (bin_dir / "outer.sh").write_text("#!/bin/sh\n./bin/beat.sh\n")
    (tmp_path / "node" / "app" / "start.sh").write_text("#!/bin/sh\nexec npm run worker\n")

    def entries(line: list[str], context: Path, env: dict[str, str] | None = None) -> list[Path]:
        return [p for p, _ in _line_entries(line, env or {}, context)]

    shop = tmp_path / "shop"
    assert entries(["./bin/beat.sh"], tmp_path) == [bin_dir / "beat.sh", shop / "beat.py"]
    assert entries(["./bin/web.sh"], tmp_path) == [bin_dir / "web.sh", shop / "web.py"]
    given = {"APP_MODULE": "shop.beat:app"}
    assert entries(["./bin/web.sh"], tmp_path, given) == [bin_dir / "web.sh", shop / "beat.py"]
    assert entries(["./bin/outer.sh"], tmp_path) == [
        bin_dir / "outer.sh",
        bin_dir / "beat.sh",
        shop / "beat.py",
    ]
    app = tmp_path / "node" / "app"
    assert entries(["./start.sh"], app) == [  # the worker's script, preloaded module first
        app / "start.sh",
        app / "src" / "telemetry.ts",
        app / "src" / "worker.ts",
    ]


_MOLECULER_DOCKERFILE = """\
FROM node:20
WORKDIR /app
COPY --from=build /app/dist .
CMD ["node_modules/moleculer/bin/moleculer-runner.js"]
"""
_USERS_SERVICE_TS = """\
import DbService from 'moleculer-db';
import MongooseDbAdapter from 'moleculer-db-adapter-mongoose';

export default {
  name: 'users',
  mixins: [DbService],
  adapter: new MongooseDbAdapter('mongodb://mongodb:27017/shop'),
};
"""
_API_SERVICE_TS = """\
import ApiGateway from 'moleculer-web';

export default { name: 'api', mixins: [ApiGateway] };
"""


def _moleculer_app(root: Path, servicedir: str = "SERVICEDIR=services\n") -> Path:
    """One image of every Moleculer service; ``SERVICES`` picks each node's, the env file's
    ``SERVICEDIR`` (a committed ``.example`` template) says where they are."""
    services = root / "src" / "services"
    services.mkdir(parents=True)
    (services / "users.service.ts").write_text(_USERS_SERVICE_TS)
    (services / "api.service.ts").write_text(_API_SERVICE_TS)
    (root / "package.json").write_text('{"name": "shop", "dependencies": {"moleculer": "0.14"}}')
    (root / "tsconfig.json").write_text('{"compilerOptions": {"outDir": "./dist"}}')
    (root / "Dockerfile").write_text(_MOLECULER_DOCKERFILE)
    (root / "docker-compose.example.env").write_text(servicedir)
    node = "    build: .\n    env_file: docker-compose.env\n    environment:\n"
    (root / "docker-compose.yml").write_text(
        "services:\n"
        f"  api:\n{node}      SERVICES: api\n"
        f"  users:\n{node}      SERVICES: users\n"
        "  mongodb:\n    image: mongo:7\n"
    )
    return root


def test_a_moleculer_node_runs_the_services_its_env_lists(tmp_path: Path) -> None:
    """moleculer-runner loads ``$SERVICEDIR/<name>.service.js`` for each name in
    ``SERVICES`` (tsc's output of ``src/services/<name>.service.ts``): only ``users``
    runs the code that opens MongoDB."""
    assert _calls(_moleculer_app(tmp_path)) == {("users", "mongodb")}


def test_a_moleculer_node_whose_service_directory_is_unknown_keeps_the_whole_code(
    tmp_path: Path,
) -> None:
    """No ``SERVICEDIR``: ``SERVICES=api`` names ``api.service.js`` at the image's root,
    which no file of the build is; both nodes keep the whole code base, as before."""
    root = _moleculer_app(tmp_path, servicedir="LOGLEVEL=info\n")
    assert _calls(root) == {("users", "mongodb"), ("api", "mongodb")}
