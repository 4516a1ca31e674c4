"""Datadog Autodiscovery: the agent runs a check against the container that asks for it.

A compose service's labels (``com.datadoghq.ad.check_names`` + ``com.datadoghq.ad.instances``,
or ``com.datadoghq.ad.checks``) or a pod's annotations (``ad.datadoghq.com/<container>.
check_names`` + ``.instances``, or ``.checks``) give check instances whose addresses name
``%%host%%``: the labelled container. The Datadog agent (a workload running a Datadog agent
image) connects to it, at the instance's port (``"port": 5432``, ``http://%%host%%:81/``) or
at ``%%port%%`` (the container's highest port; ``%%port_0%%`` the lowest, ``%%port_<name>%%``
a named one). Without an agent in the input, or an instance whose port is unknown, there is
no call (fail closed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from socklock.discover.addresses import find_targets
from socklock.discover.builder import GraphBuilder
from socklock.model import ComposeService, Evidence, EvidenceKind, Inventory, Location, Workload
from socklock.model.document import YMap

_AGENT_IMAGE = re.compile(r"(?:^|/)[^/]*datadog[^/]*/(?:agent|docker-dd-agent)(?:[:@]|$)", re.I)
_DOCKER = "com.datadoghq.ad."
_POD = "ad.datadoghq.com/"
_HOST = re.compile(r"%%host(?:_[A-Za-z0-9_-]+)?%%")
_PORT = re.compile(r"%%port(?:_(?P<which>[A-Za-z0-9_-]+))?%%")
_HERE = "ad-host.invalid"  # stands for %%host%% while the address is parsed


@dataclass(frozen=True, slots=True)
class Check:
    """One address of a check instance: the port the agent connects to."""

    name: str  # the check (postgres, redisdb, nginx)
    port: int
    written: str  # the instance's address as written


def is_agent_image(image: str | None) -> bool:
    """A Datadog agent image (``datadog/agent``, ``gcr.io/datadoghq/agent``,
    ``registry.datadoghq.com/agent``, the legacy ``datadog/docker-dd-agent``)."""
    return bool(image) and _AGENT_IMAGE.search(image or "") is not None


def checks(
    settings: Mapping[str, str], prefix: str, ports: list[int], named: Mapping[str, int]
) -> list[Check]:
    """The addresses of the check instances ``settings`` (labels or annotations, keys after
    ``prefix``) give, with ``ports`` (the container's) and ``named`` ports for ``%%port%%``."""
    out: list[Check] = []
    for name, instance in _instances(settings, prefix):
        for written in _strings(instance):
            port = _port(written, instance, ports, named)
            if port is not None:
                out.append(Check(name, port, written))
    return out


def _load(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _instances(settings: Mapping[str, str], prefix: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(check name, instance) of the v2 ``checks`` form, else of the v1 pair of lists."""
    v2 = _load(settings.get(f"{prefix}checks"))
    if isinstance(v2, dict):
        for name, check in v2.items():
            found = check.get("instances") if isinstance(check, dict) else None
            for instance in found if isinstance(found, list) else ():
                if isinstance(instance, dict):
                    yield str(name), instance
        return
    names = _load(settings.get(f"{prefix}check_names"))
    instances = _load(settings.get(f"{prefix}instances"))
    if isinstance(names, list) and isinstance(instances, list):
        for name, instance in zip(names, instances, strict=False):
            if isinstance(instance, dict):
                yield str(name), instance


def _strings(value: Any) -> Iterator[str]:
    """Every string of an instance that names ``%%host%%``."""
    if isinstance(value, str):
        if _HOST.search(value):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _port(
    written: str, instance: dict[str, Any], ports: list[int], named: Mapping[str, int]
) -> int | None:
    """The port the address ``written`` names: its own, else the instance's ``port``."""
    filled = _fill_ports(_HOST.sub(_HERE, written), ports, named)
    if filled is None:
        return None
    text = filled
    if text == _HERE:  # a bare host: the instance's "port" says where
        given = instance.get("port")
        if isinstance(given, int):
            return given if 0 < given < 65536 else None
        if isinstance(given, str):
            port = _fill_ports(given, ports, named)
            return int(port) if port is not None and port.isdigit() else None
        return None
    for target in find_targets(text):
        if target.host == _HERE and target.port:
            return target.port
    return None


def _fill_ports(text: str, ports: list[int], named: Mapping[str, int]) -> str | None:
    """``%%port%%`` (the highest port), ``%%port_0%%`` (by index), ``%%port_http%%``."""
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        which = match["which"]
        ordered = sorted(ports)
        if which is None:
            port = ordered[-1] if ordered else None
        elif which.isdigit():
            port = ordered[int(which)] if int(which) < len(ordered) else None
        else:
            port = named.get(which)
        if port is None:
            missing = True
            return ""
        return str(port)

    filled = _PORT.sub(fill, text)
    return None if missing else filled


def add_autodiscovery(
    inventory: Inventory, builder: GraphBuilder, aliases: Mapping[str, str]
) -> None:
    """An edge from each Datadog agent to each address a check asks it to connect to (in
    compose, the agents of the same project; in Kubernetes, of the input)."""
    for project in inventory.compose_projects:
        agents = [s for s in project.services if is_agent_image(s.image)]
        if not agents:
            continue
        for service in project.services:
            for check, where in _compose_checks(service):
                for agent in agents:
                    caller, callee = agent.id, service.id
                    if agent.id in aliases and service.id in aliases:
                        caller, callee = aliases[agent.id], aliases[service.id]
                    _add(builder, caller, callee, check, where)
    agents_k8s = [
        w.id
        for w in inventory.workloads
        if w.owner is None and any(is_agent_image(c.image) for c in w.containers)
    ]
    for workload in inventory.workloads if agents_k8s else ():
        if workload.owner is None:
            for check in _pod_checks(workload):
                for agent_id in agents_k8s:
                    _add(builder, agent_id, workload.id, check, workload.location)


def _compose_checks(service: ComposeService) -> list[tuple[Check, Location]]:
    labels = service.body.get("labels")
    settings: dict[str, str] = {}
    if isinstance(labels, dict):
        settings = {str(k): str(v) for k, v in labels.items()}
    elif isinstance(labels, list):
        for item in labels:
            key, _, value = str(item).partition("=")
            settings[key] = value
    if not any(key.startswith(_DOCKER) for key in settings):
        return []
    ports = sorted({*service.expose, *(p.target for p in service.ports)})
    at = service.body.key_position("labels")
    if isinstance(labels, YMap):  # the line of the instances themselves
        key = f"{_DOCKER}checks" if f"{_DOCKER}checks" in labels else f"{_DOCKER}instances"
        at = labels.key_position(key) or at
    where = Location(service.location.file, *at) if at else service.location
    return [(check, where) for check in checks(settings, _DOCKER, ports, {})]


def _pod_checks(workload: Workload) -> list[Check]:
    annotations = workload.pod_annotations
    if not any(key.startswith(_POD) for key in annotations):
        return []
    out: list[Check] = []
    for container in workload.containers:
        ports = sorted({p.container_port for p in container.ports})
        named = {p.name: p.container_port for p in container.ports if p.name}
        out += checks(annotations, f"{_POD}{container.name}.", ports, named)
    return out


def _add(builder: GraphBuilder, agent: str, target: str, check: Check, where: Location) -> None:
    if agent == target:
        return
    detail = (
        f"Datadog Autodiscovery: check {check.name} of {target} at {check.written} "
        f"port {check.port} (the agent {agent} connects to it)"
    )
    builder.add_edge(
        agent, target, check.port, "TCP", Evidence(EvidenceKind.MANIFEST, where, detail)
    )
