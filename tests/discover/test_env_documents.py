"""An env variable whose value is a whole config document (YAML over several lines, or a
JSON object) is read as a config file of that format is: its addresses are calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.discover.code.config_files import document_addresses
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

COMPOSE = """\
services:
  app:
    build: ./app
    environment:
      APP_CONFIG: |
        database:
          host: app-db
          port: 5432
        title: "not an address"
      SPRING_APPLICATION_JSON: '{"search": {"url": "http://search:9200/"}}'
      STARTUP_SCRIPT: |
        echo starting
        exec app --host 0.0.0.0
      AUDIT_URL: http://audit:8080
  app-db: {image: "postgres:16", expose: ["5432"]}
  search: {image: "example/search:1", expose: ["9200"]}
  audit: {image: "example/audit:1", expose: ["8080"]}
"""


def _edges(root: Path) -> dict[tuple[str, int | None], list[str]]:
    graph = discover(load_paths([str(root)]))
    return {
        (e.target, e.port): [ev.detail for ev in e.evidence]
        for e in graph.edges
        if e.source == "shop/app" and not e.hint
    }


def test_addresses_of_a_yaml_or_json_document() -> None:
    assert document_addresses("db:\n  host: app-db\n  port: 5432\nname: x\n") == [
        ("db.host", "app-db:5432")
    ]
    assert document_addresses('{"cache": {"url": "redis://cache:6379"}, "size": 3}') == [
        ("cache.url", "redis://cache:6379")
    ]


def test_values_that_are_no_document() -> None:
    assert document_addresses("http://api:8080") == []
    assert document_addresses("host: api") == []  # one line: a value, not a document
    assert document_addresses("echo starting\nexec app --port 80\n") == []
    assert document_addresses("-----BEGIN KEY-----\nabc:\n-----END KEY-----\n") == []
    assert document_addresses("db:\n  host: ${DB_HOST}\n  port: 5432\n") == []  # needs the env


def test_a_document_in_env_is_read_even_where_no_code_reads_it_by_name(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    (root / "app").mkdir(parents=True)
    (root / "compose.yaml").write_text(COMPOSE)
    (root / "app" / "Dockerfile").write_text("FROM python:3.12\nCOPY main.py .\n")
    (root / "app" / "main.py").write_text("print('reads its config in a way not read')\n")
    edges = _edges(root)
    # AUDIT_URL is a plain address the code never reads: not a call
    assert sorted(edges) == [("shop/app-db", 5432), ("shop/search", 9200)]
    assert edges[("shop/app-db", 5432)] == [
        'env APP_CONFIG=database:\n  host: app-db\n  port: 5432\ntitle: "not an address"\n'
        " (the workload's own config document: read whole)"
        " (config document: database.host=app-db:5432) (compose service shop/app-db)"
    ]
