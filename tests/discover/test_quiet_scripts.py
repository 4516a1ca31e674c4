"""A shell script that only writes files (a config rendered from env) calls nobody; one
that runs a client, or a program of its own, is read as usual."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.discover import discover
from socklock.discover.quiet_scripts import quiet_script
from socklock.load import load_paths

RENDER = """\
set -e
mkdir -p /conf
cat <<'END' > /conf/routes.yml
services:
  api:
    servers:
END
for server in $(echo $$BACKENDS | tr "," "\\n"); do
  echo "      - url: \\"http://$$server\\"" >> /conf/routes.yml
done
echo "files written, idling"
sleep 3600
"""

COMPOSE = """\
name: qs
services:
  api: {{image: api:1, expose: ['3000']}}
  init:
    image: {image}
    entrypoint: sh
    environment:
      BACKENDS: api:3000
    command:
      - -c
      - |-
{script}
"""


def _calls(root: Path) -> set[tuple[str, str, int]]:
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


def _compose(root: Path, script: str, image: str = "alpine:3") -> None:
    indented = "\n".join(f"        {line}" for line in script.splitlines())
    (root / "compose.yml").write_text(COMPOSE.format(image=image, script=indented))


def test_a_script_that_only_renders_a_config_calls_nobody(tmp_path: Path) -> None:
    _compose(tmp_path, RENDER)
    assert _calls(tmp_path) == set()


def test_a_script_that_runs_a_client_calls_the_address(tmp_path: Path) -> None:
    _compose(tmp_path, RENDER.replace("sleep 3600", "curl -fsS http://$$BACKENDS/"))
    assert _calls(tmp_path) == {("qs/init", "qs/api", 3000)}


@pytest.mark.parametrize(
    ("line", "image", "quiet"),
    [
        (["sh", "-c", "mkdir -p /d && echo $X > /d/f"], "busybox", True),
        (["/bin/sh", "-c", "echo start; exec /app/server"], "app:1", False),
        (["-c", "echo a\nwget -q http://x/"], "alpine", False),
        (["python", "-c", "print(1)"], "python:3", False),
        (["echo", "hello world"], "alpine", True),
        (["echo", "hello world"], "app:1", False),
        (["sh", "/scripts/render.sh"], "alpine", False),
        ([], "alpine", False),
        # a tool's subcommand that only writes its config file; its others run the tool
        (["bash", "-c", "ls -1 apps > a.txt; bench set-config -g db_host $DB_HOST;"], "erp", True),
        (["bash", "-c", "bench set-config -g db_host db; bench new-site s"], "erp", False),
        (["bash", "-c", "git config --global x y && git pull"], "erp", False),
    ],
)
def test_which_lines_are_quiet(line: list[str], image: str, quiet: bool) -> None:
    assert quiet_script(line, image) is quiet


def test_a_kubernetes_job_rendering_a_config_calls_nobody(tmp_path: Path) -> None:
    script = 'mkdir -p /conf && echo "backend: $API_URL" > /conf/app.yml'
    job = f"""\
apiVersion: batch/v1
kind: Job
metadata: {{name: render}}
spec:
  template:
    spec:
      containers:
      - name: c
        image: busybox:1
        command: [sh, -c, '{script}']
        env: [{{name: API_URL, value: "http://api:3000"}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api}}
spec:
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      containers: [{{name: c, image: api:1, ports: [{{containerPort: 3000}}]}}]
---
apiVersion: v1
kind: Service
metadata: {{name: api}}
spec:
  selector: {{app: api}}
  ports: [{{port: 3000}}]
"""
    (tmp_path / "app.yaml").write_text(job)
    assert _calls(tmp_path) == set()
    (tmp_path / "app.yaml").write_text(job.replace("mkdir -p /conf", "wget -q $API_URL"))
    assert _calls(tmp_path) == {("default/render", "default/api", 3000)}


CONFIGURATOR = """\
name: erp
services:
  cache: {{image: 'redis:7'}}
  db: {{image: 'mariadb:11'}}
  configurator:
    image: example/erp:16
    entrypoint: [bash, -c]
    command:
      - >
        ls -1 apps > sites/apps.txt;
        bench set-config -g db_host $$DB_HOST;
        bench set-config -g redis_cache "redis://$$REDIS_CACHE";
        {last}
    environment:
      DB_HOST: db
      REDIS_CACHE: cache:6379
"""


def test_a_tool_that_writes_its_config_calls_nobody(tmp_path: Path) -> None:
    """``bench set-config`` writes the addresses into the shared config file the servers
    read: neither its env nor its command line is a call of the one-shot configurator."""
    (tmp_path / "compose.yml").write_text(CONFIGURATOR.format(last="ls sites"))
    assert _calls(tmp_path) == set()
    other = tmp_path / "other"
    other.mkdir()
    (other / "compose.yml").write_text(CONFIGURATOR.format(last="bench new-site s"))
    assert _calls(other) == {
        ("erp/configurator", "erp/db", 3306),
        ("erp/configurator", "erp/cache", 6379),
    }


def _monitoring(root: Path, last: str) -> None:
    from tests.helpers import write_files

    write_files(
        root,
        {
            "compose.yml": (
                "name: mon\n"
                "services:\n"
                "  api: {image: 'example/api:1', expose: ['8080']}\n"
                "  init:\n"
                "    build: ./monitoring\n"
                "    volumes: ['prom-config:/etc/prometheus']\n"
                "  prometheus:\n"
                "    image: prom/prometheus:v3\n"
                "    volumes: ['prom-config:/etc/prometheus']\n"
                "    depends_on: {init: {condition: service_completed_successfully}}\n"
                "volumes: {prom-config: {}}\n"
            ),
            "monitoring/Dockerfile": (
                "FROM alpine:3\nWORKDIR /monitoring\nCOPY . .\n"
                'COPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\n'
            ),
            "monitoring/entrypoint.sh": (
                "#!/bin/sh\nset -e\necho 'Copying Prometheus config...'\nmkdir -p /etc/prometheus\n"
                f"cp /monitoring/prometheus.yml /etc/prometheus/prometheus.yml\n{last}\n"
            ),
            "monitoring/prometheus.yml": (
                "scrape_configs:\n  - job_name: api\n    static_configs:\n"
                "      - targets: ['api:8080']\n"
            ),
        },
    )


def test_an_image_that_copies_its_configs_out_reads_none(tmp_path: Path) -> None:
    """The init image's entry point copies the Prometheus config into a volume and exits:
    the scrape targets are not its calls (the volume's reader is not known from files)."""
    _monitoring(tmp_path, "echo done")
    assert _calls(tmp_path) == set()
    other = tmp_path / "other"  # the image runs the server after copying: its config
    _monitoring(other, "exec prometheus --config.file=/etc/prometheus/prometheus.yml")
    assert ("mon/init", "mon/api", 8080) in _calls(other)
