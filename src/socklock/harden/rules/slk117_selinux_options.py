"""SELinux options must not set a custom user or role, nor an unusual type.

## What it does
Checks `securityContext.seLinuxOptions` of the pod and of every container: `type` must be
empty, `container_t`, `container_init_t`, `container_kvm_t` or (from v1.31)
`container_engine_t`, and `user` and `role` must not be set (the baseline profile).

## Why is this bad?
A custom SELinux type, user or role can give the container a domain that is not confined
like containers are (`spc_t`, `unconfined_t`).

## Example
```yaml
seLinuxOptions:
  type: spc_t
```
Use instead: leave `seLinuxOptions` unset, or set only `level`.

## Fix safety
Display-only: the SELinux policy of the nodes decides what works.

## References
- Pod Security Standards, baseline: "SELinux".
- kubernetes/pod-security-admission `policy/check_seLinuxOptions.go`.
- CIS Docker Benchmark 1.6.0, 5.3: ensure that, if applicable, SELinux security options
  are set.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import (
    mapping,
    pss_reference,
    security_context_fields,
    text,
)
from socklock.harden.rule import Level, PssCheck, Reference, WorkloadRule
from socklock.model import Applicability, Finding, Fix, Severity, Workload, YMap

TYPES_1_0 = frozenset({"", "container_t", "container_init_t", "container_kvm_t"})
TYPES_1_31 = TYPES_1_0 | {"container_engine_t"}


def problems(options: YMap, allowed: frozenset[str]) -> list[str]:
    out: list[str] = []
    kind = text(options, "type") or ""
    if kind not in allowed:
        out.append(f'type "{kind}"')
    if text(options, "user"):
        out.append("user may not be set")
    if text(options, "role"):
        out.append("role may not be set")
    return out


class SELinuxOptions(WorkloadRule):
    id = "SLK117"
    name = "selinux-options"
    title = "seLinuxOptions must not set user, role or an unusual type"
    severity = Severity.HIGH
    pss = PssCheck("seLinuxOptions", Level.BASELINE, (0, 31))
    references = (
        *pss_reference("SELinux", "baseline", "check_seLinuxOptions.go"),
        Reference(
            "CIS Docker 1.6.0",
            "5.3",
            "Ensure that, if applicable, SELinux security options are set",
        ),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        allowed = TYPES_1_31 if ctx.options.pss_version >= 31 else TYPES_1_0
        for field in security_context_fields(workload, "seLinuxOptions"):
            who, path, stable = field.who, field.path, field.stable
            options = mapping(field.context, "seLinuxOptions")
            if options is None:
                continue
            found = problems(options, allowed)
            if not found:
                continue
            yield self.object_finding(
                workload.obj,
                path,
                f"seLinuxOptions ({who} set forbidden securityContext.seLinuxOptions: "
                f"{'; '.join(found)})",
                Fix(
                    Applicability.DISPLAY_ONLY,
                    f"remove user and role from {who}'s seLinuxOptions and use a container type",
                    workload.obj.location.file,
                    (),
                ),
                stable_path=stable,
            )
