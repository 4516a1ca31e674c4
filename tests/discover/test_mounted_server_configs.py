"""What a compose service is handed through bind mounts: a config directory its server
image reads (whatever the files are named), the shell script its entrypoint runs, and a
config file mounted on its own from a directory the tree walk skips (``docs/``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

COMPOSE = """\
services:
  store:
    image: example/store
    volumes:
      - ./store_conf:/data/store/
  shared:
    image: example/shared
    volumes:
      - ./common:/etc/common/
  other:
    image: example/other
    volumes:
      - ./common:/etc/common/
  blobs:
    image: example/blobs
    expose: ["9000"]
  broker:
    image: example/broker
    expose: ["50051"]
  node:
    build: ./node
    entrypoint: ["/shell/start.sh"]
    volumes:
      - ./node/shell/:/shell/
      - ./node/helpers/:/helpers/
  dash:
    image: example/dash
    volumes:
      - ./docs/demo/source.yaml:/etc/dash/resources/source.yaml
  py:
    build: ./py
    volumes:
      - ./py_conf/extra.yaml:/etc/extra.yaml
  prometheus:
    image: prom/prometheus
    volumes:
      - ./docs/demo/prometheus.yml:/etc/prometheus/prometheus.yml
"""
STORE_TOML = """\
broker_endpoint='http://broker:50051'
remote_storage={ endpoint='http://blobs:9000', bucket='b' }
listen_addr='0.0.0.0:6400'
"""
START_SH = """\
#!/usr/bin/env bash
set -eu
while ! nc -z store 6400; do sleep 1; done
echo "see http://blobs:9000 for the console"
PARAMS=(
  -X GET
  "http://store:9898/v1/tenant"
)
curl "${PARAMS[@]}"
"""


def test_a_services_mounted_config_dir_and_entry_script(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            "store_conf/store.toml": STORE_TOML,
            "store_conf/nested/deep.toml": "endpoint='http://broker:7000'\n",
            # a directory two services mount: neither is known to read it
            "common/peers.toml": "peer='http://broker:50051'\n",
            "node/Dockerfile": "FROM debian\n",
            "node/shell/start.sh": START_SH,
            # beside the script, run by nobody
            "node/helpers/other.sh": "#!/bin/sh\ncurl http://broker:50051/\n",
            "docs/demo/source.yaml": "spec:\n  url: http://blobs:9000/api\n",
            # mounted into a service with code of its own that does not name it
            "py/Dockerfile": "FROM python:3.12\n",
            "py/main.py": "print('hello')\n",
            "py_conf/extra.yaml": "spec:\n  url: http://broker:50051/\n",
            "docs/demo/prometheus.yml": (
                "scrape_configs:\n  - job_name: b\n    static_configs:\n"
                "      - targets: ['blobs:9000']\n"
            ),
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    project = tmp_path.name
    edges = {(e.source, e.target, e.port) for e in graph.edges if not e.hint}
    # the store image reads its config directory's top (not what lies deeper); nor does
    # either of two services read a directory both mount; the entry script waits for the
    # store's 6400 and calls its 9898; what it echoes is a message; prometheus reads the
    # file mounted from docs/, the dash image its data source file; the py service has
    # code of its own, which names no extra.yaml
    assert edges == {
        (f"{project}/store", f"{project}/broker", 50051),
        (f"{project}/store", f"{project}/blobs", 9000),
        (f"{project}/node", f"{project}/store", 6400),
        (f"{project}/node", f"{project}/store", 9898),
        (f"{project}/prometheus", f"{project}/blobs", 9000),
        (f"{project}/dash", f"{project}/blobs", 9000),
    }
    script = next(
        e for e in graph.edges if e.target == f"{project}/store" and e.port == 9898
    ).evidence[0]
    assert (script.location.file, script.location.line) == (
        str(tmp_path / "node/shell/start.sh"),
        7,
    )
