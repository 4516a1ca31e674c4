"""Containers must not set ``runAsUser: 0``.

## What it does
Checks that neither the pod's nor any container's `securityContext.runAsUser` is 0 (the
restricted profile from v1.23). Pods with `hostUsers: false` are exempt from v1.35 on.

## Why is this bad?
UID 0 in the container is root on the node unless the pod runs in a user namespace;
`runAsNonRoot: true` does not protect against an explicit `runAsUser: 0`.

## Example
```yaml
securityContext:
  runAsUser: 0
```
Use instead:
```yaml
securityContext:
  runAsUser: 10001
```

## Fix safety
Unsafe: the fix sets the UID to the numeric `USER` of the image's own Dockerfile when the
repository has it, else 10001. A process that needs root will fail.

## References
- Pod Security Standards, restricted: "Running as Non-root user".
- kubernetes/pod-security-admission `policy/check_runAsUser.go`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import (
    container_path,
    containers,
    pod_path,
    pod_security_context,
    pss_reference,
    quoted,
    relax_for_user_namespace,
)
from socklock.harden.rule import Level, PssCheck, WorkloadRule, container_key, yaml_fix
from socklock.model import Applicability, Finding, Severity, Workload

REASON = "runAsUser=0"
WHY = "a process that needs root (to bind ports below 1024, chown files) will fail"


def _is_zero(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value == 0


class RunAsUserZero(WorkloadRule):
    id = "SLK102"
    name = "run-as-user-zero"
    title = "Containers must not set runAsUser: 0"
    severity = Severity.HIGH
    pss = PssCheck("runAsUser", Level.RESTRICTED, (23, 35))
    references = pss_reference("Running as Non-root user", "restricted", "check_runAsUser.go")
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        if ctx.options.pss_version >= 35 and relax_for_user_namespace(workload):
            return
        obj = workload.obj
        pod_sc = pod_security_context(workload)
        if pod_sc is not None and _is_zero(pod_sc.get("runAsUser")):
            path = pod_path(workload, "securityContext", "runAsUser")
            uid = ctx.options.default_uid
            yield self.object_finding(
                obj,
                path,
                f"{REASON} (pod must not set runAsUser=0)",
                yaml_fix(
                    obj,
                    Applicability.UNSAFE,
                    f"run the pod as UID {uid}",
                    [(path, "set", uid)],
                    WHY,
                ),
            )
        for container in containers(workload):
            sc = container.security_context
            if sc is None or not _is_zero(sc.get("runAsUser")):
                continue
            path = container_path(container, "securityContext", "runAsUser")
            choice = ctx.user_for(ctx.dockerfile_for_image(container.image))
            yield self.object_finding(
                obj,
                path,
                f"{REASON} (container {quoted(container.name)} must not set runAsUser=0)",
                yaml_fix(
                    obj,
                    Applicability.UNSAFE,
                    f"run container {quoted(container.name)} as UID {choice.uid} ({choice.source})",
                    [(path, "set", choice.uid)],
                    WHY,
                ),
                stable_path=f"{container_key(container)}.securityContext.runAsUser",
            )
