"""Containers must set ``allowPrivilegeEscalation: false``.

## What it does
Checks that every container (init and ephemeral ones included) sets
`securityContext.allowPrivilegeEscalation: false` (the restricted profile from v1.8).
From v1.25, pods with `spec.os.name: windows` are exempt, as in the admission code.

## Why is this bad?
Without it, a process can gain more privileges than its parent through set-user-ID or
set-group-ID binaries or file capabilities (`no_new_privs` is not set).

## Example
```yaml
containers:
  - name: carts
    image: socklock-demo/carts:0.1
```
Use instead:
```yaml
containers:
  - name: carts
    image: socklock-demo/carts:0.1
    securityContext:
      allowPrivilegeEscalation: false
```

## Fix safety
Safe: setting `no_new_privs` only stops set-user-ID programs (such as `sudo`) from gaining
privileges, which a service does not need. It is unsafe, and marked so, on a container
that is privileged or adds `CAP_SYS_ADMIN`: the API rejects `allowPrivilegeEscalation: false`
together with those, so that fix must come with the privileged one.

## References
- Pod Security Standards, restricted: "Privilege Escalation".
- kubernetes/pod-security-admission `policy/check_allowPrivilegeEscalation.go`.
- CIS Docker Benchmark 1.6.0, 5.26: ensure that the container is restricted from acquiring
  additional privileges.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import (
    container_path,
    containers,
    flag,
    is_windows,
    mapping,
    pss_reference,
    quoted,
    string_list,
)
from socklock.harden.rule import Level, PssCheck, Reference, WorkloadRule, container_key, yaml_fix
from socklock.model import Applicability, Finding, Severity, Workload

REASON = "allowPrivilegeEscalation != false"


class AllowPrivilegeEscalation(WorkloadRule):
    id = "SLK103"
    name = "allow-privilege-escalation"
    title = "Containers must set allowPrivilegeEscalation: false"
    severity = Severity.MEDIUM
    pss = PssCheck("allowPrivilegeEscalation", Level.RESTRICTED, (8, 25))
    references = (
        *pss_reference("Privilege Escalation", "restricted", "check_allowPrivilegeEscalation.go"),
        Reference(
            "CIS Docker 1.6.0",
            "5.26",
            "Ensure that the container is restricted from acquiring additional privileges",
        ),
    )
    fix_applicability = Applicability.SAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        if ctx.options.pss_version >= 25 and is_windows(workload):
            return
        obj = workload.obj
        for container in containers(workload):
            sc = container.security_context
            if flag(sc, "allowPrivilegeEscalation") is False:
                continue
            path = container_path(container, "securityContext", "allowPrivilegeEscalation")
            privileged = flag(sc, "privileged") is True
            sys_admin = "SYS_ADMIN" in string_list(mapping(sc, "capabilities"), "add")
            blocked = privileged or sys_admin
            yield self.object_finding(
                obj,
                path,
                f"{REASON} (container {quoted(container.name)} must set "
                "securityContext.allowPrivilegeEscalation=false)",
                yaml_fix(
                    obj,
                    Applicability.UNSAFE if blocked else Applicability.SAFE,
                    f"set allowPrivilegeEscalation: false on container {quoted(container.name)}",
                    [(path, "set", False)],
                    (
                        "the container is privileged or adds CAP_SYS_ADMIN; the API rejects "
                        "allowPrivilegeEscalation: false with those"
                    )
                    if blocked
                    else None,
                ),
                stable_path=f"{container_key(container)}.securityContext.allowPrivilegeEscalation",
            )
