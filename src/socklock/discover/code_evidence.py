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

import dataclasses
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from socklock.discover.addresses import (
    Target,
    find_targets,
    is_dns_name,
    is_ip,
    own_scheme,
    redact_credentials,
    with_sibling_port,
)
from socklock.discover.ado_drivers import driver_port, keyed_without_port
from socklock.discover.attribution import (
    Context,
    build_contexts,
    owner_of,
    owners_of,
    running_image,
)
from socklock.discover.azure_storage import called_endpoints
from socklock.discover.builder import GraphBuilder
from socklock.discover.code.config_files import (
    HTTP_CHECKED,
    NATIVE_PROFILE,
    REGISTRY_ADDRESS_KEYS,
    is_dotenv,
)
from socklock.discover.code.interface import ENV_PREFIX
from socklock.discover.code.listen_ports import LISTEN_PORT
from socklock.discover.code.listen_ports import PLACEHOLDER as LISTEN_PLACEHOLDER
from socklock.discover.code.listen_ports import port_of as listen_port_of
from socklock.discover.code.placeholders import spring_env_name
from socklock.discover.commands import command_values, expand, words
from socklock.discover.config_server import ConfigServers
from socklock.discover.consul_template import LABEL as CONSUL_TEMPLATE
from socklock.discover.consul_template import every_service_template
from socklock.discover.conventions import (
    Convention,
    convention_for,
    conventions,
    names_read,
    read_by_sdk,
    sdk_targets,
)
from socklock.discover.dotnet_settings import (
    DotnetSettings,
    environment_of,
    settings_environment,
)
from socklock.discover.entrypoints import compose_command_lines, exec_form
from socklock.discover.env_mounts import compose_env_files
from socklock.discover.framework_env import bound_by
from socklock.discover.host_servers import host_server
from socklock.discover.identity import Identities, unit_id
from socklock.discover.key_overrides import overridden_target, overriding_env
from socklock.discover.libraries import library_for, registry_client, storage_services
from socklock.discover.manifests import (
    add_resolution,
    compose_environment,
    env_values,
    service_link_sources,
)
from socklock.discover.migrations import is_migration, may_be_database
from socklock.discover.names import DAPR_APP_ID, ServiceName, name_variants, service_name
from socklock.discover.options_sections import unbound_options_section
from socklock.discover.quarkus_profiles import applies, is_quarkus, running_profile
from socklock.discover.rake_tasks import runs_task, task_names
from socklock.discover.reach import Reach
from socklock.discover.reads import CodeReads, env_read
from socklock.discover.registered import (
    CONSUL_CHECK,
    OWN_HOSTNAME,
    REGISTERED_HOST,
    REGISTERED_PORT,
    REGISTERS_FOR,
    REGISTRY_CHECK,
    REGISTRY_IMAGES,
    Lookup,
    Registrations,
    lookup_of,
    reaches,
    registration_api,
)
from socklock.discover.registered import WHAT as REGISTRY_WHAT
from socklock.discover.resolve import (
    ComposeResolver,
    External,
    KubernetesResolver,
    NotFound,
    Reached,
    Resolution,
)
from socklock.discover.spring_properties import Property, Source, SpringProperties
from socklock.discover.subcommands import runs_for
from socklock.discover.unit_env import UnitEnv, copied_env_files, unit_env_files
from socklock.discover.waits import waits
from socklock.load.env_templates import command_copies
from socklock.load.units.launch import run_ports
from socklock.model import (
    BuildUnit,
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
    from socklock.discover.code.config_files import ConfigFileAnalyser
    from socklock.discover.code.interface import CallSite, Declaration, Result, UnresolvedCall
    from socklock.discover.infra.dapr import Secret
    from socklock.discover.siblings import Program

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
# ``${NAME:default}`` (Spring's and HOCON overrides' form), not yet ``${NAME:-default}``
_COLON_DEFAULT = re.compile(r"\$\{([A-Za-z_][\w.\-]*):(?!-)")
_MAX_LISTEN_VALUES = 8  # env files of several environments, each a value
_EXPLICIT_PORT = re.compile(r":[0-9]{1,5}$")
_URL_PORT = re.compile(r"^[^:/]+://[^/?#]*:[0-9]{1,5}(?:[/?#]|$)")
_KIND = {
    "literal": EvidenceKind.LITERAL,
    "env-read": EvidenceKind.ENV_READ,
    "config": EvidenceKind.CONFIG,
    "grpc": EvidenceKind.GRPC,
    "loopback": EvidenceKind.LITERAL,
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


def _squash(name: str) -> str:
    """A name without case and word separators: ``Movies_Service`` → ``moviesservice``."""
    return re.sub(r"[-_.\s]", "", name.lower())


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
            for name, (value, linked) in service_link_sources(workload, inventory).items():
                env.setdefault(name, EnvValue(value, linked.obj.location))  # the env wins
    for project in inventory.compose_projects:
        for service in project.services:
            env = envs.setdefault(aliases.get(service.id, service.id), {})
            for var in compose_environment(service):
                if var.value is not None:
                    env.setdefault(var.name, EnvValue(var.value, var.location))
    for unit in inventory.units:  # an Aspire AppHost's WithEnvironment
        if unit.host is not None:
            env = envs.setdefault(unit_id(unit), {})
            for set_env in unit.env:
                env.setdefault(set_env.name, EnvValue(set_env.value, set_env.location))
    return envs


_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "/bin/sh", "/bin/bash", "/bin/ash"})


def _runs_its_task(owner: Context, file: str, commands: Mapping[str, list[str]]) -> bool:
    """Whether the workload runs a Ruby file that only Rake tasks load
    (:mod:`socklock.discover.rake_tasks`): its command, or a script the command names,
    names one of those tasks."""
    tasks = task_names(file)
    if tasks is None:
        return True
    line = commands.get(owner.workload, [])
    scripts = (owner.directory / word for word in line if "/" in word or "." in word)
    texts = [_script_words(path) for path in scripts]
    return runs_task([*line, *(w for text in texts for w in text)], tasks)


