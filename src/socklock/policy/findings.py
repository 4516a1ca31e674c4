"""Workloads that no policy isolates: one decision (:func:`not_isolated`) for the hardening
rule SLK209 (``harden``, ``scan``) and for ``policy verify``'s unprotected list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from socklock.model import Finding, Severity, format_path
from socklock.policy.result import Isolation

if TYPE_CHECKING:
    from socklock.policy.engine import Connectivity

RULE_ID = "SLK209"
RULE_NAME = "not-isolated"
REFERENCE = "https://kubernetes.io/docs/concepts/services-networking/network-policies/"


def left_open(state: Isolation | None) -> bool:
    """Whether :func:`not_isolated` reports a workload whose isolation is ``state``."""
    return state is None or not (state.ingress and state.egress)


def not_isolated(
    kind: str, workload_id: str, state: Isolation | None, *, pods: str = "it"
) -> tuple[Severity, str, tuple[str, ...]] | None:
    """Whether a workload is left open, how badly and why: one decision for ``harden``,
    ``scan`` and ``policy verify``. ``state`` None: the policies have errors, so isolation
    cannot be proven. Open for ingress is high (every pod, and outside, can connect to it);
    isolated for ingress but not egress is medium. ``pods`` names what a policy must select
    ("it", or "all of its pods" for a workload of several pod shapes)."""
    if state is None:
        message = (
            f"{kind} {workload_id} cannot be proven isolated: the NetworkPolicies in the input "
            "have errors, so socklock does not evaluate them"
        )
        return Severity.HIGH, message, ("ingress", "egress")
    if not left_open(state):
        return None
    ways = tuple(
        way
        for way, isolated in (("ingress", state.ingress), ("egress", state.egress))
        if not isolated
    )
    if not state.ingress:
        severity, effect = (
            Severity.HIGH,
            "any pod, and any address outside the cluster, can connect to it",
        )
    else:
        severity, effect = Severity.MEDIUM, "it can connect anywhere, inside the cluster and out"
    message = (
        f"{kind} {workload_id} is not isolated for {' or '.join(ways)}: no NetworkPolicy "
        f"selects {pods} for {' and '.join(ways)}, so {effect}"
    )
    return severity, message, ways


def unprotected(connectivity: Connectivity) -> tuple[Finding, ...]:
    """SLK209 for each workload of the analysed cluster that is not isolated (a workload
    counts as isolated for a direction only when every one of its pods is)."""
    return tuple(iter_unprotected(connectivity))


def unprotected_count(connectivity: Connectivity) -> int:
    """``len(unprotected(connectivity))``, without making the findings."""
    return sum(left_open(connectivity.isolation(e.id)) for e in connectivity.cluster.endpoints)


def iter_unprotected(connectivity: Connectivity) -> Iterator[Finding]:
    """:func:`unprotected`, one finding at a time: a report that writes each as it comes
    never holds them all (one per workload of an open cluster)."""
    for endpoint in connectivity.cluster.endpoints:
        pods = "all of its pods" if len(endpoint.workloads) > 1 else "it"
        verdict = not_isolated(
            endpoint.kind, endpoint.id, connectivity.isolation(endpoint.id), pods=pods
        )
        if verdict is None:
            continue
        severity, message, ways = verdict
        workload = endpoint.workloads[0]
        labels_path = (*workload.pod_spec_path[:-1], "metadata", "labels")
        yield Finding(
            rule_id=RULE_ID,
            rule_name=RULE_NAME,
            severity=severity,
            message=message,
            location=endpoint.location,
            field_path=format_path(labels_path),
            object_ref=workload.obj.ref,
            references=(REFERENCE,),
            key=f"{RULE_ID}:{endpoint.id}:{'+'.join(ways)}",
        )
