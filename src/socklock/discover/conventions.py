"""Addresses that SDKs read from the environment by convention (``OTEL_EXPORTER_OTLP_ENDPOINT``,
``FLAGD_HOST``, ``SPRING_RABBITMQ_HOST``, ``KAFKA_BOOTSTRAP_SERVERS``...).

The conventions are data (``data/sdk_conventions.toml``), one row per way of giving an
address; this module reads the table and turns a variable's value into targets with the
port and protocol the SDK uses when the value leaves them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import TYPE_CHECKING

from socklock.discover.addresses import Target, find_targets

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_GIVES = frozenset({"url", "host", "hosts"})


@dataclass(frozen=True, slots=True)
class Convention:
    sdk: str
    env: tuple[str, ...]
    gives: str  # url, host or hosts
    port_env: str | None = None
    port: int | None = None
    protocol: str = "TCP"
    scheme: str | None = None
    constructors: tuple[str, ...] = ()  # regexes: code that builds the SDK's client
    agents: tuple[str, ...] = ()  # regexes: a Dockerfile's ENV/CMD/ENTRYPOINT attaching one
    implicit: bool = True  # read without any code naming the SDK (an agent, a framework)
    when: tuple[str, ...] = ()  # switches that must be on (``DD_RUNTIME_METRICS_ENABLED``)
    unless: tuple[str, ...] = ()  # variables that, when set, give the address instead
    local_default: bool = False  # unset, the SDK dials localhost on ``port``
    selectors: tuple[str, ...] = ()  # variables naming the plugin it loads, not a host


@lru_cache(maxsize=1)
def conventions() -> tuple[Convention, ...]:
    """Every row of the table, in its order."""
    from socklock.discover.tables import section

    rows = section("sdk_conventions.toml", "convention")
    out: list[Convention] = []
    for row in rows:
        convention = Convention(
            sdk=str(row["sdk"]),
            env=tuple(str(name) for name in row["env"]),
            gives=str(row["gives"]),
            port_env=row.get("port_env"),
            port=row.get("port"),
            protocol=str(row.get("protocol", "TCP")),
            scheme=row.get("scheme"),
            constructors=tuple(str(c) for c in row.get("constructors", ())),
            agents=tuple(str(a) for a in row.get("agents", ())),
            implicit=bool(row.get("implicit", True)),
            when=tuple(str(w) for w in row.get("when", ())),
            unless=tuple(str(u) for u in row.get("unless", ())),
            local_default=bool(row.get("local_default", False)),
            selectors=tuple(str(s) for s in row.get("selectors", ())),
        )
        bad_gate = convention.when and (convention.constructors or convention.agents)
        if (
            convention.gives not in _GIVES
            or convention.protocol not in ("TCP", "UDP")
            or bad_gate
            or (convention.unless and not convention.when)
            or (convention.local_default and convention.port is None)
        ):
            raise ValueError(f"sdk_conventions.toml: bad row {row!r}")
        out.append(convention)
    return tuple(out)


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Convention]:
    table: dict[str, Convention] = {}
    for convention in conventions():
        if convention.when:
            continue  # switched on beside another row: see switched_rows
        for name in convention.env:
            if "*" not in name:
                table.setdefault(name, convention)
    return table


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, Convention], ...]:
    """Rows whose variables are numbered (``HealthChecksUI__HealthChecks__0__Uri``): a ``*``
    stands for the index. .NET configuration keys are case-insensitive, so the match is."""
    return tuple(
        (name.lower(), convention)
        for convention in conventions()
        for name in convention.env
        if "*" in name and not convention.when
    )


@lru_cache(maxsize=1)
def _port_names() -> frozenset[str]:
    return frozenset(c.port_env for c in conventions() if c.port_env)


def constructed() -> tuple[Convention, ...]:
    """The rows whose SDK client code can be seen being built."""
    return tuple(c for c in conventions() if c.constructors)


def convention_for(name: str) -> Convention | None:
    """The convention whose SDK reads env var ``name`` as an address."""
    found = _by_name().get(name)
    if found is not None:
        return found
    lowered = name.lower()
    return next((c for pattern, c in _patterns() if fnmatchcase(lowered, pattern)), None)


def switched_rows(name: str, lookup: Callable[[str], str | None]) -> list[Convention]:
    """The rows that read ``name`` only while a switch is on (``DD_AGENT_HOST`` is also
    where runtime metrics go, over DogStatsD, when ``DD_RUNTIME_METRICS_ENABLED=true``):
    those whose switches ``lookup`` says are on and none of whose ``unless`` is set."""
    from socklock.discover.switches import switched_on

    return [
        convention
        for convention in conventions()
        if convention.when
        and name in convention.env
        and all(switched_on(switch, lookup) for switch in convention.when)
        and not any(lookup(other) for other in convention.unless)
    ]


@lru_cache(maxsize=1)
def _selectors() -> frozenset[str]:
    return frozenset(name for c in conventions() for name in c.selectors)


def names_a_plugin(name: str) -> bool:
    """Whether env var ``name`` names the plugin an SDK loads (``MICRO_BROKER=kafka``): a
    bare word there is the plugin, not a host of that name."""
    return name in _selectors()


def read_by_sdk(name: str) -> bool:
    """Whether an SDK reads ``name`` on its own (an address or the port that goes with one)."""
    return convention_for(name) is not None or name in _port_names()


def names_read(convention: Convention) -> tuple[str, ...]:
    """Every variable the SDK reads: the addresses, then the port."""
    return (*convention.env, *([convention.port_env] if convention.port_env else []))


def sdk_targets(
    convention: Convention, name: str, value: str, env: Mapping[str, str]
) -> list[Target]:
    """The addresses the SDK calls when ``name`` is set to ``value`` (``env``: the other
    variables the workload gets, for the port)."""
    hint = "HOST" if convention.gives != "url" else name
    out: list[Target] = []
    # a host list is comma- or space-separated (``REDIS_NODES=node-0 node-1``)
    items = value.split() if convention.gives == "hosts" else [value]
    for target in (t for item in items for t in find_targets(item, name_hint=hint)):
        port = target.port
        if port is None:
            given = env.get(convention.port_env or "", "").strip()
            port = int(given) if given.isdigit() else convention.port
        protocol = convention.protocol if target.scheme is None else target.protocol
        out.append(
            Target(target.host, port, target.scheme or convention.scheme, protocol, target.text)
        )
    return out
