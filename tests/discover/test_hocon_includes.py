"""Lightbend Config: the ``.conf`` files ``application.conf`` includes are the application's
config too, as is a whole config that includes ``"application"`` (``-Dconfig.resource=``);
a ``.conf`` beside them that nothing includes is not loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

RESOURCES = "cart/src/main/resources/"
BUILD = 'name := "cart"\nenablePlugins(JavaAppPackaging)\n'
INFRA = (
    "services:\n"
    "  kafka:\n    image: bitnami/kafka:3.6\n    ports: ['9092:9092']\n"
    "  postgres:\n    image: postgres:16\n    ports: ['5433:5432']\n"
    "  mysql:\n    image: mysql:8\n    ports: ['3306:3306']\n"
    "  redis:\n    image: redis:7\n    ports: ['6379:6379']\n"
)


def test_included_fragments_and_local_configs_are_read(tmp_path: Path) -> None:
    files = {
        "cart/build.sbt": BUILD,
        "cart/src/main/scala/Main.scala": "object Main extends App\n",
        RESOURCES + "application.conf": 'include "kafka"\n#include "persistence"\n',
        RESOURCES
        + "kafka.conf": 'kafka-connection-settings {\n  bootstrap.servers = "localhost:9092"\n}\n',
        # only a commented-out include names it: not loaded
        RESOURCES + "persistence.conf": 'db.url = "jdbc:mysql://localhost:3306/cart"\n',
        # a whole config for a local run, and what it includes
        RESOURCES
        + "local.conf": 'include "application"\ninclude required(classpath("local-db"))\n',
        RESOURCES
        + "local-db.conf": 'jdbc-connection-settings.url = "jdbc:postgresql://localhost:5433/cart"\n',
        # another program's file beside them
        RESOURCES + "cache.conf": 'cache.redis.url = "redis://localhost:6379"\n',
        "docker-compose.yml": INFRA,
    }
    for name, text in files.items():
        path = tmp_path / "shop" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(tmp_path / "shop")]))
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/cart", "shop/kafka", 9092),
        ("code/cart", "shop/postgres", 5432),
    }
