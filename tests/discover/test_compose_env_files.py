"""Env files of compose services: mounted where the program loads them, given to one
service of a shared build, handed whole to a one-shot migration; and names for the Docker
API that are no addresses."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.discover.image_conventions import built_on
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path


def _calls(root: Path, *, manifests: bool = True) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]), manifests=manifests)
    return {
        (e.source.split("/")[-1], e.target.split("/")[-1], e.port)
        for e in graph.edges
        if not e.hint and not e.target.startswith("external:")
    }


_LARAVEL_DB = "<?php\nreturn ['host' => env('DB_HOST', '127.0.0.1'), 'port' => 3306];\n"


def _laravel(root: Path, volumes: str) -> None:
    (root / "config").mkdir(parents=True)
    (root / "config" / "database.php").write_text(_LARAVEL_DB)
    (root / "Dockerfile").write_text("FROM php:8.3-apache\nCOPY . /var/www\n")
    (root / "docker-compose.yml").write_text(
        f"services:\n  web:\n    build: .\n    volumes: [{volumes}]\n  db:\n    image: mariadb:11\n"
    )


def test_a_mounted_env_file_is_the_environment_its_program_loads(tmp_path: Path) -> None:
    """``./.env:/var/www/.env``: the framework loads the file at start-up, so its values are
    the env its code reads; a new clone has only the template (``.env.docker``)."""
    root = tmp_path / "photos"
    _laravel(root, "'./.env:/var/www/.env', './storage:/var/www/storage'")
    (root / ".env.docker").write_text("DB_HOST=db\n")
    assert _calls(root) == {("web", "db", 3306)}
    assert _calls(root, manifests=False) == {("web", "db", 3306)}


def test_an_env_file_not_mounted_as_one_is_no_environment(tmp_path: Path) -> None:
    root = tmp_path / "photos"
    _laravel(root, "'./settings.env.docker:/var/www/settings.json'")
    (root / "settings.env.docker").write_text("DB_HOST=db\n")
    assert _calls(root) == set()


def _go_service(root: Path, workdir: str, volumes: str) -> None:
    service = root / "services" / "ledger"
    service.mkdir(parents=True)
    (service / "main.go").write_text(
        'package main\n\nimport (\n\t"database/sql"\n\t"os"\n)\n\n'
        'func main() {\n\thost := os.Getenv("DB_HOST")\n'
        '\tsql.Open("postgres", "postgres://u:p@" + host + ":5432/l")\n}\n'
    )
    (service / "go.mod").write_text("module example.com/ledger\n")
    (service / ".env").write_text("DB_HOST=ledger-db\n")
    (service / "Dockerfile").write_text(f"FROM golang:1.22\nWORKDIR {workdir}\nCOPY ./ {workdir}\n")
    (root / "docker-compose.yml").write_text(
        "services:\n"
        "  ledger:\n"
        "    build: ./services/ledger/\n"
        f"    volumes: [{volumes}]\n"
        "  ledger-db:\n"
        "    image: postgres:16\n"
    )


def test_a_source_directory_mounted_where_the_program_starts_gives_its_dotenv(
    tmp_path: Path,
) -> None:
    """``./services/ledger/:/app/ledger`` onto the image's ``WORKDIR /app/ledger``:
    ``godotenv.Load()`` (dotenv, python-dotenv...) reads ``.env`` from there."""
    root = tmp_path / "bank"
    _go_service(root, "/app/ledger", "'./services/ledger/:/app/ledger'")
    assert _calls(root) == {("ledger", "ledger-db", 5432)}


def test_a_source_directory_mounted_elsewhere_gives_no_dotenv(tmp_path: Path) -> None:
    root = tmp_path / "bank"
    _go_service(root, "/app/ledger", "'./services/ledger/:/srv/copy'")
    assert _calls(root) == set()


def test_a_container_name_for_the_docker_api_is_no_address(tmp_path: Path) -> None:
    """``NGINX_PROXY_CONTAINER`` names the container a companion signals through the Docker
    socket; the same container's name as a host (``UPSTREAM_HOST``) is a call."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "docker-compose.yml").write_text(
        "services:\n"
        "  proxy:\n"
        "    image: nginx\n"
        "    container_name: site-proxy\n"
        "    expose: ['80']\n"
        "  companion:\n"
        "    image: example/companion\n"
        "    environment:\n"
        "      NGINX_PROXY_CONTAINER: site-proxy\n"
        "      PROXY_CONTAINER_NAME: site-proxy\n"
        "  checker:\n"
        "    image: example/checker\n"
        "    environment:\n"
        "      UPSTREAM_HOST: site-proxy\n"
    )
    assert _calls(root) == {("checker", "proxy", 80)}


