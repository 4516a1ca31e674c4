"""Join the call sites found in source code with the inventory.

A call site belongs to the workload whose build context holds its file. Env reads are
joined with the env values the manifests set for that workload (a literal default in the
code is used only when no manifest sets the variable), then the address is resolved like
any manifest value: Service names to container ports, other hosts to external endpoints.
Service-discovery names (``lb://orders``, a Feign client, a Dapr app-id) are resolved by
name: to the workload whose module declares that ``spring.application.name``, else to the
Service or compose service of that name, on the callee's port; or reported unresolved.
Declarations are gathered from every file before any call is joined, since the callee's
files may come after the caller's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from socklock.discover.addresses import (
    Target,
    find_targets,
    is_dns_name,
    is_ip,
    redact_credentials,
)
from socklock.discover.attribution import Context, build_contexts, owner_of, owners_of
from socklock.discover.builder import GraphBuilder
from socklock.discover.commands import command_values, words
from socklock.discover.config_server import ConfigServers
from socklock.discover.conventions import convention_for
from socklock.discover.identity import Identities
from socklock.discover.manifests import add_resolution, compose_environment, env_values
from socklock.discover.names import DAPR_APP_ID, ServiceName, name_variants, service_name
from socklock.discover.reads import CodeReads
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

if TYPE_CHECKING:
    from socklock.discover.code.interface import CallSite

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
_EXPLICIT_PORT = re.compile(r":[0-9]{1,5}$")
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
    from socklock.discover.code.interface import CallSite, Declaration, Result, UnresolvedCall
    from socklock.discover.code.scan import iter_files, scan_tree

    code_files: dict[str, list[str]] = {}  # workload → its source files
    for path, analyser in iter_files(list(inventory.roots)):
        if getattr(analyser, "syntax", None) is None:
            continue  # config files alone are not the workload's code
        for holder in owners_of(path, contexts):
            reads.add_code(holder.workload)
            code_files.setdefault(holder.workload, []).append(path)
    mounted_files: dict[str, list[str]] = {}  # workload → files mounted on their own
    for given_context in contexts:
        if given_context.mounted and given_context.directory.is_file():
            mounted_files.setdefault(given_context.workload, []).append(
                str(given_context.directory)
            )
    mentions = _Mentions(code_files, mounted_files)

    joiner = _Joiner(inventory, aliases, builder)

    def given(workload: str, file: str) -> bool:
        """``file`` is the workload's: in its build context, or mounted and read by its code."""
        return any(
            c.workload == workload and (not c.mounted or mentions.read(workload, file))
            for c in owners_of(file, contexts)
        )

    joiner.given = given
    for dockerfile in inventory.dockerfiles:
        context = owner_of(dockerfile.path, contexts)
        if context is not None:
            joiner.add_command(context, dockerfile)
    scanned: list[tuple[Context | None, Result]] = []
    for result in scan_tree(list(inventory.roots), progress=progress):
        owners: list[Context | None] = [*owners_of(result.file, contexts)] or [None]
        scanned.extend(
            (owner, result)
            for owner in owners
            if owner is None or not owner.mounted or mentions.read(owner.workload, result.file)
        )
    servers = ConfigServers.from_declared(
        (owner.workload, r.value)
        for owner, r in scanned
        if owner is not None and isinstance(r, Declaration) and r.what == "config-server"
    )
    found: list[tuple[Context, CallSite | UnresolvedCall]] = []
    served: list[tuple[str, Result]] = []
    for owner, result in scanned:
        server = servers.server_of(result.file, owner.workload if owner else None)
        if server is not None:
            served.append((server, result))
        elif owner is None:
            continue
        elif isinstance(result, Declaration):
            joiner.declare(owner, result)
        else:
            found.append((owner, result))
    names = joiner.service_names()
    # the clients of a config server: applications whose code is in the input
    with_code = {owner.workload for owner, _ in scanned if owner is not None}
    applications = {w for ds in joiner.identities.values() for w, _ in ds} & with_code
    names = {name: workloads & with_code for name, workloads in names.items()}
    for server, result in served:  # a config server's files configure its clients
        if servers.shared(result.file):
            joiner.shared_files.add(result.file)
        for client in servers.clients(result.file, server, names, applications):
            why = f"served by the config server {server}"
            owner = Context(Path(result.file).parent, client, why)
            if isinstance(result, Declaration):
                joiner.declare(owner, result)
            else:
                found.append((owner, result))
    for owner, result in found:
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


