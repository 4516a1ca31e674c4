"""Services registered in a service registry, and the servers that reach every one of them.

A Zuul proxy (``@EnableZuulProxy``) routes ``/<service-id>/**`` to every service in Eureka
but those ``zuul.ignored-services`` names (``'*'``: all of them); Spring Cloud Gateway with
``spring.cloud.gateway.discovery.locator.enabled: true`` routes to every registered service;
Spring Boot Admin (``@EnableAdminServer``) with a discovery client polls every registered
instance. A service is registered when its build has a registry client or its config names
a registry (a Eureka ``defaultZone``), unless its config turns registration off
(``eureka.client.register-with-eureka: false``) under a profile it runs: a profile's
document says more than the default one. Only the services registered in a registry the
server reads are reached: a gateway on Eureka reaches none registered in Consul.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from socklock.discover.libraries import registry_client, registry_families

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from socklock.model import Location

ZUUL = "Zuul proxy"
WHAT = frozenset({"registers", "registry-wide", "ignored-services", "own-routes"})
# A health check URL a registration in code names (``Check: {HTTP: url}``): the registry's
# agent polls it (the analysers' ``registry-check`` declaration, at the URL's position)
REGISTRY_CHECK = "registry-check"
# A Consul check (HTTP, GRPC or TCP) a registration in code sets up on the program's own
# address (``Check: &api.AgentServiceCheck{TCP: addr}``): Consul's agent polls the program
CONSUL_CHECK = "consul-check"
# What a Spring Cloud Netflix Sidecar registers for the app beside it (config_files.py):
# its name resolves to that host and port, not to the sidecar
REGISTERED_HOST = "registered-host"
REGISTERED_PORT = "registered-port"
REGISTERS_FOR = frozenset({REGISTERED_HOST, REGISTERED_PORT})
# The variable Docker and Kubernetes set to the container's own hostname
OWN_HOSTNAME = "HOSTNAME"
# Consul's HTTP API paths that register a service: a call to one is a call to the
# registry's agent (a REGISTRY_IMAGES container), whose health checks then poll the
# registered service
_REGISTRATION_PATHS = frozenset({"/v1/agent/service/register", "/v1/catalog/register"})


# Images that run a registry agent: a program that calls one and registers a health check
# in its code registers with that agent (its client library names no registration path)
REGISTRY_IMAGES = ("consul", "hashicorp/consul", "bitnami/consul")


@dataclass(frozen=True, slots=True)
class Lookup:
    """A registry API that a program asks for a service's instances by name, then calls
    one: a call to the named service when the name is written in the path."""

    path: re.Pattern[str]  # group 1: the service name
    registry: str  # a key of socklock.discover.names.REGISTRIES
    # the callee must be that registry's server: one running a registry image (None), or
    # one whose build has this dependency (a Spring Cloud Netflix Sidecar)
    server_dependency: str | None


_NAME = r"([A-Za-z0-9][A-Za-z0-9_.\-]*)"
LOOKUPS = (
    Lookup(re.compile(rf"^/v1/(?:catalog|health)/service/{_NAME}/?$"), "consul", None),
    Lookup(re.compile(rf"^/hosts/{_NAME}/?$"), "sidecar", "spring-cloud-netflix-sidecar"),
)


def lookup_of(url: str | None) -> tuple[Lookup, str] | None:
    """The registry lookup ``url`` makes and the service name it asks for, if any."""
    path = _path(url)
    for lookup in LOOKUPS:
        found = lookup.path.match(path) if path is not None else None
        if found is not None:
            return lookup, found.group(1)
    return None


def _path(url: str | None) -> str | None:
    if url is None or "://" not in url:
        return None
    return "/" + url.split("://", 1)[1].partition("/")[2].partition("?")[0]


def registration_api(url: str | None) -> bool:
    """Whether ``url`` calls a registry's registration endpoint."""
    return _path(url) in _REGISTRATION_PATHS


@dataclass(frozen=True, slots=True)
class Said:
    value: str  # "true", "false", or "zone" (the config names a registry)
    profile: str | None
    where: Location


@dataclass(frozen=True, slots=True)
class Wide:
    """A server that reaches every registered service."""

    label: str  # "Zuul proxy", "Spring Boot Admin", "Spring Cloud Gateway discovery locator"
    where: Location
    routes: bool  # a proxy (ignored-services applies to Zuul) rather than a poller


