"""Servers a client library calls when the address it is given is not in the input.

A Spring service with a Eureka client in its build registers with the registry, and one
with a Zipkin reporter sends spans to Zipkin, wherever the address comes from. When it
comes from outside the input (a config server backed by a remote git repository, an env
file a deploy tool writes), the map would miss the call; but a deployment that runs
exactly one such server leaves the client no other one to call. So: a module whose build
declares the client, whose own config names no server for it, calls the one server of
the deployment (a module whose build is that server, or a workload running its image).
The table is data (``data/client_libraries.toml`` ``[[implied]]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from socklock.discover.libraries import relaxed

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping


@dataclass(frozen=True, slots=True)
class ImpliedServer:
    what: str
    clients: tuple[str, ...]  # artifact id parts of the client library
    servers: tuple[str, ...]  # artifact id parts of a build that is the server
    images: tuple[str, ...]  # image names (no registry host, no tag) that run the server
    keys: tuple[str, ...]  # relaxed config keys that name the server
    port: int
    # groups of dotted keys: a client whose config sets every key of a group to false is off
    off: tuple[tuple[str, ...], ...] = ()
    # only a client a config server configures: another one, given no address, dials its
    # library's default (localhost), not the deployment's server
    remote: bool = False

    def client_in(self, dependencies: Iterable[str]) -> str | None:
        """The dependency that makes a build a client (None: not one, or the server)."""
        lowered = [d.lower() for d in dependencies]
        if any(part in d for d in lowered for part in self.servers):
            return None
        return next((d for d in lowered if any(part in d for part in self.clients)), None)

    def served_by(self, dependencies: Iterable[str], image: str | None) -> bool:
        if any(part in d.lower() for d in dependencies for part in self.servers):
            return True
        return self.runs_image(image)

    def runs_image(self, image: str | None) -> bool:
        """Whether ``image`` is the server's (it listens for clients on ``port``)."""
        return image is not None and _image_name(image) in self.images

    def named_by(self, key: str) -> bool:
        wanted = relaxed(key)
        return any(wanted.startswith(k) for k in self.keys)


@dataclass(frozen=True, slots=True)
class Implied:
    client: str  # graph id
    server: str  # graph id
    row: ImpliedServer
    artifact: str  # the client's dependency that says it


@lru_cache(maxsize=1)
def implied_servers() -> tuple[ImpliedServer, ...]:
    """Every ``[[implied]]`` row of the table, in its order."""
    from socklock.discover.tables import section

    rows = section("client_libraries.toml", "implied")
    return tuple(
        ImpliedServer(
            str(row["what"]),
            tuple(str(a).lower() for a in row["clients"]),
            tuple(str(a).lower() for a in row["servers"]),
            tuple(str(i).lower() for i in row["images"]),
            tuple(relaxed(str(k)) for k in row["keys"]),
            int(row["port"]),
            tuple(tuple(str(row_off).split("+")) for row_off in row.get("off", ())),
            bool(row.get("remote", False)),
        )
        for row in rows
    )


def implied_calls(
    workloads: Iterable[str],
    dependencies: Callable[[str], list[str]],
    images: Mapping[str, str | None],
    keys_set: Mapping[str, set[str]],
) -> Iterator[Implied]:
    """Each client's call to the one server of its kind in the deployment.

    ``images``: a workload's image; ``keys_set``: the config keys a workload's own config
    (or its code) sets, dotted."""
    everyone = sorted(workloads)
    for row in implied_servers():
        servers = [w for w in everyone if row.served_by(dependencies(w), images.get(w))]
        if len(servers) != 1:
            continue  # none, or a choice the input does not make
        (server,) = servers
        for client in everyone:
            artifact = row.client_in(dependencies(client))
            if client == server or artifact is None:
                continue
            if any(row.named_by(key) for key in keys_set.get(client, ())):
                continue  # its config says where it goes: that value maps it
            yield Implied(client, server, row, artifact)


def _image_name(image: str) -> str:
    """``docker.io/openzipkin/zipkin:3`` → ``openzipkin/zipkin``."""
    name = image.split("@")[0].lower()
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":")[0]
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]  # a registry host (Docker's rule: ``docker.io/rabbitmq``)
    if parts and parts[0] == "library":
        parts = parts[1:]
    return "/".join(parts)