class _Mentions:
    """Whether a workload reads a file of a directory mounted into it: its code (a mounted
    script directory) yes; a config file when its code or a file mounted on its own (the
    server's config: ``opentracing_load_tracer ... jaeger-config.json`` in nginx.conf) names
    it (``SetUpTracer("config/jaeger-config.yml")``). A database that mounts the same
    directory for its certificates reads none of its addresses. A file mounted on its own
    is read: it is mounted where the program looks for it."""

    def __init__(self, code_files: dict[str, list[str]], mounted: dict[str, list[str]]) -> None:
        self._readers = {
            w: [*code_files.get(w, ()), *mounted.get(w, ())] for w in {*code_files, *mounted}
        }
        self._answers: dict[tuple[str, str], bool] = {}  # (workload, file name) → named
        self._code = {path for paths in code_files.values() for path in paths}
        self._mounted = {(w, path) for w, paths in mounted.items() for path in paths}

    def read(self, workload: str, file: str) -> bool:
        if file in self._code or (workload, str(Path(file).resolve())) in self._mounted:
            return True
        name = Path(file).name
        if (workload, name) not in self._answers:
            needle = name.encode()
            self._answers[workload, name] = any(
                needle in _head(path) for path in self._readers.get(workload, ())
            )
        return self._answers[workload, name]


