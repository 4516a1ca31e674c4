"""Which workload runs a proxy config: the one that mounts it, or whose build context holds it.

Compose bind mounts (``./nginx.conf:/etc/nginx/nginx.conf:ro``, a directory, or the long
syntax) and ``configs:`` backed by a file give the file to the service that mounts it,
wherever it sits in the tree. A mounted file the repository does not commit (a setup step
writes it) is its committed template (``Caddyfile.template``, ``nginx.conf.example``), as
for env files. A
Kubernetes ConfigMap mounted as a volume gives its values to the workload as files.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from socklock.discover.proxies.interface import items
from socklock.load.env_templates import env_template
from socklock.model import ComposeProject, ComposeService, ConfigMap, Inventory, Workload


@dataclass(frozen=True, slots=True)
class Mount:
    """``host`` (a file or directory of the tree) is seen at ``container`` by ``workload``."""

    workload: str
    host: Path
    container: PurePosixPath


def compose_mounts(project: ComposeProject, aliases: dict[str, str]) -> Iterator[Mount]:
    base = Path(project.file).parent
    for service in project.services:
        for volume in service.volumes:
            source: str | None = None
            target: str | None = None
            if isinstance(volume, str):
                parts = volume.split(":")
                if len(parts) >= 2 and parts[0].startswith((".", "/", "~")):
                    source, target = parts[0], parts[1]
            elif volume.get("type") == "bind":
                source, target = volume.get("source"), volume.get("target")
            if not isinstance(source, str) or not isinstance(target, str):
                continue
            host = Path(os.path.normpath(base / Path(source).expanduser()))
            if base.is_relative_to(host) and host != base:
                continue  # the host's filesystem above the project (``/:/hostfs``), not its files
            host = _committed(_beside_service(host, base, source, service))
            yield Mount(aliases.get(service.id, service.id), host, PurePosixPath(target))
        yield from _configs(project, service, base, aliases.get(service.id, service.id))


def _beside_service(host: Path, base: Path, source: str, service: ComposeService) -> Path:
    """``host``, or the same relative path beside the file that defines the service when
    only that one exists: a file of another directory joined with ``-f`` (or included) is
    written to run from its own directory (``./collector.yaml`` beside it), and a missing
    bind source would only be an empty directory."""
    own = Path(service.location.file).parent
    if host.exists() or own == base or Path(source).is_absolute():
        return host
    beside = Path(os.path.normpath(own / Path(source).expanduser()))
    return beside if beside.exists() else host


def _configs(
    project: ComposeProject, service: ComposeService, base: Path, workload: str
) -> Iterator[Mount]:
    """``configs:`` of a service whose top-level definition is a ``file:`` (mounted at
    ``target``, by default ``/<name>``)."""
    defined = project.body.get("configs")
    for entry in items(service.body.get("configs")):
        name, target = (entry, None) if isinstance(entry, str) else (None, None)
        if isinstance(entry, dict):
            name, target = entry.get("source"), entry.get("target")
        definition = defined.get(name) if isinstance(defined, dict) and name else None
        file = definition.get("file") if isinstance(definition, dict) else None
        if isinstance(file, str):
            host = _committed(Path(os.path.normpath(base / Path(file).expanduser())))
            yield Mount(workload, host, PurePosixPath(str(target or f"/{name}")))


def _committed(host: Path) -> Path:
    """``host``, or its committed template when ``host`` is missing from the tree: a setup
    step writes it from the template (``cp Caddyfile.template Caddyfile``), so the
    template's contents are what the repository documents."""
    if host.exists() or not host.parent.is_dir():
        return host
    template = env_template(str(host))
    return Path(template) if template is not None else host


def mounted_by(path: Path, mounts: list[Mount]) -> list[Mount]:
    """The mounts through which a workload sees ``path``."""
    real = path.resolve()
    return [m for m in mounts if real.is_relative_to(m.host.resolve())]


def config_map_volumes(workload: Workload) -> dict[str, tuple[str, ...]]:
    """ConfigMaps a workload mounts as volumes (``configMap`` or ``projected`` sources) →
    the paths its containers mount them at."""
    names: dict[str, set[str]] = {}  # ConfigMap → volume names
    for volume in items(workload.volumes):
        if not isinstance(volume, dict):
            continue
        volume_name = str(volume.get("name"))
        if isinstance(volume.get("configMap"), dict):
            names.setdefault(str(volume["configMap"].get("name")), set()).add(volume_name)
        projected = volume.get("projected")
        for item in items(projected.get("sources") if isinstance(projected, dict) else None):
            if isinstance(item, dict) and isinstance(item.get("configMap"), dict):
                names.setdefault(str(item["configMap"].get("name")), set()).add(volume_name)
    return {
        name: tuple(
            mount.mount_path
            for container in workload.containers
            for mount in container.volume_mounts
            if mount.name in volumes
        )
        for name, volumes in names.items()
    }


def mounted_config_maps(
    workload: Workload, inventory: Inventory
) -> Iterator[tuple[ConfigMap, tuple[str, ...]]]:
    """ConfigMaps of the input a workload mounts, with the paths they are mounted at: of
    several copies of one name, the nearest (:mod:`socklock.discover.config_copies`)."""
    from socklock.discover.config_copies import config_maps_for, in_input_order

    volumes = config_map_volumes(workload)
    read = [c for name in volumes for c in config_maps_for(workload, inventory, name)]
    for config_map in in_input_order(inventory, read):
        yield config_map, volumes[config_map.name]


def command_lines(inventory: Inventory, aliases: dict[str, str]) -> dict[str, list[str]]:
    """The words of each workload's command line (``command`` and ``args``): a program such
    as the OpenTelemetry Collector loads the config files its flags name. Compose files of
    one project override a service's ``command``: the file that defines its image or build
    is the base, the others are applied over it in name order, the last one wins."""
    found: dict[str, list[str]] = {}
    for workload in inventory.workloads:
        if workload.owner is None:
            found[workload.id] = [
                str(word)
                for container in workload.containers
                for key in ("command", "args")
                for word in items(container.run.get(key))
            ]
    layers: dict[str, list[tuple[bool, str, list[str]]]] = {}
    for project in inventory.compose_projects:
        for service in project.services:
            command = service.body.get("command")
            words = _words(command) if isinstance(command, str) else list(map(str, items(command)))
            if not words:
                continue
            base = bool(service.image or service.build_context)
            layers.setdefault(aliases.get(service.id, service.id), []).append(
                (not base, project.file, words)
            )
    for name, defined in layers.items():
        found[name] = sorted(defined, key=lambda layer: layer[:2])[-1][2]
    return found


def words_of(command: object) -> list[str]:
    """The words of a compose ``command`` (a string is split as a shell would)."""
    if isinstance(command, str):
        return _words(command)
    return list(map(str, items(command)))


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command, posix=True)
    except ValueError:  # an unbalanced quote: compose would refuse it too
        return command.split()
