"""Containers must run as a non-root user (``runAsNonRoot: true``).

## What it does
Checks that the pod sets `securityContext.runAsNonRoot: true`, or that every container
(init and ephemeral ones included) sets it, and that nothing sets it to `false`. A
container-level value overrides the pod-level one, as in the API. Pods with
`hostUsers: false` are exempt from v1.35 on, as in the admission code.

## Why is this bad?
A process running as UID 0 in the container is root on the node as soon as it escapes the
container (a kernel or runtime bug, a writable host mount). Most images do not need root.

## Example
```yaml
spec:
  containers:
    - name: carts
      image: socklock-demo/carts:0.1
```
Use instead:
```yaml
spec:
  containers:
    - name: carts
      image: socklock-demo/carts:0.1
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
```

## Fix safety
Unsafe. The kubelet refuses to start a container whose image runs as root when
`runAsNonRoot` is true and no numeric `runAsUser` is given, so the fix also sets
`runAsUser`: the numeric `USER` of the image's own Dockerfile when the repository has it
(matched by compose build context or image name), else 10001. The image may still need
root: files owned by root that the process writes, ports below 1024.

## References
- Pod Security Standards, restricted: "Running as Non-root".
- kubernetes/pod-security-admission `policy/check_runAsNonRoot.go`.
- CIS Docker Benchmark 1.6.0, 4.1: ensure that a user for the container has been created.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import (
    container_path,
    containers,
    flag,
    pod_path,
    pod_security_context,
    pss_reference,
    quoted,
    relax_for_user_namespace,
)
from socklock.harden.rule import Level, PssCheck, Reference, WorkloadRule, container_key, yaml_fix
from socklock.model import Applicability, Finding, Severity, Workload

REASON = "runAsNonRoot != true"


class RunAsNonRoot(WorkloadRule):
    id = "SLK101"
    name = "run-as-non-root"
    title = "Containers must set runAsNonRoot: true"
    severity = Severity.HIGH
    pss = PssCheck("runAsNonRoot", Level.RESTRICTED, (0, 35))
    references = (
        *pss_reference("Running as Non-root", "restricted", "check_runAsNonRoot.go"),
        Reference(
            "CIS Docker 1.6.0", "4.1", "Ensure that a user for the container has been created"
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        if ctx.options.pss_version >= 35 and relax_for_user_namespace(workload):
            return
        obj = workload.obj
        pod_sc = pod_security_context(workload)
        pod_value = flag(pod_sc, "runAsNonRoot")
        if pod_value is False:
            yield self.object_finding(
                obj,
                pod_path(workload, "securityContext", "runAsNonRoot"),
                f"{REASON} (pod must not set securityContext.runAsNonRoot=false)",
                yaml_fix(
                    obj,
                    Applicability.UNSAFE,
                    "set the pod's securityContext.runAsNonRoot to true",
                    [(pod_path(workload, "securityContext", "runAsNonRoot"), "set", True)],
                    "containers whose image runs as root will no longer start",
                ),
            )
        pod_user = pod_sc.get("runAsUser") if pod_sc is not None else None
        for container in containers(workload):
            value = flag(container.security_context, "runAsNonRoot")
            if value is True:
                continue
            if value is None and pod_value is True:
                continue
            if value is False:
                detail = (
                    f"container {quoted(container.name)} must not set "
                    "securityContext.runAsNonRoot=false"
                )
            else:
                detail = (
                    f"pod or container {quoted(container.name)} must set "
                    "securityContext.runAsNonRoot=true"
                )
            sc_path = container_path(container, "securityContext")
            edits: list[tuple[tuple[str | int, ...], str, object]] = [
                ((*sc_path, "runAsNonRoot"), "set", True)
            ]
            user_source = ""
            container_user = (
                container.security_context.get("runAsUser")
                if container.security_context is not None
                else None
            )
            if container_user is None and pod_user is None:
                choice = ctx.user_for(ctx.dockerfile_for_image(container.image))
                edits.append(((*sc_path, "runAsUser"), "setdefault", choice.uid))
                user_source = f"; runAsUser {choice.uid} from {choice.source}"
            yield self.object_finding(
                obj,
                (*sc_path, "runAsNonRoot"),
                f"{REASON} ({detail})",
                yaml_fix(
                    obj,
                    Applicability.UNSAFE,
                    f"run container {quoted(container.name)} as non-root{user_source}",
                    edits,
                    "the image may need root: files owned by root that it writes, ports "
                    "below 1024, entrypoints that switch user",
                ),
                stable_path=f"{container_key(container)}.securityContext.runAsNonRoot",
            )
