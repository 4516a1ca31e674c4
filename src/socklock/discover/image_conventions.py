"""Addresses that well-known application images read from their env by their own
documentation (Temporal's ``POSTGRES_SEEDS`` when ``DB=postgres12``, Kibana's
``ELASTICSEARCH_HOSTS`` defaulting to ``http://elasticsearch:9200``...).

The image's code is not in the input, so no env read can be seen: the table
(``data/image_conventions.toml``) says which variables it reads as addresses, read like an
SDK's convention (:func:`socklock.discover.conventions.sdk_targets`), under which condition,
and what it calls when the variable is unset. A default counts only when a workload of that
name is in the deployment (the caller resolves it and drops what names none).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from socklock.discover.commands import service_words, words
from socklock.discover.conventions import Convention, sdk_targets
from socklock.model import Evidence, EvidenceKind

if TYPE_CHECKING:
    from socklock.discover.addresses import Target
    from socklock.model import ComposeService, Dockerfile, Location, Workload

_GIVES = frozenset({"url", "host", "hosts"})


@dataclass(frozen=True, slots=True)
class ImageAddress:
    """One way a family of images is given an address."""

    reading: Convention  # the variables, the form of their value and the port
    default: str | None = None  # called when none of the variables is set
    when: tuple[tuple[str, frozenset[str]], ...] = ()  # variable → its allowed values
    commands: tuple[str, ...] = ()  # the image's commands that read it (empty: all)
    configs: tuple[str, ...] = ()  # paths of the config file that replaces the default


@dataclass(frozen=True, slots=True)
class ImageFamily:
    name: str
    images: tuple[str, ...]
    idle: bool
    addresses: tuple[ImageAddress, ...]
    flags: bool = False  # its command-line flags are its env variables (viper)


@lru_cache(maxsize=1)
def families() -> tuple[ImageFamily, ...]:
    """Every ``[[image]]`` of the table, in its order."""
    from socklock.discover.tables import section

    return tuple(_family(row) for row in section("image_conventions.toml", "image"))


def _family(row: dict[str, Any]) -> ImageFamily:
    name = str(row["name"])
    addresses = tuple(_address(name, item) for item in row.get("address", ()))
    images = tuple(str(image).lower() for image in row["images"])
    if not images or (not addresses and not row.get("idle")):
        raise ValueError(f"image_conventions.toml: bad image row {row!r}")
    flags = row.get("flags")
    if flags not in (None, "viper"):
        raise ValueError(f"image_conventions.toml: bad flags in {row!r}")
    return ImageFamily(name, images, bool(row.get("idle", False)), addresses, flags == "viper")


def _address(family: str, row: dict[str, Any]) -> ImageAddress:
    reading = Convention(
        sdk=family,
        env=tuple(str(name) for name in row.get("env", ())),
        gives=str(row["gives"]),
        port_env=row.get("port_env"),
        port=row.get("port"),
        protocol=str(row.get("protocol", "TCP")),
        scheme=row.get("scheme"),
    )
    when = tuple(
        (str(name), frozenset(str(value).lower() for value in values))
        for name, values in row.get("when", {}).items()
    )
    address = ImageAddress(
        reading,
        row.get("default"),
        when,
        tuple(str(command) for command in row.get("commands", ())),
        tuple(str(path).rstrip("/") for path in row.get("configs", ())),
    )
    if (
        reading.gives not in _GIVES
        or reading.protocol not in ("TCP", "UDP")
        or (not reading.env and address.default is None)
    ):
        raise ValueError(f"image_conventions.toml: bad address row {row!r}")
    return address


def image_name(image: str) -> str:
    """An image reference without tag, digest and the Docker Hub prefixes
    (``docker.io/library/kong:3.6`` → ``kong``), lower case."""
    name = image.split("@")[0].lower()
    last = name.rsplit("/", 1)
    if ":" in last[-1]:
        name = name[: name.rindex(":")]
    for prefix in ("docker.io/", "index.docker.io/", "library/"):
        name = name.removeprefix(prefix)
    return name


def _matches(name: str, entry: str) -> bool:
    return name == entry or name.endswith("/" + entry)


def family_of(images: Iterable[str | None]) -> ImageFamily | None:
    """The family of the image every container runs, or None (no container, another image
    beside it, or an image the table does not know)."""
    found: set[str] = set()
    family: ImageFamily | None = None
    for image in images:
        if not image:
            return None
        name = image_name(image)
        family = next((f for f in families() if any(_matches(name, e) for e in f.images)), None)
        if family is None:
            return None
        found.add(family.name)
    return family if len(found) == 1 else None


@dataclass(frozen=True, slots=True)
class ImageRun:
    """A workload that runs a family's image, with what the deployment gives it."""

    family: ImageFamily
    env: Mapping[str, str]
    command: tuple[str, ...] = ()  # words of the command line the deployment gives
    mounts: tuple[str, ...] = ()  # container paths of its volumes

    @property
    def silent(self) -> bool:
        """An idle image run with its own command: nothing in its env is called."""
        return self.family.idle and not self.command

    def _value(self, name: str) -> str:
        return (self.env.get(name) or "").strip()

    def _applies(self, address: ImageAddress) -> bool:
        if address.commands and not set(address.commands).intersection(self.command):
            return False
        return all(self._value(name).lower() in values for name, values in address.when)

    def _conditions(self, address: ImageAddress) -> str:
        return ", ".join(f"{name}={self._value(name) or '(unset)'}" for name, _ in address.when)

    def _evidence(self, address: ImageAddress, evidence: Evidence) -> Evidence:
        on = self._conditions(address)
        detail = f"{evidence.detail} (read by the {self.family.name} image{': ' if on else ''}{on})"
        return Evidence(evidence.kind, evidence.location, detail, evidence.expression)

    def calls(
        self, name: str, value: str, evidence: Evidence
    ) -> list[tuple[Target, Evidence]] | None:
        """The addresses the image calls from ``name=value``: None when no row of its family
        reads ``name`` (the generic reading applies), empty when the rows that read it are
        off here (a condition not met, another command)."""
        rows = [address for address in self.family.addresses if name in address.reading.env]
        if not rows:
            return None
        return [
            (target, self._evidence(address, evidence))
            for address in rows
            if self._applies(address)
            for target in sdk_targets(address.reading, name, value, self.env)
        ]

    def defaults(self, where: Location) -> list[tuple[Target, Evidence]]:
        """The addresses the image calls by default: rows that apply, none of whose
        variables is set, and whose config file the deployment does not replace."""
        out: list[tuple[Target, Evidence]] = []
        for address in self.family.addresses:
            if address.default is None or not self._applies(address):
                continue
            if any(self._value(name) for name in address.reading.env):
                continue
            if any(self._replaces(path) for path in address.configs):
                continue
            unset = f"{', '.join(address.reading.env)} unset: " if address.reading.env else ""
            on = self._conditions(address)
            detail = f"{unset}the {self.family.name} image's default {address.default}" + (
                f" ({on})" if on else ""
            )
            found = Evidence(EvidenceKind.ENV, where, detail)
            name = address.reading.env[0] if address.reading.env else "HOST"
            out += [
                (target, found)
                for target in sdk_targets(address.reading, name, address.default, self.env)
            ]
        return out

    def _replaces(self, path: str) -> bool:
        return any(path == m or path.startswith(m.rstrip("/") + "/") for m in self.mounts)

    def flagged(self, where: Location) -> list[tuple[Target, Evidence]]:
        """The addresses the command-line flags give (a family whose flags are its env):
        ``--cassandra.servers=cassandra`` read as CASSANDRA_SERVERS."""
        out: list[tuple[Target, Evidence]] = []
        if not self.family.flags:
            return out
        for flag, name, value in flag_env(self.command):
            evidence = Evidence(EvidenceKind.COMMAND, where, f"command flag {flag}={value}", flag)
            out += self.calls(name, value, evidence) or []
        return out