def _shared_build(root: Path, main: str) -> None:
    (root / "deploy" / "envs").mkdir(parents=True)
    (root / "deploy" / "envs" / "api.env").write_text("DATABASE_URL=postgres://u:p@db:5432/app\n")
    (root / "Dockerfile").write_text("FROM example/runtime\nCOPY . /app\n")
    (root / "deploy" / "compose.yaml").write_text(
        "services:\n"
        "  api:\n"
        "    build: ..\n"
        "    env_file: [envs/api.env]\n"
        "  media:\n"
        "    build: ..\n"
        "  db:\n"
        "    image: postgres:16\n"
    )
    (root / main).write_text("\n")


def test_an_env_file_configures_the_services_that_name_it(tmp_path: Path) -> None:
    """Two services built from one tree: the env file one of them names is its environment,
    not config of the other that runs the same code."""
    root = tmp_path / "explorer"
    _shared_build(root, "mix.exs")
    assert _calls(root) == {("api", "db", 5432)}
    assert _calls(root, manifests=False) == {("api", "db", 5432)}


_BACKEND_ENV = (
    "x-env: &env\n"
    "  DATABASE_URL: postgresql://u:p@db:5432/app\n"
    "  REDIS_URL: redis://cache:6379\n"
    "  PDF_URL: http://pdf:3000\n"
)


def _billing(root: Path, migrate: str, waited: str) -> None:
    root.mkdir()
    (root / "docker-compose.yml").write_text(
        _BACKEND_ENV + "services:\n"
        "  migrate:\n"
        "    image: example/billing-api\n"
        f"    command: {migrate}\n"
        "    environment: *env\n"
        "  api:\n"
        "    image: example/billing-api\n"
        "    environment: *env\n"
        f"    depends_on: {{migrate: {{condition: {waited}}}}}\n"
        "  db: {image: postgres:16}\n"
        "  cache: {image: redis:7}\n"
        "  pdf: {image: example/pdf, expose: ['3000']}\n"
    )


def test_a_one_shot_migration_calls_only_its_database(tmp_path: Path) -> None:
    """Handed the whole backend environment, a migration the server waits for connects to
    the database alone; the server calls everything."""
    root = tmp_path / "billing"
    _billing(root, '["./scripts/migrate.sh"]', "service_completed_successfully")
    server = {("api", "db", 5432), ("api", "cache", 6379), ("api", "pdf", 3000)}
    assert _calls(root) == {("migrate", "db", 5432), *server}


def test_a_migration_chained_with_a_server_or_not_waited_for_calls_all(tmp_path: Path) -> None:
    root = tmp_path / "billing"
    _billing(root, 'sh -c "rails db:migrate && rails server"', "service_completed_successfully")
    assert ("migrate", "cache", 6379) in _calls(root)
    other = tmp_path / "other"
    _billing(other, "bin/rails db:migrate", "service_started")
    assert ("migrate", "cache", 6379) in _calls(other)


