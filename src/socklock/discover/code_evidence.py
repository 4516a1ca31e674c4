"""Join the call sites found in source code with the inventory.

A call site belongs to the workload whose build context holds its file. Env reads are
joined with the env values the manifests set for that workload (a literal default in the
code is used only when no manifest sets the variable), then the address is resolved like
any manifest value: Service names to container ports, other hosts to external endpoints.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from socklock.discover.addresses import Target, find_targets, redact_credentials
from socklock.discover.attribution import Context, build_contexts, owner_of
from socklock.discover.builder import GraphBuilder
from socklock.discover.commands import command_values, words
from socklock.discover.conventions import convention_for
from socklock.discover.manifests import add_resolution, compose_environment, env_values
from socklock.discover.reads import CodeReads
from socklock.discover.resolve import ComposeResolver, KubernetesResolver
from socklock.model import (
    ComposeService,
    Dockerfile,
    Evidence,
    EvidenceKind,
    Instruction,
    Inventory,
    Location,
    Unresolved,
)

if TYPE_CHECKING:
    from socklock.discover.code.interface import CallSite

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
_KIND = {
    "literal": EvidenceKind.LITERAL,
    "env-read": EvidenceKind.ENV_READ,
    "config": EvidenceKind.CONFIG,
    "grpc": EvidenceKind.GRPC,
}
# A config key or env var that names a kind of server tells the port when only a host is set.
_PORT_BY_NAME = (
    ("rabbitmq", 5672),
    ("amqp", 5672),
    ("redis", 6379),
    ("mongo", 27017),
    ("mysql", 3306),
    ("postgres", 5432),
    ("kafka", 9092),
    ("zipkin", 9411),
    ("nats", 4222),
    ("memcache", 11211),
    ("elasticsearch", 9200),
    ("cassandra", 9042),
)


@dataclass(frozen=True, slots=True)
class EnvValue:
    value: str
    where: Location


def workload_env(inventory: Inventory, aliases: dict[str, str]) -> dict[str, dict[str, EnvValue]]:
    """graph id → env var → the value the manifests set (Kubernetes before compose)."""
    envs: dict[str, dict[str, EnvValue]] = {}
    for workload in inventory.workloads:
        if workload.owner is None:
            env = envs.setdefault(workload.id, {})
            for name, value, evidence in env_values(workload, inventory):
                env.setdefault(name, EnvValue(value, evidence.location))
    for project in inventory.compose_projects:
        for service in project.services:
            env = envs.setdefault(aliases.get(service.id, service.id), {})
            for var in compose_environment(service):
                if var.value is not None:
                    env.setdefault(var.name, EnvValue(var.value, var.location))
    return envs


def default_port_for(name: str) -> int | None:
    lowered = name.lower()
    for word, port in _PORT_BY_NAME:
        if word in lowered:
            return port
    return None


def add_code_evidence(
    inventory: Inventory,
    builder: GraphBuilder,
    aliases: dict[str, str],
    progress: Callable[[int, int], None] | None = None,
) -> CodeReads:
    """Scan the source trees under the inventory's roots and add what the code calls.

    Returns which workloads have code in the input and the env vars that code reads.
    """
    reads = CodeReads()
    contexts = build_contexts(inventory, aliases)
    if not contexts:
        return reads
    from socklock.discover.code.interface import CallSite
    from socklock.discover.code.scan import iter_files, scan_tree

    for path, analyser in iter_files(list(inventory.roots)):
        if getattr(analyser, "syntax", None) is None:
            continue  # config files alone are not the workload's code
        owner = owner_of(path, contexts)
        if owner is not None:
            reads.add_code(owner.workload)

    joiner = _Joiner(inventory, aliases, builder)
    for dockerfile in inventory.dockerfiles:
        context = owner_of(dockerfile.path, contexts)
        if context is not None:
            joiner.add_command(context, dockerfile)
    for result in scan_tree(list(inventory.roots), progress=progress):
        owner = owner_of(result.file, contexts)
        if owner is None:
            continue
        where = Location(result.file, result.line, result.column)
        if isinstance(result, CallSite):
            for name in _env_names(result):
                reads.add_read(owner.workload, name)
            joiner.add(owner, result, where)
        else:
            builder.unresolved.append(
                Unresolved(owner.workload, where, result.expression, result.reason)
            )
    return reads


def _env_names(site: CallSite) -> list[str]:
    names = _PLACEHOLDER.findall(site.target or "")
    return [site.env_var, *names] if site.env_var else names


class _Joiner:
    def __init__(
        self, inventory: Inventory, aliases: dict[str, str], builder: GraphBuilder
    ) -> None:
        self.builder = builder
        self.envs = workload_env(inventory, aliases)
        self.dockerfile_env: dict[str, dict[str, EnvValue]] = {}
        self._profiles: dict[str, Profiles] = {}
        self.kubernetes = KubernetesResolver(inventory)
        self.kubernetes_ids = {w.id for w in inventory.workloads if w.owner is None}
        from socklock.discover.code.config_keys import ConfigKeys

        self.config_keys = ConfigKeys(list(inventory.roots))
        self.compose: dict[str, tuple[ComposeResolver, ComposeService]] = {}
        for project in inventory.compose_projects:
            resolver = ComposeResolver(project)
            for service in project.services:
                self.compose[aliases.get(service.id, service.id)] = (resolver, service)

    def add(self, owner: Context, site: object, where: Location) -> None:
        from socklock.discover.code.interface import CallSite

        assert isinstance(site, CallSite)
        env = self.envs.get(owner.workload, {})
        used: list[str] = []
        missing: list[str] = []
        profiles = self.profiles(owner.workload)
        if site.profile is not None:
            if site.profile not in profiles.active:
                return  # config of a profile this deployment does not run
            used.append(f"Spring profile {site.profile} is active: {profiles.why}")
        elif site.kind.value == "config" and _SPRING_FILE.match(PurePath(site.file).name):
            used.append(f"Spring profiles: {profiles.why}")

        def value_of(name: str, default: str | None) -> str | None:
            found = env.get(name)
            if found is not None:
                used.append(f"{name}={redact_credentials(found.value)} at {found.where}")
                return found.value
            keyed = self.config_keys.lookup(name, where.file) if "." in name else None
            if keyed is not None:  # a config key the code reads (``cfg["orders"]["addr"]``)
                at = Location(keyed.file, keyed.line, keyed.column)
                used.append(f"{name}={redact_credentials(keyed.value)} at {at}")
                return keyed.value
            if default is not None:
                used.append(f"{name} unset, code default {redact_credentials(default)}")
                return default
            missing.append(name)
            return None

        if site.target is None:
            text = value_of(site.env_var, site.env_default) if site.env_var else None
        else:
            text = _PLACEHOLDER.sub(
                lambda m: (
                    value_of(m.group(1), site.env_default if m.group(1) == site.env_var else None)
                    or ""
                ),
                site.target,
            )
        if missing or not text:
            reason = (
                f"config key {', '.join(missing)} is set by no config file under the roots"
                if missing and all("." in name for name in missing)
                else f"env {', '.join(missing)} is not set for {owner.workload} by any manifest"
                if missing
                else "the call target is empty"
            )
            self.builder.unresolved.append(
                Unresolved(owner.workload, where, site.expression, reason)
            )
            return
        detail = f"{site.kind.value} {redact_credentials(site.expression)}"
        if site.topic:
            detail += f" (topic {site.topic})"
        if used:
            detail += " (" + "; ".join(used) + ")"
        evidence = Evidence(_KIND[site.kind.value], where, detail, site.expression, site.confidence)
        hint = site.env_var or site.expression
        targets = find_targets(text, name_hint=hint if hint else None)
        if not targets and (site.kind.value == "config" or site.target == text):
            # the analyser read a bare host where a host belongs (``new Hostname("payment")``,
            # ``spring.rabbitmq.host``): the word is a host name
            targets = find_targets(text, name_hint="HOST")
        convention = convention_for(site.env_var) if site.env_var else None
        for target in targets:
            if target.port is None and target.scheme is None:
                protocol = target.protocol
                port = convention.port if convention is not None else None
                if port is not None and convention is not None:
                    protocol = convention.protocol
                else:
                    port = default_port_for(site.expression) or default_port_for(hint or "")
                if port is not None:
                    target = type(target)(
                        target.host, port, None, protocol, target.text, target.certain
                    )
            self.resolve(owner, target, evidence)

    def profiles(self, workload: str) -> Profiles:
        """The Spring profiles the workload runs: ``SPRING_PROFILES_ACTIVE`` from the
        manifests, else from its Dockerfile; ``spring.profiles.active=`` in a command or in
        ``JAVA_OPTS``-like values too. None active: the default profile."""
        found = self._profiles.get(workload)
        if found is None:
            found = self._profiles[workload] = _active_profiles(
                self.envs.get(workload, {}), self.dockerfile_env.get(workload, {})
            )
        return found

    def add_command(self, owner: Context, dockerfile: Dockerfile) -> None:
        """Addresses on the final stage's CMD/ENTRYPOINT, with the env the workload gets
        (the manifests' values first, then the Dockerfile's own ENV)."""
        final = dockerfile.final_stage()
        env = {name: value for name, value in _dockerfile_env(final)}
        where = Location(dockerfile.path, 1, 1)
        known = self.dockerfile_env.setdefault(owner.workload, {})
        for name, value in env.items():
            known.setdefault(name, EnvValue(value, where))
        for instruction in final:  # ``--spring.profiles.active=...`` on the command line
            if instruction.keyword in ("CMD", "ENTRYPOINT"):
                line = Location(dockerfile.path, instruction.start_line, 1)
                known.setdefault(instruction.keyword, EnvValue(instruction.value, line))
        env.update({k: v.value for k, v in self.envs.get(owner.workload, {}).items()})
        for instruction in final:
            if instruction.keyword not in ("CMD", "ENTRYPOINT"):
                continue
            where = Location(dockerfile.path, instruction.start_line, 1)
            for word, value, used in command_values(_command(instruction.value), env):
                via = f" ({', '.join(used)} from env)" if used else ""
                detail = f"{instruction.keyword} {redact_credentials(word)}{via}"
                evidence = Evidence(EvidenceKind.COMMAND, where, detail, word)
                for target in find_targets(value):
                    self.resolve(owner, target, evidence)

    def resolve(self, owner: Context, target: Target, evidence: Evidence) -> None:
        if target.is_local:
            return
        if owner.workload in self.kubernetes_ids:
            namespace = owner.workload.split("/", 1)[0]
            resolution = self.kubernetes.resolve(target, namespace)
        elif owner.workload in self.compose:
            resolver, service = self.compose[owner.workload]
            resolution = resolver.resolve(target, service)
        else:
            return
        add_resolution(self.builder, owner.workload, target, resolution, evidence)


_SPRING_FILE = re.compile(r"^(application|bootstrap)([-.][^/]*)?\.(ya?ml|properties)$", re.I)
_PROFILE_FLAG = re.compile(r"spring\.profiles\.active=([A-Za-z0-9_.,-]+)")


@dataclass(frozen=True, slots=True)
class Profiles:
    active: frozenset[str]
    why: str  # for evidence


def _active_profiles(*sources: dict[str, EnvValue]) -> Profiles:
    for env in sources:
        found = env.get("SPRING_PROFILES_ACTIVE")
        if found is not None:
            names = frozenset(p.strip() for p in found.value.split(",") if p.strip())
            return Profiles(names, f"SPRING_PROFILES_ACTIVE={found.value} at {found.where}")
        for name, value in env.items():
            flag = _PROFILE_FLAG.search(value.value)
            if flag is not None:
                names = frozenset(p for p in flag.group(1).split(",") if p)
                return Profiles(names, f"{name} sets {flag.group(0)} at {value.where}")
    return Profiles(frozenset(), "none active (SPRING_PROFILES_ACTIVE is not set): the default")


def _command(value: str) -> str | list[str]:
    """The exec form (a JSON list) or the shell form of CMD/ENTRYPOINT."""
    if value.lstrip().startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        if isinstance(parsed, list):
            return [str(item) for item in parsed]
    return value


def _dockerfile_env(instructions: Sequence[Instruction]) -> Iterator[tuple[str, str]]:
    for instruction in instructions:
        if instruction.keyword != "ENV":
            continue
        text = instruction.value.strip()
        if "=" not in text.split(maxsplit=1)[0]:
            name, _, value = text.partition(" ")  # legacy ``ENV NAME value``
            yield name, value.strip().strip('"')
            continue
        for word in words(text):
            name, _, value = word.partition("=")
            yield name, value
