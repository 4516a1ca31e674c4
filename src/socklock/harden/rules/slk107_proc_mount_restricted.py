"""Containers must keep the default ``/proc`` mount (restricted: even in a user namespace).

## What it does
Checks that no container sets `securityContext.procMount` to anything but `Default`. From
v1.35 the restricted profile runs this check unconditionally, while the baseline one
(SLK118) exempts pods with `hostUsers: false`; at the restricted level this rule replaces
the baseline one.

## Why is this bad?
`Unmasked` exposes the parts of `/proc` the runtime masks (kernel memory maps, sysrq
triggers, timer lists) to the container.

## Example
```yaml
securityContext:
  procMount: Unmasked
```
Use instead: leave `procMount` unset, or `Default`.

## Fix safety
Unsafe: the fix removes `procMount`; a container that needed the unmasked `/proc` (nested
containers) stops working.

## References
- Pod Security Standards, restricted (from v1.35): "/proc Mount Type".
- kubernetes/pod-security-admission `policy/check_procMount_restricted.go`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import proc_mount_findings, pss_reference
from socklock.harden.rule import Level, PssCheck, WorkloadRule
from socklock.model import Applicability, Finding, Severity, Workload


class ProcMountRestricted(WorkloadRule):
    id = "SLK107"
    name = "proc-mount-restricted"
    title = "Containers must not set procMount other than Default (restricted)"
    severity = Severity.MEDIUM
    pss = PssCheck("procMount_restricted", Level.RESTRICTED, (35,), overrides=("procMount",))
    references = pss_reference("/proc Mount Type", "restricted", "check_procMount_restricted.go")
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        yield from proc_mount_findings(self, workload)
