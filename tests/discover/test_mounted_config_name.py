"""A config file mounted on its own under the name its program reads (Typesafe config's
``application.conf``) is read as that config, whatever the tree calls it."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

HOCON = """\
include "base"
db.uri = "mongodb://mongodb?appName=app"
redis.uri = "redis://redis"
explorer.internal_endpoint = "http://explorer:9002"
net.base_url = ${?APP_URL}
"""


def _calls(root: Path) -> set[tuple[str, str, int, str]]:
    graph = discover(load_paths([str(root)]))
    return {
        (e.source, e.target, e.port, str(v.location))
        for e in graph.edges
        for v in e.evidence
        if not e.hint
    }


def test_a_file_mounted_as_application_conf_is_read_as_hocon(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "app.conf").write_text(HOCON)
    (tmp_path / "conf" / "other.conf").write_text(HOCON.replace("explorer", "worker"))
    (tmp_path / "compose.yml").write_text(
        "name: hc\n"
        "services:\n"
        "  mongodb: {image: mongo:7}\n"
        "  redis: {image: redis:7}\n"
        "  explorer: {image: explorer:1, expose: ['9002']}\n"
        "  worker: {image: worker:1, expose: ['9002']}\n"
        "  app:\n"
        "    image: app:1\n"
        "    volumes:\n"
        "      - ./conf/app.conf:/app/conf/application.conf\n"
        "  tool:\n"
        "    image: tool:1\n"
        "    volumes:\n"
        "      - ./conf/other.conf:/etc/tool/tool.conf\n"
    )
    conf = tmp_path / "conf" / "app.conf"
    assert _calls(tmp_path) == {
        ("hc/app", "hc/mongodb", 27017, f"{conf}:2:9"),
        ("hc/app", "hc/redis", 6379, f"{conf}:3:12"),
        ("hc/app", "hc/explorer", 9002, f"{conf}:4:29"),
    }


TEMPLATE = """\
mysql:
  host: '${DB_HOST:-db}'
  port: ${DB_PORT:-3306}
es:
  hosts: 'http://${ES_HOST:-search}:9200'
cache:
  host: '${CACHE_HOST:-cache}:6379'
"""


def test_a_mounted_template_is_read_as_the_config_it_renders(tmp_path: Path) -> None:
    """``conf/service.yaml.template`` mounted beside the config its entrypoint renders: its
    ``${VAR:-default}`` take the container's env. A template mounted outside a config
    directory, under no config's name, is not read."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text(
        "import yaml\n\nsettings = yaml.safe_load(open('/app/conf/service.yaml'))\n"
    )
    (tmp_path / "app" / "Dockerfile").write_text("FROM python:3.12\nCOPY . /app\n")
    (tmp_path / "service.yaml.template").write_text(TEMPLATE)
    (tmp_path / "notes.txt.template").write_text("see http://search:9200\n")
    (tmp_path / ".env").write_text("DB_HOST=db\nES_HOST=search\nSEARCH_PORT=1200\n")
    (tmp_path / "compose.yml").write_text(
        "name: tp\n"
        "services:\n"
        "  app:\n"
        "    build: ./app\n"
        "    env_file: .env\n"
        "    volumes:\n"
        "      - ./service.yaml.template:/app/conf/service.yaml.template\n"
        "  tool:\n"
        "    image: tool:1\n"
        "    volumes:\n"
        "      - ./service.yaml.template:/srv/service.yaml.template\n"
        "      - ./notes.txt.template:/etc/tool/notes.txt.template\n"
        "  db: {image: 'mysql:8'}\n"
        "  search:\n"
        "    image: elasticsearch:8.11.3\n"
        "    ports: ['${SEARCH_PORT}:9200']\n"
    )
    template = tmp_path / "service.yaml.template"
    assert {(s, t, p) for s, t, p, _ in _calls(tmp_path)} == {
        ("tp/app", "tp/db", 3306),
        ("tp/app", "tp/search", 9200),
    }
    assert (("tp/app", "tp/search", 9200, f"{template}:5:11")) in _calls(tmp_path)


def test_a_mounted_file_its_env_names_is_its_config_whatever_its_name(tmp_path: Path) -> None:
    """``OTEL_CONFIG=/opt/tracing/otel.toml`` names the file mounted there: its config (a
    TOML ``host`` with its integer ``port``); the same file mounted into a service that
    names it nowhere is not read; socat's command connects to its upstream."""
    (tmp_path / "otel.toml").write_text(
        'exporter = "otlp"\n\n[exporters.otlp]\nhost = "jaeger"\nport = 4317\n'
    )
    (tmp_path / "compose.yml").write_text(
        "name: ot\n"
        "services:\n"
        "  gateway:\n"
        "    image: gateway:1\n"
        "    environment:\n"
        "      OTEL_CONFIG: /opt/tracing/otel.toml\n"
        "    volumes: ['./otel.toml:/opt/tracing/otel.toml']\n"
        "  sidecar:\n"
        "    image: sidecar:1\n"
        "    volumes: ['./otel.toml:/opt/other/otel.toml']\n"
        "  forward:\n"
        "    image: alpine/socat\n"
        "    command: '-d TCP-LISTEN:80,fork TCP:upstream:8080'\n"
        "  upstream: {image: 'upstream:1', expose: ['8080']}\n"
        "  jaeger: {image: 'jaegertracing/all-in-one:1.60', expose: ['4317', '16686']}\n"
    )
    assert {(s, t, p) for s, t, p, _ in _calls(tmp_path)} == {
        ("ot/gateway", "ot/jaeger", 4317),
        ("ot/forward", "ot/upstream", 8080),
    }
