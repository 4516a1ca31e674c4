"""Containers must not be privileged.

## What it does
Checks that no container (init and ephemeral ones included) sets
`securityContext.privileged: true` (the baseline profile).

## Why is this bad?
A privileged container has every capability, every device of the node and no seccomp or
AppArmor confinement: it is root on the node.

## Example
```yaml
securityContext:
  privileged: true
```
Use instead: leave `privileged` unset and add only the capabilities the process needs.

## Fix safety
Unsafe: the fix removes `privileged`; a container that manages the node (CNI, storage
drivers) stops working.

## References
- Pod Security Standards, baseline: "Privileged Containers".
- kubernetes/pod-security-admission `policy/check_privileged.go`.
- CIS Docker Benchmark 1.6.0, 5.5: ensure that privileged containers are not used.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import container_path, containers, flag, pss_reference, quoted
from socklock.harden.rule import Level, PssCheck, Reference, WorkloadRule, container_key, yaml_fix
from socklock.model import Applicability, Finding, Severity, Workload


class Privileged(WorkloadRule):
    id = "SLK112"
    name = "privileged"
    title = "Containers must not set privileged: true"
    severity = Severity.CRITICAL
    pss = PssCheck("privileged", Level.BASELINE, (0,))
    references = (
        *pss_reference("Privileged Containers", "baseline", "check_privileged.go"),
        Reference("CIS Docker 1.6.0", "5.5", "Ensure that privileged containers are not used"),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for container in containers(workload):
            if flag(container.security_context, "privileged") is not True:
                continue
            path = container_path(container, "securityContext", "privileged")
            yield self.object_finding(
                workload.obj,
                path,
                f"privileged (container {quoted(container.name)} must not set "
                "securityContext.privileged=true)",
                yaml_fix(
                    workload.obj,
                    Applicability.UNSAFE,
                    f"remove privileged from container {quoted(container.name)}",
                    [(path, "remove", None)],
                    "a container that manages the node (devices, networking) stops working",
                ),
                stable_path=f"{container_key(container)}.securityContext.privileged",
            )
