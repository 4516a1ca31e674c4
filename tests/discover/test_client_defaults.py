"""One test per ``[[client]]`` row of data/client_libraries.toml: the call that builds the
client names its protocol (whose default port a bare host takes), a look-alike does not;
and end to end, a client given a host alone reaches the broker on the default port."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.discover import discover
from socklock.discover.addresses import DEFAULT_PORTS
from socklock.discover.code.clients import client_patterns
from socklock.discover.libraries import client_scheme, clients
from socklock.load import load_paths

# (row, language, callee, a ``new`` of it?, a look-alike that is not the client, protocol)
ROWS = [
    ("node-redis", "javascript", "redis.createClient", False, "createClient", "redis"),
    ("amqplib", "tsx", "amqplib.connect", False, "amqp.connection", "amqp"),
    ("nats.js", "typescript", "nats.connect", False, "natsConnect", "nats"),
    ("nats.go", "go", "nats.Connect", False, "natsx.Connect", "nats"),
    ("mysql / mysql2 (Node)", "typescript", "mysql2.createPool", False, "pool.createPool", "mysql"),
    ("node-postgres", "javascript", "pg.Pool", True, "Pool", "postgresql"),
    ("Jedis", "java", "JedisPool", True, "JedisPoolConfig", "redis"),
    (
        "MongoDB Java driver (legacy MongoClient)",
        "kotlin",
        "MongoClient",
        True,
        "MongoClients",
        "mongodb",
    ),
    (
        "StackExchange.Redis",
        "csharp",
        "ConnectionMultiplexer.Connect",
        False,
        "Multiplexer.Connect",
        "redis",
    ),
]


def test_every_row_is_tested_and_has_a_default_port() -> None:
    assert [c.what for c in clients()] == [row[0] for row in ROWS]
    assert all(DEFAULT_PORTS.get(c.scheme) for c in clients())


@pytest.mark.parametrize(("what", "language", "callee", "new", "other", "scheme"), ROWS)
def test_the_client_call_names_its_protocol(
    what: str, language: str, callee: str, new: bool, other: str, scheme: str
) -> None:
    assert client_scheme(language, callee, constructor=new) == scheme, what
    assert client_scheme(language, callee, constructor=not new) is None  # the other form
    assert client_scheme(language, other, constructor=new) is None
    assert client_scheme("ruby", callee, constructor=new) is None  # another language's code


def test_each_row_is_a_query_pattern_of_its_languages() -> None:
    """A row alone makes its client's calls targets: no ``.scm`` pattern needed."""
    assert client_patterns("ruby") == ""
    assert client_patterns("go") == (
        "\n; clients of data/client_libraries.toml\n"
        "((call_expression function: (_) @_fn arguments: (argument_list . (_) @target))\n"
        '  (#set! strength "weak") (#match? @_fn "(?:^nats\\\\.Connect$)"))\n'
    )


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


def test_a_file_that_only_uses_a_table_client_is_not_passed_over() -> None:
    from socklock.discover.code.go import SYNTAX as GO_SYNTAX
    from socklock.discover.code.grammar import prefilter

    found = prefilter(GO_SYNTAX)
    assert found is not None
    assert found.search(b'package main\n\nfunc main() { nats.Connect("nats") }\n')
    assert not found.search(b"package main\n\nfunc main() { fmt.Println(1) }\n")
