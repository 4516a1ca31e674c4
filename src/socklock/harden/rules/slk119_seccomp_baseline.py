"""Seccomp must not be switched off (``Unconfined``).

## What it does
From v1.19, checks that `securityContext.seccompProfile.type` of the pod and of every
container, when set, is `RuntimeDefault` or `Localhost`. Before v1.19, checks the
`seccomp.security.alpha.kubernetes.io/pod` and `container.seccomp.security.alpha.kubernetes.io/*`
annotations instead (`runtime/default`, `docker/default` or `localhost/*`). This is the
baseline profile; at the restricted level SLK105 replaces it.

## Why is this bad?
`Unconfined` lets the container call every system call of the node's kernel.

## Example
```yaml
securityContext:
  seccompProfile:
    type: Unconfined
```
Use instead: `type: RuntimeDefault`.

## Fix safety
Unsafe: someone chose `Unconfined`; a program using unusual system calls may fail.

## References
- Pod Security Standards, baseline: "Seccomp".
- kubernetes/pod-security-admission `policy/check_seccompProfile_baseline.go`.
- CIS Docker Benchmark 1.6.0, 5.22: ensure the default seccomp profile is not disabled.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import (
    containers,
    mapping,
    pss_reference,
    security_context_fields,
    text,
)
from socklock.harden.rule import Level, PssCheck, Reference, WorkloadRule, yaml_fix
from socklock.model import Applicability, Finding, Fix, Severity, Workload
from socklock.model.document import PathElement

POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/"
VALID = ("RuntimeDefault", "Localhost")


def valid_annotation(value: str) -> bool:
    return value in ("runtime/default", "docker/default") or value.startswith("localhost/")


class SeccompBaseline(WorkloadRule):
    id = "SLK119"
    name = "seccomp-baseline"
    title = "Seccomp profiles, when set, must be RuntimeDefault or Localhost"
    severity = Severity.HIGH
    pss = PssCheck("seccompProfile_baseline", Level.BASELINE, (0, 19))
    references = (
        *pss_reference("Seccomp", "baseline", "check_seccompProfile_baseline.go"),
        Reference("CIS Docker 1.6.0", "5.22", "Ensure the default seccomp profile is not Disabled"),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        if ctx.options.pss_version < 19:
            yield from self._annotations(workload)
            return
        obj = workload.obj
        for field in security_context_fields(workload, "seccompProfile"):
            who, path, stable = field.who, field.path, field.stable
            profile = mapping(field.context, "seccompProfile")
            if profile is None:
                continue
            kind = text(profile, "type") or ""
            if kind in VALID:
                continue
            yield self.object_finding(
                obj,
                (*path, "type"),
                f"seccompProfile ({who} must not set securityContext.seccompProfile.type to "
                f'"{kind}")',
                yaml_fix(
                    obj,
                    Applicability.UNSAFE,
                    f"set {who}'s seccomp profile to RuntimeDefault",
                    [((*path, "type"), "set", "RuntimeDefault")],
                    f'someone chose "{kind}"; a program using unusual system calls may fail',
                ),
                stable_path=stable,
            )

    def _annotations(self, workload: Workload) -> Iterator[Finding]:
        annotations = workload.pod_annotations
        base: tuple[PathElement, ...] = (
            ("metadata", "annotations")
            if workload.kind == "Pod"
            else (*workload.pod_spec_path[:-1], "metadata", "annotations")
        )
        keys = [POD_ANNOTATION] + [CONTAINER_ANNOTATION + c.name for c in containers(workload)]
        for key in keys:
            if key in annotations and not valid_annotation(annotations[key]):
                yield self.object_finding(
                    workload.obj,
                    (*base, key),
                    f'seccompProfile (forbidden annotation {key}="{annotations[key]}")',
                    Fix(
                        Applicability.DISPLAY_ONLY,
                        f'set annotation {key} to "runtime/default"',
                        workload.obj.location.file,
                        (),
                    ),
                )
