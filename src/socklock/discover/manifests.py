"""The service graph from manifests: env values, ConfigMaps, compose dependencies, entry points.

When the input has both Kubernetes manifests and a compose file for the same application,
the graph speaks of the Kubernetes workloads and the compose file's evidence is attached to
them by service name (a compose call names the callee's container port, as an edge does).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType

from socklock.discover.addresses import (
    Target,
    find_targets,
    redact_credentials,
    with_named_protocol,
    with_sibling_port,
)
from socklock.discover.azure_storage import called_endpoints
from socklock.discover.builder import GraphBuilder
from socklock.discover.built_env import ignores_shared_env
from socklock.discover.commands import command_values
from socklock.discover.conventions import (
    convention_for,
    names_a_plugin,
    sdk_targets,
    switched_rows,
)
from socklock.discover.created_config import Created, created_config
from socklock.discover.image_conventions import ImageRun, compose_run, workload_run
from socklock.discover.migrations import is_migration, may_be_database
from socklock.discover.once import Same, per_run
from socklock.discover.quiet_scripts import compose_line, container_line, quiet_script
from socklock.discover.reads import CodeReads, env_read
from socklock.discover.resolve import (
    ComposeResolver,
    External,
    KubernetesResolver,
    NotFound,
    Reached,
    Resolution,
)
from socklock.discover.server_dials import (
    joined_peers,
    server_dials,
    server_of,
    server_targets,
)
from socklock.discover.siblings import Program
from socklock.model import (
    ComposeEnv,
    ComposeProject,
    ComposeService,
    ConfigMap,
    Container,
    EnvFromKind,
    EnvSource,
    EnvSourceKind,
    Evidence,
    EvidenceKind,
    GraphNode,
    Inventory,
    K8sObject,
    Location,
    NodeKind,
    PortSpec,
    Service,
    ServiceGraph,
    Unresolved,
    Workload,
)

# ``NGINX_PROXY_CONTAINER``, ``DB_CONTAINER_NAME``: the container a program drives through
# the Docker socket (``docker exec``, a signal), not an address it dials
_CONTAINER_NAME = re.compile(r"(?:^|_)CONTAINERS?(?:_NAMES?)?$", re.IGNORECASE)
_TOKEN_SPLIT = re.compile(r"[\s\"'`,;=()\[\]{}<>]+")


def build_manifest_graph(inventory: Inventory) -> ServiceGraph:
    builder = GraphBuilder()
    aliases = add_nodes(inventory, builder)
    add_entry_points(inventory, builder, aliases)
    add_manifest_edges(inventory, builder, aliases)
    return builder.build()


def add_nodes(inventory: Inventory, builder: GraphBuilder) -> dict[str, str]:
    """Every workload becomes a node; return the compose-id → graph-id mapping."""
    for workload in inventory.workloads:
        if workload.owner is None:
            builder.add_node(_workload_node(workload))
    aliases = compose_aliases(inventory)
    for project in inventory.compose_projects:
        resolver = ComposeResolver(project)
        for service in project.services:
            if service.id not in aliases:
                builder.add_node(_compose_node(service, resolver))
    return aliases


def add_entry_points(inventory: Inventory, builder: GraphBuilder, aliases: dict[str, str]) -> None:
    """NodePort/LoadBalancer Services, Ingress backends and compose published ports.

    Exposure belongs to a deployment: a compose service that has a Kubernetes twin is exposed
    as the Kubernetes manifests say, not as a (often local, dev) compose file publishes it.
    """
    _kubernetes_entry_points(inventory, KubernetesResolver(inventory), builder)
    for project in inventory.compose_projects:
        for service in project.services:
            if service.id in aliases:
                continue
            for published in service.ports:
                where = published.host_ip or "all interfaces"
                builder.add_entry_point(
                    service.id,
                    published.target,
                    published.protocol.upper(),
                    Evidence(
                        EvidenceKind.ENTRY,
                        published.location,
                        f"compose publishes {published.published or 'a random port'} → "
                        f"{published.target} on {where}",
                    ),
                )


def add_manifest_edges(
    inventory: Inventory,
    builder: GraphBuilder,
    aliases: dict[str, str],
    reads: CodeReads | None = None,
) -> None:
    """Calls named by env values, ConfigMaps, commands, compose dependencies and Datadog
    Autodiscovery labels.

    ``reads`` (when code was scanned): an env value is a call only if the workload's code
    reads the variable, or an SDK does; without code of the workload, it is kept and its
    evidence says manifest-only.
    """
    resolver = KubernetesResolver(inventory)
    siblings = _WorkloadSettings()
    for workload in inventory.workloads:
        if workload.owner is None:
            _workload_edges(workload, inventory, resolver, builder, reads, siblings)
    for project in inventory.compose_projects:
        _compose_project(project, aliases, builder, reads, inventory.compose_projects)
    from socklock.discover.autodiscovery import add_autodiscovery

    add_autodiscovery(inventory, builder, aliases)


def env_targets(
    name: str, value: str, evidence: Evidence, env: Mapping[str, str]
) -> tuple[list[Target], Evidence]:
    """The addresses an env value names: by an SDK's convention when one reads the variable;
    none when a feature switch beside it is off (:mod:`socklock.discover.switches`)."""
    from socklock.discover.switches import switched_off

    if switched_off(name, env.get) is not None:
        return [], evidence
    convention = convention_for(name)
    if convention is None:
        found = with_sibling_port(find_targets(value, name_hint=name), name, env.get)
        # a name for the Docker API, or of the plugin an SDK loads: a bare one is no host
        if _CONTAINER_NAME.search(name) or names_a_plugin(name):
            found = [t for t in found if t.port is not None or t.scheme is not None]
        return _with_document(with_named_protocol(found, name), value, evidence)
    targets = sdk_targets(convention, name, value, env)
    if targets != find_targets(value, name_hint=name):
        detail = f"{evidence.detail} (port as {convention.sdk} uses it)"
        evidence = Evidence(evidence.kind, evidence.location, detail, evidence.expression)
    return targets, evidence


def _with_document(
    targets: list[Target], value: str, evidence: Evidence
) -> tuple[list[Target], Evidence]:
    """``targets`` and the addresses of the config document the value is, if it is one
    (:func:`socklock.discover.code.config_files.document_addresses`), the keys in the
    evidence."""
    from socklock.discover.code.config_files import document_addresses

    document = document_addresses(value)
    if not document:
        return targets, evidence
    known = {(target.host, target.port) for target in targets}
    for key, address in document:
        for target in find_targets(address, name_hint=key.rsplit(".", 1)[-1]):
            if (target.host, target.port) not in known:
                known.add((target.host, target.port))
                targets = [*targets, target]
    keys = ", ".join(f"{key}={redact_credentials(address)}" for key, address in document)
    detail = f"{evidence.detail} (config document: {keys})"
    return targets, Evidence(evidence.kind, evidence.location, detail, evidence.expression)


def env_calls(
    name: str, value: str, evidence: Evidence, env: Mapping[str, str]
) -> list[tuple[Target, Evidence]]:
    """The addresses an env value names (:func:`env_targets`), and those that a row switched
    on in the same environment reads from it (``DD_AGENT_HOST`` with
    ``DD_RUNTIME_METRICS_ENABLED=true``: DogStatsD, UDP 8125), each with its evidence."""
    switched = switched_rows(name, env.get)
    calls: list[tuple[Target, Evidence]] = []
    if convention_for(name) is not None or not switched:
        targets, found = env_targets(name, value, evidence, env)
        calls += [(target, found) for target in targets]
    for row in switched:
        on = ", ".join(f"{switch}={env[switch]}" for switch in row.when)
        detail = f"{evidence.detail} (read by {row.sdk}: {on})"
        found = Evidence(evidence.kind, evidence.location, detail, evidence.expression)
        calls += [(target, found) for target in sdk_targets(row, name, value, env)]
    return calls


def server_or_env_calls(
    server: str | None, name: str, value: str, evidence: Evidence, env: Mapping[str, str]
) -> list[tuple[Target, Evidence]]:
    """The peers a well-known server dials from its cluster setting ``name`` on the port its
    row of :mod:`server_dials` gives; any other value as :func:`env_calls` reads it."""
    dialled = server_targets(server, name, value, env) if server is not None else None
    if dialled is None:
        return env_calls(name, value, evidence, env)
    detail = f"{evidence.detail} (the {server} server's cluster peers)"
    found = Evidence(evidence.kind, evidence.location, detail, evidence.expression)
    return [(target, found) for target in dialled]


def image_calls(
    run: ImageRun | None, name: str, value: str, evidence: Evidence
) -> list[tuple[Target, Evidence]] | None:
    """The calls a known image makes from env var ``name`` (:mod:`image_conventions`):
    none at all for an idle toolbox image; None when the image's table does not read the
    variable, so the generic reading applies."""
    if run is None:
        return None
    if run.silent:
        return []
    return run.calls(name, value, evidence)


def env_evidence(
    workload: str,
    name: str,
    evidence: Evidence,
    reads: CodeReads | None,
    env: Mapping[str, str] | None = None,
    server: str | None = None,
) -> Evidence | None:
    """The evidence of an env value as a call, or None when the workload's code ignores it
    (``env``: the workload's other variables, for the rows a switch turns on). ``server``:
    the well-known server image the workload runs (:func:`server_of`), which calls only the
    addresses of its replication and cluster settings unless the input has its code. A
    variable that holds a whole config document with addresses (``APP_CONFIG: |``) is the
    program's own configuration, not a peer's address handed to every workload: it counts
    even when no read of it by name is found (the program may be in a language not read)."""
    no_code = reads is None or not reads.has_code(workload)
    if server is not None and name and no_code and not server_dials(server, name):
        return None
    if reads is None or not name:
        return evidence
    note = env_read(reads, workload, name, env)
    if note is None:
        return None
    if not note:
        return evidence
    return Evidence(evidence.kind, evidence.location, evidence.detail + note, evidence.expression)


def others(source: str, resolution: Resolution) -> Resolution | None:
    """An env value that names the workload's own Service is its own address (a ConfigMap
    shared with its clients, the URL it advertises, its init scripts' target): not a call.
    None when nothing else is left."""
    if not isinstance(resolution, list):
        return resolution
    kept = [reached for reached in resolution if reached.workload != source]
    return kept if kept or not resolution else None


def _workload_node(workload: Workload) -> GraphNode:
    return GraphNode(
        id=workload.id,
        kind=NodeKind.WORKLOAD,
        workload_kind=workload.kind,
        labels=workload.labels,  # shared, not copied: read only, one per workload
        ports=tuple(PortSpec(p.container_port, p.protocol.value, p.name) for p in workload.ports),
        location=workload.location,
    )


def add_resolution(
    builder: GraphBuilder,
    source: str,
    target: Target,
    resolution: Reached | External | NotFound | list[Reached],
    evidence: Evidence,
) -> None:
    if isinstance(resolution, NotFound):
        if target.certain:
            builder.unresolved.append(
                Unresolved(source, evidence.location, target.text, resolution.reason)
            )
        return
    if isinstance(resolution, External):
        node = builder.add_external(resolution.host)
        builder.add_edge(source, node, resolution.port, resolution.protocol, evidence)
        return
    # each distinct one once: copies of one workload (the same object in several files)
    # are reached alike and would add the same evidence again
    for reached in dict.fromkeys(resolution) if isinstance(resolution, list) else [resolution]:
        detail = f"{evidence.detail} ({reached.via})"
        builder.add_edge(
            source,
            reached.workload,
            reached.port,
            reached.protocol,
            Evidence(
                evidence.kind, evidence.location, detail, evidence.expression, evidence.confidence
            ),
        )


def env_values(workload: Workload, inventory: Inventory) -> Iterator[tuple[str, str, Evidence]]:
    """(name, value, evidence) of every env value a workload's containers get; a ConfigMap or
    Secret no manifest declares may be one a script creates (:mod:`.created_config`). A
    literal value's ``$(VAR)`` references are expanded as the kubelet does
    (:mod:`.k8s_env`): from the ``envFrom`` keys and the entries before it, then the
    Service variables of the namespace."""
    from socklock.discover.config_copies import config_map_for
    from socklock.discover.k8s_env import expand

    def config_maps(name: str) -> ConfigMap | None:
        return config_map_for(workload, inventory, name)

    created = _created_objects(inventory, workload)
    links = service_links(workload, inventory)
    for container in workload.containers:
        from_sources = list(_env_from(container, config_maps, created))
        defined = {name: value for name, value, _ in from_sources}
        for var in container.env:
            if var.value is not None:
                value = expand(var.value, defined, links) if var.value else var.value
                defined[var.name] = value
                shown = redact_credentials(value)
                if value != var.value:
                    shown += f" (from {redact_credentials(var.value)})"
                yield (
                    var.name,
                    value,
                    Evidence(EvidenceKind.ENV, var.location, f"env {var.name}={shown}"),
                )
            elif var.source is not None and var.source.kind is EnvSourceKind.CONFIG_MAP_KEY:
                config_map = config_maps(var.source.name or "")
                key = var.source.key or ""
                if config_map is not None and key in config_map.data:
                    value = config_map.data[key]
                    defined[var.name] = value
                    yield (
                        var.name,
                        value,
                        Evidence(
                            EvidenceKind.CONFIG_MAP,
                            config_map.data_locations[key],
                            f"env {var.name} from ConfigMap {config_map.name} key {key}="
                            f"{redact_credentials(value)}",
                        ),
                    )
                elif config_map is None:
                    yield from _created_key(created, "ConfigMap", var.name, var.source)
            elif var.source is not None and var.source.kind is EnvSourceKind.SECRET_KEY:
                yield from _created_key(created, "Secret", var.name, var.source)
        yield from from_sources


def service_links(workload: Workload, inventory: Inventory) -> dict[str, str]:
    """The Service environment variables the workload's pods get (none when the pod spec
    sets ``enableServiceLinks: false``)."""
    return {name: value for name, (value, _) in service_link_sources(workload, inventory).items()}


def service_link_sources(
    workload: Workload, inventory: Inventory
) -> Mapping[str, tuple[str, Service]]:
    """:func:`service_links`, each variable with the Service that defines it: code that
    reads ``ORDERS_SERVICE_HOST`` calls that Service."""
    if workload.pod_spec.get("enableServiceLinks") is False:
        return {}
    return _namespace_links(Same(inventory.services), workload.namespace)


@per_run
def _namespace_links(
    services: Same[tuple[Service, ...]], namespace: str
) -> Mapping[str, tuple[str, Service]]:
    """The Service variables of a namespace, made once a run, not once for each of its
    workloads (istio: 462 workloads, each scanning every Service)."""
    from socklock.discover.k8s_env import service_variables_by_service

    return MappingProxyType(service_variables_by_service(services.value, namespace))


def _env_from(
    container: Container,
    config_maps: Callable[[str], ConfigMap | None],
    created: dict[tuple[str, str], Created],
) -> Iterator[tuple[str, str, Evidence]]:
    """(name, value, evidence) of the keys a container's ``envFrom`` sources give
    (``config_maps``: the copy of a ConfigMap of the workload's namespace it reads)."""
    for source in container.env_from:
        kind = "ConfigMap" if source.kind is EnvFromKind.CONFIG_MAP else "Secret"
        config_map = config_maps(source.name)
        if config_map is None or kind == "Secret":
            made = created.get((kind, source.name))
            if made is not None:
                what = f"{kind} {made.name} ({made.how})"
                yield from _env_from_items(source.prefix, made.data, made.locations, what)
            continue
        what = f"ConfigMap {config_map.name}"
        yield from _env_from_items(source.prefix, config_map.data, config_map.data_locations, what)


def _env_from_items(
    prefix: str, data: Mapping[str, str], locations: Mapping[str, Location], what: str
) -> Iterator[tuple[str, str, Evidence]]:
    """Every key an ``envFrom`` brings in from ``what`` (a ConfigMap or Secret), under its
    prefix, with its evidence."""
    for key, value in data.items():
        yield (
            prefix + key,
            value,
            Evidence(
                EvidenceKind.CONFIG_MAP,
                locations[key],
                f"envFrom {what}: {prefix}{key}={redact_credentials(value)}",
            ),
        )


def _created_objects(inventory: Inventory, workload: Workload) -> dict[tuple[str, str], Created]:
    """(kind, name) → the ConfigMaps and Secrets the input's scripts create in the
    workload's namespace (one created with no ``-n`` lands in the script's current
    namespace: any), and those kustomize generators make (:mod:`.kustomize_generated`)."""
    namespace = workload.namespace
    found = {
        (c.kind, c.name): c
        for c in created_config(tuple(inventory.roots))
        if c.namespace in (None, namespace)
    }
    found.update(_generated_objects(inventory, workload))
    return found


def _generated_objects(inventory: Inventory, workload: Workload) -> dict[tuple[str, str], Created]:
    """The generated ConfigMaps and Secrets a workload's env may name: those its rendered
    kustomization made, else those of the kustomizations read as written."""
    from socklock.discover.kustomize_generated import rendered_objects, written_objects
    from socklock.load.kustomize_render import RENDERED

    stream = workload.obj.location.file
    if os.path.basename(stream) == RENDERED:  # noqa: PTH119

        def here(obj: K8sObject) -> bool:
            return bool(obj.location.file == stream and obj.namespace == workload.namespace)

        rendered = [
            *(("Secret", s.obj.name, tuple(s.keys)) for s in inventory.secrets if here(s.obj)),
            *(
                ("ConfigMap", c.obj.name, tuple(c.data))
                for c in inventory.config_maps
                if here(c.obj)
            ),
        ]
        return rendered_objects(os.path.dirname(stream), rendered) if rendered else {}  # noqa: PTH120
    from socklock.discover.proxies import kustomization_files

    return {
        key: made
        for key, made in written_objects(kustomization_files(inventory.roots)).items()
        if made.namespace in (None, workload.namespace)
    }


def _created_key(
    created: dict[tuple[str, str], Created], kind: str, name: str, source: EnvSource
) -> Iterator[tuple[str, str, Evidence]]:
    """The env var a ``secretKeyRef``/``configMapKeyRef`` of a created object gets."""
    made = created.get((kind, source.name or ""))
    key = source.key or ""
    if made is not None and key in made.data:
        value = made.data[key]
        yield (
            name,
            value,
            Evidence(
                EvidenceKind.CONFIG_MAP,
                made.locations[key],
                f"env {name} from {kind} {made.name} ({made.how}) key {key}="
                f"{redact_credentials(value)}",
            ),
        )


def _mounted_config(
    workload: Workload, inventory: Inventory
) -> Iterator[tuple[str, str, Evidence]]:
    """Tokens of ConfigMaps mounted as files: config text that may name a peer. A proxy
    config (nginx, Envoy) is read by its own parser instead (discover/proxies)."""
    from socklock.discover.proxies import is_proxy_config

    names: set[str] = set()
    for volume in workload.volumes or ():  # type: ignore[attr-defined]
        if isinstance(volume, dict) and isinstance(volume.get("configMap"), dict):
            names.add(str(volume["configMap"].get("name")))
    for config_map in inventory.config_maps:
        if config_map.namespace != workload.namespace or config_map.name not in names:
            continue
        for key, value in config_map.data.items():
            if is_proxy_config(key, value):
                continue
            for token in set(_TOKEN_SPLIT.split(value)):
                if ":" in token:
                    yield (
                        key,
                        token,
                        Evidence(
                            EvidenceKind.CONFIG_MAP,
                            config_map.data_locations[key],
                            f"ConfigMap {config_map.name} file {key}: {redact_credentials(token)}",
                        ),
                    )


def _command_lines(workload: Workload, env: dict[str, str]) -> Iterator[tuple[str, str, Evidence]]:
    """Addresses on the containers' command lines (``command`` and ``args``), and the ones
    a wait-for tool on them connects to (:mod:`socklock.discover.waits`)."""
    for container in workload.containers:
        run = container.run
        if not run:
            continue  # no command line: no address on it
        if quiet_script(container_line(run), container.image):
            continue  # a script that only writes files: the addresses it names are text
        whole = [
            str(word)
            for key in ("command", "args")
            if isinstance(line := run.get(key), list)
            for word in line
        ]
        first = "command" if isinstance(run.get("command"), list) else "args"
        at = container.body.key_positions.get(first, (0, 0))
        where = Location(container.location.file, *at)
        yield from wait_evidence(whole, env, where, f"container {container.name}")
        for key in ("command", "args"):
            line = run.get(key)
            if not isinstance(line, list):
                continue
            where = Location(
                container.location.file, *container.body.key_positions.get(key, (0, 0))
            )
            yield from _joins(
                container.image, [str(w) for w in line], env, where, f"{key} of {container.name}"
            )
            for word, value, used in command_values([str(w) for w in line], env):
                via = f" ({', '.join(used)} from env)" if used else ""
                yield (
                    "",
                    value,
                    Evidence(
                        EvidenceKind.COMMAND,
                        where,
                        f"{key} of container {container.name}: {redact_credentials(word)}{via}",
                    ),
                )


def _joins(
    image: str | None, line: str | list[str], env: Mapping[str, str], where: Location, whose: str
) -> list[tuple[str, str, Evidence]]:
    """The peers a server's command line joins (``consul agent -retry-join=consul2``:
    :func:`socklock.discover.server_dials.joined_peers`), each on the port it dials them."""
    return [
        ("", peer, Evidence(EvidenceKind.COMMAND, where, f"{whose}: {word} (joins {peer})"))
        for word, peer in joined_peers(image, line, env)
    ]


def _compose_command(
    line: str | list[str], env: Mapping[str, str], where: Location, whose: str
) -> Iterator[tuple[str, str, Evidence]]:
    """Addresses a compose service's ``command``/``entrypoint`` hands its program as a URL
    word or a ``--flag=host:port`` value (an exporter's ``--mongodb.uri=mongodb://db``)."""
    for word, value, used in command_values(line, env):
        via = f" ({', '.join(used)} from env)" if used else ""
        detail = f"{whose}: {redact_credentials(word)}{via}"
        yield "", value, Evidence(EvidenceKind.COMMAND, where, detail)


def _script_calls(
    project: ComposeProject, service: ComposeService, env: Mapping[str, str]
) -> Iterator[tuple[str, str, Evidence]]:
    """Addresses in the shell script the service's command runs from a bind mount, as on
    its command line (:mod:`socklock.discover.mounted_entry`), each at its script line."""
    from socklock.discover.mounted_entry import mounted_scripts, script_lines

    line = compose_line(service.body)
    if quiet_script(line, service.image):
        return
    for path, text in mounted_scripts(project, service, line):
        for number, command in script_lines(text):
            where = Location(str(path), number, 1)
            whose = f"script {path.name} of compose service {service.name}"
            waited = list(wait_evidence(command, env, where, whose))
            yield from waited
            for call in _compose_command(command, env, where, f"script {path.name}"):
                if call[1] not in {value for _, value, _ in waited}:
                    yield call


def wait_evidence(
    line: str | list[str], env: Mapping[str, str], where: Location, whose: str
) -> Iterator[tuple[str, str, Evidence]]:
    """("", address, evidence) for each address a wait-for tool on ``line`` connects to."""
    from socklock.discover.waits import waits

    for wait in waits(line, env):
        via = f" ({', '.join(wait.used)} from env)" if wait.used else ""
        detail = f"{wait.tool} {redact_credentials(wait.written)} in the command of {whose}{via}"
        yield "", wait.value, Evidence(EvidenceKind.WAIT_FOR, where, detail)


def _storage_clients(reads: CodeReads | None, *ids: str) -> frozenset[str]:
    """The Azure Storage services the workload's build has clients of (empty: unknown)."""
    if reads is None:
        return frozenset()
    return next((reads.storage[i] for i in ids if i in reads.storage), frozenset())


def _workload_edges(
    workload: Workload,
    inventory: Inventory,
    resolver: KubernetesResolver,
    builder: GraphBuilder,
    reads: CodeReads | None,
    siblings: _WorkloadSettings,
) -> None:
    values = list(env_values(workload, inventory))
    env = {name: value for name, value, _ in reversed(values)}
    server = server_of(container.image for container in workload.containers)
    storage = _storage_clients(reads, workload.id)
    run = workload_run(workload, env)
    calls: list[tuple[Target, Evidence, tuple[str, str] | None]] = []
    if workload.containers and all(
        quiet_script(container_line(c.run), c.image) for c in workload.containers
    ):
        values = []  # scripts that only write files hand the addresses on
    for name, value, found in values:
        by_image = image_calls(run, name, value, found)
        if by_image is not None:
            calls += [(target, call, None) for target, call in by_image]
            continue
        evidence = env_evidence(workload.id, name, found, reads, env, server)
        if evidence is not None:
            found_calls = server_or_env_calls(server, name, value, evidence, env)
            setting = (name, value) if len(found_calls) == 1 else None  # not a peer list
            calls += [(target, call, setting) for target, call in found_calls]
    for target, call, setting in calls:
        if not target.is_local and called_endpoints([target], storage):
            resolution = others(workload.id, resolver.resolve(target, workload.namespace))
            if isinstance(resolution, list) and setting is not None:
                resolution = [
                    r
                    for r in resolution
                    if not siblings.own_address(inventory, workload.id, r.workload, setting)
                ]
                if not resolution:
                    continue
            if resolution is not None:
                add_resolution(builder, workload.id, target, resolution, call)
    for target, call in run.defaults(workload.location) if run else ():
        resolution = others(workload.id, resolver.resolve(target, workload.namespace))
        if isinstance(resolution, list):  # a default counts only when its workload exists
            add_resolution(builder, workload.id, target, resolution, call)
    for target, call in run.flagged(workload.location) if run else ():
        resolution = others(workload.id, resolver.resolve(target, workload.namespace))
        if resolution is not None:
            add_resolution(builder, workload.id, target, resolution, call)
    for name, value, evidence in [
        *_mounted_config(workload, inventory),
        # the kubelet expands ``$(VAR)`` on a command line from the container's whole env
        *_command_lines(workload, {**service_links(workload, inventory), **env}),
    ]:
        for target in find_targets(value, name_hint=name):
            if target.is_local:
                continue
            # its own Service in its config or flags is the address it listens on or
            # advertises (an OTLP receiver's ``endpoint: tempo:4317``): not a call
            resolution = others(workload.id, resolver.resolve(target, workload.namespace))
            if resolution is not None:
                add_resolution(builder, workload.id, target, resolution, evidence)


def _kubernetes_entry_points(
    inventory: Inventory, resolver: KubernetesResolver, builder: GraphBuilder
) -> None:
    for service in inventory.services:
        if not service.is_entry_point:
            continue
        for port in service.ports:
            target = Target(service.name, port.port, None, port.protocol.value, service.name)
            resolution = resolver.resolve(target, service.namespace)
            if isinstance(resolution, list):
                for reached in resolution:
                    if reached.port is not None:
                        builder.add_entry_point(
                            reached.workload,
                            reached.port,
                            reached.protocol,
                            Evidence(
                                EvidenceKind.ENTRY,
                                port.location,
                                f"{service.type} Service {service.id} port {port.port}"
                                + (f" nodePort {port.node_port}" if port.node_port else ""),
                            ),
                        )
    from socklock.discover.proxies.routes import add_routes

    add_routes(inventory, resolver, builder)


class _WorkloadSettings:
    """The env each Kubernetes workload is given and the program each workload runs, read
    once when a call needs them (:mod:`socklock.discover.siblings`)."""

    def __init__(self) -> None:
        self._env: dict[str, dict[str, str]] | None = None
        self._programs: dict[str, Program] = {}

    def own_address(
        self, inventory: Inventory, caller: str, callee: str, setting: tuple[str, str]
    ) -> bool:
        from socklock.discover.siblings import own_address, programs

        if self._env is None:
            self._env = {
                w.id: {n: v for n, v, _ in reversed(list(env_values(w, inventory)))}
                for w in inventory.workloads
                if w.owner is None
            }
            self._programs = programs(inventory, {})
        given = self._env.get(callee, {}).get(setting[0])
        return own_address(self._programs, caller, callee, setting, given)


def _compose_own_address(
    project: ComposeProject,
    aliases: dict[str, str],
    environments: Mapping[str, list[ComposeEnv]],
) -> Callable[[str, str, tuple[str, str]], bool]:
    """(caller, callee, setting) → whether the setting is the callee's own address handed
    to another process of its program (:mod:`socklock.discover.siblings`)."""
    from socklock.discover.siblings import compose_program, own_address

    ran: dict[str, Program] = {}
    env: dict[str, dict[str, str]] = {}
    for service in project.services:
        graph_id = aliases.get(service.id, service.id)
        program = compose_program(service)
        if program is not None:
            ran[graph_id] = program
        env[graph_id] = {
            e.name: e.value for e in reversed(environments[service.id]) if e.value is not None
        }

    def check(caller: str, callee: str, setting: tuple[str, str]) -> bool:
        return own_address(ran, caller, callee, setting, env.get(callee, {}).get(setting[0]))

    return check


def compose_environment(service: ComposeService) -> list[ComposeEnv]:
    """The service's ``environment``, then what its ``env_file`` files add (compose's order:
    ``environment`` wins over a file, a later file over an earlier one), then the env files
    it mounts where its program loads them (:mod:`socklock.discover.env_mounts`)."""
    from socklock.discover.env_mounts import mounted_env_files
    from socklock.load.env_templates import env_template

    found = {env.name: env for env in service.environment}
    from_files: dict[str, ComposeEnv] = {}
    for env_file in service.env_files:
        env_file = env_template(env_file) or env_file  # a new clone: the committed template
        from_files.update((e.name, e) for e in _env_file_entries(env_file, service.variables))
    mounted: dict[str, ComposeEnv] = {}
    for env_file in mounted_env_files(service):
        mounted.update((e.name, e) for e in _env_file_entries(env_file))
    return [
        *found.values(),
        *(e for n, e in from_files.items() if n not in found),
        *(e for n, e in mounted.items() if n not in found and n not in from_files),
    ]


@per_run
def _env_file_entries(
    env_file: str, variables: tuple[tuple[str, str], ...] | None = None
) -> tuple[ComposeEnv, ...]:
    """The entries of an env file, the last one of each name; with ``variables`` (the
    project's ``.env``), an ``env_file``'s: compose resolves ``${VAR}`` in its values from
    the lines above, then from the project's variables (``DB_HOST="${MYSQL_HOST}"``). Read
    once per run: every pass asks for each service's environment."""
    from pathlib import Path

    from socklock.discover.code.config_readers import read_dotenv
    from socklock.load.interpolate import Interpolation

    try:
        text = Path(env_file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    seen: dict[str, str] = {}
    found: dict[str, ComposeEnv] = {}
    for entry in read_dotenv(text):
        value = entry.value
        if variables is not None and value is not None and "$" in value:
            value = Interpolation({**dict(variables), **seen}).text(value)
        if value is not None:
            seen[entry.key[0]] = value
        where = Location(env_file, entry.line, entry.column)
        found[entry.key[0]] = ComposeEnv(entry.key[0], value, where)
    return tuple(found.values())


def compose_env_detail(env: ComposeEnv) -> str:
    """``env NAME=value``, and the entry that passed it through from the ``.env``."""
    detail = f"env {env.name}={redact_credentials(env.value or '')}"
    if env.passed_at is not None:
        detail += f" (passed through by {env.passed_at})"
    return detail


def compose_aliases(inventory: Inventory) -> dict[str, str]:
    """compose ``project/service`` → Kubernetes workload id, where the names match uniquely."""
    by_name: dict[str, list[str]] = {}
    for workload in inventory.workloads:
        if workload.owner is None:
            by_name.setdefault(workload.name, []).append(workload.id)
    aliases: dict[str, str] = {}
    for project in inventory.compose_projects:
        for service in project.services:
            found = by_name.get(service.name, [])
            if len(found) == 1:
                aliases[service.id] = found[0]
    return aliases


def _compose_node(service: ComposeService, resolver: ComposeResolver) -> GraphNode:
    return GraphNode(
        id=service.id,
        kind=NodeKind.WORKLOAD,
        workload_kind="compose-service",
        labels={},
        ports=tuple(PortSpec(p) for p in resolver.service_ports(service)),
        location=service.location,
    )


def _compose_project(
    project: ComposeProject,
    aliases: dict[str, str],
    builder: GraphBuilder,
    reads: CodeReads | None = None,
    layered: Sequence[ComposeProject] = (),
) -> None:
    """Edges a compose file names. A call folds into the Kubernetes graph only when both ends
    have a Kubernetes twin; a call to a service that exists only in compose (a dev stack's
    zipkin, say) belongs to that compose deployment and keeps its compose ids. ``layered``:
    the input's compose files, of which those read with this one (``-f a -f b``) count."""
    resolver = ComposeResolver(project, layered)

    def ends(source: ComposeService, target_id: str) -> tuple[str, str]:
        if source.id in aliases and target_id in aliases:
            return aliases[source.id], aliases[target_id]
        if source.id in aliases:
            builder.add_node(_compose_node(source, resolver))
        return source.id, target_id

    # each service's env as compose resolves it (its env_files read once)
    environments = {service.id: compose_environment(service) for service in project.services}
    own_address = _compose_own_address(project, aliases, environments)

    def add_call(
        service: ComposeService,
        target: Target,
        evidence: Evidence,
        setting: tuple[str, str] | None = None,
    ) -> None:
        """``setting``: the env var (name, value) that names the target."""
        if target.is_local and service.network_mode != "host":
            return  # the container itself
        found = resolver.on_host(target) if target.is_local else resolver.resolve(target, service)
        if target.is_local and not isinstance(found, list):
            return  # nothing of the project on the host's port: maybe the host's own
        resolution = others(service.id, found)
        if resolution is None:
            return
        if not isinstance(resolution, list):
            add_resolution(
                builder, aliases.get(service.id, service.id), target, resolution, evidence
            )
            return
        for reached in resolution:
            caller, callee = ends(service, reached.workload)
            if caller == callee:
                continue  # its own name or listen address (see ``others``)
            if setting is not None and own_address(caller, callee, setting):
                continue  # the callee's own address, given to its other processes
            add_resolution(
                builder,
                caller,
                target,
                [Reached(callee, reached.port, reached.protocol, reached.via)],
                evidence,
            )

    for service in project.services:
        source = aliases.get(service.id, service.id)
        environment = environments[service.id]
        values = {env.name: env.value for env in environment if env.value is not None}
        server = server_of([service.image])
        storage = _storage_clients(reads, source, service.id)
        run = compose_run(service, values)
        quiet = quiet_script(compose_line(service.body), service.image)
        migration = is_migration(service, project)  # calls its database alone
        for env in environment:
            if env.value is None or quiet:
                continue  # a script that only writes files hands the address on
            found = Evidence(EvidenceKind.ENV, env.location, compose_env_detail(env))
            calls = image_calls(run, env.name, env.value, found)
            setting: tuple[str, str] | None = None  # an address the variable alone names
            if calls is None:
                evidence = env_evidence(source, env.name, found, reads, values, server)
                if evidence is None or (
                    reads is not None
                    and not reads.has_code(source)
                    and ignores_shared_env(service, project, env.name, env.location.file)
                ):
                    continue
                calls = server_or_env_calls(server, env.name, env.value, evidence, values)
                setting = (env.name, env.value) if len(calls) == 1 else None
            for target, call in calls:
                if migration and not may_be_database(target):
                    continue
                if called_endpoints([target], storage):
                    add_call(service, target, call, setting)
        for target, call in run.defaults(service.location) if run else ():
            if isinstance(resolver.resolve(target, service), list):  # its workload exists
                add_call(service, target, call)
        for target, call in run.flagged(service.location) if run else ():
            add_call(service, target, call)
        for key in ("entrypoint", "command"):
            line = service.body.get(key)
            if quiet:
                break  # it writes the addresses on its command line into files
            if isinstance(line, (str, list)):
                at = service.body.key_position(key)
                where = Location(service.location.file, *at) if at else service.location
                waited = list(
                    wait_evidence(line, values, where, f"compose service {service.name} ({key})")
                )
                handed = [
                    call
                    for call in _compose_command(line, values, where, f"{key} of {service.name}")
                    if call[1] not in {value for _, value, _ in waited}
                ]
                handed += _joins(service.image, line, values, where, f"{key} of {service.name}")
                for _, value, evidence in [*waited, *handed]:
                    for target in find_targets(value):
                        add_call(service, target, evidence)
        for _, value, evidence in _script_calls(project, service, values):
            for target in find_targets(value):
                add_call(service, target, evidence)
        for dependency in service.dependencies:
            callee_service = resolver.by_name.get(dependency.service.lower())
            if callee_service is None:
                builder.unresolved.append(
                    Unresolved(
                        source,
                        dependency.location,
                        dependency.service,
                        f"{dependency.kind} names no service of project {project.name!r}",
                    )
                )
                continue
            caller, callee = ends(service, callee_service.id)
            known = resolver.service_ports(callee_service)
            port = known[0] if len(known) == 1 else None
            kind = EvidenceKind.DEPENDS_ON if dependency.kind == "depends_on" else EvidenceKind.LINK
            builder.add_edge(
                caller,
                callee,
                port,
                "TCP",
                Evidence(kind, dependency.location, f"{dependency.kind}: {dependency.service}"),
            )