def _django_billing(root: Path, migrate: str) -> None:
    """One Django tree built for the server and its migration; its settings module, which
    every entry point imports, reads the database, the cache, the broker and a peer."""
    (root / "billing").mkdir(parents=True)
    (root / "billing" / "settings.py").write_text(
        "import os\n\n"
        "DATABASE_URL = os.environ.get('DATABASE_URL')\n"
        "CACHE_URL = os.environ.get('CACHE_URL')\n"
        "BROKER_URL = os.environ.get('AMQP_URL')\n"
        "PDF_URL = os.environ.get('PDF_URL')\n"
    )
    (root / "billing" / "__init__.py").write_text("")
    (root / "billing" / "wsgi.py").write_text("from billing import settings\n")
    (root / "manage.py").write_text("from billing import settings\n")
    (root / "Dockerfile").write_text("FROM python:3.12\nCOPY . /app\n")
    (root / "docker-compose.yml").write_text(
        "x-env: &env\n"
        "  DATABASE_URL: postgresql://u:p@db:5432/app\n"
        "  CACHE_URL: redis://cache:6379\n"
        "  AMQP_URL: amqp://u:p@mq:5672\n"
        "  PDF_URL: http://pdf:3000\n"
        "services:\n"
        "  migrator:\n"
        "    build: .\n"
        f"    command: {migrate}\n"
        "    restart: on-failure\n"
        "    environment: *env\n"
        "  api:\n"
        "    build: .\n"
        "    command: gunicorn billing.wsgi\n"
        "    environment: *env\n"
        "  db: {image: postgres:16}\n"
        "  cache: {image: redis:7}\n"
        "  mq: {image: rabbitmq:3}\n"
        "  pdf: {image: example/pdf, expose: ['3000']}\n"
    )


def test_a_migration_running_the_servers_code_calls_only_its_database(tmp_path: Path) -> None:
    """The settings module the migration imports reads the server's cache, broker and peer
    too; the one-shot migration connects to its database alone."""
    root = tmp_path / "billing"
    _django_billing(root, "python manage.py migrate --noinput")
    server = {
        ("api", "db", 5432),
        ("api", "cache", 6379),
        ("api", "mq", 5672),
        ("api", "pdf", 3000),
    }
    assert _calls(root) == {("migrator", "db", 5432), *server}
    other = tmp_path / "other"  # a program that migrates, then serves: it calls everything
    _django_billing(other, 'sh -c "python manage.py migrate && gunicorn billing.wsgi"')
    assert ("migrator", "mq", 5672) in _calls(other)
    assert ("migrator", "pdf", 3000) in _calls(other)


def test_a_build_of_a_known_image_runs_that_image(tmp_path: Path) -> None:
    """A Dockerfile that only copies themes and plug-ins onto ``bitnami/keycloak`` runs the
    Bitnami image: its database variables are its calls, whatever script the plug-ins hold;
    one that sets its own ``ENTRYPOINT`` runs another program."""
    root = tmp_path / "idp"
    (root / "keycloak" / "providers").mkdir(parents=True)
    (root / "keycloak" / "providers" / "policy.js").write_text("var x = 1;\n")
    dockerfile = root / "keycloak" / "Dockerfile"
    dockerfile.write_text(
        "FROM bitnami/keycloak:24 AS upstream\nFROM upstream AS keycloak\nCOPY providers /p\n"
    )
    (root / "compose.yaml").write_text(
        "services:\n"
        "  keycloak:\n"
        "    build: {context: ./keycloak, target: keycloak}\n"
        "    environment:\n"
        "      KEYCLOAK_DATABASE_HOST: kc-db\n"
        "  kc-db:\n"
        "    image: postgres:16\n"
    )
    assert _calls(root) == {("keycloak", "kc-db", 5432)}
    (project,) = load_paths([str(root)]).compose_projects
    (keycloak, _) = project.services
    assert built_on(keycloak) == "bitnami/keycloak:24"
    dockerfile.write_text('FROM bitnami/keycloak:24\nENTRYPOINT ["/p/run.sh"]\n')
    assert built_on(replace(keycloak, dockerfile="Dockerfile")) is None


