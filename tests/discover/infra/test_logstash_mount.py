"""A Logstash pipeline mounted from ``$PWD/elk-config`` (the shell's working directory: the
project's, where compose runs) is the logstash service's: its output is its call, its http
input (a health check listener) is none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

COMPOSE = """\
services:
  elasticsearch:
    image: elasticsearch:8.13.0
  logstash:
    image: logstash:8.13.0
    volumes:
      - {source}:/elk-config
    command: logstash -f /elk-config/logstash.config
"""
PIPELINE = """\
input {
  http {
    port => 8080
  }
}
output {
  elasticsearch {
    hosts => "elasticsearch"
  }
}
"""


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


def test_a_pipeline_mounted_from_the_working_directory_is_read(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "compose.yaml": COMPOSE.format(source="$PWD/elk-config"),
            "elk-config/logstash.config": PIPELINE,
        },
    )
    p = tmp_path.name
    assert _edges(tmp_path) == {(f"{p}/logstash", f"{p}/elasticsearch", 9200)}


def test_a_pipeline_mounted_from_elsewhere_is_not_the_services(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "compose.yaml": COMPOSE.format(source="/srv/elk-config"),
            "elk-config/logstash.config": PIPELINE,
        },
    )
    assert _edges(tmp_path) == set()