def flag_env(command: Iterable[str]) -> list[tuple[str, str, str]]:
    """(flag, env name, value) of each ``--a.b-c=value`` or ``--a.b-c value`` of a command
    line, named as viper's env binding does (A_B_C)."""
    words = list(command)
    found: list[tuple[str, str, str]] = []
    for index, word in enumerate(words):
        if not word.startswith("--") or len(word) < 3:
            continue
        flag, equals, value = word.partition("=")
        if not equals:
            following = words[index + 1] if index + 1 < len(words) else ""
            if not following or following.startswith("-"):
                continue
            value = following
        name = re.sub(r"[.-]", "_", flag[2:]).upper()
        if re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            found.append((flag, name, value))
    return found


def _with_flags(
    family: ImageFamily, env: Mapping[str, str], command: list[str]
) -> Mapping[str, str]:
    """The env a family whose flags are its env sees: the flags over the deployment's env."""
    if not family.flags:
        return env
    return {**env, **{name: value for _, name, value in flag_env(command)}}


def compose_run(service: ComposeService, env: Mapping[str, str]) -> ImageRun | None:
    """The run of a compose service whose image the table knows, else None. A service built
    from the input runs the image its Dockerfile builds on (:func:`built_on`)."""
    family = family_of([service.image])
    if family is None:
        base = built_on(service)
        family = family_of([base]) if base is not None else None
    if family is None:
        return None
    command = service_words(service.body)
    mounts = [_mount_target(volume) for volume in service.volumes]
    env = _with_flags(family, env, command)
    return ImageRun(family, env, tuple(command), tuple(m for m in mounts if m))


