"""``host.docker.internal`` stays outside the project: its names also carry browser-facing
callback URLs, so they are not taken for the service publishing the port. A config a
whole-project checkout mount (``./:/app``) puts below its top is not run by that service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

COMPOSE = """\
services:
  api:
    build: ./api
    volumes:
      - ./:/app
    environment:
      BROKERS: host.docker.internal:9092
      AGENT: host.docker.internal:6831
      CACHE_URL: redis://host.containers.internal:16379
      NOBODY_URL: http://host.docker.internal:4444
  broker:
    image: example/kafka
    ports:
      - "9092:9092"
  agent:
    image: example/agent
    ports:
      - "6831:6831/udp"
  cache:
    image: redis:7
    ports:
      - "16379:6379"
  private:
    image: example/private
    ports:
      - "10.0.0.5:4444:4444"
  prometheus:
    image: prom/prometheus
    volumes:
      - ./monitoring/docker.yml:/etc/prometheus/prometheus.yml
"""
API_GO = """\
package main

import (
	"net"
	"net/http"
	"os"

	"example.com/shop/pkg/constants"
)

func main() {
	net.Dial("tcp", os.Getenv("BROKERS"))
	net.Dial("udp", os.Getenv("AGENT"))
	http.Get(os.Getenv("CACHE_URL"))
	http.Get(os.Getenv(constants.NobodyURL))
	http.Get(os.Getenv(constants.Missing))
}
"""
CONSTANTS_GO = """\
package constants

const (
	NobodyURL = "NOBODY_URL"
	Missing   = "MISSING_URL"
)
"""
PROMETHEUS = """\
scrape_configs:
  - job_name: api
    static_configs:
      - targets: ['{host}:9092']
"""


def test_a_checkout_mount_runs_no_config_and_constants_name_env_vars(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": COMPOSE,
            "go.mod": "module example.com/shop\n",
            "api/Dockerfile": "FROM golang:1.22\n",
            "api/main.go": API_GO,
            "pkg/constants/constants.go": CONSTANTS_GO,
            # the host's view of the project (run beside it), and the one prometheus mounts
            "monitoring/prometheus.yml": PROMETHEUS.format(host="host.docker.internal"),
            "monitoring/docker.yml": PROMETHEUS.format(host="broker"),
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    project = tmp_path.name
    edges = {(e.source, e.target, e.port, e.protocol) for e in graph.edges if not e.hint}
    # the docker host's names are not followed (they also carry browser-facing callback
    # URLs); the api's ``./:/app`` checkout holds monitoring/prometheus.yml but does not
    # run Prometheus
    assert {e for e in edges if not e[1].startswith("external:")} == {
        (f"{project}/prometheus", f"{project}/broker", 9092, "TCP")
    }
    unresolved = {(u.source, u.expression, u.reason) for u in graph.unresolved}
    # the env name is the imported package's constant, not the expression's text
    assert (
        f"{project}/api",
        "os.Getenv(constants.Missing)",
        f"env MISSING_URL is not set for {project}/api by any manifest",
    ) in unresolved


def test_without_the_docker_host_name_an_unknown_host_is_no_service(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n  api:\n    image: example/api\n    environment:\n"
                "      BROKERS: host.example.internal:9092\n"
                "  broker:\n    image: example/kafka\n    ports:\n      - 9092:9092\n"
            )
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    targets = {e.target for e in graph.edges if not e.hint}
    assert targets == {"external:host.example.internal"}
