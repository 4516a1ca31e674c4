"""A config given whole on the command line: Logstash's ``-e`` pipeline in a compose file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

COMPOSE = """\
services:
  logstash:
    image: logstash:7.17.0
    command: -e 'input { gelf { port => 12201 } }
              output { elasticsearch { hosts => ["search"] } }'
  shipper:
    image: logstash:7.17.0
    command: ["--config.string", "output { kafka { bootstrap_servers => 'broker' } }"]
  echo:
    image: alpine
    command: sh -e -c 'echo output { nothing }'
  search:
    image: elasticsearch:8.14.0
  broker:
    image: example/kafka
"""


def test_a_pipeline_given_with_dash_e_or_config_string_is_read(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    graph = discover(load_paths([str(tmp_path)]), code=False)
    project = tmp_path.name
    edges = {(e.source, e.target, e.port) for e in graph.edges}
    # a shell's -e is no config; the outputs' own default ports
    assert edges == {
        (f"{project}/logstash", f"{project}/search", 9200),
        (f"{project}/shipper", f"{project}/broker", 9092),
    }
    (line,) = {
        ev.location.line for e in graph.edges if e.source.endswith("/logstash") for ev in e.evidence
    }
    assert line == 4