@dataclass
class Registrations:
    said: dict[str, list[Said]] = field(default_factory=dict)
    wide: dict[str, list[Wide]] = field(default_factory=dict)
    ignored: dict[str, list[Said]] = field(default_factory=dict)
    routed: set[str] = field(default_factory=set)  # Zuul proxies with routes of their own

    def declare(
        self,
        workload: str,
        what: str,
        value: str,
        expression: str,
        profile: str | None,
        where: Location,
    ) -> None:
        """Remember one declaration (``what`` in :data:`WHAT`)."""
        if what == "registers":
            self.said.setdefault(workload, []).append(Said(value, profile, where))
        elif what == "own-routes":
            self.routed.add(workload)
        elif what == "ignored-services":
            self.ignored.setdefault(workload, []).append(Said(value, profile, where))
        elif "Zuul" in expression:
            self.wide.setdefault(workload, []).append(Wide(ZUUL, where, routes=True))
        elif "AdminServer" in expression:
            self.wide.setdefault(workload, []).append(
                Wide("Spring Boot Admin", where, routes=False)
            )
        else:
            self.wide.setdefault(workload, []).append(Wide(value, where, routes=True))

    def registered(
        self, workload: str, active: frozenset[str], dependencies: Iterable[str]
    ) -> str | None:
        """Why ``workload`` is in the registry, or None when it is not."""
        said = [s for s in self.said.get(workload, ()) if s.profile is None or s.profile in active]
        flags = [s for s in said if s.value != "zone"]
        chosen = [s for s in flags if s.profile is not None] or flags
        if chosen:
            off = next((s for s in chosen if s.value == "false"), None)
            return None if off is not None else f"its config registers it at {chosen[0].where}"
        zone = next((s for s in said if s.value == "zone"), None)
        if zone is not None:
            return f"its config names the registry at {zone.where}"
        client = registry_client(dependencies)
        return f"its build has {client}" if client else None

    def families(
        self, workload: str, active: frozenset[str], dependencies: Iterable[str]
    ) -> frozenset[str]:
        """The registries the workload registers in: its build's discovery clients', and
        Eureka when its config names a Eureka zone."""
        said = self.said.get(workload, ())
        zone = any(s.value == "zone" and (s.profile is None or s.profile in active) for s in said)
        return registry_families(dependencies) | ({"eureka"} if zone else frozenset())

    def ignores(self, workload: str, active: frozenset[str], names: Iterable[str]) -> bool:
        """Whether the Zuul proxy ``workload`` ignores a service going by ``names``. A proxy
        with routes of its own is routed by them: its default per-service routes exist
        but nothing is sent there by design, so they are not taken as calls."""
        if workload in self.routed:
            return True
        said = [
            s for s in self.ignored.get(workload, ()) if s.profile is None or s.profile in active
        ]
        chosen = [s for s in said if s.profile is not None] or said
        patterns = [p.strip().lower() for s in chosen for p in s.value.split(",") if p.strip()]
        return any(fnmatchcase(name.lower(), p) for p in patterns for name in names)


@dataclass(frozen=True, slots=True)
class Reach:
    """``server`` reaches ``callee`` because it reaches every registered service."""

    server: str
    callee: str | None  # None: the server has no registry client, so it reaches none
    wide: Wide
    why: str


def reaches(
    registrations: Registrations,
    workloads: Iterable[str],
    names: Mapping[str, set[str]],
    active: Callable[[str], frozenset[str]],
    dependencies: Callable[[str], list[str]],
) -> Iterator[Reach]:
    """Each server's registered callees (``names``: the names a workload goes by, for
    ``zuul.ignored-services``; ``active``/``dependencies``: a workload's profiles/libraries)."""
    everyone = sorted(workloads)
    for server, wides in registrations.wide.items():
        libraries = dependencies(server)
        if libraries and registry_client(libraries) is None:
            reason = f"{wides[0].label} has no registry client in its build: no registry"
            yield Reach(server, None, wides[0], reason)
            continue
        own = registrations.families(server, active(server), libraries)
        for wide in wides:
            for callee in everyone:
                why = registrations.registered(callee, active(callee), dependencies(callee))
                if callee == server or why is None:
                    continue
                theirs = registrations.families(callee, active(callee), dependencies(callee))
                if own and theirs and not own & theirs:
                    continue  # registered in another registry than the one the server reads
                known = names.get(callee, {callee.rsplit("/", 1)[-1]})
                if wide.label == ZUUL and registrations.ignores(server, active(server), known):
                    continue
                yield Reach(server, callee, wide, why)
