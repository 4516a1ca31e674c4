"""Containers may add only capabilities of the runtime's default set.

## What it does
Checks that `securityContext.capabilities.add` of every container holds only
`AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`,
`NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID` or `SYS_CHROOT` (the baseline
profile). At the restricted level SLK104 replaces it.

## Why is this bad?
Capabilities beyond the default set (`SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`, `NET_RAW`...)
give a container powers over the node's kernel, network or other processes.

## Example
```yaml
capabilities:
  add: [SYS_ADMIN]
```
Use instead: add nothing, or only what the process needs from the default set.

## Fix safety
Unsafe: the fix removes the extra capabilities; a process that needs them fails with EPERM.

## References
- Pod Security Standards, baseline: "Capabilities".
- kubernetes/pod-security-admission `policy/check_capabilities_baseline.go`.
- CIS Docker Benchmark 1.6.0, 5.4: ensure that Linux kernel capabilities are restricted
  within containers.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import (
    container_path,
    containers,
    join_quote,
    mapping,
    pss_reference,
    quoted,
    string_list,
)
from socklock.harden.rule import Level, PssCheck, Reference, WorkloadRule, container_key, yaml_fix
from socklock.model import Applicability, Finding, Severity, Workload

DEFAULT_CAPABILITIES = frozenset(
    {
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    }
)


class CapabilitiesBaseline(WorkloadRule):
    id = "SLK113"
    name = "capabilities-baseline"
    title = "Containers must not add capabilities beyond the default set"
    severity = Severity.HIGH
    pss = PssCheck("capabilities_baseline", Level.BASELINE, (0,))
    references = (
        *pss_reference("Capabilities", "baseline", "check_capabilities_baseline.go"),
        Reference(
            "CIS Docker 1.6.0",
            "5.4",
            "Ensure that Linux kernel capabilities are restricted within containers",
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for container in containers(workload):
            caps = mapping(container.security_context, "capabilities")
            extra = sorted({c for c in string_list(caps, "add") if c not in DEFAULT_CAPABILITIES})
            if not extra:
                continue
            path = container_path(container, "securityContext", "capabilities", "add")
            yield self.object_finding(
                workload.obj,
                path,
                f"non-default capabilities (container {quoted(container.name)} must not "
                f"include {join_quote(extra)} in securityContext.capabilities.add)",
                yaml_fix(
                    workload.obj,
                    Applicability.UNSAFE,
                    f"stop adding {join_quote(extra)} to container {quoted(container.name)}",
                    [(path, "remove", cap) for cap in extra],
                    f"the process may need {', '.join(extra)}",
                ),
                stable_path=f"{container_key(container)}.securityContext.capabilities.add",
            )
