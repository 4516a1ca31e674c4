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

from socklock.discover.addresses import Target, find_targets, is_dns_name, is_ip, redact_credentials
from socklock.discover.attribution import Context, build_contexts, owner_of, owners_of
from socklock.discover.builder import GraphBuilder
from socklock.discover.commands import command_values, words
from socklock.discover.identity import Identities
from socklock.discover.manifests import add_resolution, env_values
from socklock.discover.resolve import (
    ComposeResolver,
    External,
    KubernetesResolver,
    NotFound,
    Reached,
    Resolution,
)
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
            for var in service.environment:
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
) -> None:
    """Scan the source trees under the inventory's roots and add what the code calls."""
    contexts = build_contexts(inventory, aliases)
    if not contexts:
        return
    from socklock.discover.code.interface import CallSite
    from socklock.discover.code.scan import scan_tree

    joiner = _Joiner(inventory, aliases, builder)
    for dockerfile in inventory.dockerfiles:
        context = owner_of(dockerfile.path, contexts)
        if context is not None:
            joiner.add_command(context, dockerfile)
    for result in scan_tree(list(inventory.roots), progress=progress):
        for owner in owners_of(result.file, contexts):
            where = Location(result.file, result.line, result.column)
            if isinstance(result, CallSite):
                joiner.add(owner, result, where)
            else:
                builder.unresolved.append(
                    Unresolved(owner.workload, where, result.expression, result.reason)
                )


class _Joiner:
    def __init__(
        self, inventory: Inventory, aliases: dict[str, str], builder: GraphBuilder
    ) -> None:
        self.builder = builder
        self.envs = workload_env(inventory, aliases)
        self.kubernetes = KubernetesResolver(inventory)
        self.kubernetes_ids = {w.id for w in inventory.workloads if w.owner is None}
        self.identities = Identities(inventory, aliases)
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

        def value_of(name: str, default: str | None) -> str | None:
            found = env.get(name)
            if found is not None:
                used.append(f"{name}={redact_credentials(found.value)} at {found.where}")
                return found.value
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
                f"env {', '.join(missing)} is not set for {owner.workload} by any manifest"
                if missing
                else "the call target is empty"
            )
            self.builder.unresolved.append(
                Unresolved(owner.workload, where, site.expression, reason)
            )
            return
        detail = f"{site.kind.value} {redact_credentials(site.expression)}"
        if used:
            detail += " (" + "; ".join(used) + ")"
        evidence = Evidence(_KIND[site.kind.value], where, detail, site.expression, site.confidence)
        hint = site.env_var or site.expression
        targets = find_targets(text, name_hint=hint if hint else None)
        if not targets and (site.kind.value == "config" or site.target == text):
            # the analyser read a bare host where a host belongs (``new Hostname("payment")``,
            # ``spring.rabbitmq.host``): the word is a host name
            targets = find_targets(text, name_hint="HOST")
        for target in targets:
            if target.port is None and target.scheme is None:
                port = default_port_for(site.expression) or default_port_for(hint or "")
                if port is not None:
                    target = type(target)(
                        target.host, port, None, target.protocol, target.text, target.certain
                    )
            self.resolve(owner, target, evidence)

    def add_command(self, owner: Context, dockerfile: Dockerfile) -> None:
        """Addresses on the final stage's CMD/ENTRYPOINT, with the env the workload gets
        (the manifests' values first, then the Dockerfile's own ENV)."""
        final = dockerfile.final_stage()
        env = {name: value for name, value in _dockerfile_env(final)}
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
            resolution = by_name(self.identities, target)
        if owner.shared and isinstance(resolution, list):
            resolution = [r for r in resolution if r.workload != owner.workload]
            if not resolution:
                return
        add_resolution(self.builder, owner.workload, target, resolution, evidence)


def by_name(identities: Identities, target: Target) -> Resolution:
    """A workload of no manifest (a build unit, an Aspire resource) calls by service name."""
    named = identities.lookup(target.host)
    if named is not None:
        port = target.port if target.port is not None else named.port
        return [Reached(named.workload, port, target.protocol, named.via)]
    if is_ip(target.host) or (target.certain and is_dns_name(target.host)):
        return External(target.host, target.port, target.protocol)
    return NotFound(f"no workload is named {target.host!r}")


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
