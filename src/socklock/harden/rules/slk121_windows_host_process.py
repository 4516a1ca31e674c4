"""Windows pods must not run as host processes.

## What it does
Checks that neither the pod's nor any container's
`securityContext.windowsOptions.hostProcess` is true (the baseline profile).

## Why is this bad?
A Windows HostProcess container runs directly on the node, with the node's privileges and
network: it is not a container in any security sense.

## Example
```yaml
securityContext:
  windowsOptions:
    hostProcess: true
```
Use instead: leave `hostProcess` unset.

## Fix safety
Display-only: such pods are node agents by design.

## References
- Pod Security Standards, baseline: "HostProcess".
- kubernetes/pod-security-admission `policy/check_windowsHostProcess.go`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import (
    flag,
    mapping,
    pss_reference,
    security_context_fields,
)
from socklock.harden.rule import Level, PssCheck, WorkloadRule
from socklock.model import Applicability, Finding, Fix, Severity, Workload


class WindowsHostProcess(WorkloadRule):
    id = "SLK121"
    name = "windows-host-process"
    title = "Pods must not set windowsOptions.hostProcess: true"
    severity = Severity.CRITICAL
    pss = PssCheck("windowsHostProcess", Level.BASELINE, (0,))
    references = pss_reference("HostProcess", "baseline", "check_windowsHostProcess.go")
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for field in security_context_fields(workload, "windowsOptions", "hostProcess"):
            who, path, stable = field.who, field.path, field.stable
            if flag(mapping(field.context, "windowsOptions"), "hostProcess") is not True:
                continue
            yield self.object_finding(
                workload.obj,
                path,
                f"hostProcess ({who} must not set securityContext.windowsOptions.hostProcess=true)",
                Fix(
                    Applicability.DISPLAY_ONLY,
                    f"remove hostProcess from {who}",
                    workload.obj.location.file,
                    (),
                ),
                stable_path=stable,
            )
