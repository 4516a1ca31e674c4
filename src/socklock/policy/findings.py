"""Workloads that no policy isolates, as findings (SLK-NP001 workload-not-isolated)."""

from __future__ import annotations

from socklock.model import Finding, Severity, format_path
from socklock.policy.engine import Connectivity

RULE_ID = "SLK-NP001"
RULE_NAME = "workload-not-isolated"
REFERENCE = "https://kubernetes.io/docs/concepts/services-networking/network-policies/"


def unprotected(connectivity: Connectivity) -> tuple[Finding, ...]:
    """One finding per workload that is not isolated for ingress (high) or, isolated for
    ingress, not for egress (medium). A workload counts as isolated for a direction only when
    every one of its pods is."""
    findings: list[Finding] = []
    for endpoint in connectivity.cluster.endpoints:
        isolation = connectivity.isolation(endpoint.id)
        if isolation.ingress and isolation.egress:
            continue
        open_ways = [
            way
            for way, isolated in (("ingress", isolation.ingress), ("egress", isolation.egress))
            if not isolated
        ]
        if not isolation.ingress:
            severity = Severity.HIGH
            effect = "any pod, and any address outside the cluster, can connect to it"
        else:
            severity = Severity.MEDIUM
            effect = "it can connect anywhere, inside the cluster and out"
        workload = endpoint.workloads[0]
        labels_path = (*workload.pod_spec_path[:-1], "metadata", "labels")
        findings.append(
            Finding(
                rule_id=RULE_ID,
                rule_name=RULE_NAME,
                severity=severity,
                message=(
                    f"{endpoint.kind} {endpoint.id} is not isolated for "
                    f"{' or '.join(open_ways)}: no NetworkPolicy selects "
                    f"{'all of its pods' if len(endpoint.workloads) > 1 else 'it'} for "
                    f"{' and '.join(open_ways)}, so {effect}"
                ),
                location=endpoint.location,
                field_path=format_path(labels_path),
                object_ref=workload.obj.ref,
                references=(REFERENCE,),
                key=f"{RULE_ID}:{endpoint.id}:{'+'.join(open_ways)}",
            )
        )
    return tuple(findings)