def test_an_env_file_resolves_the_projects_variables(tmp_path: Path) -> None:
    """Compose resolves ``${VAR}`` in an ``env_file``'s values from the lines above and
    from the project's ``.env``; Docker's DNS answers ``<service>.<network>`` on a network
    the service is on (the network's ``name:``, else ``<project>_<key>``)."""
    root = tmp_path / "shop"
    root.mkdir()
    (root / ".env").write_text("NET=shop-net\nDB_HOST=db.${NET}\nDB_PORT=5433\n")
    (root / "app.env").write_text(
        'APP_DB_HOST="${DB_HOST}"\nAPP_DB_PORT=${DB_PORT}\n'
        "CACHE_URL=redis://cache.shop_back:${CACHE_PORT:-6380}\n"
        "QUEUE_URL=amqp://${MQ_HOST}:5672\n"
        # mq is not on the default network: no such name there
        "EVENTS_URL=amqp://mq.${NET}:5672\n"
    )
    (root / "docker-compose.yml").write_text(
        "name: shop\n"
        "services:\n"
        "  app:\n    image: org/app\n    env_file: [app.env]\n    networks: [default, back]\n"
        "  db:\n    image: postgres:16\n    ports: ['5433:5433']\n"
        "  cache:\n    image: redis:7\n    expose: [6380]\n    networks: [back]\n"
        "  mq:\n    image: rabbitmq:3\n    networks: [back]\n"
        "networks:\n  default:\n    name: ${NET}\n  back: {}\n"
    )
    # MQ_HOST is set nowhere: compose makes it empty, which names no service
    assert _calls(root) == {("app", "db", 5433), ("app", "cache", 6380)}


def test_a_public_image_working_in_a_mounted_directory_gets_no_dotenv(tmp_path: Path) -> None:
    """The rule is the service's own program, built from the directory mounted where it
    starts: a public image given a directory to work in (``node`` building a repository's
    front end beside its other programs) is not known to load that directory's ``.env``."""
    root = tmp_path / "bank"
    _go_service(root, "/app/ledger", "'./services/ledger/:/app/ledger'")
    compose = (root / "docker-compose.yml").read_text()
    compose = compose.replace(
        "    build: ./services/ledger/\n", "    image: golang:1.22\n    working_dir: /app/ledger\n"
    )
    (root / "docker-compose.yml").write_text(compose)
    assert _calls(root) == set()


def test_a_shared_env_file_is_a_call_only_of_the_code_that_reads_it(tmp_path: Path) -> None:
    """One ``.env`` for the API, the static front end and a job: the front end's code is read
    and never reads ``DATABASE_URL``, so the value is not its call; the job's read is not
    seen either, but it waits for the database the value names (``depends_on``)."""
    root = tmp_path / "notes"
    for name, code in (
        ("api", "const url = process.env.DATABASE_URL;\n"),
        ("web", "const title = process.env.TITLE;\n"),
        ("job", "const title = process.env.TITLE;\n"),
    ):
        (root / name).mkdir(parents=True)
        (root / name / "Dockerfile").write_text(f"FROM node:22\nCOPY {name}/ .\n")
        (root / name / "index.js").write_text(code)
    # ``.env`` is kept out of git: the template in the shared build context stands for it
    (root / ".env.example").write_text("DATABASE_URL=postgres://u:p@db:5432/notes\n")
    (root / "docker-compose.yml").write_text(
        "services:\n"
        "  api: {build: {context: ., dockerfile: api/Dockerfile}, env_file: .env}\n"
        "  web: {build: {context: ., dockerfile: web/Dockerfile}, env_file: .env}\n"
        "  job:\n"
        "    build: {context: ., dockerfile: job/Dockerfile}\n"
        "    env_file: .env\n"
        "    depends_on: [db]\n"
        "  db: {image: 'postgres:16'}\n"
    )
    assert _calls(root) == {("api", "db", 5432), ("job", "db", 5432)}
    assert _calls(root, manifests=False) == {("api", "db", 5432), ("job", "db", 5432)}
