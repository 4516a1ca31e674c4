"""Database command-line clients on a command line: the server each one connects to.

``mongoimport --host db --db shop --file /seed.json`` (a seed container's CMD), ``psql -h
postgres -p 5432 -f init.sql`` (a Job's), ``mysql -hdb < dump.sql``, ``redis-cli -h cache
ping``: the host and port flags name the server, on the tool's default port when no port
flag is given. Only these tools and their documented host flags count; a tool run without
a host flag talks to its local socket or to what its environment names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class _Tool:
    scheme: str
    host: tuple[str, ...]  # short and long flags whose value is the host
    port: tuple[str, ...]


_MONGO_TOOLS = ("mongoimport", "mongoexport", "mongodump", "mongorestore", "mongostat")
_POSTGRES = _Tool("postgresql", ("-h", "--host"), ("-p", "--port"))
_MYSQL = _Tool("mysql", ("-h", "--host"), ("-P", "--port"))
_TOOLS: dict[str, _Tool] = {
    # the shells take -h as --help: only --host names the server
    **dict.fromkeys(("mongo", "mongosh"), _Tool("mongodb", ("--host",), ("--port",))),
    **dict.fromkeys(
        (*_MONGO_TOOLS, "mongotop", "mongofiles"),
        _Tool("mongodb", ("-h", "--host"), ("--port",)),
    ),
    **dict.fromkeys(
        (
            "psql",
            "pg_dump",
            "pg_dumpall",
            "pg_restore",
            "pg_isready",
            "createdb",
            "dropdb",
            "createuser",
            "vacuumdb",
            "pgbench",
        ),
        _POSTGRES,
    ),
    **dict.fromkeys(
        (
            "mysql",
            "mysqldump",
            "mysqladmin",
            "mysqlimport",
            "mysqlcheck",
            "mariadb",
            "mariadb-dump",
            "mariadb-admin",
            "mariadb-import",
        ),
        _MYSQL,
    ),
    "redis-cli": _Tool("redis", ("-h",), ("-p",)),
}
# words before the program: shell keywords, ``exec``, ``VAR=x``
_LEADING = frozenset({"until", "while", "if", "!", "do", "then", "else", "exec", "time", "nohup"})
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


@dataclass(frozen=True, slots=True)
class ClientAddress:
    """The server one client on a command line connects to, as written."""

    tool: str
    scheme: str
    host: str  # as written: ``db``, ``$DB_HOST``, ``db:27017``, ``rs0/db1:27017,db2:27017``
    port: str | None


def client_addresses(simple: list[str]) -> Iterator[ClientAddress]:
    """The server of the database client that the simple command ``simple`` runs, if its
    host flag names one."""
    start = 0
    while start < len(simple) and (simple[start] in _LEADING or _ASSIGNMENT.match(simple[start])):
        start += 1
    if start >= len(simple):
        return
    name = simple[start].rsplit("/", 1)[-1]
    tool = _TOOLS.get(name)
    if tool is None:
        return
    host = _flag(simple[start + 1 :], tool.host)
    if host:
        yield ClientAddress(name, tool.scheme, host, _flag(simple[start + 1 :], tool.port))


def _flag(args: list[str], flags: tuple[str, ...]) -> str | None:
    """The value of the last of ``flags`` in ``args``: ``--host db``, ``--host=db``, and
    for a short flag also ``-hdb``."""
    found: str | None = None
    for index, word in enumerate(args):
        for flag in flags:
            if word == flag and index + 1 < len(args):
                found = args[index + 1]
            elif flag.startswith("--") and word.startswith(flag + "="):
                found = word[len(flag) + 1 :]
            elif not flag.startswith("--") and word.startswith(flag) and len(word) > 2:
                found = word[2:]
    return found


def client_url(scheme: str, host: str, port: str | None) -> str | None:
    """``scheme://host[:port]`` of an expanded host and port; a MongoDB replica set's
    ``name/host:port,...`` seed list loses its name. None for a value that is no host."""
    if host.startswith(("-", "/")):  # a flag, or a Unix socket's directory
        return None
    host = host.split("/", 1)[1] if "/" in host else host
    if not host or any(c.isspace() for c in host):
        return None
    if port is not None:
        if not port.isdigit() or ":" in host:
            return None
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"
