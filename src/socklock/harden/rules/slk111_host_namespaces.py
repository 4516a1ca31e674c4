"""Pods must not share the host's network, PID or IPC namespace.

## What it does
Checks that `spec.hostNetwork`, `spec.hostPID` and `spec.hostIPC` are unset or false
(the baseline profile).

## Why is this bad?
With the host's network namespace a pod sees every interface of the node and can bind
its ports and sniff its traffic, and NetworkPolicies no longer apply to it; with the
host's PID or IPC namespace it can see and signal every process on the node and read
their shared memory.

## Example
```yaml
spec:
  hostNetwork: true
```
Use instead: leave them unset.

## Fix safety
Unsafe: the fix removes the fields; a node agent that needs them stops working.

## References
- Pod Security Standards, baseline: "Host Namespaces".
- kubernetes/pod-security-admission `policy/check_hostNamespaces.go`.
- CIS Docker Benchmark 1.6.0, 5.10, 5.16 and 5.17: the host's network, process and IPC
  namespaces are not shared.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import pod_path, pss_reference
from socklock.harden.rule import Level, PssCheck, Reference, WorkloadRule, yaml_fix
from socklock.model import Applicability, Finding, Severity, Workload

FIELDS = ("hostNetwork", "hostPID", "hostIPC")


class HostNamespaces(WorkloadRule):
    id = "SLK111"
    name = "host-namespaces"
    title = "Pods must not use hostNetwork, hostPID or hostIPC"
    severity = Severity.HIGH
    pss = PssCheck("hostNamespaces", Level.BASELINE, (0,))
    references = (
        *pss_reference("Host Namespaces", "baseline", "check_hostNamespaces.go"),
        Reference(
            "CIS Docker 1.6.0", "5.10", "Ensure that the host's network namespace is not shared"
        ),
        Reference(
            "CIS Docker 1.6.0", "5.16", "Ensure that the host's process namespace is not shared"
        ),
        Reference("CIS Docker 1.6.0", "5.17", "Ensure that the host's IPC namespace is not shared"),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for field in FIELDS:
            if workload.pod_spec.get(field) is not True:
                continue
            path = pod_path(workload, field)
            yield self.object_finding(
                workload.obj,
                path,
                f"host namespaces ({field}=true)",
                yaml_fix(
                    workload.obj,
                    Applicability.UNSAFE,
                    f"remove {field}",
                    [(path, "remove", None)],
                    f"a workload that needs the host's namespace ({field}) stops working",
                ),
            )
