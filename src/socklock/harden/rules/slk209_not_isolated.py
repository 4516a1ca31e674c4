"""Every workload should be isolated by a NetworkPolicy.

## What it does
Asks socklock's exact NetworkPolicy engine whether some policy of the workload's namespace
selects it for ingress and for egress (policyTypes and their defaults, matchLabels and
matchExpressions, every pod of the workload). Open for ingress is high; isolated for
ingress but not for egress is medium. When the policies have errors the engine refuses to
answer, and the workload is reported (high) as not proven isolated: never isolated by
assumption. `harden`, `scan` and `policy verify` (its unprotected list, and
`connectivity.json`) report this one rule; it replaces SLK-NP001, which verify used to
report for the same condition.

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
from socklock.harden.rule import Reference, WorkloadRule
from socklock.model import Applicability, Finding, Fix, Severity, Workload
from socklock.policy.findings import RULE_ID, RULE_NAME, not_isolated
from socklock.policy.result import Isolation


class NotIsolated(WorkloadRule):
    id = RULE_ID
    name = RULE_NAME
    title = "Workloads should be isolated by NetworkPolicies for ingress and egress"
    severity = Severity.HIGH
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
        isolation = ctx.isolation
        state = isolation.get(workload.id) if isolation is not None else None
        if isolation is not None and state is None:
            state = Isolation(False, False)
        verdict = not_isolated(workload.kind, workload.id, state)
        if verdict is None:
            return
        severity, message, _ = verdict
        labels_path = (
            ("metadata", "labels")
            if workload.kind == "Pod"
            else (*workload.pod_spec_path[:-1], "metadata", "labels")
        )
        yield self.object_finding(
            workload.obj,
            labels_path,
            message,
            Fix(
                Applicability.DISPLAY_ONLY,
                "generate least-privilege policies with `socklock policy generate`",
                workload.obj.location.file,
                (),
            ),
            stable_path="pod",
            severity=severity,
        )
