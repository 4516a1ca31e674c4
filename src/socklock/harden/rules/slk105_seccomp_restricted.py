"""The pod or every container must set a seccomp profile of ``RuntimeDefault`` or ``Localhost``.

## What it does
Checks that `securityContext.seccompProfile.type` is `RuntimeDefault` or `Localhost`,
set at the pod level or on every container (init and ephemeral ones included), and that
nothing sets another type such as `Unconfined` (the restricted profile from v1.19; pods
with `spec.os.name: windows` are exempt from v1.25). A container-level profile overrides
the pod's. At the restricted level this rule replaces the baseline seccomp rule (SLK119).

## Why is this bad?
Kubernetes runs containers `Unconfined` unless told otherwise: every system call of the
kernel is reachable, including the rarely used ones most kernel exploits go through.

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
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: carts
      image: socklock-demo/carts:0.1
```

## Fix safety
Safe where no profile was written: the fix sets `RuntimeDefault` at the pod level, the
profile Docker applies to every container by default, so images are built and tested with
it. Replacing a profile someone wrote (`Unconfined`) is unsafe: they may have had a reason.

## References
- Pod Security Standards, restricted: "Seccomp".
- kubernetes/pod-security-admission `policy/check_seccompProfile_restricted.go`.
- CIS Docker Benchmark 1.6.0, 5.22: ensure the default seccomp profile is not disabled.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import (
    container_path,
    containers,
    is_windows,
    mapping,
    pod_path,
    pod_security_context,
    pss_reference,
    quoted,
    text,
)
from socklock.harden.rule import Level, PssCheck, Reference, WorkloadRule, container_key, yaml_fix
from socklock.model import Applicability, Finding, Severity, Workload

REASON = "seccompProfile"
VALID = ("RuntimeDefault", "Localhost")
RUNTIME_DEFAULT = {"type": "RuntimeDefault"}


class SeccompRestricted(WorkloadRule):
    id = "SLK105"
    name = "seccomp-restricted"
    title = "Seccomp must be RuntimeDefault or Localhost, for the pod or every container"
    severity = Severity.MEDIUM
    pss = PssCheck(
        "seccompProfile_restricted",
        Level.RESTRICTED,
        (19, 25),
        overrides=("seccompProfile_baseline",),
    )
    references = (
        *pss_reference("Seccomp", "restricted", "check_seccompProfile_restricted.go"),
        Reference("CIS Docker 1.6.0", "5.22", "Ensure the default seccomp profile is not Disabled"),
    )
    fix_applicability = Applicability.SAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        if ctx.options.pss_version >= 25 and is_windows(workload):
            return
        obj = workload.obj
        pod_sc = pod_security_context(workload)
        pod_profile = mapping(pod_sc, "seccompProfile")
        pod_set = False
        if pod_profile is not None:
            pod_type = text(pod_profile, "type") or ""
            if pod_type in VALID:
                pod_set = True
            else:
                path = pod_path(workload, "securityContext", "seccompProfile", "type")
                yield self.object_finding(
                    obj,
                    path,
                    f"{REASON} (pod must not set securityContext.seccompProfile.type to "
                    f'"{pod_type}")',
                    yaml_fix(
                        obj,
                        Applicability.UNSAFE,
                        "set the pod's seccomp profile to RuntimeDefault",
                        [(path, "set", "RuntimeDefault")],
                        f'someone chose "{pod_type}"; a program using unusual system calls '
                        "may fail",
                    ),
                )
        for container in containers(workload):
            profile = mapping(container.security_context, "seccompProfile")
            stable = f"{container_key(container)}.securityContext.seccompProfile"
            if profile is not None:
                ctype = text(profile, "type") or ""
                if ctype in VALID:
                    continue
                path = container_path(container, "securityContext", "seccompProfile", "type")
                yield self.object_finding(
                    obj,
                    path,
                    f"{REASON} (container {quoted(container.name)} must not set "
                    f'securityContext.seccompProfile.type to "{ctype}")',
                    yaml_fix(
                        obj,
                        Applicability.UNSAFE,
                        f"set container {quoted(container.name)}'s seccomp profile to "
                        "RuntimeDefault",
                        [(path, "set", "RuntimeDefault")],
                        f'someone chose "{ctype}"; a program using unusual system calls may fail',
                    ),
                    stable_path=stable,
                )
            elif not pod_set:
                if pod_profile is None:
                    target = pod_path(workload, "securityContext", "seccompProfile")
                    what = "the pod"
                else:
                    target = container_path(container, "securityContext", "seccompProfile")
                    what = f"container {quoted(container.name)}"
                yield self.object_finding(
                    obj,
                    container_path(container, "securityContext", "seccompProfile"),
                    f"{REASON} (pod or container {quoted(container.name)} must set "
                    'securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
                    yaml_fix(
                        obj,
                        Applicability.SAFE,
                        f"set the RuntimeDefault seccomp profile on {what}",
                        [(target, "setdefault", dict(RUNTIME_DEFAULT))],
                    ),
                    stable_path=stable,
                )
