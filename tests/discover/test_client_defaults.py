"""One test per ``[[client]]`` row of data/client_libraries.toml: the call that builds the
client names its protocol (whose default port a bare host takes), a look-alike does not;
and end to end, a client given a host alone reaches the broker on the default port."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.discover import discover
from socklock.discover.addresses import DEFAULT_PORTS
from socklock.discover.libraries import client_scheme, clients
from socklock.load import load_paths

ROWS = [
    ("node-redis", "javascript", "redis.createClient", "createClient", "redis"),
    ("amqplib", "javascript", "amqplib.connect", "amqp.connection", "amqp"),
    ("nats.js", "typescript", "nats.connect", "natsConnect", "nats"),
    ("mysql / mysql2 (Node)", "typescript", "mysql2.createPool", "pool.createPool", "mysql"),
    ("node-postgres", "javascript", "new pg.Pool", "new Pool", "postgresql"),
    ("Jedis", "java", "new JedisPool", "new JedisPoolConfig", "redis"),
    (
        "MongoDB Java driver (legacy MongoClient)",
        "kotlin",
        "new MongoClient",
        "MongoClients",
        "mongodb",
    ),
    (
        "StackExchange.Redis",
        "csharp",
        "ConnectionMultiplexer.Connect",
        "Multiplexer.Connect",
        "redis",
    ),
]


def test_every_row_is_tested_and_has_a_default_port() -> None:
    assert [c.what for c in clients()] == [row[0] for row in ROWS]
    assert all(DEFAULT_PORTS.get(c.scheme) for c in clients())


@pytest.mark.parametrize(("what", "language", "callee", "other", "scheme"), ROWS)
def test_the_client_call_names_its_protocol(
    what: str, language: str, callee: str, other: str, scheme: str
) -> None:
    assert client_scheme(language, callee) == scheme, what
    assert client_scheme(language, other) is None
    assert client_scheme("go", callee) is None  # another language's code


_COMPOSE = """\
services:
  vote:
    build: ./vote
  redis:
    image: redis:alpine
"""
_VOTE = """\
from redis import Redis

def get_redis():
    return Redis(host="redis", db=0, socket_timeout=5)
"""


def test_a_host_alone_reaches_the_clients_default_port(tmp_path: Path) -> None:
    (tmp_path / "vote").mkdir()
    (tmp_path / "docker-compose.yml").write_text(_COMPOSE)
    (tmp_path / "vote" / "app.py").write_text(_VOTE)
    (tmp_path / "vote" / "Dockerfile").write_text("FROM python:3.12\nCOPY . /app\n")
    graph = discover(load_paths([str(tmp_path)]))
    project = tmp_path.name.lower()
    edges = {(e.source, e.target, e.port) for e in graph.edges if not e.hint}
    assert edges == {(f"{project}/vote", f"{project}/redis", 6379)}
    (edge,) = (e for e in graph.edges if not e.hint)
    assert [str(ev.location) for ev in edge.evidence] == [f"{tmp_path / 'vote' / 'app.py'}:4:23"]
