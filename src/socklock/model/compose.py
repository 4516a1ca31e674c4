"""A docker-compose project (the Compose Specification) as socklock sees it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from socklock.model.document import YMap
from socklock.model.location import Location


@dataclass(frozen=True, slots=True)
class PublishedPort:
    """``ports:`` entry. ``host_ip`` None means all interfaces."""

    target: int  # container port (start of range)
    target_end: int  # container port range end (== target for one port)
    published: str | None  # host port or range as written; None = ephemeral
    host_ip: str | None
    protocol: str  # "tcp" or "udp"
    location: Location


@dataclass(frozen=True, slots=True)
class ComposeEnv:
    """An ``environment`` entry, or a variable an env file sets.

    An entry without a value (``- NAME``, ``NAME:``) passes the variable through: compose
    takes it from the shell or the project's ``.env``. socklock reads the ``.env`` only
    (never its own environment, so a scan does not depend on who runs it): when the ``.env``
    sets it, ``value`` and ``location`` are the ``.env``'s and ``passed_at`` is the entry;
    otherwise ``value`` is None (the variable is unset in the container).
    """

    name: str
    value: str | None
    location: Location
    passed_at: Location | None = None


@dataclass(frozen=True, slots=True)
class Dependency:
    """``depends_on`` or ``links`` entry."""

    service: str
    kind: str  # "depends_on" or "links"
    condition: str | None
    alias: str | None
    location: Location


@dataclass(frozen=True, slots=True)
class ComposeService:
    name: str
    project: str
    image: str | None
    build_context: str | None  # resolved relative to the compose file's directory
    dockerfile: str | None
    ports: tuple[PublishedPort, ...]
    expose: tuple[int, ...]
    environment: tuple[ComposeEnv, ...]
    env_files: tuple[str, ...]
    dependencies: tuple[Dependency, ...]
    networks: tuple[str, ...]  # networks attached; ("default",) when none is named
    network_mode: str | None
    user: str | None
    read_only: bool | None
    cap_add: tuple[str, ...]
    cap_drop: tuple[str, ...]
    privileged: bool | None
    security_opt: tuple[str, ...]
    pid: str | None
    ipc: str | None
    volumes: tuple[str | YMap, ...]  # short syntax strings or long-syntax mappings
    healthcheck: YMap | None
    memory_limit: str | None  # deploy.resources.limits.memory or mem_limit
    body: YMap
    location: Location
    # the project's variables (its ``.env``): compose resolves ``${VAR}`` in the values of
    # the ``env_file`` files with them
    variables: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        return f"{self.project}/{self.name}"


@dataclass(frozen=True, slots=True)
class ComposeNetwork:
    name: str
    internal: bool
    external: bool
    location: Location


@dataclass(frozen=True, slots=True)
class ComposeProject:
    name: str
    file: str
    services: tuple[ComposeService, ...]
    networks: Mapping[str, ComposeNetwork]
    body: YMap