def _head(path: str) -> bytes:
    """The start of a file (a source file larger than this is generated)."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(MAX_MENTION_BYTES)
    except OSError:
        return b""


MAX_MENTION_BYTES = 512 * 1024


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
        self.workloads = {w.id: w for w in inventory.workloads if w.owner is None}
        self.units = Identities(inventory, aliases)  # build units and Aspire resources
        # service name → (workload, where declared); workload → declared server ports
        self.identities: dict[str, list[tuple[str, Location]]] = {}
        self.server_ports: dict[str, set[int]] = {}
        self.load_balanced: set[str] = set()
        self.shared_files: set[str] = set()  # config a config server serves to every client
        for workload in self.workloads.values():  # Dapr: the sidecar registers the app-id
            app_id = workload.pod_annotations.get(DAPR_APP_ID)
            if app_id:
                where = workload.location
                self.identities.setdefault(app_id.lower(), []).append((workload.id, where))
        from socklock.discover.code.config_keys import ConfigKeys

        self.config_keys = ConfigKeys(list(inventory.roots))
        self.given: Callable[[str, str], bool] = lambda workload, file: False
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
            keyed = (
                self.config_keys.lookup(
                    name, where.file, lambda file: self.given(owner.workload, file)
                )
                if "." in name
                else None
            )
            if keyed is not None:  # a config key the code reads (``cfg["orders"]["addr"]``)
                at = Location(keyed.file, keyed.line, keyed.column)
                used.append(f"{name}={redact_credentials(keyed.value)} at {at}")
                return keyed.value
            if default is not None:
                used.append(f"{name} unset, code default {redact_credentials(default)}")
                return default
            missing.append(name)
            return None

        early = service_name(site.target) if site.target is not None else None
        if early is not None and "${" not in early.name:  # a sidecar's port is moot
            detail = f"{site.kind.value} {redact_credentials(site.expression)}"
            evidence = Evidence(
                _KIND[site.kind.value], where, detail, site.expression, site.confidence
            )
            self.resolve_name(owner, early, evidence, site.target or "")
            return
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
        named = service_name(text)
        if named is None and site.service is not None:
            named = ServiceName(text.strip().lower(), site.service)
        if named is not None:
            self.resolve_name(owner, named, evidence, text)
            return
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

    def declare(self, owner: Context, declared: object) -> None:
        """Remember what a module says about itself (its service name, port, load balancer)."""
        from socklock.discover.code.interface import Declaration

        assert isinstance(declared, Declaration)
        env = self.envs.get(owner.workload, {})
        value = _PLACEHOLDER.sub(
            lambda m: found.value if (found := env.get(m.group(1))) else m.group(0),
            declared.value,
        ).strip()
        if "${" in value:
            return  # set at run time by something we do not see
        where = Location(declared.file, declared.line, declared.column)
        if declared.what == "service-name":
            self.identities.setdefault(value.lower(), []).append((owner.workload, where))
        elif declared.what == "server-port" and value.isdigit() and 0 < int(value) < 65536:
            self.server_ports.setdefault(owner.workload, set()).add(int(value))
        elif declared.what == "load-balanced":
            self.load_balanced.add(owner.workload)

    def service_names(self) -> dict[str, set[str]]:
        """Name → workloads: declared service names and the workloads' own names."""
        names: dict[str, set[str]] = {}
        for name, declared in self.identities.items():
            names.setdefault(name, set()).update(w for w, _ in declared)
        for workload in self.workloads.values():
            names.setdefault(workload.name.lower(), set()).add(workload.id)
        for graph_id, (_, service) in self.compose.items():
            names.setdefault(service.name.lower(), set()).add(graph_id)
        return names

    def resolve(self, owner: Context, target: Target, evidence: Evidence) -> None:
        if target.is_local:
            return
        single_label = "." not in target.host
        explicit = _EXPLICIT_PORT.search(target.text) is not None
        lb = owner.workload in self.load_balanced and target.scheme in ("http", "https")
        if lb and single_label and evidence.kind is not EvidenceKind.CONFIG:
            # a @LoadBalanced client in this module: the host is a service id (another,
            # plain client may call the host by DNS, so a name no registry knows falls through)
            named = ServiceName(target.host, "lb", target.port if explicit else None)
            reached = self.named_workloads(owner, named)
            if reached:
                self.add_resolution(owner, target, reached, evidence)
                return
        resolution = self.resolution(owner, target)
        if (
            isinstance(resolution, NotFound)
            and single_label
            and any(v in self.identities for v in name_variants(target.host))
        ):  # not a DNS name here, but a module registers under it
            port = target.port if explicit else None
            named = ServiceName(target.host, "discovery", port)
            self.resolve_name(owner, named, evidence, target.text)
            return
        if resolution is not None:
            self.add_resolution(owner, target, resolution, evidence)

    def add_resolution(
        self, owner: Context, target: Target, resolution: Resolution, evidence: Evidence
    ) -> None:
        """The edges, except a client's calls to itself from config shared by every client
        (a config server's ``application.yml`` naming the registry is for the others)."""
        shared = owner.shared or evidence.location.file in self.shared_files
        if isinstance(resolution, list) and shared:
            resolution = [r for r in resolution if r.workload != owner.workload]
            if not resolution:
                return
        add_resolution(self.builder, owner.workload, target, resolution, evidence)

    def resolution(self, owner: Context, target: Target) -> Resolution:
        """How the caller's platform resolves ``target``: Kubernetes DNS, compose service
        names, or for a build unit or Aspire resource the service names of the input."""
        if owner.workload in self.kubernetes_ids:
            namespace = owner.workload.split("/", 1)[0]
            return self.kubernetes.resolve(target, namespace)
        if owner.workload in self.compose:
            resolver, service = self.compose[owner.workload]
            return resolver.resolve(target, service)
        return by_name(self.units, target)  # a workload of no manifest: by service name

    def resolve_name(
        self, owner: Context, named: ServiceName, evidence: Evidence, text: str
    ) -> None:
        """A registry name: the workloads it names, or unresolved with the registry's reason."""
        target = Target(named.name, named.port, None, "TCP", text)
        reached = self.named_workloads(owner, named)
        if not reached:
            reason = f"{named.label} {named.name!r} matches no workload"
            self.builder.unresolved.append(
                Unresolved(owner.workload, evidence.location, text, reason)
            )
            return
        self.add_resolution(owner, target, reached, evidence)

    def named_workloads(self, owner: Context, named: ServiceName) -> list[Reached]:
        """The module that registers under the name, else the Service or compose service of
        that name (also without a registry prefix such as ``srv-``)."""
        reached = self.by_identity(named)
        if reached:
            return reached
        for variant in name_variants(named.name):
            resolution = self.resolution(owner, Target(variant, named.port, None, "TCP", variant))
            if isinstance(resolution, list) and resolution:
                return [  # several ports and no number: the module's declared port
                    r if r.port is not None else replace(r, port=self.callee_port(r.workload, None))
                    for r in resolution
                ]
        return []

    def by_identity(self, named: ServiceName) -> list[Reached]:
        for variant in name_variants(named.name):
            declared = self.identities.get(variant)
            if declared:
                return [
                    Reached(
                        workload,
                        self.callee_port(workload, named.port),
                        "TCP",
                        f"{named.label} {named.name!r} is the service name {workload} "
                        f"declares at {where}",
                    )
                    for workload, where in declared
                ]
        return []

    def callee_port(self, workload: str, written: int | None) -> int | None:
        """The port a registry hands out for ``workload``: the one written with the name,
        else the one port the workload declares, else its declared ``server.port``."""
        if written is not None:
            return written
        ports: set[int] = set()
        if workload in self.workloads:
            ports = {p.container_port for p in self.workloads[workload].ports}
        elif workload in self.compose:
            resolver, service = self.compose[workload]
            ports = set(resolver.service_ports(service))
        declared = self.server_ports.get(workload, set())
        if len(ports) == 1:
            return next(iter(ports))
        if len(declared) == 1 and (not ports or declared <= ports):
            return next(iter(declared))
        return None


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


def by_name(identities: Identities, target: Target) -> Resolution:
    """A workload of no manifest (a build unit, an Aspire resource) calls by service name."""
    named = identities.lookup(target.host)
    if named is not None:
        port = target.port if target.port is not None else named.port
        return [Reached(named.workload, port, target.protocol, named.via)]
    if is_ip(target.host) or (target.certain and is_dns_name(target.host)):
        return External(target.host, target.port, target.protocol)
    return NotFound(f"no workload is named {target.host!r}")
