"""What every rule may read: the options of the run and indexes over the whole inventory."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from socklock.errors import UsageError
from socklock.harden.rule import Level
from socklock.model import ComposeService, Dockerfile, Inventory, K8sObject

if TYPE_CHECKING:
    from socklock.policy.result import Isolation

LATEST_PSS_MINOR = 36
"""Newest policy version socklock mirrors: kubernetes/pod-security-admission v0.36 (1.36)."""

DEFAULT_UID = 10001

_VERSION = re.compile(r"^v?1\.(0|[1-9][0-9]*)$")


def parse_pss_version(text: str) -> int:
    """``latest``, ``v1.36`` or ``1.36`` → the minor version (36); newer versions clamp to latest.

    The admission code does the same: a version newer than the newest check it knows is
    evaluated as that newest version.
    """
    if text == "latest":
        return LATEST_PSS_MINOR
    match = _VERSION.match(text.strip())
    if match is None:
        raise UsageError(f'--pss-version must be "latest" or "v1.x", not {text!r}')
    return min(int(match[1]), LATEST_PSS_MINOR)


def format_pss_version(minor: int) -> str:
    return f"v1.{minor}"


@dataclass(frozen=True, slots=True)
class HardenOptions:
    level: Level = Level.RESTRICTED
    pss_version: int = LATEST_PSS_MINOR  # minor version of Kubernetes 1.x
    allowed_registries: tuple[str, ...] = ()  # empty: the registry rule does not run
    default_uid: int = DEFAULT_UID
    select: frozenset[str] | None = None  # rule ids or names; None: all
    ignore: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class UserChoice:
    """The UID a fix will run a container as, and where it came from."""

    uid: int
    source: str  # "USER 1000 in carts/Dockerfile" or "socklock's default 10001"


# Images whose processes usually start as root and then switch user (or write their data
# directory): they need CHOWN/SETUID/SETGID (which the restricted profile forbids) and a
# writable data path.
DATABASE_IMAGES: Mapping[str, tuple[str, ...]] = {
    "mysql": ("/var/lib/mysql", "/var/run/mysqld"),
    "mariadb": ("/var/lib/mysql", "/run/mysqld"),
    "postgres": ("/var/lib/postgresql/data", "/var/run/postgresql"),
    "mongo": ("/data/db", "/data/configdb"),
    "redis": ("/data",),
    "rabbitmq": ("/var/lib/rabbitmq",),
    "elasticsearch": ("/usr/share/elasticsearch/data",),
    "cassandra": ("/var/lib/cassandra",),
    "memcached": (),
}


def image_repository(image: str) -> str:
    """``registry:5000/team/app:1.2@sha256:...`` → ``registry:5000/team/app``."""
    name = image.split("@", 1)[0]
    last_slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > last_slash:
        name = name[:colon]
    return name


def image_basename(image: str) -> str:
    return image_repository(image).rsplit("/", 1)[-1]


def database_kind(image: str | None) -> str | None:
    if not image:
        return None
    base = image_basename(image).lower()
    for name in DATABASE_IMAGES:
        if base == name or base.startswith(f"{name}-") or base.endswith(f"-{name}"):
            return name
    return None


@dataclass
class Context:
    """The inventory plus the run's options; indexes are built on first use."""

    inventory: Inventory
    options: HardenOptions = field(default_factory=HardenOptions)

    # -- Dockerfiles -------------------------------------------------------------------

    @cached_property
    def _dockerfiles_by_dir(self) -> dict[str, Dockerfile]:
        out: dict[str, Dockerfile] = {}
        for dockerfile in self.inventory.dockerfiles:
            out.setdefault(_norm(dockerfile.context_dir), dockerfile)
        return out

    @cached_property
    def _dockerfiles_by_image(self) -> dict[str, Dockerfile]:
        """Image repository → the Dockerfile that builds it (from compose build + image)."""
        out: dict[str, Dockerfile] = {}
        for project in self.inventory.compose_projects:
            for service in project.services:
                if service.image and service.build_context:
                    dockerfile = self.dockerfile_for_compose(service)
                    if dockerfile is not None:
                        out.setdefault(image_repository(service.image), dockerfile)
        return out

    def dockerfile_for_compose(self, service: ComposeService) -> Dockerfile | None:
        if not service.build_context:
            return None
        context = _norm(service.build_context)
        if service.dockerfile:
            wanted = _norm(str(PurePosixPath(context) / service.dockerfile))
            for dockerfile in self.inventory.dockerfiles:
                if _norm(dockerfile.path) == wanted:
                    return dockerfile
        return self._dockerfiles_by_dir.get(context)

    def dockerfile_for_image(self, image: str | None) -> Dockerfile | None:
        """The repository's own Dockerfile for an image: by a compose file that builds it,
        else by a directory named like the image (``socklock-demo/carts:0.1`` → ``carts/``)."""
        if not image:
            return None
        found = self._dockerfiles_by_image.get(image_repository(image))
        if found is not None:
            return found
        base = image_basename(image)
        matches = [
            d
            for directory, d in self._dockerfiles_by_dir.items()
            if PurePosixPath(directory).name == base
        ]
        return matches[0] if len(matches) == 1 else None

    def user_for(self, dockerfile: Dockerfile | None) -> UserChoice:
        """The numeric non-root UID of an image's final USER, else the default."""
        default = UserChoice(
            self.options.default_uid, f"socklock's default {self.options.default_uid}"
        )
        if dockerfile is None:
            return default
        user = final_user(dockerfile)
        if user is None:
            return default
        uid = user.split(":", 1)[0].strip()
        if uid.isdigit() and int(uid) != 0:
            return UserChoice(int(uid), f"USER {user} in {dockerfile.path}")
        return default

    def writable_paths(self, image: str | None, dockerfile: Dockerfile | None) -> tuple[str, ...]:
        """Paths a container of this image is expected to write: /tmp, the Dockerfile's
        VOLUMEs, and the data directories of well-known databases."""
        paths: list[str] = ["/tmp"]
        if dockerfile is not None:
            for instruction in dockerfile.final_stage():
                if instruction.keyword == "VOLUME":
                    paths.extend(_volume_paths(instruction.value))
        kind = database_kind(image)
        if kind is not None:
            paths.extend(DATABASE_IMAGES[kind])
        seen: list[str] = []
        for path in paths:
            clean = path.rstrip("/") or "/"
            if clean not in seen and clean != "/":
                seen.append(clean)
        return tuple(seen)

    # -- Kubernetes ---------------------------------------------------------------------

    @cached_property
    def _policies_by_namespace(self) -> dict[str, list[K8sObject]]:
        out: dict[str, list[K8sObject]] = {}
        for policy in self.inventory.network_policies:
            out.setdefault(policy.namespace or "default", []).append(policy)
        return out

    def network_policies(self, namespace: str) -> list[K8sObject]:
        return self._policies_by_namespace.get(namespace, [])

    @cached_property
    def isolation(self) -> Mapping[str, Isolation] | None:
        """Workload id → isolation, decided by the exact engine; None when the engine refuses
        (invalid policies): then no workload may be called isolated."""
        from socklock.policy import PolicyErrors, analyse

        try:
            connectivity = analyse(self.inventory)
        except PolicyErrors:
            return None
        return {
            w.id: connectivity.isolation(w.id) for w in self.inventory.workloads if w.owner is None
        }

    @cached_property
    def _service_accounts(self) -> dict[tuple[str, str], bool | None]:
        return {
            (sa.namespace, sa.name): sa.automount_token for sa in self.inventory.service_accounts
        }

    def service_account_automount(self, namespace: str, name: str) -> bool | None:
        return self._service_accounts.get((namespace, name))


def final_user(dockerfile: Dockerfile) -> str | None:
    """The USER in force at the end of the final stage, or None when it never sets one."""
    user: str | None = None
    for instruction in dockerfile.final_stage():
        if instruction.keyword == "USER":
            user = instruction.value.strip()
    return user


def _volume_paths(value: str) -> list[str]:
    value = value.strip()
    if value.startswith("["):
        import json

        try:
            items: Any = json.loads(value)
        except ValueError:
            return []
        return [str(i) for i in items if isinstance(i, str)]
    return [v for v in value.split() if v.startswith("/")]


def _norm(path: str) -> str:
    parts: list[str] = []
    for part in PurePosixPath(path.replace("\\", "/")).parts:
        if part == ".":
            continue
        if part == ".." and parts and parts[-1] != "..":
            parts.pop()
            continue
        parts.append(part)
    return str(PurePosixPath(*parts)) if parts else "."
