"""Tempo, Loki and Mimir configs (``tempo.yaml``, ``loki.yaml``, ``mimir.yaml``): the
addresses these servers call by their own configuration, such as Tempo's metrics generator
remote-writing to a Prometheus-compatible store, a ruler notifying Alertmanager, a
querier's worker dialling the query-frontend, object storage.

Which keys mark each program's file and which settings hold an address are data
(``data/telemetry_backends.toml``). The programs fill ``${VAR}`` from their environment
when started with ``-config.expand-env=true``; the workload's env is used for that.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from socklock.discover.infra.values import address, documents, top_keys, where
from socklock.discover.proxies.interface import Found, Source


@dataclass(frozen=True, slots=True)
class Dial:
    path: tuple[str, ...]
    scheme: str | None
    port: int | None


@dataclass(frozen=True, slots=True)
class Program:
    name: str
    keys: frozenset[str]
    requires: frozenset[str]
    dials: tuple[Dial, ...]

    def claims(self, keys: set[str]) -> bool:
        return bool(keys & self.keys) and self.requires <= keys


@lru_cache(maxsize=1)
def programs() -> tuple[Program, ...]:
    """The rows of ``data/telemetry_backends.toml``."""
    from socklock.discover.tables import section

    rows = section("telemetry_backends.toml", "program")
    return tuple(
        Program(
            str(row["name"]),
            frozenset(row["keys"]),
            frozenset(row.get("requires", ())),
            tuple(
                Dial(tuple(d["path"]), d.get("scheme"), d.get("port")) for d in row.get("dial", ())
            ),
        )
        for row in rows
    )


class BackendReader:
    name = "telemetry-backend"

    def claims(self, name: str, text: str) -> bool:
        if not name.lower().endswith((".yaml", ".yml")):
            return False
        keys = top_keys(text)
        return any(program.claims(keys) for program in programs())

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            keys = top_keys(source.text)
            for program in programs():
                if not program.claims(keys):
                    continue
                for config in documents(source, env):
                    for dial in program.dials:
                        for parent, key in _settings(config, dial.path):
                            value = parent[key]
                            location = where(source, parent, key, str(value))
                            label = f"{program.name} {'.'.join(dial.path)}"
                            yield from address(
                                location,
                                value,
                                env,
                                label,
                                default_scheme=dial.scheme,
                                default_port=dial.port,
                            )
                break  # one program per file


def _settings(node: Any, path: tuple[str, ...]) -> Iterator[tuple[Any, Any]]:
    """The (container, key) of every value at ``path``; ``*`` is every list item or map
    value."""
    head, rest = path[0], path[1:]
    if head == "*":
        keys: list[Any] = (
            list(range(len(node)))
            if isinstance(node, list)
            else list(node)
            if isinstance(node, Mapping)
            else []
        )
    else:
        keys = [head] if isinstance(node, Mapping) and head in node else []
    for key in keys:
        if not rest:
            if node[key] is not None:
                yield node, key
        else:
            yield from _settings(node[key], rest)
