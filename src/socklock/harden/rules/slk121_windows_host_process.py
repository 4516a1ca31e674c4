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
    container_path,
    containers,
    flag,
    mapping,
    pod_path,
    pod_security_context,
    pss_reference,
    quoted,
)
from socklock.harden.rule import Level, PssCheck, WorkloadRule, container_key
from socklock.model import Applicability, Finding, Fix, Severity, Workload
from socklock.model.document import PathElement


class WindowsHostProcess(WorkloadRule):
    id = "SLK121"
    name = "windows-host-process"
    title = "Pods must not set windowsOptions.hostProcess: true"
    severity = Severity.CRITICAL
    pss = PssCheck("windowsHostProcess", Level.BASELINE, (0,))
    references = pss_reference("HostProcess", "baseline", "check_windowsHostProcess.go")
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        targets: list[tuple[str, tuple[PathElement, ...], object, str | None]] = [
            (
                "pod",
                pod_path(workload, "securityContext", "windowsOptions", "hostProcess"),
                pod_security_context(workload),
                None,
            )
        ]
        for container in containers(workload):
            targets.append(
                (
                    f"container {quoted(container.name)}",
                    container_path(container, "securityContext", "windowsOptions", "hostProcess"),
                    container.security_context,
                    f"{container_key(container)}.securityContext.windowsOptions.hostProcess",
                )
            )
        for who, path, sc, stable in targets:
            if flag(mapping(sc, "windowsOptions"), "hostProcess") is not True:
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
