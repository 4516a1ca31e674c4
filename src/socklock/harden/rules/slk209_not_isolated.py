"""Every workload should be isolated by a NetworkPolicy.

## What it does
Checks that some NetworkPolicy in the workload's namespace selects its pod labels (with
`matchLabels`/`matchExpressions`, an empty selector selecting all) and applies to ingress
(`policyTypes` contains `Ingress`, or is absent). This is a simple local check: socklock's
policy engine decides reachability exactly.

## Why is this bad?
A pod that no policy selects accepts connections from every pod in the cluster: one
compromised service can reach every other, which is what zero trust is meant to prevent.

## Example
A namespace with Deployments and no NetworkPolicy.

Use instead: a default-deny policy per namespace plus one policy per service that admits
exactly its callers; `socklock policy generate` writes them from the service graph.

## Fix safety
Display-only: policies come from the service graph (`socklock policy generate`), not from
one workload.

## References
- Kubernetes documentation: Network Policies (isolation).
- NSA/CISA Kubernetes Hardening Guidance: network separation and hardening.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.isolation import isolating_policy
from socklock.harden.rule import Reference, WorkloadRule
from socklock.model import Applicability, Finding, Fix, Severity, Workload


class NotIsolated(WorkloadRule):
    id = "SLK209"
    name = "not-isolated"
    title = "Workloads should be selected by an ingress NetworkPolicy"
    severity = Severity.MEDIUM
    references = (
        Reference("practice", "Kubernetes", "Network Policies: isolated and non-isolated pods"),
        Reference(
            "practice",
            "NSA/CISA Kubernetes Hardening Guidance",
            "Network separation and hardening",
        ),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        if workload.owner is not None:
            return  # a dumped pod: its owner is checked
        policies = ctx.network_policies(workload.namespace)
        if isolating_policy(policies, workload.labels) is not None:
            return
        labels_path = (
            ("metadata", "labels")
            if workload.kind == "Pod"
            else (*workload.pod_spec_path[:-1], "metadata", "labels")
        )
        yield self.object_finding(
            workload.obj,
            labels_path,
            f"no NetworkPolicy in namespace {workload.namespace!r} isolates {workload.id} "
            "for ingress: every pod in the cluster can connect to it",
            Fix(
                Applicability.DISPLAY_ONLY,
                "generate least-privilege policies with `socklock policy generate`",
                workload.obj.location.file,
                (),
            ),
            stable_path="pod",
        )