def _script_words(path: Path) -> list[str]:
    """The words of a script a command runs (none when it is no readable file)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").split() if path.is_file() else []
    except OSError:
        return []


def workload_arguments(
    inventory: Inventory, aliases: dict[str, str]
) -> dict[str, dict[str, EnvValue]]:
    """graph id → the pseudo env vars (:mod:`socklock.discover.code.arguments`) its
    program's command-line arguments give: a Kubernetes container's ``args`` (after its
    ``command``'s program when it sets one), a compose service's words after its
    ``entrypoint``'s program, else its ``command``'s (the whole command when it starts
    with a flag: the image's entry point is the program). A program that is a shell gives
    none (its words are a script, not the program's arguments)."""
    from socklock.discover.code.arguments import argument_values, flag_values
    from socklock.discover.entrypoints import _as_words

    found: dict[str, dict[str, EnvValue]] = {}

    def add(graph_id: str, program: str | None, line: list[str], where: Location) -> None:
        if (program or (line[0] if line else "")) in _SHELLS or not line:
            return
        given = found.setdefault(graph_id, {})
        for name, value in {**argument_values(line), **flag_values(line)}.items():
            given.setdefault(name, EnvValue(value, where))

    for workload in inventory.workloads:
        if workload.owner is not None:
            continue
        for container in workload.containers:
            if container.role.value != "containers":
                continue
            command = _as_words(container.body.get("command"))
            arguments = _as_words(container.body.get("args"))
            if command:
                add(workload.id, command[0], [*command[1:], *arguments], container.location)
            else:
                add(workload.id, None, arguments, container.location)
    for project in inventory.compose_projects:
        for service in project.services:
            graph_id = aliases.get(service.id, service.id)
            entry = _as_words(service.body.get("entrypoint"))
            command = _as_words(service.body.get("command"))
            if entry:
                add(graph_id, entry[0], [*entry[1:], *command], service.location)
            elif command and command[0].startswith("-"):
                add(graph_id, None, command, service.location)
            elif command:
                add(graph_id, command[0], command[1:], service.location)
    return found


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
    from socklock.discover.code.interface import CallSite, Declaration
    from socklock.discover.code.scan import listed, scan_tree
    from socklock.discover.code.unread_fields import unread_field

    code_files: dict[str, list[str]] = {}  # workload → its source files
    config_files: list[str] = []
    for path, analyser in listed(inventory.roots):
        if getattr(analyser, "syntax", None) is None:
            if analyser.name == "config":
                config_files.append(path)
            continue  # config files alone are not the workload's code
        for holder in owners_of(path, contexts):
            if not holder.runs_file(path):
                continue
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
    commands = compose_command_lines(inventory, aliases)

    def given(workload: str, file: str) -> bool:
        """``file`` is the workload's: in its build context, or mounted and read by its code."""
        return any(
            c.workload == workload and (not c.mounted or mentions.read(workload, file))
            for c in owners_of(file, contexts)
        )

    joiner.given = given
    reach = Reach(frozenset(c.program for c in contexts if c.program is not None))
    joiner.runners = lambda file: {c.workload for c in owners_of(file, contexts)}
    entries = {c.workload for c in contexts if c.imports}

    def entry_runs(workload: str, file: str, line: int) -> bool | None:
        """Whether the workload's entry point runs the line (None: it runs no entry point
        of a shared image, see :func:`socklock.discover.attribution._entry_programs`)."""
        if workload not in entries:
            return None
        return any(
            c.workload == workload
            and (
                c.program is None
                or reach.reaches(c.program, c.directory, file, line, imports=c.imports)
            )
            for c in owners_of(file, contexts)
        )

    joiner.entry_runs = entry_runs
    joiner.unit_env = unit_env_files(config_files, contexts, joiner.own_units)
    for dockerfile in inventory.dockerfiles:
        context = owner_of(dockerfile.path, contexts)
        if context is not None:
            joiner.add_command(context, dockerfile)
            for other in owners_of(dockerfile.path, contexts):  # replicas of one build
                if other.workload != context.workload and _builds(joiner, other, dockerfile):
                    joiner.add_command(other, dockerfile)
    for context, dockerfile in _shared_dockerfiles(inventory, joiner.unit_workloads):
        joiner.add_command(context, dockerfile)
    for workload, made in copied_env_files(config_files, contexts, joiner.copied).items():
        for name, values in made.items():  # the ``.env`` its entry-point script makes
            joiner.unit_env.setdefault(workload, {}).setdefault(name, []).extend(values)
    scanned: list[tuple[Context | None, Result]] = []

    def runs(owner: Context, result: Result) -> bool:
        """The owner runs the result's line: mounted files it reads, and of a shared tree
        the library code its program reaches."""
        if (
            owner.mounted
            and not mentions.read(owner.workload, result.file)
            and not mentions.server_config(owner, result.file)
        ):
            return False
        if not owner.runs_file(result.file):
            return False
        if owner.workload in joiner.copies_only:
            return False  # copied into a volume for another service, read by none of its
        if owner.arguments and not runs_for(result.file, result.line, owner.arguments):
            return False
        if result.file.endswith(".rb") and not _runs_its_task(owner, result.file, commands):
            return False
        if owner.program is None or isinstance(result, Declaration):
            return True
        return reach.reaches(
            owner.program, owner.directory, result.file, result.line, imports=owner.imports
        )

    environments = compose_env_files(inventory, aliases)  # whose environment each file is
    env_files: list[tuple[Context, Result]] = []
    unread: list[tuple[Context, Result]] = []  # mounted, named by no code: a config server's?
    for result in scan_tree(list(inventory.roots), progress=progress):
        owners: list[Context | None] = [*owners_of(result.file, contexts)] or [None]
        naming = environments.get(os.path.realpath(result.file)) if environments else None
        if naming is not None:  # the environment of the services that name it: below
            env_files.extend((o, result) for o in owners if o is not None and o.workload in naming)
            continue
        for owner in owners:
            if owner is None or runs(owner, result):
                scanned.append((owner, result))
            elif owner.mounted:
                unread.append((owner, result))
    scanned.extend(_mounted_as_config(contexts, mentions))
    scanned.extend(_mounted_config_dirs(contexts, mentions))
    declared = [
        (owner.workload, r)
        for owner, r in scanned
        if owner is not None and isinstance(r, Declaration)
        if r.what in ("config-server", "config-search-paths", NATIVE_PROFILE)
    ]
    servers = ConfigServers.from_declared(
        [(workload, r.value) for workload, r in declared if r.what == "config-server"],
        [(workload, r.value) for workload, r in declared if r.what == "config-search-paths"],
        _native_servers(joiner, declared, {o.workload for o, _ in scanned if o is not None}),
    ).adopting(
        inventory.roots,
        {
            r.value.lower()
            for _, r in scanned
            if isinstance(r, Declaration) and r.what == "service-name"
        }
        | {n for unit in inventory.units for n in (unit.name, *unit.names)},
        [str(Path(u.directory).resolve()) for u in inventory.units if u.directory],
    )
    scanned.extend(
        (owner, result)
        for owner, result in unread
        if servers.searches_mount(owner.workload, owner.directory, owner.container, result.file)
    )
    scanned.extend(_classpath_served_files(contexts, servers))
    # workloads whose code lets env vars override every key of its config file (viper)
    env_bound = {
        owner.workload
        for owner, r in scanned
        if owner is not None and isinstance(r, Declaration) and r.what == "env-bound-config"
    }
    found: list[tuple[Context, CallSite | UnresolvedCall]] = []
    served: list[tuple[str, Result]] = []
    for owner, result in scanned:
        server = servers.server_of(result.file, owner.workload if owner else None)
        if server is not None:
            served.append((server, result))
        elif owner is None:
            continue
        elif isinstance(result, Declaration):
            if result.what == ENV_PREFIX:
                reads.add_prefix(owner.workload, result.value)
            joiner.declare(owner, result)
        else:
            found.append((owner, result))
    names = joiner.service_names()
    # the clients of a config server: applications whose code is in the input
    with_code = {owner.workload for owner, _ in scanned if owner is not None}
    applications = {w for ds in joiner.identities.values() for w, _ in ds} & with_code
    names = {name: workloads & with_code for name, workloads in names.items()}
    properties = _spring_files(config_files, contexts, mentions, servers, names, applications)
    joiner.properties = properties
    joiner.placeholder_names = _placeholder_names(result for _, result in scanned)
    for owner, result in _kubernetes_config_maps(inventory, joiner):
        if isinstance(result, Declaration):
            joiner.declare(owner, result)
        else:
            found.append((owner, result))
    for server, result in served:  # a config server's files configure its clients
        if servers.shared(result.file):
            joiner.shared_files.add(result.file)
        for client in servers.clients(result.file, server, names, applications):
            why = f"served by the config server {server}"
            owner = Context(Path(result.file).parent, client, why, served=True)
            if isinstance(result, Declaration):
                joiner.declare(owner, result)
            else:
                found.append((owner, result))
    found.extend(_wrapped_connections(scanned))
    # ``KEY=value`` env files that several workloads' build contexts hold (one ``.env`` for
    # every service): each value is a call only of the workloads that read the variable
    dotenv: list[tuple[Context, CallSite]] = []
    for workload in {*joiner.unit_workloads, *joiner.storage_named}:
        services = joiner.storage_clients(workload)
        if services:
            reads.storage[workload] = services
    for workload in joiner.unit_workloads:
        bindings = bound_by(joiner.dependencies(workload))
        if bindings:
            reads.bindings[workload] = bindings
    for workload, script_names in joiner.script_reads.items():
        if reads.has_code(workload):  # else its env values stay calls anyway
            for name in script_names:
                if not read_by_sdk(name):  # the script is not the SDK: its port is not the row's
                    reads.add_read(workload, name)
    for owner, result in found:
        where = Location(result.file, result.line, result.column)
        if isinstance(result, CallSite):
            gate = joiner.gate_off(owner.workload, result)
            field = (
                unread_field(result.file, result.line, result.column) if result.env_var else None
            )
            if gate is not None or field is not None:
                # a role the workload does not run (code/gates.py); a field of its config
                # no code reads (code/unread_fields.py)
                reason = (
                    f"the code runs only under a role switch: {gate}"
                    if gate is not None
                    else f"the config field {field} it fills is read by no code of its module"
                )
                builder.unresolved.append(
                    Unresolved(owner.workload, where, result.expression, reason)
                )
                continue
            if not joiner.lacks_library(owner, result):  # config of a library it has not
                for name in _env_names(result):
                    reads.add_read(owner.workload, name)
            key = result.key
            if (
                key is not None
                and not result.listed  # its env name needs the item's index
                and not unbound_options_section(result.file, key)
                and (
                    _BOUND_CONFIG.match(Path(result.file).name)
                    or (owner.workload in env_bound and _ENV_BOUND_FILE.search(result.file))
                )
                and not joiner.lacks_library_of(owner.workload, key)
                and _bound_without_client(key)
            ):
                reads.add_read(owner.workload, key)  # the env var that overrides it
            if result.key is not None and _shared_env_file(result.file, contexts):
                dotenv.append((owner, result))  # once every read of the workloads is known
                continue
            joiner.add(owner, result, where)
        else:
            builder.unresolved.append(
                Unresolved(owner.workload, where, result.expression, result.reason)
            )
    for owner, result in dotenv:
        if env_read(reads, owner.workload, result.key or "") is not None:
            joiner.add(owner, result, Location(result.file, result.line, result.column))
    waits = {  # the services each compose service waits for
        service.id: {d.service for d in service.dependencies}
        for project in inventory.compose_projects
        for service in project.services
    }
    for owner, result in env_files:
        # a service's env file is its environment: read as config of the services that
        # name it (a program in a language not read here, or one whose ORM reads a variable
        # from its own schema file, has no env read to join the value with)
        if isinstance(result, CallSite) and _env_file_read(
            reads, owner.workload, result, env_files, waits.get(owner.workload, set())
        ):
            joiner.add(owner, result, Location(result.file, result.line, result.column))
    joiner.add_framework_reads()
    joiner.add_registry_wide()
    joiner.add_micro_api()
    joiner.add_implied()  # an implied registry's agent polls its clients' health checks
    joiner.add_health_checks()
    joiner.add_config_client_defaults()
    joiner.add_library_defaults()
    return reads


def _env_file_read(
    reads: CodeReads,
    workload: str,
    site: CallSite,
    env_files: list[tuple[Context, Result]],
    waits: set[str],
) -> bool:
    """Whether a value of the workload's env file is its call. One file handed to several
    workloads (the API's ``.env`` also given to its static front end) is a call of the ones
    whose code reads the variable once another of them is seen to read it: a workload whose
    code is read and does not, ignores it. When none is seen to read it (a language not
    read here, an ORM that reads it from its schema) every one keeps it, and so does a
    workload that waits for the service the value names (``depends_on``: it uses it)."""
    from socklock.discover.code.interface import CallSite

    if site.key is None or not reads.has_code(workload):
        return True
    if env_read(reads, workload, site.key) is not None:
        return True
    value = site.target or ""
    if any(re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", value) for name in waits):
        return True
    return not any(
        other.workload != workload
        and isinstance(found, CallSite)
        and found.file == site.file
        and found.key == site.key
        and reads.has_code(other.workload)
        and reads.reads_in_code(other.workload, site.key)
        for other, found in env_files
    )


# Spring Cloud Kubernetes Config: the ConfigMap named like the application (in its
# namespace) is a property source; its ``application.properties``/``.yml`` keys are read as
# the application's config files. Its starters: spring-cloud-starter-kubernetes-{client,
# fabric8}-{config,all} (before 2020: spring-cloud-starter-kubernetes-{config,all}).
_KUBERNETES_CONFIG = re.compile(r"starter-kubernetes(?:-[a-z0-9]+)*-(?:config|all)\b")
_PROPERTY_KEYS = re.compile(r"^application(?:-[\w.]+)?\.(?:properties|ya?ml)$")


def _kubernetes_config_maps(
    inventory: Inventory, joiner: _Joiner
) -> Iterator[tuple[Context, Result]]:
    from socklock.discover.code.config_files import ConfigFileAnalyser

    analyser = ConfigFileAnalyser()
    named = joiner.config_map_names
    for config_map in inventory.config_maps:
        name = config_map.name.lower()
        candidates = [  # the ConfigMaps it names, else the one of its application name
            *(w for w, names in named.items() if name in names),
            *(w for w, _ in joiner.identities.get(name, []) if w not in named),
        ]
        readers = [
            workload
            for workload in candidates
            if workload in joiner.kubernetes_ids
            and workload.split("/", 1)[0] == config_map.namespace
            and any(_KUBERNETES_CONFIG.search(d.lower()) for d in joiner.dependencies(workload))
        ]
        for key, value in config_map.data.items() if readers else ():
            if not _PROPERTY_KEYS.match(key):
                continue
            where = config_map.data_locations[key]
            for result in analyser.analyse(where.file, value.encode(), seen_as=key):
                moved = dataclasses.replace(result, line=where.line + result.line)
                for workload in sorted(set(readers)):
                    why = f"Spring Cloud Kubernetes reads ConfigMap {config_map.name} key {key}"
                    yield Context(Path(where.file).parent, workload, why), moved


def _mounted_as_config(
    contexts: Sequence[Context], mentions: _Mentions
) -> Iterator[tuple[Context, Result]]:
    """A file mounted on its own where its program reads config by name (``conf/app.conf``
    mounted at ``/app/conf/application.conf``, Typesafe config's file): read as that config,
    whatever the tree calls it, or where a server image of no code of the input reads it
    (a data source file it is given). A file whose own name is a config's was scanned
    already.
    A template mounted beside it (``conf/service.yaml.template``) is read as the config its
    entrypoint renders from it, its ``${VAR:-default}`` from the container's env."""
    from socklock.discover.code.config_files import ConfigFileAnalyser

    analyser = ConfigFileAnalyser()
    for context in contexts:
        seen_as = rendered_name(PurePath(context.container))
        if not (context.mounted and context.container and context.directory.is_file()):
            continue
        if analyser.handles(context.directory):
            continue
        if not analyser.handles(seen_as):
            if context.directory.resolve() not in context.named and not (
                mentions.server_config(context, str(context.directory))
            ):
                continue
            # the service names the file (its command, an env var): its config, whatever
            # its name, read by its format
            seen_as = PurePath("config", seen_as.name)
            if not analyser.handles(seen_as):
                continue
        source = _config_source(context.directory)
        if source is None:
            continue
        for result in analyser.analyse(str(context.directory), source, seen_as=str(seen_as)):
            yield context, result


_CONFIG_SUFFIXES = frozenset({".toml", ".json", ".yaml", ".yml", ".properties"})


def _as_config(analyser: ConfigFileAnalyser, path: Path) -> Iterator[Result]:
    """What ``analyser`` finds in the file at ``path`` read as a config file whatever its
    name says (``config/<its name>``); nothing when it cannot be read."""
    source = _config_source(path)
    if source is not None:
        yield from analyser.analyse(str(path), source, seen_as=str(PurePath("config", path.name)))


def _config_source(path: Path) -> bytes | None:
    """A config file's bytes, None when it cannot be read or is larger than the code scan
    reads (the scan's own limit: a config file is read as a source file is)."""
    from socklock.discover.code.scan import MAX_FILE_BYTES

    try:
        with path.open("rb") as handle:
            source = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return None if len(source) > MAX_FILE_BYTES else source


@lru_cache(maxsize=4096)
def _server_read(file: str) -> bool:
    """Whether a proxy's or server's own reader (:mod:`socklock.discover.proxies`) reads
    the file: it knows which of them the server loads, and how."""
    from socklock.discover.proxies import is_proxy_config

    path = Path(file)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return is_proxy_config(path.name, text)


def _mounted_config_dirs(
    contexts: Sequence[Context], mentions: _Mentions
) -> Iterator[tuple[Context, Result]]:
    """The config files a directory mounted into one workload holds at its top
    (``./pageserver_config:/data/.neon/``), whatever they are named: the directory is
    handed to the program as its config, which reads the ones its code names (or, with no
    code of the input, a server image's: every one). Files of a config name were scanned
    already."""
    from socklock.discover.code.config_files import ConfigFileAnalyser

    analyser = ConfigFileAnalyser()
    for context in contexts:
        if not (context.mounted and not context.shared and context.directory.is_dir()):
            continue
        try:
            children = sorted(context.directory.iterdir())
        except OSError:
            continue
        for path in children:
            if path.suffix.lower() not in _CONFIG_SUFFIXES or not path.is_file():
                continue
            if (
                analyser.handles(path)
                or _server_read(str(path))
                or not (
                    mentions.read(context.workload, str(path))
                    or mentions.server_config(context, str(path))
                )
            ):
                continue
            for result in _as_config(analyser, path):
                yield context, result


def _classpath_served_files(
    contexts: Sequence[Context], servers: ConfigServers
) -> Iterator[tuple[Context, Result]]:
    """The files a native config server that searches its own classpath serves, whatever
    they are named (``orders-default.yml`` in its ``src/main/resources``): no config name
    made the scan read them. Files of a config name were scanned already."""
    from socklock.discover.code.config_files import ConfigFileAnalyser

    analyser = ConfigFileAnalyser()
    for context in contexts:
        if context.workload not in servers.classpath or context.mounted:
            continue
        resources = context.directory / "src" / "main" / "resources"
        for folder in (resources, resources / "config"):
            try:
                children = sorted(folder.iterdir()) if folder.is_dir() else []
            except OSError:
                continue
            for path in children:
                if path.suffix.lower() not in _CONFIG_SUFFIXES or not path.is_file():
                    continue
                if analyser.handles(path) or servers.server_of(str(path), context.workload) is None:
                    continue
                for result in _as_config(analyser, path):
                    yield context, result


_TEMPLATE_SUFFIXES = frozenset({".template", ".tmpl", ".tpl"})


def rendered_name(path: PurePath) -> PurePath:
    """The config a template renders (``conf/app.yaml.template``: ``conf/app.yaml``);
    ``path`` itself when it is no template of a named format."""
    if path.suffix.lower() in _TEMPLATE_SUFFIXES and PurePath(path.stem).suffix:
        return path.with_name(path.stem)
    return path


def _spring_files(
    files: list[str],
    contexts: list[Context],
    mentions: _Mentions,
    servers: ConfigServers,
    names: dict[str, set[str]],
    applications: set[str],
) -> SpringProperties:
    """The Spring config files each workload runs with: its own ``application*`` and
    ``bootstrap*`` files, and what a config server serves it (by the build's attribution
    of a config repository, or by the server's search locations)."""
    properties = SpringProperties()
    for path in files:
        readers: list[Context | None] = [*owners_of(path, contexts)] or [None]
        for reader in readers:
            if (
                reader is not None
                and reader.mounted
                and not mentions.read(reader.workload, path)
                and not servers.searches_mount(
                    reader.workload, reader.directory, reader.container, path
                )
            ):
                continue
            workload = reader.workload if reader is not None else None
            server = servers.server_of(path, workload)
            if reader is not None and reader.served:  # the build says whose it is
                served_as = Source.SERVED_SHARED if reader.shared else Source.SERVED
                properties.add(reader.workload, path, served_as)
            elif server is not None:
                source = Source.SERVED_SHARED if servers.shared(path) else Source.SERVED
                for client in servers.clients(path, server, names, applications):
                    properties.add(client, path, source)
            elif workload is not None and (match := _SPRING_FILE.match(PurePath(path).name)):
                own = Source.BOOTSTRAP if match.group(1).lower() == "bootstrap" else Source.OWN
                properties.add(workload, path, own)
    return properties


# Spring Cloud Config clients: the client's default server when nothing names one
_CONFIG_CLIENTS = frozenset({"spring-cloud-starter-config", "spring-cloud-config-client"})
_BOOTSTRAP_STARTER = "spring-cloud-starter-bootstrap"
_CONFIG_URI = "spring.cloud.config.uri"
_CONFIG_DEFAULT = "http://localhost:8888"


def _placeholder_names(results: Iterable[Result]) -> frozenset[str]:
    """The properties the ``${...}`` placeholders of the scanned config and code name."""
    from socklock.discover.code.placeholders import spring_placeholders

    return frozenset(
        placeholder.name
        for result in results
        for placeholder in spring_placeholders(result.expression)
    )


_ADD_CALL = re.compile(r"\b(Add\w+)\s*(?:<[^<>]*>)?\s*\(\s*\"([^\"]*)\"")


def _wrapped_connections(
    scanned: Sequence[tuple[Context | None, object]],
) -> list[tuple[Context, CallSite | UnresolvedCall]]:
    """Calls of a connection-name wrapper (a method that hands its parameter to a client
    integration, declared in any file): each reads ``ConnectionStrings:<name>`` like the
    client integration it wraps."""
    from socklock.discover.code.interface import CallKind, CallSite, Declaration

    declared = [(o, r) for o, r in scanned if isinstance(r, Declaration)]
    wrappers = {r.expression for _, r in declared if r.what == "connection-wrapper"}
    out: list[tuple[Context, CallSite | UnresolvedCall]] = []
    if not wrappers:
        return out
    for owner, result in declared:
        if owner is None or result.what != "connection-call":
            continue
        call = _ADD_CALL.search(result.expression)
        if call is None or call.group(1) not in wrappers or not call.group(2):
            continue
        env_var = f"ConnectionStrings__{call.group(2)}"
        site = CallSite(
            result.file, result.line, result.column, result.expression, CallKind.ENV_READ,
            None, env_var, confidence=0.64,
        )  # fmt: skip
        out.append((owner, site))
    return out


def _dotnet_key(env: dict[str, EnvValue], name: str, dotnet: bool = False) -> EnvValue | None:
    """.NET configuration keys (``ConnectionStrings__EventBus``, or any key C# code reads:
    ``IdentityUrl`` set as ``identityUrl``) match in any case."""
    if "__" not in name and not dotnet:
        return None
    lowered = name.lower()
    return next((v for k, v in env.items() if k.lower() == lowered), None)


def _shared_env_file(file: str, contexts: list[Context]) -> bool:
    """Whether ``file`` is a ``KEY=value`` env file in a context several workloads own. An
    env file of one workload's own tree stays its config whole: a read the analysers do not
    see (a key from a list, a struct tag's naming rule) would otherwise drop its values."""
    return is_dotenv(file) and len({o.workload for o in owners_of(file, contexts)}) > 1


def _builds(joiner: _Joiner, owner: Context, dockerfile: Dockerfile) -> bool:
    """Whether ``owner`` is a compose service whose ``build`` is ``dockerfile`` (several
    services built from one context and Dockerfile each run its ENV and CMD)."""
    found = joiner.compose.get(owner.workload)
    if found is None or found[1].build_context is None:
        return False
    service = found[1]
    built = Path(service.build_context or "", service.dockerfile or "Dockerfile")
    return built.resolve() == Path(dockerfile.path).resolve()


def _shared_dockerfiles(
    inventory: Inventory, unit_workloads: dict[str, list[BuildUnit]]
) -> Iterator[tuple[Context, Dockerfile]]:
    """Dockerfiles a module's build points at outside its own directory (one
    ``docker/Dockerfile`` for every Maven module): each module's workload runs it."""
    by_path = {Path(d.path).resolve(): d for d in inventory.dockerfiles}
    for workload, units in unit_workloads.items():
        for unit in units:
            for path in unit.dockerfiles:
                dockerfile = by_path.get(Path(path).resolve())
                if dockerfile is not None and unit.directory:
                    why = f"{path} builds the {unit.kind} module {unit.name}"
                    yield Context(Path(unit.directory).resolve(), workload, why), dockerfile


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
        self._coded = {w for w, paths in code_files.items() if paths}
        # a server whose own config a proxy/server reader reads: the reader follows what
        # that config loads (Alloy's ``local.file``), not every file mounted beside it
        self._served = {w for w, paths in mounted.items() if any(map(_server_read, paths))}
        self._mounted = {(w, path) for w, paths in mounted.items() for path in paths}

    def server_config(self, owner: Context, file: str) -> bool:
        """Whether ``file`` is a config file mounted (itself or in a directory) into
        ``owner`` alone, a workload with no code of the input: its program (a server's
        image) reads the config it is given (``./pageserver_config:/data/.neon/``)."""
        from socklock.discover.code.config_files import ConfigFileAnalyser

        return (
            not owner.shared
            and owner.workload not in self._coded
            and owner.workload not in self._served
            and (
                ConfigFileAnalyser().handles(Path(file))
                or Path(file).suffix.lower() in _CONFIG_SUFFIXES
            )
            and not _server_read(file)
        )

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


# Framework config files whose every key an env var overrides: Spring Boot's relaxed
# binding (SPRING_DATASOURCE_URL for spring.datasource.url) and ASP.NET Core's
# configuration (ReverseProxy__Clusters__c__Destinations__d__Address for the JSON path)
_BOUND_CONFIG = re.compile(
    r"^(?:(?:application|bootstrap)(?:[-.][\w.-]+)?\.(?:ya?ml|properties)|appsettings(?:\.[\w-]+)?\.json)$",
    re.IGNORECASE,
)


# the config files a program that binds env vars to its config keys (viper's AutomaticEnv)
# reads: each key's env var overrides it
_ENV_BOUND_FILE = re.compile(r"\.(?:toml|ya?ml|json|hcl)$", re.IGNORECASE)


def _bound_without_client(key: str) -> bool:
    """Whether the env var that overrides config key ``key`` is read just by being bound:
    not when an SDK convention says only a client the code builds reads it (an Eventuate
    consumer, a flagd provider): then the client's construction decides."""
    convention = convention_for(spring_env_name(key)[0])
    return convention is None or convention.implicit


def _env_names(site: CallSite) -> list[str]:
    if site.sdk is not None and site.env_var:  # an SDK client reads all its row's names
        convention = convention_for(site.env_var)
        return list(names_read(convention)) if convention is not None else [site.env_var]
    names = _PLACEHOLDER.findall(site.target or "")
    return [site.env_var, *names] if site.env_var else names


# ``azure-storage-queue``: the code builds a client of that Azure Storage service (csharp.scm)
_STORAGE_CLIENT = "azure-storage-"


class _Joiner:
    def __init__(
        self, inventory: Inventory, aliases: dict[str, str], builder: GraphBuilder
    ) -> None:
        self.builder = builder
        self.envs = workload_env(inventory, aliases)
        for graph_id, arguments in workload_arguments(inventory, aliases).items():
            given = self.envs.setdefault(graph_id, {})
            for name, value in arguments.items():
                given.setdefault(name, value)
        self.dockerfile_env: dict[str, dict[str, EnvValue]] = {}
        self.script_env: dict[str, dict[str, EnvValue]] = {}  # set by its entry-point script
        self.script_reads: dict[str, set[str]] = {}  # env its entry-point script hands on
        self.scripts: dict[str, list[str]] = {}  # the text of the entry-point scripts it runs
        # workloads whose image runs only a script of file tools (it copies its build
        # context's config files into volumes for other services: it reads none of them)
        self.copies_only: set[str] = set()
        self.copied: dict[str, set[tuple[str, str]]] = {}  # ``cp SOURCE DEST`` its script runs
        self._profiles: dict[str, Profiles] = {}
        self._rust_names: dict[str, frozenset[str] | None] = {}
        self._rust_file_names: dict[Path, frozenset[str]] = {}  # each Rust file read once
        self.kubernetes = KubernetesResolver(inventory)
        self.kubernetes_ids = {w.id for w in inventory.workloads if w.owner is None}
        self.workloads = {w.id: w for w in inventory.workloads if w.owner is None}
        self.units = Identities(inventory, aliases)  # build units and Aspire resources
        self.unit_workloads = self.units.workload_units()
        # no deployment: the units run on the host, as a Procfile's processes do
        self.own_units = {unit_id(u) for u in self.units.own} | {
            unit_id(u) for u in inventory.units if u.on_host
        }
        # service name → (workload, where declared); workload → declared server ports
        self.identities: dict[str, list[tuple[str, Location]]] = {}
        # workload → the ConfigMaps Spring Cloud Kubernetes reads for it, when it names them
        self.config_map_names: dict[str, set[str]] = {}
        self.server_ports: dict[str, set[tuple[int, str | None]]] = {}  # (port, profile)
        # unit nothing deploys → the ports its listen calls are given (a .NET project's: those
        # ``dotnet run`` gives it, :func:`~socklock.load.units.launch.run_ports`); its env
        # files' values
        self.listen_ports: dict[str, set[int]] = {
            unit_id(u): set(ports)
            for u in self.units.own
            if u.kind == "dotnet" and u.directory and (ports := run_ports(Path(u.directory)))
        }
        self.unit_env: dict[str, dict[str, list[UnitEnv]]] = {}
        # workload → (registry, where) when its registry agent polls its HTTP health check
        self.http_checked: dict[str, tuple[str, Location]] = {}
        # workload → the ports its code's registry health checks name (its own address)
        self.checked_ports: dict[str, set[int | None]] = {}
        # workload → the registry agents it registers with (its registry address, resolved)
        self.registry_agents: dict[str, list[Reached]] = {}
        self.registry_checks: set[tuple[str, int, int]] = set()  # where code names a check URL
        self._agents: set[str] | None = None
        self._registry_site: str | None = None  # the workload whose registry address is joined
        self._check_site: str | None = None  # the workload whose health check URL is joined
        self._lookup: tuple[Lookup, str] | None = None  # the registry lookup being joined
        # workload → what it registers for an app it fronts: its host, its port (a sidecar)
        self.registers_for: dict[str, dict[str, str]] = {}
        self.load_balanced: set[str] = set()
        self.keys_set: dict[str, set[str]] = {}  # workload → config keys its config sets
        self.secret_stores: dict[str, set[str]] = {}  # workload → Dapr stores it reads config from
        self.storage_named: dict[str, set[str]] = {}  # workload → Azure Storage clients in code
        self._secrets: dict[str, dict[str, dict[str, Secret]]] | None = None
        self._inventory, self._aliases = inventory, aliases
        self._programs: dict[str, Program] | None = None  # graph id → the program it runs
        self.registrations = Registrations()
        self.shared_files: set[str] = set()  # config a config server serves to every client
        # the properties a placeholder names somewhere in the input (as env names)
        self.placeholder_names: frozenset[str] = frozenset()
        self.properties = SpringProperties()  # the Spring config each workload runs with
        for workload in self.workloads.values():  # Dapr: the sidecar registers the app-id
            app_id = workload.pod_annotations.get(DAPR_APP_ID)
            if app_id:
                where = workload.location
                self.identities.setdefault(app_id.lower(), []).append((workload.id, where))
        from socklock.discover.code.config_keys import ConfigKeys

        self.config_keys = ConfigKeys(list(inventory.roots))
        self.dotnet_settings = DotnetSettings(inventory.units)
        self.given: Callable[[str, str], bool] = lambda workload, file: False
        # the workloads that run a file (its build context's owners)
        self.runners: Callable[[str], set[str]] = lambda file: set()
        self.entry_runs: Callable[[str, str, int], bool | None] = lambda w, file, line: None
        self.compose: dict[str, tuple[ComposeResolver, ComposeService]] = {}
        for project in inventory.compose_projects:
            resolver = ComposeResolver(project, inventory.compose_projects)
            for service in project.services:
                self.compose[aliases.get(service.id, service.id)] = (resolver, service)
        # one-shot schema migrations: the code they share with the server reads the cache,
        # the broker and the peers too, but the migration connects to its database alone
        self.migrations = {
            aliases.get(service.id, service.id)
            for project in inventory.compose_projects
            for service in project.services
            if is_migration(service, project)
        }

    def add(self, owner: Context, site: object, where: Location) -> None:
        from socklock.discover.code.interface import CallSite

        assert isinstance(site, CallSite)
        if site.key is not None:
            self.keys_set.setdefault(owner.workload, set()).add(site.key)
        registry = site.key is not None and site.key.lower().startswith(REGISTRY_ADDRESS_KEYS)
        if registry and self.spring_consul_checked(owner.workload, site.key or ""):
            self.http_checked.setdefault(owner.workload, ("Consul", where))
        registry = registry or registration_api(site.target)
        self._registry_site = owner.workload if registry else None
        if (site.file, site.line, site.column) in self.registry_checks:
            self._check_site = owner.workload
            site = self.own_hostname(owner.workload, site)
        self._lookup = _static_lookup(site)
        try:
            self._add(owner, site, where)
        finally:
            self._registry_site = self._check_site = self._lookup = None

    def own_hostname(self, workload: str, site: CallSite) -> CallSite:
        """``${HOSTNAME}`` in a health check URL the workload registers: the container's own
        hostname (Docker and Kubernetes set it), unless a manifest sets the variable."""
        if site.target is None or OWN_HOSTNAME in self.envs.get(workload, {}):
            return site
        own = workload.rsplit("/", 1)[-1]
        target = site.target.replace("${" + OWN_HOSTNAME + "}", own)
        env_var = None if site.env_var == OWN_HOSTNAME else site.env_var
        return replace(site, target=target, env_var=env_var)

    def _add(self, owner: Context, site: CallSite, where: Location) -> None:
        env = self.envs.get(owner.workload, {})
        if site.sdk is not None:
            convention = convention_for(site.env_var or "")
            if convention is not None:  # the client reads the image's ``ENV`` too
                kind = f"{site.kind.value} {site.expression}"
                self.add_sdk(owner, convention, kind, where, self.full_env(owner.workload))
            return
        used: list[str] = []
        missing: list[str] = []
        dotnet_environment = self.dotnet_environment(owner.workload)
        written_for = settings_environment(site.file)
        if written_for is not None and written_for != dotnet_environment:
            return  # appsettings.Development.json in a host that runs another environment
        override = (  # not a key only a client the code builds reads (its SDK row says)
            overriding_env(site.key, site.file, env)
            if site.key is not None
            and not site.listed
            and site.target is not None
            and not owner.served
            and _bound_without_client(site.key)
            and not self.lacks_library_of(owner.workload, site.key)
            else None
        )
        if override is not None and site.target is not None:  # the env wins over the file
            name, found = override
            site = replace(
                site, target=overridden_target(site.target, site.expression, found.value)
            )
            used.append(f"{name}={redact_credentials(found.value)} at {found.where}")
        profiles = self.profiles(owner.workload)
        if is_quarkus(site.profile):
            running = self.quarkus_profile(owner.workload)
            if not applies(site.profile or "", running):
                return  # config of a Quarkus profile the workload does not run
            used.append(f"Quarkus profile {running}")
        elif site.profile is not None:
            if PurePath(site.file).name in self.properties.imports(owner.workload):
                used.append(f"{PurePath(site.file).name} is imported by spring.config.import")
            elif site.profile not in profiles.active:
                return  # config of a profile this deployment does not run
            else:
                used.append(f"Spring profile {site.profile} is active: {profiles.why}")
        elif site.kind.value == "config" and _SPRING_FILE.match(PurePath(site.file).name):
            used.append(f"Spring profiles: {profiles.why}")
        if self.lacks_library(owner, site) or self.unread_section(owner.workload, site):
            return
        if self.placeholder_variable(owner, site):
            return

        # Spring resolves ``${app.host}`` in its config and in ``@Value`` from its properties
        spring = self.properties.has(owner.workload) and (
            site.kind.value == "config" or "${" in site.expression
        )

        def value_of(name: str, default: str | None, depth: int = 0) -> str | None:
            prop = (
                self.properties.lookup(owner.workload, name, profiles.active)
                if spring and depth < _MAX_NESTING
                else None
            )
            if prop is not None and prop.served:  # a config server's values win over env
                return from_property(prop, depth)
            found = (
                env.get(name)
                or _dotnet_key(env, name, where.file.endswith(".cs"))
                or self.own_env_file_value(owner.workload, name)
            )
            if found is not None and not found.value.strip() and default is not None:
                # a blank value (compose's ``X=${X}`` with X unset) names no address: the
                # code's default is the one the repository gives
                used.append(f"{name} blank at {found.where}, code default {default}")
                return default
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
            setting = (
                self.dotnet_settings.lookup(name, where.file, dotnet_environment)
                if where.file.endswith(".cs")
                else None
            )
            if setting is not None:  # ``Configuration["RabbitMQHost"]``: its appsettings
                at = Location(setting.file, setting.line, setting.column)
                used.append(f"{name}={redact_credentials(setting.value)} at {at}")
                return setting.value
            if keyed is not None:  # a config key the code reads (``cfg["orders"]["addr"]``)
                at = Location(keyed.file, keyed.line, keyed.column)
                used.append(f"{name}={redact_credentials(keyed.value)} at {at}")
                return keyed.value
            secret = self.secret(owner.workload, name)
            if secret is not None:  # a Dapr secret store the app's configuration reads
                used.append(f"{name} from a Dapr secret store at {secret.where}")
                return secret.value
            baked = self.dockerfile_env.get(owner.workload, {}).get(name)
            if baked is not None and name not in ("CMD", "ENTRYPOINT"):
                # the image's ``ENV``: what the program gets when no manifest overrides it
                used.append(f"{name}={redact_credentials(baked.value)} at {baked.where}")
                return baked.value
            if prop is not None:  # another property of the application
                return from_property(prop, depth)
            if default is not None:
                used.append(f"{name} unset, code default {redact_credentials(default)}")
                return default
            missing.append(name)
            return None

        def from_property(prop: Property, depth: int) -> str:
            at = Location(prop.file, prop.line, prop.column)
            used.append(f"{prop.key}={redact_credentials(prop.value)} at {at}")
            return _fill(prop.value, lambda n, d: value_of(n, d, depth + 1))

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
            defaults = dict(site.other_defaults)
            if site.env_var and site.env_default is not None:
                defaults[site.env_var] = site.env_default
            text = own_scheme(
                _PLACEHOLDER.sub(
                    lambda m: value_of(m.group(1), defaults.get(m.group(1))) or "", site.target
                )
            )
        switch = self.switch_off(owner.workload, site.env_var) if site.env_var else None
        if switch is not None:
            reason = f"the feature is switched off: {switch}"
            self.builder.unresolved.append(
                Unresolved(owner.workload, where, site.expression, reason)
            )
            return
        if missing or not text:
            reason = (
                f"config key {', '.join(missing)} is set by no config file under the roots"
                if missing and all("." in name for name in missing)
                else f"env {', '.join(missing)} is not set for {owner.workload} by any manifest"
                if missing
                else "the call target is empty"
            )
            if spring and missing:
                running = ", ".join(sorted(profiles.active)) or "default"
                reason += f", nor by its Spring config (profiles: {running})"
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
            scheme, _, name = text.strip().lower().rpartition("://")
            named = ServiceName(name, site.service, scheme=scheme or None)
        if named is not None:
            self.resolve_name(owner, named, evidence, text)
            return
        hint = site.env_var or site.expression
        targets = find_targets(text, name_hint=hint if hint else None)
        if not targets and (site.kind.value == "config" or site.target == text):
            # the analyser read a bare host where a host belongs (``new Hostname("payment")``,
            # ``spring.rabbitmq.host``): the word is a host name
            targets = find_targets(text, name_hint="HOST")
        targets = called_endpoints(targets, self.storage_clients(owner.workload))
        convention = convention_for(site.env_var) if site.env_var else None
        if site.env_var and convention is None:

            def known(name: str) -> str | None:
                found = env.get(name) or self.dockerfile_env.get(owner.workload, {}).get(name)
                return found.value if found is not None else None

            targets = with_sibling_port(targets, site.env_var, known)
        given = env.get(site.env_var) if site.env_var else None
        # the variable alone names the address: maybe the callee's own, handed to its workers
        setting = (
            (site.env_var, given.value)
            if site.env_var and given is not None and given.value == text and len(targets) == 1
            else None
        )
        for target in targets:
            if target.port is None and target.scheme is None:
                protocol = target.protocol
                port = convention.port if convention is not None else None
                if port is not None and convention is not None:
                    protocol = convention.protocol
                else:
                    port = default_port_for(site.expression) or default_port_for(hint or "")
                if port is None and keyed_without_port(text):  # ``Server=db;Database=shop``
                    driver = driver_port(self.dependencies(owner.workload))
                    port = driver[1] if driver is not None else None
                if port is not None:
                    target = type(target)(
                        target.host, port, None, protocol, target.text, target.certain
                    )
            if site.kind.value == "loopback":
                self.resolve_local(owner, target, evidence, quiet=True)
            else:
                self.resolve(owner, target, evidence, setting)

    def add_sdk(
        self,
        owner: Context,
        convention: Convention,
        seen: str,
        where: Location,
        env: Mapping[str, EnvValue],
        kind: EvidenceKind = EvidenceKind.ENV_READ,
    ) -> None:
        """An SDK client built in code (or an agent a Dockerfile attaches: ``seen`` says
        which) calls what its variables hold; unset, it calls its default (localhost),
        which is a call of the graph only from a unit run on the host (its row's
        ``local_default``: localhost is where the compose file publishes ports)."""
        values = {name: found.value for name, found in env.items()}
        given = [
            name
            for pattern in convention.env
            for name in ([pattern] if "*" not in pattern else sorted(env))
            if fnmatchcase(name.lower(), pattern.lower())  # a numbered name: every index
        ]
        for name in given:
            found = env.get(name)
            if found is None:
                continue
            detail = (
                f"{redact_credentials(seen)} ({convention.sdk} reads "
                f"{name}={redact_credentials(found.value)} at {found.where}, by convention)"
            )
            evidence = Evidence(kind, where, detail, seen)
            for target in sdk_targets(convention, name, found.value, values):
                self.resolve(owner, target, evidence)
        if not any(name in env for name in given) and self._dials_local_default(owner, convention):
            assert convention.port is not None
            text = f"localhost:{convention.port}"
            detail = (
                f"{redact_credentials(seen)} ({convention.sdk}: none of its variables set, {text})"
            )
            target = Target("localhost", convention.port, None, convention.protocol, text)
            self.resolve(owner, target, Evidence(kind, where, detail, seen))

    def _dials_local_default(self, owner: Context, convention: Convention) -> bool:
        return convention.local_default and owner.workload in self.own_units

    def switch_off(self, workload: str, name: str) -> str | None:
        """The switch (``X_ENABLED=false``) the workload gets that turns ``name`` off."""
        from socklock.discover.switches import switched_off

        env = self.envs.get(workload, {})
        baked = self.dockerfile_env.get(workload, {})

        def lookup(switch: str) -> str | None:
            found = env.get(switch) or baked.get(switch)
            return found.value if found is not None else None

        return switched_off(name, lookup)

    def gate_off(self, workload: str, site: CallSite) -> str | None:
        """The role switch the workload's env leaves off around the site's code
        (:mod:`socklock.discover.code.gates`), else None."""
        from socklock.discover.code.gates import gated_off

        env = self.envs.get(workload, {})
        baked = self.dockerfile_env.get(workload, {})

        def lookup(switch: str) -> str | None:
            found = env.get(switch) or baked.get(switch)
            return found.value if found is not None else None

        return gated_off(site.file, site.line, lookup)

    def secret(self, workload: str, name: str) -> Secret | None:
        """The value a Dapr secret store the workload's configuration reads gives the
        config key ``name`` (``ConnectionStrings__CatalogDB``: ``ConnectionStrings:CatalogDB``)."""
        stores = self.secret_stores.get(workload)
        if not stores:
            return None
        if self._secrets is None:
            from socklock.discover.infra.dapr import secret_stores

            self._secrets = secret_stores(self._inventory, self._aliases)
        wanted = name.replace("__", ":").lower()
        for store in sorted(stores):
            for key, found in self._secrets.get(workload, {}).get(store, {}).items():
                if key.lower() == wanted:
                    return found
        return None

    def add_framework_reads(self) -> None:
        """A framework the build declares reads its variables as a client built in code
        does: Spring Boot binds ``SPRING_DATASOURCE_URL`` when the module has a JDBC
        library (the [[library]] row of data/client_libraries.toml named like the
        convention's SDK says which artifacts)."""
        from socklock.discover.libraries import libraries

        by_what = {library.what: library for library in libraries()}
        for workload, units in self.unit_workloads.items():
            dependencies = [d for unit in units for d in unit.dependencies]
            env = self.full_env(workload)
            if not dependencies or not env:
                continue
            unit = units[0]
            owner = Context(Path(unit.location.file).parent, workload, f"build unit {unit.name}")
            for convention in conventions():
                library = by_what.get(convention.sdk)
                if library is None or not library.declared_in(dependencies):
                    continue
                artifact = next(d for d in dependencies if library.declared_in([d]))
                seen = f"{artifact} in the build of {unit.name}"
                self.add_sdk(owner, convention, seen, unit.location, env, EvidenceKind.CONFIG)

    def add_agents(self, owner: Context, dockerfile: Dockerfile) -> None:
        """An agent the image attaches (``-javaagent:...opentelemetry-javaagent.jar`` in
        ``JAVA_TOOL_OPTIONS``) reads its SDK's variables as a client built in code does."""
        given = self.envs.get(owner.workload, {})
        env = {**self.dockerfile_env.get(owner.workload, {}), **given}
        attaching = [
            (
                f"{i.keyword} {i.value}",
                Location(dockerfile.path, i.start_line, 1),
                EvidenceKind.COMMAND,
            )
            for i in dockerfile.final_stage()
            if i.keyword in ("ENV", "CMD", "ENTRYPOINT")
        ]  # or the manifests, in ``NODE_OPTIONS``, ``JAVA_TOOL_OPTIONS``...
        attaching += [(f"env {n}={v.value}", v.where, EvidenceKind.ENV) for n, v in given.items()]
        for convention in conventions():
            for seen, where, kind in attaching:
                if any(re.search(agent, seen) for agent in convention.agents):
                    self.add_sdk(owner, convention, seen, where, env, kind)
                    break

    def lacks_library(self, owner: Context, site: CallSite) -> bool:
        """Config shared by every client (a config server's ``application.yml``) or handed
        out by a config server (its files are often one template per service) names servers
        that only a client library calls: a workload whose build declares its dependencies,
        and not that library, does not call them. So is a common file every service imports
        (``spring.config.import: classpath:application-common.yaml`` from a shared module)."""
        imported = PurePath(site.file).name in self.properties.imports(owner.workload)
        shared = owner.shared or owner.served or site.file in self.shared_files or imported
        if site.key is None or not shared:
            return False
        return self.lacks_library_of(owner.workload, site.key)

    def placeholder_variable(self, owner: Context, site: CallSite) -> bool:
        """A property of config every client shares that a placeholder names
        (``app.eureka.host: eureka`` for ``${app.eureka.host}``) is a variable: the
        services that write the placeholder call it, where they write it, not every client
        the file is served to."""
        imported = PurePath(site.file).name in self.properties.imports(owner.workload)
        shared = owner.shared or site.file in self.shared_files or imported
        if site.key is None or site.kind.value != "config" or not shared:
            return False
        return spring_env_name(site.key)[0] in self.placeholder_names

    def unread_section(self, workload: str, site: CallSite) -> bool:
        """A config file's entry in a section a Rust program never reads (see
        :mod:`socklock.discover.typed_config`): parsed into its structs, never used; or in
        a .NET options section no code binds (:mod:`socklock.discover.options_sections`)."""
        from socklock.discover.typed_config import read_names, section_of

        if site.kind.value == "config" and unbound_options_section(site.file, site.key or ""):
            return True
        section = section_of(site.key or "") if site.kind.value == "config" else None
        if section is None or PurePath(site.file).suffix not in _TYPED_CONFIG_SUFFIXES:
            return False
        units = self.unit_workloads.get(workload, ())
        if not units or any(unit.kind != "cargo" for unit in units):
            return False
        if workload not in self._rust_names:
            sources = [source for unit in units for source in unit.sources]
            self._rust_names[workload] = read_names(sources, self._rust_file_names)
        names = self._rust_names[workload]
        return names is not None and section not in names

    def lacks_library_of(self, workload: str, key: str) -> bool:
        """Whether the workload's build declares its dependencies, and not the library
        that reads property ``key``."""
        library = library_for(key)
        if library is None:
            return False
        dependencies = self.dependencies(workload)
        return bool(dependencies) and not library.declared_in(dependencies)

    def dependencies(self, workload: str) -> list[str]:
        """The libraries the workload's build units declare (empty: unknown)."""
        return [d for unit in self.unit_workloads.get(workload, ()) for d in unit.dependencies]

    def add_registry_wide(self) -> None:
        """Servers that reach every registered service (a Zuul proxy's default routes, the
        Gateway's discovery locator, Spring Boot Admin): an edge to each registered one."""
        names: dict[str, set[str]] = {}
        for name, workloads in self.service_names().items():
            for workload in workloads:
                names.setdefault(workload, {workload.rsplit("/", 1)[-1]}).add(name)
        everyone = {*self.workloads, *self.compose, *self.unit_workloads}
        for reach in reaches(
            self.registrations, everyone, names, self.active_profiles, self.dependencies
        ):
            wide = reach.wide
            if reach.callee is None:
                unresolved = Unresolved(reach.server, wide.where, wide.label, reach.why)
                self.builder.unresolved.append(unresolved)
                continue
            kind = EvidenceKind.PROXY if wide.routes else EvidenceKind.LITERAL
            detail = f"{wide.label} reaches every registered service: {reach.callee} ({reach.why})"
            evidence = Evidence(kind, wide.where, detail)
            port = self.callee_port(reach.callee, None)
            self.builder.add_edge(reach.server, reach.callee, port, "TCP", evidence)

    def add_micro_api(self) -> None:
        """The go-micro toolkit's API gateway (``micro api``, MICRO_API_NAMESPACE=NS) serves
        ``/<x>/...`` from the service registered as ``NS.<x>``: an edge to every workload
        that declares a service name under the namespace (its port: the one it registers)."""
        names = self.service_names()
        for workload in sorted({*self.workloads, *self.compose, *self.unit_workloads}):
            namespace = self.full_env(workload).get("MICRO_API_NAMESPACE")
            if namespace is None or not namespace.value.strip():
                continue
            if not any(_MICRO_API.search(text) for text in self.run_texts(workload)):
                continue
            prefix = namespace.value.strip().lower() + "."
            for name, callees in sorted(names.items()):
                if not name.startswith(prefix) or "." in name[len(prefix) :]:
                    continue
                for callee in sorted(callees - {workload}):
                    detail = (
                        f"micro api (MICRO_API_NAMESPACE={namespace.value.strip()}) serves "
                        f"/{name[len(prefix) :]}/ from {name}, the service {callee} registers"
                    )
                    evidence = Evidence(EvidenceKind.PROXY, namespace.where, detail)
                    port = self.callee_port(callee, None)
                    self.builder.add_edge(workload, callee, port, "TCP", evidence)

    def add_implied(self) -> None:
        """Clients of a server whose address is set outside the input (see
        :mod:`socklock.discover.implied`): an edge to the deployment's one such server."""
        from socklock.discover.implied import implied_calls

        images: dict[str, str | None] = {}
        for graph_id, workload in self.workloads.items():
            images[graph_id] = next((c.image for c in workload.containers if c.image), None)
        for graph_id, (_, service) in self.compose.items():
            images[graph_id] = service.image
        everyone = {*self.workloads, *self.compose, *self.unit_workloads}
        keys_set = {w: {*self.keys_set.get(w, ()), *self.spring_keys_set(w)} for w in everyone}
        for implied in implied_calls(everyone, self.dependencies, images, keys_set):
            if self.builder.ports_called(implied.client, implied.server):
                continue  # already mapped from what the input says
            if self.spring_turned_off(implied.client, implied.row.off):
                continue  # its config turns the client off
            if implied.row.remote and not self.config_client(implied.client):
                continue  # no config server hands it an address: it dials its default
            units = self.unit_workloads.get(implied.client, ())
            where = units[0].location if units else Location("<build>", 1, 1)
            detail = (
                f"{implied.row.what}: {implied.client}'s build has {implied.artifact} and the "
                f"deployment runs one {implied.row.what}, {implied.server}; its address is "
                "set outside the input"
            )
            evidence = Evidence(EvidenceKind.CONFIG, where, detail)
            port = implied.row.port  # a server's image listens for clients there
            if not implied.row.runs_image(images.get(implied.server)):
                port = self.callee_port(implied.server, None) or port  # a build's server.port
            self.builder.add_edge(implied.client, implied.server, port, "TCP", evidence)
            if self.spring_consul_checked(implied.client, f"{_SPRING_CONSUL}host"):
                # registered with an HTTP health check, which that agent polls
                self.http_checked.setdefault(implied.client, ("Consul", where))
                agent = Reached(implied.server, port, "TCP", implied.row.what)
                self.registry_agents.setdefault(implied.client, []).append(agent)

    def spring_keys_set(self, workload: str) -> set[str]:
        """The whole keys of the implied-server table (``spring.zipkin.sender.type``) that
        the workload's Spring config sets under its profiles, served files included: a
        setting that is no address (``rabbit``) still says where the client sends."""
        from socklock.discover.implied import implied_servers

        if not self.properties.has(workload):
            return set()
        return {
            key
            for row in implied_servers()
            for key in row.keys
            if not key.endswith(".") and self.spring_value(workload, key) is not None
        }

    def add_config_client_defaults(self) -> None:
        """A Spring Cloud Config client that starts a bootstrap context (it has a
        ``bootstrap`` file, or the bootstrap starter) and whose config, env and code name no
        config server (no ``uri``, no ``configserver:`` import, no discovery, not disabled)
        fetches its config from the client's default, ``http://localhost:8888``: a call to
        what listens there when it runs on the host (in a container, itself: nothing)."""
        from socklock.discover.code.interface import CallKind, CallSite

        for workload in sorted(self.unit_workloads):
            dependencies = self.dependencies(workload)
            if not any(d in _CONFIG_CLIENTS for d in dependencies):
                continue
            if any("config-server" in d for d in dependencies):
                continue
            files = self.properties.files(workload)
            boots = sorted(f for f, source in files.items() if source == Source.BOOTSTRAP)
            if not boots and _BOOTSTRAP_STARTER not in dependencies:
                continue
            if self._names_config_server(workload):
                continue
            units = self.unit_workloads[workload]
            file = boots[0] if boots else units[0].location.file
            owner = Context(Path(file).parent, workload, f"build unit {units[0].name}")
            expression = f"{_CONFIG_URI} default {_CONFIG_DEFAULT} (no config server named)"
            site = CallSite(
                file, 1, 1, expression, CallKind.CONFIG, _CONFIG_DEFAULT,
                confidence=0.6, key=_CONFIG_URI,
            )  # fmt: skip
            self.add(owner, site, Location(file, 1, 1))

    def config_client(self, workload: str) -> bool:
        """Whether a Spring Cloud Config server configures the workload: its build has the
        client or its config points one at a server, and its config does not turn it off."""
        if self.spring_value(workload, "spring.cloud.config.enabled") == "false":
            return False
        if any(d in _CONFIG_CLIENTS for d in self.dependencies(workload)):
            return True
        value = self.spring_value
        imported = value(workload, "spring.config.import") or ""
        return value(workload, _CONFIG_URI) is not None or "configserver:" in imported

    def add_library_defaults(self) -> None:
        """A unit run on the host whose build has a client library that dials localhost
        when given no address (:mod:`socklock.discover.local_defaults`), and whose config,
        env and code give it none: a call to what listens on that port of the host."""
        from socklock.discover.code.interface import CallKind, CallSite
        from socklock.discover.local_defaults import local_defaults

        for workload in sorted(self.unit_workloads):
            if workload not in self.own_units:
                continue  # in a container localhost is itself
            dependencies = self.dependencies(workload)
            env = self.full_env(workload)
            files = self.unit_env.get(workload, {})  # its own env files (``.env``)
            written = {k.lower() for k in self.keys_set.get(workload, ())}
            for row in local_defaults():
                artifact = row.client_in(dependencies)
                if artifact is None:
                    continue
                if any(self.spring_value(workload, key) != "true" for key in row.on):
                    continue
                if any(self.spring_value(workload, key) == "false" for key in row.off):
                    continue
                if any(
                    key.lower() in written
                    or self.spring_value(workload, key) is not None
                    or spring_env_name(key)[0] in env
                    or spring_env_name(key)[0] in files
                    for key in row.keys
                ):
                    continue  # given an address: that value maps it
                units = self.unit_workloads[workload]
                file = units[0].location.file
                owner = Context(Path(file).parent, workload, f"build unit {units[0].name}")
                expression = f"{row.what} default {row.address} ({artifact}, no address set)"
                site = CallSite(
                    file, 1, 1, expression, CallKind.CONFIG, row.address,
                    confidence=0.6, key=row.keys[0],
                )  # fmt: skip
                self.add(owner, site, Location(file, 1, 1))

    def _names_config_server(self, workload: str) -> bool:
        """Whether anything says where the workload's config client goes, or turns it off."""
        env = self.full_env(workload)
        if any(
            name.upper().startswith(("SPRING_CLOUD_CONFIG_", "SPRING_CONFIG_IMPORT"))
            for name in env
        ):
            return True
        if any(
            key.lower().startswith(("spring.cloud.config.", "spring.config.import"))
            for key in self.keys_set.get(workload, ())
        ):
            return True
        value = self.spring_value
        return (
            value(workload, _CONFIG_URI) is not None
            or value(workload, "spring.config.import") is not None
            or value(workload, "spring.cloud.config.discovery.enabled") == "true"
            or value(workload, "spring.cloud.config.enabled") == "false"
        )

    def full_env(self, workload: str) -> dict[str, EnvValue]:
        """The workload's env as its process sees it: the image's ``ENV``, then the
        deployment's values over them."""
        return {**self.dockerfile_env.get(workload, {}), **self.envs.get(workload, {})}

    def spring_value(self, workload: str, key: str) -> str | None:
        """The value (stripped, lower case) the workload's Spring config gives ``key`` under
        its active profiles, served files included; None when nothing sets it."""
        active = self.profiles(workload).active
        prop = self.properties.lookup(workload, spring_env_name(key)[0], active)
        return prop.value.strip().lower() if prop is not None else None

    def spring_turned_off(self, workload: str, groups: tuple[tuple[str, ...], ...]) -> bool:
        """Whether the workload's Spring config, under its profiles, sets every key of one
        of ``groups`` to false (``eureka.client.enabled: false``)."""
        if not groups or not self.properties.has(workload):
            return False
        return any(
            all(self.spring_value(workload, key) == "false" for key in group) for group in groups
        )

    def spring_consul_checked(self, workload: str, key: str) -> bool:
        """Whether Spring Cloud Consul registers the workload with an HTTP health check,
        which the agent polls: its discovery starter registers one by default, unless the
        config turns registration or the check off, or a heartbeat (a TTL check) replaces
        it. ``key``: the registry address key being joined."""
        if not key.lower().startswith(_SPRING_CONSUL):
            return False
        if not any(_CONSUL_DISCOVERY in d for d in self.dependencies(workload)):
            return False
        value = self.spring_value
        return not (
            any(value(workload, f"{_SPRING_CONSUL}{flag}") == "false" for flag in _CONSUL_REGISTERS)
            or value(workload, f"{_SPRING_CONSUL}discovery.heartbeat.enabled") == "true"
        )

    def quarkus_profile(self, workload: str) -> str:
        """The Quarkus profile the workload runs (its env's ``QUARKUS_PROFILE``, else dev for
        a unit run from its sources on the host, prod in a deployment)."""
        given = {
            name: value.value
            for source in (self.dockerfile_env.get(workload, {}), self.envs.get(workload, {}))
            for name, value in source.items()
        }
        return running_profile(given, on_host=workload in self.own_units)

    def dotnet_environment(self, workload: str) -> str:
        """The ASP.NET Core environment the workload runs (its env's, else its image's
        ``ENV``; unset: Production), which picks its ``appsettings.{Environment}.json``."""
        given = {
            name: value.value
            for source in (self.dockerfile_env.get(workload, {}), self.envs.get(workload, {}))
            for name, value in source.items()
        }
        return environment_of(given)

    def active_profiles(self, workload: str) -> frozenset[str]:
        return self.profiles(workload).active

    def profile_runs(self, owner: Context, profile: str) -> bool:
        """Whether the workload runs Spring profile ``profile`` (a profile expression such
        as ``docker,cloud`` or ``!test`` runs when any of its parts would)."""
        active = self.profiles(owner.workload).active
        parts = [p.strip() for p in re.split(r"[,|&]", profile) if p.strip()]
        return any((p[1:] not in active) if p.startswith("!") else (p in active) for p in parts)

    def profiles(self, workload: str) -> Profiles:
        """The Spring profiles the workload runs: ``SPRING_PROFILES_ACTIVE`` from the
        manifests, else from its Dockerfile; ``spring.profiles.active=`` in a command, in
        ``JAVA_OPTS``-like values or in the entry-point script too (a variable there takes
        the env, else the script's default). None active: the default profile."""
        found = self._profiles.get(workload)
        if found is None:
            found = _active_profiles(
                self.envs.get(workload, {}),
                self.dockerfile_env.get(workload, {}),
                self.script_env.get(workload, {}),
            )
            if not found.active and workload in self.own_units:
                found = Profiles(_ON_HOST_PROFILES, _ON_HOST_WHY)
            self._profiles[workload] = found
        return found

    def add_command(self, owner: Context, dockerfile: Dockerfile) -> None:
        """Addresses on the final stage's CMD/ENTRYPOINT, with the env the workload gets
        (the manifests' values first, then the Dockerfile's own ENV)."""
        final = dockerfile.final_stage()
        args = self.build_args(owner.workload, dockerfile)
        env = {name: value for name, value in _dockerfile_env(final, args)}
        baked: dict[str, EnvValue] = {}  # the last ENV of a name is the one that holds
        for instruction, name, value in _dockerfile_env_at(final, args):
            baked[name] = EnvValue(value, Location(dockerfile.path, instruction.start_line, 1))
        known = self.dockerfile_env.setdefault(owner.workload, {})
        for name, value_at in baked.items():
            known.setdefault(name, value_at)
        for instruction in final:  # ``--spring.profiles.active=...`` on the command line
            if instruction.keyword in ("CMD", "ENTRYPOINT"):
                line = Location(dockerfile.path, instruction.start_line, 1)
                context = Path(dockerfile.path).parent
                template = every_service_template(exec_form(instruction.value), context)
                if template is not None:  # a proxy config rendered for every Consul service
                    expression = f"{CONSUL_TEMPLATE} -template {template.name}"
                    self.registrations.declare(
                        owner.workload, "registry-wide", CONSUL_TEMPLATE, expression, None, line
                    )
                known.setdefault(instruction.keyword, EnvValue(instruction.value, line))
                self.add_script(owner, dockerfile, instruction)
        env.update({k: v.value for k, v in self.envs.get(owner.workload, {}).items()})
        overridden = self.overridden(owner.workload)
        if _copies_only(final, dockerfile, owner, overridden):
            self.copies_only.add(owner.workload)
        for instruction in final:
            if instruction.keyword not in ("CMD", "ENTRYPOINT"):
                continue
            where = Location(dockerfile.path, instruction.start_line, 1)
            command = exec_form(instruction.value)
            waited = [] if instruction.keyword in overridden else waits(command, env)
            for wait in waited:  # ``wait-for-it db:5432 -- ...``: see discover/waits.py
                via = f" ({', '.join(wait.used)} from env)" if wait.used else ""
                written = redact_credentials(wait.written)
                detail = f"{instruction.keyword} {wait.tool} {written}{via}"
                evidence = Evidence(EvidenceKind.WAIT_FOR, where, detail, wait.written)
                for target in find_targets(wait.value):
                    self.resolve(owner, target, evidence)
            for word, value, used in command_values(command, env):
                if any(word == wait.written for wait in waited):
                    continue  # a wait's URL (``dockerize -wait http://...``): said above
                via = f" ({', '.join(used)} from env)" if used else ""
                detail = f"{instruction.keyword} {redact_credentials(word)}{via}"
                evidence = Evidence(EvidenceKind.COMMAND, where, detail, word)
                for target in find_targets(value):
                    self.resolve(owner, target, evidence)
        self.add_agents(owner, dockerfile)

    def build_args(self, workload: str, dockerfile: Dockerfile) -> dict[str, str]:
        """The compose ``build.args`` the workload builds ``dockerfile`` with (none when its
        service builds another Dockerfile, or no compose service builds it)."""
        from socklock.discover.proxies.images import build_settings

        known = self.compose.get(workload)
        service = known[1] if known is not None else None
        if service is None or not service.build_context:
            return {}
        built = Path(service.build_context, service.dockerfile or "Dockerfile").resolve()
        if built != Path(dockerfile.path).resolve():
            return {}
        return build_settings(service)[0]

    def add_script(self, owner: Context, dockerfile: Dockerfile, instruction: Instruction) -> None:
        """The shell script a CMD/ENTRYPOINT runs (``/app/run.sh``): its ``java
        -Dspring.profiles.active=${PROFILE}`` lines and the variables it sets, for the
        workload's profiles."""
        from socklock.discover.entrypoints import (
            MAX_SCRIPT_BYTES,
            script_of,
            script_reads,
            script_settings,
        )

        for word in words(exec_form(instruction.value)):
            script = script_of(word, Path(dockerfile.path).parent, owner.directory)
            if script is None:
                continue
            try:
                with script.open("rb") as handle:
                    text = handle.read(MAX_SCRIPT_BYTES).decode("utf-8", "replace")
            except OSError:
                continue
            self.scripts.setdefault(owner.workload, []).append(text)
            known = self.dockerfile_env.setdefault(owner.workload, {})
            for number, line in enumerate(text.splitlines(), start=1):
                if _PROFILE_FLAG.search(line) and not line.lstrip().startswith("#"):
                    where = Location(str(script), number, 1)
                    known.setdefault(f"{script.name}:{number}", EnvValue(line.strip(), where))
            self.script_reads.setdefault(owner.workload, set()).update(script_reads(text))
            self.copied.setdefault(owner.workload, set()).update(command_copies(text))
            settings = self.script_env.setdefault(owner.workload, {})
            for name, (value, number) in script_settings(text).items():
                settings.setdefault(name, EnvValue(value, Location(str(script), number, 1)))

    def overridden(self, workload: str) -> frozenset[str]:
        """The image's CMD/ENTRYPOINT that the deployment replaces: compose ``entrypoint``
        (both: it resets CMD) and ``command``; Kubernetes ``command`` (both) and ``args``."""
        if workload in self.compose:
            body = self.compose[workload][1].body
            if "entrypoint" in body:
                return frozenset({"ENTRYPOINT", "CMD"})
            return frozenset({"CMD"} if "command" in body else ())
        out: set[str] = set()
        workload_of = self.workloads.get(workload)
        for container in workload_of.containers if workload_of is not None else ():
            if container.role.value != "containers":
                continue  # an init container's own command replaces nothing of the app's
            if "command" in container.body:
                out |= {"ENTRYPOINT", "CMD"}
            elif "args" in container.body:
                out.add("CMD")
        return frozenset(out)

    def declare(self, owner: Context, declared: object) -> None:
        """Remember what a module says about itself (its service name, port, load balancer)."""
        from socklock.discover.code.interface import Declaration

        assert isinstance(declared, Declaration)
        if declared.what == LISTEN_PORT:
            self.declare_listen(owner, declared.value, declared.file)
            return
        env = self.envs.get(owner.workload, {})
        value = _PLACEHOLDER.sub(
            lambda m: found.value if (found := env.get(m.group(1))) else m.group(0),
            declared.value,
        ).strip()
        if "${" in value:
            return  # set at run time by something we do not see
        where = Location(declared.file, declared.line, declared.column)
        if declared.what in REGISTRY_WHAT:
            shared = owner.shared or declared.file in self.shared_files
            dependencies = self.dependencies(owner.workload)
            if shared and dependencies and registry_client(dependencies) is None:
                return  # a shared registry setting of a client that has no registry client
            self.registrations.declare(
                owner.workload, declared.what, value, declared.expression, declared.profile, where
            )
        elif declared.what == "service-name":
            if declared.profile is not None and not self.profile_runs(owner, declared.profile):
                return  # the name of a profile it does not run (``test``)
            self.identities.setdefault(value.lower(), []).append((owner.workload, where))
        elif declared.what == "config-map-name":
            if declared.profile is not None and not self.profile_runs(owner, declared.profile):
                return
            self.config_map_names.setdefault(owner.workload, set()).add(value.lower())
        elif declared.what == "server-port" and value.isdigit() and 0 < int(value) < 65536:
            port = (int(value), declared.profile)
            self.server_ports.setdefault(owner.workload, set()).add(port)
            self.builder.listens[owner.workload].add(port[0])
        elif declared.what == HTTP_CHECKED:
            self.http_checked.setdefault(owner.workload, (value, where))
        elif declared.what == REGISTRY_CHECK:
            self.registry_checks.add((declared.file, declared.line, declared.column))
        elif declared.what == CONSUL_CHECK:  # a check on its own address: the agent polls it
            self.http_checked.setdefault(owner.workload, ("Consul", where))
        elif declared.what in REGISTERS_FOR:
            self.registers_for.setdefault(owner.workload, {})[declared.what] = value
        elif declared.what == "load-balanced":
            self.load_balanced.add(owner.workload)
        elif declared.what == "dapr-secret-store":
            self.secret_stores.setdefault(owner.workload, set()).add(value)
        elif declared.what.startswith(_STORAGE_CLIENT):
            service = declared.what.removeprefix(_STORAGE_CLIENT)
            self.storage_named.setdefault(owner.workload, set()).add(service)

    def declare_listen(self, owner: Context, written: str, file: str = "") -> None:
        """A unit nothing deploys listens on the port its listen call is given: written
        there, or the env var it reads as set by its manifest env or its own env files
        (every value they give), or the config key it reads (``config.getInt("http.port")``)
        as its nearest config file sets it, else the code's default. So does a compose
        service on the host's network (``network_mode: host``): it listens on the host's
        ports, where its neighbours' ``localhost`` reaches it."""
        if owner.workload not in self.own_units and not self._on_host_network(owner.workload):
            return
        env = self.envs.get(owner.workload, {})
        files = self.unit_env.get(owner.workload, {})
        filled = [written]
        while any(LISTEN_PLACEHOLDER.search(f) for f in filled):
            step: list[str] = []
            for text in filled:
                found = LISTEN_PLACEHOLDER.search(text)
                if found is None:
                    step.append(text)
                    continue
                name, default = found.group(1), found.group(2)
                given = env.get(name)
                values = [given.value] if given else [v.value for v in files.get(name, [])]
                if not values and "." in name and file:
                    keyed = self.config_keys.lookup(
                        name, file, lambda f: self.given(owner.workload, f)
                    )
                    # HOCON's ``${?PORT}`` override reads as ``${PORT:8001}``: the shell form
                    values = (
                        [_COLON_DEFAULT.sub(r"${\1:-", keyed.value)] if keyed is not None else []
                    )
                if not values and default is not None:
                    values = [default]
                step.extend(text[: found.start()] + v + text[found.end() :] for v in values)
            filled = step[:_MAX_LISTEN_VALUES]
        for text in filled:
            port = listen_port_of(text)
            if port is not None:
                self.listen_ports.setdefault(owner.workload, set()).add(port)

    def _on_host_network(self, workload: str) -> bool:
        return workload in self.compose and self.compose[workload][1].network_mode == "host"

    def own_env_file_value(self, workload: str, name: str) -> EnvValue | None:
        """What the env files of a unit nothing deploys set ``name`` to, when they agree
        (``.env.dev`` beside ``.env.production`` may not: then no value is known)."""
        given = self.unit_env.get(workload, {}).get(name, [])
        if not given or len({v.value for v in given}) != 1:
            return None
        return EnvValue(given[0].value, given[0].where)

    def storage_clients(self, workload: str) -> frozenset[str]:
        """The Azure Storage services the workload calls: those of the clients its code
        builds, else those its build has clients of; empty when neither says."""
        named = self.storage_named.get(workload)
        if named:
            return frozenset(named)
        return storage_services(self.dependencies(workload))

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

    def resolve(
        self,
        owner: Context,
        target: Target,
        evidence: Evidence,
        setting: tuple[str, str] | None = None,
    ) -> None:
        """``setting``: the env var (name, value) that alone names the target."""
        if owner.workload in self.migrations and not may_be_database(target):
            return  # the server's cache, broker or peer, read by code it shares
        if target.is_local:
            self.resolve_local(owner, target, evidence)
            return
        single_label = "." not in target.host
        explicit = _EXPLICIT_PORT.search(target.text) is not None
        lb = owner.workload in self.load_balanced and target.scheme in ("http", "https")
        if (
            lb
            and single_label
            and (evidence.kind is not EvidenceKind.CONFIG or owner.workload in self.own_units)
        ):
            # a @LoadBalanced client in this module: the host is a service id (another,
            # plain client may call the host by DNS, so a name no registry knows falls
            # through); a config URL too where no DNS knows service names (run on the host)
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
        if isinstance(resolution, list) and setting is not None:
            resolution = [
                r for r in resolution if not self.own_address(owner, r, setting, evidence)
            ]
            if not resolution:
                return
        if resolution is not None:
            self.add_resolution(owner, target, resolution, evidence)

    def own_address(
        self, owner: Context, reached: Reached, setting: tuple[str, str], evidence: Evidence
    ) -> bool:
        """The callee's own address, given to another process of its program
        (:mod:`socklock.discover.siblings`)."""
        from socklock.discover.siblings import own_address

        if self._programs is None:
            from socklock.discover.siblings import programs

            self._programs = programs(self._inventory, self._aliases)
        given = self.envs.get(reached.workload, {}).get(setting[0])
        value = given.value if given is not None else None
        if not own_address(self._programs, owner.workload, reached.workload, setting, value):
            return False
        # of siblings each running its own entry point: a read in code the callee's entry
        # point never runs is the caller's own client (a worker calling the API)
        where = evidence.location
        return self.entry_runs(reached.workload, where.file, where.line) is not False

    def resolve_local(
        self, owner: Context, target: Target, evidence: Evidence, *, quiet: bool = False
    ) -> None:
        """Without a deployment the services run side by side on one host: a call to
        ``localhost:<port>`` reaches the build unit that listens on that port, when exactly
        one does (in a container, localhost is the container itself: no call). ``quiet``: a
        URL written anywhere, not at a known call: it is no call unless a unit listens.
        A compose service on the host's network reaches the host's ports instead."""
        if (
            owner.workload in self.compose
            and self.compose[owner.workload][1].network_mode == "host"
        ):
            self.resolve_on_host(owner, target, evidence, quiet=quiet)
            return
        own = self.own_units
        if target.port is None or owner.workload not in own:
            return
        listeners = [
            w
            for w in own
            if target.port in self.units.ports.get(w, ())
            or target.port in self.listen_ports.get(w, ())
        ]
        if not listeners and (published := self.published_on_host(target)):
            self.add_resolution(owner, target, published, evidence)
            return
        if len(listeners) != 1 and quiet:
            return
        server = host_server(target.port) if not listeners else None
        if server is not None and self.units.lookup(server.id.rsplit("/", 1)[-1]) is None:
            self.builder.add_node(server)  # run beside the code: a workload of its own
            via = f"no build unit listens on port {target.port}: the {server.id} it expects"
            reached = Reached(server.id, target.port, target.protocol, via)
            self.add_resolution(owner, target, [reached], evidence)
            return
        if len(listeners) != 1:
            count = "no build unit" if not listeners else f"{len(listeners)} build units"
            verb = "listens" if not listeners else "listen"
            reason = f"{count} of the input {verb} on port {target.port}"
            expression = evidence.expression or target.text
            self.builder.unresolved.append(
                Unresolved(owner.workload, evidence.location, expression, reason)
            )
            return
        if listeners[0] == owner.workload:
            return
        via = f"the one build unit of the input that listens on port {target.port}"
        reached = Reached(listeners[0], target.port, target.protocol, via)
        self.add_resolution(owner, target, [reached], evidence)

    def published_on_host(self, target: Target) -> list[Reached]:
        """The compose services that publish ``target``'s port on the host (a compose file
        of databases and brokers beside code that runs on the host), when there are any."""
        resolvers = {id(r): r for r, _ in self.compose.values()}
        reached: list[Reached] = []
        for resolver in resolvers.values():
            found = resolver.on_host(target)
            if isinstance(found, list):
                for r in found:
                    graph_id = self._aliases.get(r.workload, r.workload)
                    reached.append(Reached(graph_id, r.port, r.protocol, r.via))
        return reached

    def resolve_on_host(
        self, owner: Context, target: Target, evidence: Evidence, *, quiet: bool
    ) -> None:
        """``localhost:<port>`` from a service with ``network_mode: host``: the service of its
        project that listens on that port of the host (see ``ComposeResolver.on_host``); a
        build's declared ``server.port`` counts as where it listens."""
        resolver, _ = self.compose[owner.workload]
        listens = {
            service.id: self.builder.listens.get(graph_id, set())
            | self.listen_ports.get(graph_id, set())
            for graph_id, (_, service) in self.compose.items()
        }
        found = resolver.on_host(target, listens)
        if isinstance(found, list):
            found = [r for r in found if r.workload != owner.workload]
            if found:
                self.add_resolution(owner, target, found, evidence)
            return
        if not quiet and isinstance(found, NotFound) and target.port is not None:
            expression = evidence.expression or target.text
            self.builder.unresolved.append(
                Unresolved(owner.workload, evidence.location, expression, found.reason)
            )

    def add_resolution(
        self, owner: Context, target: Target, resolution: Resolution, evidence: Evidence
    ) -> None:
        """The edges, except a workload's address of itself: config shared by every client
        (a config server's ``application.yml`` naming the registry is for the others), a
        URL the workload is given of itself (a callback URL it hands out to others), or one
        its code or its own config file writes down (the address its server listens on:
        ``url: 'auth:50051'``, the public URL it hands out)."""
        if self._check_site == owner.workload:
            self.add_check(owner.workload, resolution, evidence)
            return
        shared = owner.shared or evidence.location.file in self.shared_files
        if isinstance(resolution, list) and not shared:
            from socklock.discover.clusters import member_edges

            runners = self.runners(evidence.location.file)
            for edge in member_edges(target, resolution, runners, evidence):
                self.builder.add_edge(*edge)
        own = evidence.kind in (EvidenceKind.ENV_READ, EvidenceKind.LITERAL, EvidenceKind.CONFIG)
        if isinstance(resolution, list) and (shared or own):
            resolution = [r for r in resolution if r.workload != owner.workload]
            if not resolution:
                return
        add_resolution(self.builder, owner.workload, target, resolution, evidence)
        if self._lookup is not None and isinstance(resolution, list):
            self.add_lookup(owner, resolution, evidence)
        if isinstance(resolution, list):  # its registry's agent: its health checks' poller
            registry = self._registry_site == owner.workload
            self.registry_agents.setdefault(owner.workload, []).extend(
                r
                for r in resolution
                if r.workload != owner.workload and (registry or r.workload in self.agents)
            )

    def add_lookup(self, owner: Context, servers: list[Reached], evidence: Evidence) -> None:
        """A registry asked for a service by a name written in the URL's path: the caller
        then calls that service (when the callee is that registry's server)."""
        assert self._lookup is not None
        lookup, name = self._lookup
        self._lookup = None  # the name's own resolution is no lookup
        if lookup.server_dependency is None:
            server = any(r.workload in self.agents for r in servers)
        else:
            server = any(self.built_with(r.workload, lookup.server_dependency) for r in servers)
        if server:
            named = ServiceName(name.lower(), lookup.registry)
            self.resolve_name(owner, named, evidence, name)

    def built_with(self, workload: str, dependency: str) -> bool:
        """Whether a build unit the workload runs (its own, or one whose image or build
        context it shares with others) declares the dependency."""
        return any(
            dependency in d
            for unit in self._inventory.units
            if unit.dependencies
            and (
                workload in self.runners(unit.location.file)
                or unit in self.unit_workloads.get(workload, ())
            )
            for d in unit.dependencies
        )

    @property
    def agents(self) -> set[str]:
        """The workloads that run a registry agent's image, and the Consul agent a
        repository without deployment files expects on its host (:mod:`.host_servers`)."""
        if self._agents is None:
            from socklock.discover.host_servers import host_server

            local = host_server(8500)
            self._agents = {
                found
                for image in REGISTRY_IMAGES
                for found in running_image(self._inventory, self._aliases, image)
            } | ({local.id} if local is not None else set())
        return self._agents

    def add_check(self, workload: str, resolution: Resolution, evidence: Evidence) -> None:
        """A health check URL the workload's code registers: the registry's agent calls it,
        not the workload. Only a URL of the workload's own address is kept (a check naming
        another host is left out: who answers it is not this workload's business)."""
        if not isinstance(resolution, list):
            return
        for reached in resolution:
            if reached.workload == workload:
                self.checked_ports.setdefault(workload, set()).add(reached.port)
                self.http_checked.setdefault(workload, ("Consul", evidence.location))

    def add_health_checks(self) -> None:
        """The registry agent each workload registers with polls its health check: an edge
        from the agent to the port the check names, else to the workload's own port
        (unknown when it is random)."""
        for workload, agents in self.registry_agents.items():
            checked = self.http_checked.get(workload)
            if checked is None:
                continue
            registry, where = checked
            ports = self.checked_ports.get(workload) or {None}
            detail = f"the {registry} agent polls {workload}'s HTTP health check"
            listening = self.listen_ports.get(workload, set())
            for agent in agents:
                for port in ports:
                    called = port if port is not None else self.callee_port(workload, None)
                    if called is None and len(listening) == 1:  # the port its code listens on
                        called = next(iter(listening))
                    evidence = Evidence(EvidenceKind.CONFIG, where, detail)
                    self.builder.add_edge(agent.workload, workload, called, "TCP", evidence)

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
        reached = self.same_registry(owner.workload, self.by_identity(named))
        if reached:
            return [found for r in reached for found in self.registered_instance(owner, r)]
        for variant in name_variants(named.name):
            resolution = self.resolution(owner, Target(variant, named.port, None, "TCP", variant))
            if isinstance(resolution, list) and resolution:
                return [  # several ports and no number: the module's declared port
                    r if r.port is not None else replace(r, port=self.callee_port(r.workload, None))
                    for r in _on_scheme(resolution, named.scheme)
                ]
        return self.by_squashed_name(named)

    def same_registry(self, caller: str, reached: list[Reached]) -> list[Reached]:
        """Of the modules registered under a name, those in a registry the caller looks
        names up in (a Consul client finds no service registered in ZooKeeper under the
        same id); all of them when the caller's or a module's registry is not known, or
        when none is in the caller's."""
        if len(reached) < 2:
            return reached
        families = self.registrations.families
        own = families(caller, self.active_profiles(caller), self.dependencies(caller))
        if not own:
            return reached
        kept = [
            r
            for r in reached
            if not (
                theirs := families(
                    r.workload, self.active_profiles(r.workload), self.dependencies(r.workload)
                )
            )
            or own & theirs
        ]
        return kept or reached

    def registered_instance(self, owner: Context, reached: Reached) -> list[Reached]:
        """The instance a registered name hands out: the app a sidecar registers for
        (``sidecar.hostname``/``sidecar.port``) when it names one, else the workload."""
        said = self.registers_for.get(reached.workload, {})
        host = said.get(REGISTERED_HOST)
        port = said.get(REGISTERED_PORT, "")
        if host is None:
            return [reached]
        number = int(port) if port.isdigit() and 0 < int(port) < 65536 else None
        resolution = self.resolution(owner, Target(host, number, None, "TCP", host))
        if not isinstance(resolution, list) or not resolution:
            return [reached]
        via = f"{reached.via}, which registers {host}:{port or '?'} for its app"
        return [replace(r, via=via) for r in resolution]

    def by_squashed_name(self, named: ServiceName) -> list[Reached]:
        """A registry name written in another case style than the one workload it names
        (``MoviesService`` registered by the compose service ``movies_service``, ``ORDERS``
        by ``orders-api``'s ``OrdersApi``...): names compared without case and separators,
        when exactly one workload matches."""
        wanted = _squash(named.name)
        matched = {
            workload
            for name, workloads in self.service_names().items()
            if _squash(name) == wanted
            for workload in workloads
        }
        if len(matched) != 1:
            return []
        (workload,) = matched
        via = f"{named.label} {named.name!r} is {workload}'s name written another way"
        return [Reached(workload, self.callee_port(workload, named.port), "TCP", via)]

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
        else the port its instance registers, which is the one it listens on: the
        ``server.port`` a config server serves it (remote properties win over the env), else
        ``SERVER_PORT`` in its env, else its one ``server.port`` under its profiles (a compose
        ``ports:`` entry or a ``containerPort`` publishes a port, it does not move the
        listener), else the one port the workload declares."""
        if written is not None:
            return written
        served = self.properties.lookup(workload, "SERVER_PORT", self.active_profiles(workload))
        if served is not None and served.served and served.value.strip().isdigit():
            port = int(served.value.strip())
            if 0 < port < 65536:
                return port
        env = self.full_env(workload)
        given = env.get("SERVER_PORT")
        if given is not None and given.value.strip().isdigit():
            return int(given.value.strip())
        declared = self.declared_ports(workload)
        if len(declared) == 1 and self.properties.has(workload):
            return next(iter(declared))
        ports: set[int] = set()
        if workload in self.workloads:
            ports = {p.container_port for p in self.workloads[workload].ports}
        elif workload in self.compose:
            resolver, service = self.compose[workload]
            ports = set(resolver.service_ports(service))
        elif workload in self.own_units:  # no deployment: the ports its build says
            ports = set(self.units.ports.get(workload, ()))
        declared = self.declared_ports(workload)
        if len(ports) == 1:
            return next(iter(ports))
        if len(declared) == 1 and (not ports or declared <= ports):
            return next(iter(declared))
        return self.framework_port(workload, ports)

    def framework_port(self, workload: str, ports: set[int]) -> int | None:
        """The port the workload's web framework listens on when nothing configures one
        (Spring Boot's 8080), when no config, env or command line may have moved it."""
        from socklock.discover.framework_ports import default_port, framework_of

        framework = framework_of(self.dependencies(workload))
        if framework is None or self.server_ports.get(workload):
            return None
        configured = any(self.properties.sets(workload, key) for key in framework.port_keys)
        return default_port(
            framework,
            configured=configured,
            written=self.run_texts(workload),
            declared={*ports, *(p for u in self.unit_workloads.get(workload, ()) for p in u.ports)},
        )

    def run_texts(self, workload: str) -> list[str]:
        """The env names and values and the command lines the workload runs with (its
        image's, its entry-point scripts' and its deployment's)."""
        texts: list[str] = list(self.scripts.get(workload, ()))
        for env in (self.full_env(workload), self.script_env.get(workload, {})):
            texts.extend(f"{name}={value.value}" for name, value in env.items())
        if workload in self.compose:
            body = self.compose[workload][1].body
            texts.extend(str(body.get(key, "")) for key in ("command", "entrypoint"))
        workload_of = self.workloads.get(workload)
        for container in workload_of.containers if workload_of is not None else ():
            texts.extend(str(value) for value in container.run.values())
        return texts

    def declared_ports(self, workload: str) -> set[int]:
        """The ``server.port`` values of the workload's config under the profiles it runs:
        an active profile's port replaces the default one; an inactive profile's is not."""
        active = self.active_profiles(workload)
        said = self.server_ports.get(workload, set())
        profiled = {port for port, profile in said if profile is not None and profile in active}
        return profiled or {port for port, profile in said if profile is None}


_MAX_NESTING = 8  # properties naming properties: deeper than this is a cycle


def _copies_only(
    final: Sequence[Instruction], dockerfile: Dockerfile, owner: Context, overridden: frozenset[str]
) -> bool:
    """Whether the image's own command, the deployment replacing none of it, only copies
    files (:func:`~socklock.discover.quiet_scripts.copies_only`)."""
    from socklock.discover.quiet_scripts import copies_only

    if any(i.keyword in overridden for i in final if i.keyword in ("CMD", "ENTRYPOINT")):
        return False
    return copies_only(final, Path(dockerfile.path).parent, owner.directory)


def _static_lookup(site: CallSite) -> tuple[Lookup, str] | None:
    """The registry lookup a call site makes, when the service name is written in the
    expression (a name the analyser cut at a run-time piece, ``service/${name}``, is not)."""
    found = lookup_of(site.target)
    if found is None:
        return None
    written = re.search(rf"(?<![\w.\-]){re.escape(found[1])}(?![\w.\-])", site.expression)
    return found if written is not None else None


# the port a scheme's server listens on by default, and the port of the other web scheme
_SCHEME_PORTS = {"http": (80, 443), "https": (443, 80)}


def _on_scheme(reached: list[Reached], scheme: str | None) -> list[Reached]:
    """Of a workload reached on both web ports, the one the scheme asks for: ``http`` is
    not served on 443, nor ``https`` on 80 (the rest, and a lone port, are kept)."""
    if scheme not in _SCHEME_PORTS:
        return reached
    own, other = _SCHEME_PORTS[scheme]
    by_workload: dict[str, set[int | None]] = {}
    for r in reached:
        by_workload.setdefault(r.workload, set()).add(r.port)
    return [r for r in reached if not (r.port == other and own in by_workload[r.workload])]


def _fill(value: str, value_of: Callable[[str, str | None], str | None]) -> str:
    """``value`` with its ``${name:default}`` placeholders filled in."""
    from socklock.discover.code.placeholders import spring_placeholders

    for found in reversed(spring_placeholders(value)):
        filled = value_of(found.name, found.default or None) or ""
        value = value[: found.start] + filled + value[found.end :]
    return value


# Spring Cloud Consul: its discovery starter, and the flags that stop its HTTP health check
_SPRING_CONSUL = "spring.cloud.consul."
_CONSUL_DISCOVERY = "consul-discovery"  # spring-cloud-starter-consul-discovery
_CONSUL_REGISTERS = (
    "enabled",
    "discovery.enabled",
    "discovery.register",
    "discovery.register-health-check",
)
_SPRING_FILE = re.compile(r"^(application|bootstrap)([-.][^/]*)?\.(ya?ml|properties)$", re.I)
# ``-Dspring.profiles.active=docker``, also from a variable: ``=${PROFILE:-docker}``, ``=$P``
_PROFILE_FLAG = re.compile(
    r"spring\.profiles\.active=[\"']?(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9_.,-]+)"
)


_TYPED_CONFIG_SUFFIXES = frozenset({".yml", ".yaml", ".toml", ".json"})
# A unit run from its sources on the host with no profile given runs the one written for
# that run (``application-local.yml``: localhost addresses of the published ports)
_ON_HOST_PROFILES = frozenset({"local"})
_ON_HOST_WHY = "none set, run from its sources on the host: its local profile"


@dataclass(frozen=True, slots=True)
class Profiles:
    active: frozenset[str]
    why: str  # for evidence


def _active_profiles(*sources: dict[str, EnvValue]) -> Profiles:
    def lookup(name: str) -> str | None:
        found = next((env[name] for env in sources if name in env), None)
        return found.value if found is not None else None

    for env in sources:
        found = env.get("SPRING_PROFILES_ACTIVE")
        if found is not None:
            names = frozenset(p.strip() for p in found.value.split(",") if p.strip())
            return Profiles(names, f"SPRING_PROFILES_ACTIVE={found.value} at {found.where}")
        for name, value in env.items():
            flag = _PROFILE_FLAG.search(value.value)
            expanded = expand(flag.group(1), lookup) if flag is not None else None
            if flag is not None and expanded is not None:
                names = frozenset(p.strip("\"' ") for p in expanded[0].split(",") if p)
                via = ", ".join(f"{n}={lookup(n)}" for n in expanded[1])
                why = f"{name} sets {flag.group(0)} at {value.where}" + (f" ({via})" if via else "")
                return Profiles(names - {""}, why)
    return Profiles(frozenset(), "none active (SPRING_PROFILES_ACTIVE is not set): the default")


def _native_servers(
    joiner: _Joiner, declared: Iterable[tuple[str, Declaration]], workloads: Iterable[str]
) -> set[str]:
    """The config servers that run Spring Cloud Config's ``native`` profile: their config
    or their environment activates it, and their build (when known) has the server."""
    said = {workload for workload, r in declared if r.what == NATIVE_PROFILE}
    env = {w for w in workloads if "native" in joiner.profiles(w).active}
    return {
        workload
        for workload in said | env
        if not (found := joiner.dependencies(workload))
        or any("config-server" in d.lower() for d in found)
    }


# the go-micro toolkit's API gateway command line (``/micro api``, ``micro --registry=consul
# api``)
_MICRO_API = re.compile(r"(?:^|[\s/=\[\"'])micro[\"',]*(?:\s+--?[\w.-]+(?:=\S+)?)*\s+[\"']?api\b")


def _dockerfile_env(
    instructions: Sequence[Instruction], args: Mapping[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    for _, name, value in _dockerfile_env_at(instructions, args):
        yield name, value


def _dockerfile_env_at(
    instructions: Sequence[Instruction], args: Mapping[str, str] | None = None
) -> Iterator[tuple[Instruction, str, str]]:
    """The ``ENV`` values, with the references Docker substitutes at build time filled in:
    ``${NAME}`` and ``$NAME`` of an earlier ``ENV`` or ``ARG``, and ``${NAME:-word}``
    (``word`` when NAME is unset). An ``ARG`` takes the build's value for it (``args``:
    compose ``build.args``), else its default. Any other reference is left as written."""
    known: dict[str, str] = {}
    given = args or {}
    for instruction in instructions:
        if instruction.keyword == "ARG":
            for word in words(instruction.value.strip()):
                name, equals, value = word.partition("=")
                if name in given:  # a build arg reaches the ARG the stage declares
                    known[name] = given[name]
                elif equals and name not in known:
                    known[name] = value
            continue
        if instruction.keyword != "ENV":
            continue
        text = instruction.value.strip()
        if "=" not in text.split(maxsplit=1)[0]:
            name, _, value = text.partition(" ")  # legacy ``ENV NAME value``
            pairs = [(name, value.strip().strip('"'))]
        else:
            pairs = [(n, v) for n, _, v in (word.partition("=") for word in words(text))]
        filled = [(name, _build_substitute(value, known)) for name, value in pairs]
        for name, value in filled:  # one ENV's values see the env before it (Docker)
            known[name] = value
            yield instruction, name, value


_BUILD_REFERENCE = re.compile(
    r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)


def _build_substitute(value: str, known: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group("name") or match.group("bare")
        if name in known:
            return known[name]
        if match.group("default") is not None:
            return match.group("default")
        return match.group(0)

    return _BUILD_REFERENCE.sub(replace, value)


def by_name(identities: Identities, target: Target) -> Resolution:
    """A workload of no manifest (a build unit, an Aspire resource) calls by service name."""
    named = identities.lookup(target.host)
    if named is not None:
        port = target.port if target.port is not None else named.port
        scheme = target.text.split("://", 1)[0] if "://" in target.text else ""
        endpoint = identities.endpoint_port(named.workload, scheme)
        if endpoint is not None and not _URL_PORT.match(target.text):
            port = endpoint  # Aspire service discovery: the endpoint the scheme names
        return [Reached(named.workload, port, target.protocol, named.via)]
    if is_ip(target.host) or (target.certain and is_dns_name(target.host)):
        return External(target.host, target.port, target.protocol)
    return NotFound(f"no workload is named {target.host!r}")
