"""AppArmor must not be disabled or overridden with an unknown profile.

## What it does
Checks that `securityContext.appArmorProfile.type` of the pod and of every container is
`RuntimeDefault` or `Localhost` when set, and that the deprecated
`container.apparmor.security.beta.kubernetes.io/*` pod annotations are `runtime/default`,
`localhost/*` or empty (the baseline profile).

## Why is this bad?
`Unconfined` switches off the AppArmor profile the runtime applies by default, which
blocks writes to `/proc` and `/sys` files, mounts and other escape routes.

## Example
```yaml
securityContext:
  appArmorProfile:
    type: Unconfined
```
Use instead: leave it unset, or `type: RuntimeDefault`.

## Fix safety
Unsafe for the field (someone chose `Unconfined`): the fix sets `RuntimeDefault`.
Display-only for the annotations, which belong to whoever generates the pod template.

## References
- Pod Security Standards, baseline: "AppArmor".
- kubernetes/pod-security-admission `policy/check_appArmorProfile.go`.
- CIS Docker Benchmark 1.6.0, 5.2: ensure that, if applicable, an AppArmor profile is
  enabled.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import (
    container_path,
    containers,
    mapping,
    pod_path,
    pod_security_context,
    pss_reference,
    quoted,
    text,
)
from socklock.harden.rule import Level, PssCheck, Reference, WorkloadRule, container_key, yaml_fix
from socklock.model import Applicability, Finding, Fix, Severity, Workload
from socklock.model.document import PathElement

ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
ALLOWED_TYPES = ("RuntimeDefault", "Localhost")


def allowed_annotation(value: str) -> bool:
    return value == "" or value == "runtime/default" or value.startswith("localhost/")


class AppArmorProfile(WorkloadRule):
    id = "SLK116"
    name = "apparmor-profile"
    title = "AppArmor profiles must be RuntimeDefault or Localhost"
    severity = Severity.HIGH
    pss = PssCheck("appArmorProfile", Level.BASELINE, (0,))
    references = (
        *pss_reference("AppArmor", "baseline", "check_appArmorProfile.go"),
        Reference(
            "CIS Docker 1.6.0", "5.2", "Ensure that, if applicable, an AppArmor Profile is enabled"
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        obj = workload.obj
        setters: list[tuple[str, tuple[PathElement, ...], str, str]] = []
        profile = mapping(pod_security_context(workload), "appArmorProfile")
        if profile is not None:
            kind = text(profile, "type") or ""
            if kind not in ALLOWED_TYPES:
                setters.append(
                    ("pod", pod_path(workload, "securityContext", "appArmorProfile"), kind, "pod")
                )
        for container in containers(workload):
            profile = mapping(container.security_context, "appArmorProfile")
            if profile is None:
                continue
            kind = text(profile, "type") or ""
            if kind not in ALLOWED_TYPES:
                setters.append(
                    (
                        f"container {quoted(container.name)}",
                        container_path(container, "securityContext", "appArmorProfile"),
                        kind,
                        f"{container_key(container)}.securityContext.appArmorProfile",
                    )
                )
        for who, path, kind, stable in setters:
            yield self.object_finding(
                obj,
                (*path, "type"),
                f"forbidden AppArmor profile ({who} must not set AppArmor profile type to "
                f'"{kind}")',
                yaml_fix(
                    obj,
                    Applicability.UNSAFE,
                    f"set {who}'s AppArmor profile to RuntimeDefault",
                    [(path, "set", {"type": "RuntimeDefault"})],
                    f'someone chose "{kind}"; a program blocked by the default profile fails',
                ),
                stable_path=stable,
            )
        annotations_path: tuple[PathElement, ...] = (
            ("metadata", "annotations")
            if workload.kind == "Pod"
            else (*workload.pod_spec_path[:-1], "metadata", "annotations")
        )
        for key, value in sorted(workload.pod_annotations.items()):
            if key.startswith(ANNOTATION_PREFIX) and not allowed_annotation(value):
                yield self.object_finding(
                    obj,
                    (*annotations_path, key),
                    f"forbidden AppArmor profile (annotation must not set AppArmor profile "
                    f'type to {key}="{value}")',
                    Fix(
                        Applicability.DISPLAY_ONLY,
                        f'set annotation {key} to "runtime/default", or replace it by '
                        "securityContext.appArmorProfile",
                        obj.location.file,
                        (),
                    ),
                )