def workload_run(workload: Workload, env: Mapping[str, str]) -> ImageRun | None:
    """The run of a Kubernetes workload all of whose containers run one known image."""
    family = family_of(container.image for container in workload.containers)
    if family is None:
        return None
    command = [
        word
        for container in workload.containers
        for key in ("command", "args")
        if isinstance(line := container.run.get(key), list)
        for word in words([str(part) for part in line])
    ]
    mounts = [m.mount_path for c in workload.containers for m in c.volume_mounts]
    env = _with_flags(family, env, command)
    return ImageRun(family, env, tuple(command), tuple(mounts))


def _mount_target(volume: object) -> str | None:
    """The container path of a compose volume (``./kibana.yml:/usr/share/.../kibana.yml:ro``
    or the long syntax's ``target``)."""
    if isinstance(volume, str):
        parts = volume.split(":")
        return parts[1] if len(parts) >= 2 else parts[0]
    if isinstance(volume, Mapping) and volume.get("target"):
        return str(volume["target"])
    return None


def built_on(service: ComposeService) -> str | None:
    """The published image a service's build adds files to (``FROM bitnami/keycloak`` then
    ``COPY`` of themes and plug-ins): its program is that image's, started by that image's
    entry point. None when the service is not built, the Dockerfile is not found, the base is
    not written out (``FROM ${BASE}``) or a stage of the build sets its own ``ENTRYPOINT``."""
    if not service.build_context:
        return None
    from pathlib import Path

    from socklock.discover.proxies.images import build_settings, stage_chain

    path = Path(service.build_context, service.dockerfile or "Dockerfile")
    try:
        status = path.stat()
    except OSError:
        return None
    dockerfile = _dockerfile(str(path), status.st_size, status.st_mtime_ns)
    if dockerfile is None or not dockerfile.stages:
        return None
    _, target = build_settings(service)
    chain = stage_chain(dockerfile, target)
    if any(instruction.keyword == "ENTRYPOINT" for instruction in chain):
        return None
    names = {stage.name.lower() for stage in dockerfile.stages if stage.name}
    used = {instruction.stage for instruction in chain}
    bases = [s.base_image for s in dockerfile.stages if s.index in used]
    external = [b for b in bases if b.lower() not in names]
    if len(external) != 1 or "$" in external[0]:
        return None
    return external[0]


@lru_cache(maxsize=64)
def _dockerfile(path: str, size: int, mtime: int) -> Dockerfile | None:
    """The Dockerfile at ``path``, read again only when it changed (size and time: the key)."""
    del size, mtime
    from pathlib import Path

    from socklock.load.dockerfile import load_dockerfile

    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return load_dockerfile(text, path)
