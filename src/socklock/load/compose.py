"""docker-compose files (the Compose Specification) → :class:`ComposeProject`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from socklock.load.fields import FieldReader
from socklock.load.names import compose_project_error
from socklock.model import (
    ComposeEnv,
    ComposeNetwork,
    ComposeProject,
    ComposeService,
    Dependency,
    Diagnostic,
    Location,
    PublishedPort,
    YMap,
)
from socklock.model.document import is_reset, position_of

_PORT_SHORT = re.compile(
    r"^(?:(?:(?P<ip>\[[0-9a-fA-F:]+\]|[0-9.]+|[^:]*):)?(?P<published>[0-9]+(?:-[0-9]+)?)?:)?"
    r"(?P<target>[0-9]+)(?:-(?P<target_end>[0-9]+))?(?:/(?P<protocol>tcp|udp|sctp))?$"
)


def is_compose(value: Any, *, file_name: str = "") -> bool:
    """A document that is a compose file: top-level ``services`` mapping, no Kubernetes kind,
    and services that say what they run with a key of the Compose specification (an Azure
    Developer CLI ``azure.yaml`` also has ``name`` and ``services``, whose entries hold
    ``project``, ``language`` and ``host``: not a compose file). A top-level key compose
    refuses (a GitHub Action's ``runs``) says the file is another tool's, unless its name
    (``file_name``) says it is a compose file."""
    if not isinstance(value, dict) or "kind" in value:
        return False
    services = value.get("services")
    if not isinstance(services, dict):
        return False
    if _foreign_top_level_key(value) and not is_compose_file_name(file_name):
        return False
    bodies = [body for body in services.values() if isinstance(body, dict)]
    return not services or any(not _COMPOSE_SERVICE_KEYS.isdisjoint(body) for body in bodies)


# The top-level keys of the Compose specification (compose-spec.json: ``additionalProperties``
# is false, bar ``x-`` extensions): compose refuses a file with any other
_COMPOSE_TOP_LEVEL_KEYS = frozenset(
    {
        "version",
        "name",
        "include",
        "services",
        "models",
        "networks",
        "volumes",
        "secrets",
        "configs",
    }
)


def _foreign_top_level_key(value: dict[Any, Any]) -> bool:
    return any(
        not (isinstance(key, str) and (key in _COMPOSE_TOP_LEVEL_KEYS or key.startswith("x-")))
        for key in value
    )


# The keys of a service in the Compose specification (services.md): a services mapping with
# none of them in any service is another tool's file
_COMPOSE_SERVICE_KEYS = frozenset(
    [
        "annotations",
        "attach",
        "blkio_config",
        "build",
        "cap_add",
        "cap_drop",
        "cgroup",
        "cgroup_parent",
        "command",
        "configs",
        "container_name",
        "cpu_count",
        "cpu_percent",
        "cpu_shares",
        "cpu_period",
        "cpu_quota",
        "cpu_rt_runtime",
        "cpu_rt_period",
        "cpus",
        "cpuset",
        "credential_spec",
        "depends_on",
        "deploy",
        "develop",
        "device_cgroup_rules",
        "devices",
        "dns",
        "dns_opt",
        "dns_search",
        "domainname",
        "driver_opts",
        "entrypoint",
        "env_file",
        "environment",
        "expose",
        "extends",
        "external_links",
        "extra_hosts",
        "gpus",
        "group_add",
        "healthcheck",
        "hostname",
        "image",
        "init",
        "ipc",
        "isolation",
        "labels",
        "label_file",
        "links",
        "logging",
        "mac_address",
        "mem_limit",
        "mem_reservation",
        "mem_swappiness",
        "memswap_limit",
        "models",
        "network_mode",
        "networks",
        "oom_kill_disable",
        "oom_score_adj",
        "pid",
        "pids_limit",
        "platform",
        "ports",
        "post_start",
        "pre_stop",
        "privileged",
        "profiles",
        "provider",
        "pull_policy",
        "read_only",
        "restart",
        "runtime",
        "scale",
        "secrets",
        "security_opt",
        "shm_size",
        "stdin_open",
        "stop_grace_period",
        "stop_signal",
        "storage_opt",
        "sysctls",
        "tmpfs",
        "tty",
        "ulimits",
        "use_api_socket",
        "user",
        "userns_mode",
        "uts",
        "volumes",
        "volumes_from",
        "working_dir",
    ]
)


_COMPOSE_FILE_NAME = re.compile(r"^(?:docker-)?compose(?:[._-][^/]*)?\.ya?ml$", re.IGNORECASE)
_SERVICE_KEYS = frozenset({"image", "build", "extends"})


def is_compose_file_name(name: str) -> bool:
    """``docker-compose.yml``, ``compose.yaml``, ``docker-compose.prod.yml``, ..."""
    return _COMPOSE_FILE_NAME.match(name) is not None


def is_compose_include(value: Any) -> bool:
    """A compose file whose services all come from top-level ``include`` (no ``services``)."""
    return (
        isinstance(value, dict)
        and "services" not in value
        and "kind" not in value
        and isinstance(value.get("include"), list)
        and bool(value["include"])
    )


def is_compose_v1(value: Any) -> bool:
    """A version-1 compose file: services at the top level, each with an image or a build."""
    if not isinstance(value, dict) or not value or "services" in value or "kind" in value:
        return False
    services = [v for k, v in value.items() if k != "version"]
    return bool(services) and all(
        isinstance(body, dict) and not _SERVICE_KEYS.isdisjoint(body) for body in services
    )


def project_name(value: YMap, file: str) -> str:
    """The top-level ``name`` when it is a valid project name, else the directory's name
    normalised as Compose does (lowercase; only ``a-z0-9_-``; no leading ``_`` or ``-``)."""
    name = value.get("name")
    if isinstance(name, str) and name and "$" not in name and compose_project_error(name) is None:
        return name
    directory = PurePosixPath(file).parent.name or "default"
    return re.sub(r"[^a-z0-9_-]", "", directory.lower()).lstrip("_-") or "default"


def load_compose(
    value: YMap,
    file: str,
    service_files: Mapping[str, str] | None = None,
    dotenv: Mapping[str, Mapping[str, ComposeEnv]] | None = None,
) -> tuple[ComposeProject, list[Diagnostic]]:
    """The project of a compose document; ``service_files`` names the file each service was
    written in when it is not ``file`` (an ``include``d file); ``dotenv``, by service name,
    the variables its pass-through ``environment`` entries take (the project's ``.env``)."""
    name = project_name(value, file)
    diagnostics: list[Diagnostic] = []
    given = value.get("name")
    if isinstance(given, str) and given and "$" not in given:
        problem = compose_project_error(given)
        if problem is not None:
            line, column = position_of(value, "name")
            diagnostics.append(
                Diagnostic(
                    Location(file, line, column),
                    f"compose name {given!r} is invalid: {problem}; using {name!r}",
                )
            )
    networks: dict[str, ComposeNetwork] = {}
    top_reader = FieldReader(file, f"compose project {name}")
    raw_networks = top_reader.mapping(value, "networks") or YMap()
    for net_name, spec in raw_networks.items():
        spec = spec if isinstance(spec, dict) else {}
        networks[str(net_name)] = ComposeNetwork(
            name=str(net_name),
            internal=spec.get("internal") is True,
            external=bool(spec.get("external")),
            location=top_reader.location(raw_networks, net_name),
        )
    services: list[ComposeService] = []
    raw_services = value["services"]
    for service_name, body in raw_services.items():
        source = (service_files or {}).get(str(service_name), file)
        reader = FieldReader(source, f"compose service {service_name}")
        if is_reset(body):
            continue  # ``!reset``: the service is removed (a file read on its own removes it too)
        if not isinstance(body, YMap):
            if body is None:
                body = YMap()
                body.position = raw_services.key_positions.get(service_name, (0, 0))
            else:
                reader.error(raw_services, service_name, "service must be a mapping")
                diagnostics.extend(reader.diagnostics)
                continue
        passed = (dotenv or {}).get(str(service_name), {})
        services.append(
            _service(str(service_name), name, body, PurePosixPath(source).parent, reader, passed)
        )
        diagnostics.extend(reader.diagnostics)
    diagnostics.extend(top_reader.diagnostics)
    return ComposeProject(name, file, tuple(services), networks, value), diagnostics


def _service(
    name: str,
    project: str,
    body: YMap,
    base: PurePosixPath,
    reader: FieldReader,
    dotenv: Mapping[str, ComposeEnv],
) -> ComposeService:
    build = body.get("build")
    context: str | None = None
    dockerfile: str | None = None
    if isinstance(build, str):
        context = str(base / build)
    elif isinstance(build, dict):
        context = str(base / str(build.get("context", ".")))
        dockerfile = build.get("dockerfile")
    ports = tuple(
        p
        for p in (
            _published(raw, i, body, reader) for i, raw in enumerate(_list(body, "ports", reader))
        )
        if p is not None
    )
    expose: list[int] = []
    for raw in _list(body, "expose", reader):
        # compose accepts a ``ports``-style "1616:1616" here too (its schema's expose
        # format checks nothing): the container side is what it exposes
        text = str(raw).split("/")[0].rsplit(":", 1)[-1]
        start, _, end = text.partition("-")
        if start.isdigit():
            expose.extend(range(int(start), int(end or start) + 1))
        else:
            reader.error(body, "expose", f"expose entry {raw!r} is not a port")
    deploy = body.get("deploy") if isinstance(body.get("deploy"), dict) else {}
    limits = (
        ((deploy.get("resources") or {}).get("limits") or {}) if isinstance(deploy, dict) else {}
    )
    memory = limits.get("memory") if isinstance(limits, dict) else None
    memory = memory or body.get("mem_limit")
    networks_raw = body.get("networks")
    if isinstance(networks_raw, dict | list):
        networks = tuple(str(n) for n in networks_raw)
    else:
        networks = ("default",)
    env_files_raw = body.get("env_file")
    env_files: list[str] = []
    for entry in [env_files_raw] if isinstance(env_files_raw, str) else (env_files_raw or []):
        path = entry.get("path") if isinstance(entry, dict) else entry
        if isinstance(path, str):
            env_files.append(str(base / path))
    return ComposeService(
        name=name,
        project=project,
        image=reader.text(body, "image"),
        build_context=context,
        dockerfile=dockerfile,
        ports=ports,
        expose=tuple(expose),
        environment=_environment(body, reader, dotenv),
        env_files=tuple(env_files),
        dependencies=_dependencies(body, reader),
        networks=networks,
        network_mode=reader.text(body, "network_mode"),
        user=str(body["user"]) if body.get("user") is not None else None,
        read_only=reader.cast_flag(body, "read_only"),
        cap_add=tuple(str(c) for c in _list(body, "cap_add", reader)),
        cap_drop=tuple(str(c) for c in _list(body, "cap_drop", reader)),
        privileged=reader.cast_flag(body, "privileged"),
        security_opt=tuple(str(s) for s in _list(body, "security_opt", reader)),
        pid=reader.text(body, "pid"),
        ipc=reader.text(body, "ipc"),
        volumes=tuple(v for v in _list(body, "volumes", reader) if isinstance(v, str | YMap)),
        healthcheck=reader.mapping(body, "healthcheck"),
        memory_limit=str(memory) if memory is not None else None,
        body=body,
        location=reader.location(body),
        variables=tuple((k, e.value) for k, e in dotenv.items() if e.value is not None),
    )


def _list(body: YMap, key: str, reader: FieldReader) -> list[Any]:
    value = body.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    reader.error(body, key, f"{key} must be a list")
    return []


def _published(raw: Any, index: int, body: YMap, reader: FieldReader) -> PublishedPort | None:
    ports = body["ports"]
    where = reader.location(ports, index)
    if isinstance(raw, dict):
        target = raw.get("target")
        if isinstance(target, str) and target.isdigit():
            target = int(target)  # "${PORT}" after substitution
        if not isinstance(target, int) or isinstance(target, bool):
            reader.error(ports, index, "ports entry needs a numeric target")
            return None
        published = raw.get("published")
        return PublishedPort(
            target,
            target,
            str(published) if published is not None else None,
            raw.get("host_ip"),
            str(raw.get("protocol", "tcp")),
            where,
        )
    match = _PORT_SHORT.match(str(raw))
    if match is None:
        reader.error(ports, index, f"ports entry {raw!r} is not HOST:CONTAINER[/PROTO]")
        return None
    target = int(match["target"])
    ip = match["ip"]
    return PublishedPort(
        target=target,
        target_end=int(match["target_end"] or target),
        published=match["published"],
        host_ip=ip.strip("[]") if ip else None,
        protocol=match["protocol"] or "tcp",
        location=where,
    )


def _environment(
    body: YMap, reader: FieldReader, dotenv: Mapping[str, ComposeEnv]
) -> tuple[ComposeEnv, ...]:
    """The ``environment`` entries; one without a value takes the ``.env``'s (Compose spec:
    "the value in the shell or the environment files"; the shell is not read)."""
    raw = body.get("environment")
    entries: list[tuple[str, str | None, Location]] = []
    if isinstance(raw, dict):
        for key, value in raw.items():
            entries.append(
                (str(key), None if value is None else str(value), reader.location(raw, key))
            )
    elif isinstance(raw, list):
        for i, item in enumerate(raw):
            key, sep, value = str(item).partition("=")
            entries.append((key, value if sep else None, reader.location(raw, i)))
    elif raw is not None:
        reader.error(body, "environment", "environment must be a list or a mapping")
    out: list[ComposeEnv] = []
    for key, value, where in entries:
        given = dotenv.get(key) if value is None else None
        if given is not None:
            out.append(ComposeEnv(key, given.value, given.location, passed_at=where))
        else:
            out.append(ComposeEnv(key, value, where))
    return tuple(out)


def _dependencies(body: YMap, reader: FieldReader) -> tuple[Dependency, ...]:
    out: list[Dependency] = []
    depends = body.get("depends_on")
    if isinstance(depends, dict):
        for name, spec in depends.items():
            condition = spec.get("condition") if isinstance(spec, dict) else None
            out.append(
                Dependency(str(name), "depends_on", condition, None, reader.location(depends, name))
            )
    elif isinstance(depends, list):
        for i, name in enumerate(depends):
            out.append(Dependency(str(name), "depends_on", None, None, reader.location(depends, i)))
    elif depends is not None:
        reader.error(body, "depends_on", "depends_on must be a list or a mapping")
    links = body.get("links")
    for i, link in enumerate(links if isinstance(links, list) else []):
        service, _, alias = str(link).partition(":")
        out.append(Dependency(service, "links", None, alias or None, reader.location(links, i)))
    return tuple(out)


__all__ = [
    "Location",
    "is_compose",
    "is_compose_file_name",
    "is_compose_include",
    "is_compose_v1",
    "load_compose",
]
