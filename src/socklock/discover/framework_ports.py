"""The port a JVM web framework listens on when nothing configures one.

Spring Boot's embedded server, Micronaut's HTTP server and Quarkus's all listen on 8080
unless a property moves them (``server.port``, ``micronaut.server.port``,
``quarkus.http.port``, or the env names relaxed binding gives those). A service that a
registry name reaches (``@FeignClient("orders")``, ``lb://orders``, a Zuul route) and whose
config, env, command line and deployment name no port listens there.

The default is taken only when nothing could have moved it: no setting of the port key in
any config file under any profile (even an inactive one), nor in the env, nor on a command
line; and no port declared by the deployment or the build unless 8080 is among them. When
in doubt the port stays unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True, slots=True)
class Framework:
    name: str
    artifacts: re.Pattern[str]  # the artifact ids that bring the framework's server
    port_keys: tuple[str, ...]  # env-style names of the properties that set its port
    default: int


FRAMEWORKS = (
    Framework(
        "Spring Boot",
        re.compile(r"^spring-(boot|cloud-starter)(-|$)"),
        ("SERVER_PORT",),
        8080,
    ),
    Framework("Micronaut", re.compile(r"^micronaut-"), ("MICRONAUT_SERVER_PORT",), 8080),
    Framework("Quarkus", re.compile(r"^quarkus-"), ("QUARKUS_HTTP_PORT",), 8080),
)

# a port key written anywhere on a command line or in an env value: ``-Dserver.port=9000``,
# ``--server.port 9000``, ``SERVER_PORT=9000``
_WRITTEN = re.compile(
    r"(?:(?<![\w.])|(?<=-D))"
    r"(server[._]port|micronaut[._]server[._]port|quarkus[._]http[._]port)(?![\w])",
    re.IGNORECASE,
)


def framework_of(dependencies: Iterable[str]) -> Framework | None:
    """The one framework the build's dependencies bring; None for none or several."""
    names = [d.lower() for d in dependencies]  # read once: it may be a generator
    found = {f for f in FRAMEWORKS for name in names if f.artifacts.match(name)}
    return next(iter(found)) if len(found) == 1 else None


def moves_port(texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` (env names and values, command lines) names a port key."""
    return any(_WRITTEN.search(text) for text in texts)


def default_port(
    framework: Framework | None,
    *,
    configured: bool,
    written: Iterable[str],
    declared: Iterable[int],
) -> int | None:
    """The framework's default port, when nothing may have moved it. ``configured``: some
    config file sets a port key (any profile); ``written``: the env names and values and
    command lines the workload runs with; ``declared``: the ports its deployment or build
    declares (a port among them other than the default leaves the port unknown)."""
    if framework is None or configured or moves_port(written):
        return None
    ports = set(declared)
    if ports and framework.default not in ports:
        return None
    return framework.default
