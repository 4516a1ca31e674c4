"""A directory of scripts mounted into a service whose command or healthcheck names one of
them: the service runs that script (and what it names), not every script kept beside it."""

from __future__ import annotations

from pathlib import Path

from socklock.discover import discover
from socklock.load import load_paths

COMPOSE = """\
name: ms
services:
  db:
    image: mongo:7
    command: mongod --replSet rs0
    healthcheck:
      test: mongosh --quiet /scripts/init.js
    volumes:
      - ./scripts:/scripts
  web: {{image: web:1, expose: ['80']}}
  cache: {{image: redis:7}}
  {extra}
"""


def _calls(root: Path) -> set[tuple[str, str, int]]:
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges if not e.hint}


def _scripts(root: Path) -> None:
    scripts = root / "scripts"
    scripts.mkdir()
    (scripts / "init.js").write_text('load("helpers.js");\nrs.initiate();\n')
    (scripts / "helpers.js").write_text('const c = new Redis("redis://cache:6379");\n')
    (scripts / "example.py").write_text('import requests\nrequests.get("http://web/api")\n')


def test_a_service_runs_the_mounted_script_its_healthcheck_names(tmp_path: Path) -> None:
    _scripts(tmp_path)
    (tmp_path / "compose.yml").write_text(COMPOSE.format(extra=""))
    assert _calls(tmp_path) == {("ms/db", "ms/cache", 6379)}


def test_a_service_naming_no_mounted_file_runs_the_whole_directory(tmp_path: Path) -> None:
    _scripts(tmp_path)
    extra = "tool:\n    image: python:3\n    volumes: ['./scripts:/opt/scripts']"
    (tmp_path / "compose.yml").write_text(COMPOSE.format(extra=extra))
    assert _calls(tmp_path) == {
        ("ms/db", "ms/cache", 6379),
        ("ms/tool", "ms/cache", 6379),
        ("ms/tool", "ms/web", 80),
    }
