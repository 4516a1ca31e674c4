"""Hosting-integration companions: admin tools an Aspire server resource adds beside itself.

``builder.AddPostgres("pg").WithPgAdmin()`` adds a container resource ``pg-pgadmin`` that
Aspire configures with the server's address: a workload that connects to the server.
``WithRedisCommander()`` adds ``<redis>-commander``, and so on. Most tools are one per
AppHost: the first call names it after its server, later calls configure the same container,
and Aspire hands it every server of its kind; Mongo Express is one per server. A
``containerName: "x"`` argument names it. Each tool is a line of data below, as the Aspire
hosting packages define it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Companion:
    """An admin tool a server's ``With<Tool>()`` adds."""

    suffix: str  # its resource name is ``<server>-<suffix>``
    servers: frozenset[str]  # the kinds of server (``aspire.SERVER_PORTS`` keys) it connects to
    listens: int  # its own (HTTP) port
    shared: bool = True  # one per AppHost, connected to every server of its kinds
    port: int | None = None  # the server port it connects to, when not the server's own


COMPANIONS: dict[str, Companion] = {
    "WithPgAdmin": Companion("pgadmin", frozenset({"postgres"}), 80),
    "WithPgWeb": Companion("pgweb", frozenset({"postgres"}), 8081),
    "WithRedisCommander": Companion("commander", frozenset({"redis"}), 8081),
    "WithRedisInsight": Companion("insight", frozenset({"redis"}), 5540),
    "WithMongoExpress": Companion("mongoexpress", frozenset({"mongodb"}), 8081, shared=False),
    "WithPhpMyAdmin": Companion("phpmyadmin", frozenset({"mysql"}), 80),
    # Kafka UI reads the brokers' container-network listener (``internal``, 9093)
    "WithKafkaUI": Companion("kafka-ui", frozenset({"kafka"}), 8080, port=9093),
}

_CALL = re.compile(r"\.\s*(" + "|".join(COMPANIONS) + r")\s*(?:<[^>]*>\s*)?\(")
_CONTAINER_NAME = re.compile(r"\bcontainerName\s*:\s*\"([^\"]+)\"")


@dataclass(frozen=True, slots=True)
class CompanionCall:
    """``server.WithPgAdmin(..)`` in a statement: the tool, its name if given, where."""

    method: str
    companion: Companion
    name: str | None  # ``containerName:``, else None (``<server>-<suffix>``)
    at: int  # offset of the call in the statement


def companion_calls(statement: str) -> list[CompanionCall]:
    """The companion tools a statement adds to its resource."""
    found: list[CompanionCall] = []
    for match in _CALL.finditer(statement):
        arguments = _arguments(statement, match.end())
        named = _CONTAINER_NAME.search(arguments)
        method = match.group(1)
        found.append(
            CompanionCall(
                method, COMPANIONS[method], named.group(1) if named else None, match.start()
            )
        )
    return found


def _arguments(text: str, start: int) -> str:
    """The text between the parenthesis opened just before ``start`` and its closing one."""
    depth, end = 1, start
    while end < len(text) and depth:
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        end += 1
    return text[start : end - 1] if depth == 0 else text[start:]
