"""Dapr sidecars: the brokers, stores and bindings of the components an app loads, and the
tracing endpoint of its Configuration, are calls of the app's workload (its ``daprd``
sidecar connects to them from the pod).

Kubernetes: a pod annotated ``dapr.io/enabled: "true"`` loads every ``Component``
(``dapr.io/v1alpha1``) of its namespace whose ``scopes`` are empty or list its
``dapr.io/app-id``, and the ``Configuration`` named by ``dapr.io/config``. Compose: a
``daprd`` service (``-app-id``, ``-components-path``/``-resources-path``, ``-config``)
(its command runs ``daprd``, or its image is ``daprd``) reads those files through its
mounts; it runs in the network namespace of the app it serves (``network_mode:
service:<app>``), so its calls are that app's. A compose sidecar with an actor state store
in its scope (``actorStateStore: "true"``: it runs actors, or workflows on them) joins the
placement service its ``-placement-host-address`` names.

Addresses are the component metadata values whose name says they hold one (``redisHost``,
``host`` with ``port``, ``brokers``, ``connectionString``, ``url``...); a value taken from
a secret (``secretKeyRef``) is reported as unknown. A port left out is the component
family's usual one (``state.redis`` 6379, ``pubsub.rabbitmq`` 5672).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from socklock.discover.addresses import DEFAULT_PORTS
from socklock.discover.builder import GraphBuilder
from socklock.discover.infra.values import address
from socklock.discover.names import DAPR_APP_ID
from socklock.discover.proxies.interface import Found, Unknown, items
from socklock.model import Inventory, Location
from socklock.model.document import position_of

_GROUP = "dapr.io"
_ADDRESS_NAME = re.compile(
    r"(host|hosts|brokers|url|uri|endpoint|connectionstring|servers?|address|addr|dsn)$",
    re.IGNORECASE,
)
_FAMILY_PORTS = {"rabbitmq": DEFAULT_PORTS["amqp"], "jetstream": DEFAULT_PORTS["nats"]}
_COMPONENTS_FLAGS = ("components-path", "resources-path")
_PLACEMENT = "Placement"  # the placement service a sidecar with actors joins


@dataclass(frozen=True, slots=True)
class _Resource:
    """A Dapr ``Component`` or ``Configuration`` as loaded (a Kubernetes object or a file)."""

    kind: str
    name: str
    namespace: str
    body: Mapping[str, Any]
    file: str


def add_dapr_evidence(
    inventory: Inventory,
    builder: GraphBuilder,
    aliases: dict[str, str],
    *,
    files: bool = True,
    manifests: bool = True,
) -> None:
    """Edges from the Dapr components and Configurations each Dapr-enabled workload loads:
    Kubernetes objects with ``manifests``, files a compose ``daprd`` mounts with ``files``."""
    from socklock.discover.proxies.join import ProxyJoin

    found = [
        *(_kubernetes(inventory) if manifests else ()),
        *(_compose(inventory, aliases) if files else ()),
    ]
    if not found:
        return
    join = ProxyJoin(inventory, aliases, builder)
    for workload, item, origin in found:
        join.add(workload, item, origin)


def _kubernetes(inventory: Inventory) -> Iterator[tuple[str, Found, str]]:
    resources = [
        _Resource(obj.kind, obj.name, obj.namespace or "default", obj.body, obj.location.file)
        for obj in inventory.objects
        if obj.api_version.split("/", 1)[0] == _GROUP and obj.kind in ("Component", "Configuration")
    ]
    if not resources:
        return
    for workload in inventory.workloads:
        annotations = workload.pod_annotations
        if workload.owner is not None or annotations.get("dapr.io/enabled") != "true":
            continue
        app_id = annotations.get(DAPR_APP_ID) or workload.name
        config = annotations.get("dapr.io/config")
        for resource in resources:
            if resource.namespace != workload.namespace:
                continue
            if resource.kind == "Component" and _in_scope(resource, app_id):
                for item in _component(resource):
                    yield workload.id, item, f"Dapr sidecar of app-id {app_id}"
            elif resource.kind == "Configuration" and resource.name == config:
                for item in _configuration(resource):
                    yield workload.id, item, f"dapr.io/config {config} of app-id {app_id}"


def _compose(inventory: Inventory, aliases: dict[str, str]) -> Iterator[tuple[str, Found, str]]:
    for caller, resource, origin in _compose_resources(inventory, aliases):
        if resource.kind == _PLACEMENT:
            where = Location(resource.file, int(resource.body.get("line") or 1), 1)
            label = "daprd -placement-host-address"
            yield from ((caller, f, origin) for f in address(where, resource.name, {}, label))
        elif resource.kind == "Component":
            for item in _component(resource):
                yield caller, item, origin
        else:
            for item in _configuration(resource):
                yield caller, item, origin


def _compose_resources(
    inventory: Inventory, aliases: dict[str, str]
) -> Iterator[tuple[str, _Resource, str]]:
    """(the app a compose ``daprd`` serves, each Component in its scope and its
    Configuration, which sidecar loads it)."""
    from socklock.discover.proxies.mounts import command_lines, compose_mounts

    commands = command_lines(inventory, aliases)
    for project in inventory.compose_projects:
        mounts = list(compose_mounts(project, aliases))
        for service in project.services:
            sidecar = aliases.get(service.id, service.id)
            words = commands.get(sidecar, [])
            image = (service.image or "").split("@")[0].rsplit("/", 1)[-1].split(":")[0]
            if image != "daprd" and not any(PurePosixPath(w).name == "daprd" for w in words):
                continue
            flags = _flags(words)
            app_id = flags.get("app-id")
            if app_id is None:
                continue
            mode = service.network_mode or ""
            app = f"{project.name}/{mode.removeprefix('service:')}"
            caller = aliases.get(app, app) if mode.startswith("service:") else sidecar
            seen = {m.container: m.host for m in mounts if m.workload == sidecar}
            paths = [flags[f] for f in _COMPONENTS_FLAGS if f in flags]
            actors = False
            for resource in _files(paths, seen, "Component"):
                if _in_scope(resource, app_id):
                    actors = actors or _actor_store(resource)
                    yield caller, resource, f"daprd {sidecar} of app-id {app_id}"
            placement = flags.get("placement-host-address")
            if placement and actors:  # the actor runtime starts: it joins the placement ring
                where = service.location
                yield (
                    caller,
                    _Resource(_PLACEMENT, placement, "", {"line": where.line}, where.file),
                    f"daprd {sidecar} -placement-host-address of app-id {app_id} "
                    "(an actor state store is in its scope)",
                )
            if "config" in flags:
                for resource in _files([flags["config"]], seen, "Configuration"):
                    yield caller, resource, f"daprd {sidecar} -config of app-id {app_id}"


@dataclass(frozen=True, slots=True)
class Secret:
    """One value of a Dapr secret store an app reads its configuration from."""

    value: str
    where: Location


def secret_stores(
    inventory: Inventory, aliases: dict[str, str]
) -> dict[str, dict[str, dict[str, Secret]]]:
    """App → secret store name → key (``ConnectionStrings:CatalogDB``, the store's
    nesting joined by its ``nestedSeparator``, ``:`` by default) → value, for the
    ``secretstores.local.file`` stores a compose ``daprd`` loads (the JSON file it names,
    found through the sidecar's mounts). An app that adds the store to its configuration
    (``AddDaprSecretStore("name")``) reads its keys as it reads its environment."""
    import json

    found: dict[str, dict[str, dict[str, Secret]]] = {}
    mounts = _sidecar_mounts(inventory, aliases)
    for caller, resource, _origin in _compose_resources(inventory, aliases):
        spec = resource.body.get("spec")
        if resource.kind != "Component" or not isinstance(spec, Mapping):
            continue
        if str(spec.get("type", "")) != "secretstores.local.file":
            continue
        metadata = {
            str(m.get("name", "")): m.get("value")
            for m in items(spec.get("metadata"))
            if isinstance(m, Mapping)
        }
        written = metadata.get("secretsFile")
        separator = str(metadata.get("nestedSeparator") or ":")
        if not isinstance(written, str):
            continue
        for host in _mapped(written, mounts.get(caller, {}), Path(resource.file).parent):
            try:
                data = json.loads(host.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            where = Location(str(host), 1, 1)
            values = found.setdefault(caller, {}).setdefault(resource.name, {})
            for key, value in _flattened(data, separator):
                values.setdefault(key, Secret(value, where))
    return found


def _sidecar_mounts(
    inventory: Inventory, aliases: dict[str, str]
) -> dict[str, dict[PurePosixPath, Path]]:
    """App → the bind mounts of its ``daprd`` sidecars (and its own)."""
    from socklock.discover.proxies.mounts import compose_mounts

    by_service: dict[str, dict[PurePosixPath, Path]] = {}
    for project in inventory.compose_projects:
        for mount in compose_mounts(project, aliases):
            by_service.setdefault(mount.workload, {})[mount.container] = mount.host
        for service in project.services:
            mode = service.network_mode or ""
            if mode.startswith("service:"):
                app = f"{project.name}/{mode.removeprefix('service:')}"
                sidecar = aliases.get(service.id, service.id)
                merged = by_service.setdefault(aliases.get(app, app), {})
                for container, host in by_service.get(sidecar, {}).items():
                    merged.setdefault(container, host)
    return by_service


def _mapped(written: str, mounts: Mapping[PurePosixPath, Path], beside: Path) -> list[Path]:
    """The tree file a path inside the sidecar is (through its mounts), or a relative path
    beside the component file (``daprd`` run from the repository)."""
    inside = PurePosixPath(written)
    for container, host in mounts.items():
        if inside.is_relative_to(container):
            target = host / inside.relative_to(container)
            if target.is_file():
                return [target]
    near = beside / inside.name
    return [near] if near.is_file() else []


def _flattened(data: object, separator: str, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield from _flattened(value, separator, f"{prefix}{separator}{key}" if prefix else key)
    elif isinstance(data, str | int | float) and not isinstance(data, bool) and prefix:
        yield prefix, str(data)


def _flags(words: Sequence[str]) -> dict[str, str]:
    """``-app-id x``, ``--app-id x`` and ``--app-id=x`` (daprd accepts all three)."""
    found: dict[str, str] = {}
    for index, word in enumerate(words):
        if not word.startswith("-"):
            continue
        name, sep, value = word.lstrip("-").partition("=")
        if not sep and index + 1 < len(words) and not words[index + 1].startswith("-"):
            value = words[index + 1]
        found.setdefault(name, value)
    return found


def _files(
    paths: Sequence[str], mounts: Mapping[PurePosixPath, Path], kind: str
) -> list[_Resource]:
    """The Dapr resources of ``kind`` in the files (or directories) the sidecar sees at
    ``paths``, mapped to the tree through its bind mounts."""
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.yamlread import Document, load_yaml

    found: list[_Resource] = []
    for written in paths:
        inside = PurePosixPath(written)
        for container, host in mounts.items():
            if not inside.is_relative_to(container):
                continue
            target = host / inside.relative_to(container)
            files = sorted(target.glob("*.y*ml")) if target.is_dir() else [target]
            for file in files:
                try:
                    text = file.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                for document in load_yaml(text, str(file), DEFAULT_LIMITS):
                    body = document.value if isinstance(document, Document) else None
                    if not isinstance(body, Mapping) or body.get("kind") != kind:
                        continue
                    if str(body.get("apiVersion", "")).split("/", 1)[0] != _GROUP:
                        continue
                    meta = body.get("metadata")
                    name = str(meta.get("name", "")) if isinstance(meta, Mapping) else ""
                    found.append(_Resource(kind, name, "", body, str(file)))
    return found


def _actor_store(resource: _Resource) -> bool:
    """Whether a Component is the actor state store (``actorStateStore: "true"``): with one
    loaded, the sidecar runs actors (and workflows, which run on them)."""
    spec = resource.body.get("spec")
    metadata = spec.get("metadata") if isinstance(spec, Mapping) else None
    return any(
        isinstance(m, Mapping)
        and str(m.get("name", "")) == "actorStateStore"
        and str(m.get("value", "")).strip().lower() == "true"
        for m in items(metadata)
    )


def _in_scope(resource: _Resource, app_id: str) -> bool:
    scopes = [str(s) for s in items(resource.body.get("scopes"))]
    return not scopes or app_id in scopes


def _component(resource: _Resource) -> Iterator[Found]:
    spec = resource.body.get("spec")
    if not isinstance(spec, Mapping):
        return
    kind = str(spec.get("type", ""))
    family = kind.split(".", 1)[-1].split(".", 1)[0]
    metadata = [m for m in items(spec.get("metadata")) if isinstance(m, Mapping)]
    port = next(
        (str(m.get("value")) for m in metadata if str(m.get("name", "")).lower() == "port"), ""
    )
    default = int(port) if port.isdigit() else _FAMILY_PORTS.get(family, DEFAULT_PORTS.get(family))
    for entry in metadata:
        name = str(entry.get("name", ""))
        if not _ADDRESS_NAME.search(name):
            continue
        label = f"Dapr component {resource.name} ({kind}) {name}"
        location = _at(resource, entry, "value" if "value" in entry else "name")
        if "secretKeyRef" in entry:
            yield Unknown(location, label, "the value is read from a secret at run time")
            continue
        yield from address(
            location, entry.get("value"), {}, label, name_hint=name, default_port=default
        )


def _configuration(resource: _Resource) -> Iterator[Found]:
    """``spec.tracing``: ``zipkin.endpointAddress`` (a URL), ``otel.endpointAddress``
    (``host:port``)."""
    spec = resource.body.get("spec")
    tracing = spec.get("tracing") if isinstance(spec, Mapping) else None
    for exporter in ("zipkin", "otel"):
        block = tracing.get(exporter) if isinstance(tracing, Mapping) else None
        if isinstance(block, Mapping) and "endpointAddress" in block:
            label = f"Dapr Configuration {resource.name} tracing.{exporter}.endpointAddress"
            location = _at(resource, block, "endpointAddress")
            yield from address(location, block["endpointAddress"], {}, label)


def _at(resource: _Resource, node: Any, key: str) -> Location:
    line, column = position_of(node, key)
    return Location(resource.file, line, column or 1)
