"""The port of code discovery: what an analyser reports and the shape every analyser has.

Analysers read one file at a time and report *call sites*: places where the program
talks to another address. What a call site names is plain text here; splitting it into
scheme/host/port and resolving hosts against Services is the caller's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import PurePath


class CallKind(StrEnum):
    """How the analyser knows the target (mirrors the graph's evidence kinds)."""

    LITERAL = "literal"  # an address written in the code
    ENV_READ = "env-read"  # the target depends on an environment variable
    CONFIG = "config"  # an address written in an application config file
    GRPC = "grpc"  # a gRPC channel dialed to the address
    # a ``localhost:<port>`` URL written anywhere: a call only where the services share one
    # host (no deployment), to the one that listens on that port
    LOOPBACK = "loopback"


@dataclass(frozen=True, slots=True)
class CallSite:
    """A place where the program calls an address.

    ``target`` may hold ``${NAME}`` placeholders for env vars (e.g. ``${ORDERS_HOST}:80``);
    it is None when the whole target is one env read. ``env_var`` is set exactly when the
    kind is ``ENV_READ`` and names the first env var the target depends on. ``topic``: a
    message broker's client names the topic (queue, subject) it produces to or consumes.
    """

    file: str
    line: int  # 1-based, where the target expression starts
    column: int  # 1-based, in characters
    expression: str  # source text of the target expression, trimmed to ~200 chars
    kind: CallKind
    target: str | None
    env_var: str | None = None
    env_default: str | None = None
    confidence: float = 1.0
    topic: str | None = None  # the topic, queue or subject a broker client names there
    profile: str | None = None  # config that applies only under this Spring profile
    service: str | None = (
        None  # the target is a registry name, not a host (socklock.discover.names)
    )
    sdk: str | None = None  # an SDK built here reads ``env_var`` by convention (its name)
    key: str | None = None  # the config property (dotted) a config file's value is under
    # the code's default of each other env var the target reads (``env_default`` is the
    # first's): ``http://${HOST}:${PORT}`` with HOST and PORT each defaulted in the code
    other_defaults: tuple[tuple[str, str], ...] = ()
    # ``key`` left out the index of a JSON array item it passes through (``WriteTo[1]``):
    # an env name without that index (``Serilog__WriteTo__Args__serverUrl``) addresses
    # another key, so none overrides this one
    listed: bool = False


@dataclass(frozen=True, slots=True)
class UnresolvedCall:
    """A call target the analyser cannot know statically, and why."""

    file: str
    line: int
    column: int
    expression: str
    reason: str


@dataclass(frozen=True, slots=True)
class Declaration:
    """What a module says about itself rather than a call: the service name it registers
    under (``spring.application.name``), the port it serves (``server.port``), that its HTTP
    clients resolve hosts through a load balancer (``@LoadBalanced``). Calls to service
    names are resolved with these."""

    file: str
    line: int
    column: int
    expression: str
    what: str  # "service-name", "server-port", "load-balanced", "config-server", ...
    value: str
    profile: str | None = None  # said only under this Spring profile (socklock.discover.registered)


Result = CallSite | UnresolvedCall | Declaration

# A Declaration that the module reads every env var whose name starts with its value (a
# settings layer that looks up ``PREFIX + setting``: ``os.environ.get(f"MAYAN_{name}")``)
ENV_PREFIX = "env-prefix"


class Analyser(Protocol):
    """One language (or config format). Stateless between files; safe to reuse."""

    name: str

    def handles(self, path: PurePath) -> bool:
        """Whether this analyser reads the file (by name only: no I/O)."""
        ...

    def analyse(self, path: str, source: bytes) -> Iterable[Result]:
        """Every call site in one file, in document order."""
        ...
