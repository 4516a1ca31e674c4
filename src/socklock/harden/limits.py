"""Shared check of ``resources.limits`` (memory and CPU rules)."""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.pss import container_path, mapping, quoted
from socklock.harden.rule import WorkloadRule, container_key, yaml_fix
from socklock.model import Applicability, ContainerRole, Finding, Workload


def resource_findings(
    rule: WorkloadRule, workload: Workload, resource: str, default: str, why: str
) -> Iterator[Finding]:
    for container in workload.containers:
        if container.role is ContainerRole.EPHEMERAL:
            continue
        limits = mapping(container.resources, "limits")
        if limits is not None and limits.get(resource) not in (None, ""):
            continue
        requests = mapping(container.resources, "requests")
        requested = requests.get(resource) if requests is not None else None
        value = requested if isinstance(requested, str | int | float) and requested else default
        path = container_path(container, "resources", "limits", resource)
        yield rule.object_finding(
            workload.obj,
            path,
            f"container {quoted(container.name)} has no {resource} limit "
            f"(set resources.limits.{resource})",
            yaml_fix(
                workload.obj,
                Applicability.UNSAFE,
                f"limit container {quoted(container.name)}'s {resource} to {value}",
                [(path, "setdefault", value)],
                why,
            ),
            stable_path=f"{container_key(container)}.resources.limits.{resource}",
        )
