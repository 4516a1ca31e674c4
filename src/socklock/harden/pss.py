"""Shared helpers of the Pod Security Standards rules.

They mirror the conventions of kubernetes/pod-security-admission ``policy/``: containers
are visited init, regular, then ephemeral; container-level fields override pod-level ones
where the API says so; messages are the admission's ``reason (detail)`` for one setter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from socklock.harden.rule import Reference, WorkloadRule, container_key
from socklock.model import Container, ContainerRole, Finding, Workload, YMap
from socklock.model.document import PathElement

PSS_URL = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
PSA_CODE = "https://github.com/kubernetes/pod-security-admission/tree/v0.36.2/policy"

_ORDER = {ContainerRole.INIT: 0, ContainerRole.CONTAINER: 1, ContainerRole.EPHEMERAL: 2}


def pss_reference(control: str, level: str, check_file: str) -> tuple[Reference, Reference]:
    return (
        Reference("PSS", f"{control} ({level})", f"Pod Security Standards, {level}", PSS_URL),
        Reference(
            "pod-security-admission",
            check_file,
            "the admission code this rule mirrors",
            f"{PSA_CODE}/{check_file}",
        ),
    )


def containers(workload: Workload) -> list[Container]:
    """Every container in the admission's order: init, regular, ephemeral."""
    return sorted(workload.containers, key=lambda c: _ORDER[c.role])


def mapping(node: Any, key: str) -> YMap | None:
    if not isinstance(node, dict):
        return None
    value = node.get(key)
    return value if isinstance(value, YMap) else None


def pod_security_context(workload: Workload) -> YMap | None:
    return mapping(workload.pod_spec, "securityContext")


def pod_path(workload: Workload, *rest: PathElement) -> tuple[PathElement, ...]:
    return (*workload.pod_spec_path, *rest)


def container_path(container: Container, *rest: PathElement) -> tuple[PathElement, ...]:
    return (*container.path, *rest)


@dataclass(frozen=True, slots=True)
class ContextField:
    """One securityContext field, at pod level or in one container."""

    who: str  # "pod" or 'container "app"', as the admission messages say it
    path: tuple[PathElement, ...]  # from the object root to the field
    context: YMap | None  # the securityContext that holds the field (None: none written)
    stable: str | None  # baseline key of a container field; None at pod level


def security_context_fields(workload: Workload, *field: PathElement) -> list[ContextField]:
    """``securityContext.<field>`` of the pod, then of every container in admission order."""
    out = [
        ContextField(
            "pod",
            pod_path(workload, "securityContext", *field),
            pod_security_context(workload),
            None,
        )
    ]
    dotted = ".".join(str(element) for element in field)
    for container in containers(workload):
        out.append(
            ContextField(
                f"container {quoted(container.name)}",
                container_path(container, "securityContext", *field),
                container.security_context,
                f"{container_key(container)}.securityContext.{dotted}",
            )
        )
    return out


def flag(node: Any, key: str) -> bool | None:
    """A boolean field; anything but a real boolean counts as unset."""
    if not isinstance(node, dict):
        return None
    value = node.get(key)
    return value if isinstance(value, bool) else None


def text(node: Any, key: str) -> str | None:
    if not isinstance(node, dict):
        return None
    value = node.get(key)
    return value if isinstance(value, str) else None


def relax_for_user_namespace(workload: Workload) -> bool:
    """``hostUsers: false``: the pod runs in a user namespace (relaxations from 1.35)."""
    return workload.pod_spec.get("hostUsers") is False


def is_windows(workload: Workload) -> bool:
    os_field = workload.pod_spec.get("os")
    return isinstance(os_field, dict) and os_field.get("name") == "windows"


def join_quote(items: Iterable[str]) -> str:
    items = list(items)
    return '"' + '", "'.join(items) + '"' if items else ""


def pluralize(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def quoted(name: str) -> str:
    return f'"{name}"'


def string_list(node: Any, key: str) -> list[str]:
    if not isinstance(node, dict):
        return []
    value = node.get(key)
    if not isinstance(value, list):
        return []
    return [str(v) for v in value]


def proc_mount_findings(rule: WorkloadRule, workload: Workload) -> Iterator[Finding]:
    """procMount other than Default, per container (baseline and restricted share it)."""
    from socklock.harden.rule import container_key, yaml_fix
    from socklock.model import Applicability

    for container in containers(workload):
        sc = container.security_context
        if sc is None or "procMount" not in sc or sc.get("procMount") is None:
            continue
        value = str(sc.get("procMount"))
        if value == "Default":
            continue
        path = container_path(container, "securityContext", "procMount")
        yield rule.object_finding(
            workload.obj,
            path,
            f"procMount (container {quoted(container.name)} must not set "
            f'securityContext.procMount to "{value}")',
            yaml_fix(
                workload.obj,
                Applicability.UNSAFE,
                f"remove procMount from container {quoted(container.name)}",
                [(path, "remove", None)],
                "a container that needs the unmasked /proc (nested containers) stops working",
            ),
            stable_path=f"{container_key(container)}.securityContext.procMount",
        )
