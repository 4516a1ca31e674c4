"""Containers must keep the default ``/proc`` mount (baseline).

## What it does
Checks that no container sets `securityContext.procMount` to anything but `Default` (the
baseline profile). From v1.35, pods with `hostUsers: false` may set any value, as in the
admission code; at the restricted level SLK107 replaces this rule and has no such
exemption.

## Why is this bad?
`Unmasked` exposes the parts of `/proc` the runtime masks to the container.

## Example
```yaml
securityContext:
  procMount: Unmasked
```
Use instead: leave `procMount` unset.

## Fix safety
Unsafe: the fix removes `procMount`; nested container runtimes need the unmasked `/proc`.

## References
- Pod Security Standards, baseline: "/proc Mount Type".
- kubernetes/pod-security-admission `policy/check_procMount_baseline.go`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import proc_mount_findings, pss_reference, relax_for_user_namespace
from socklock.harden.rule import Level, PssCheck, WorkloadRule
from socklock.model import Applicability, Finding, Severity, Workload


class ProcMount(WorkloadRule):
    id = "SLK118"
    name = "proc-mount"
    title = "Containers must not set procMount other than Default"
    severity = Severity.MEDIUM
    pss = PssCheck("procMount", Level.BASELINE, (0, 35))
    references = pss_reference("/proc Mount Type", "baseline", "check_procMount_baseline.go")
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        if ctx.options.pss_version >= 35 and relax_for_user_namespace(workload):
            return
        yield from proc_mount_findings(self, workload)
