"""Containers must drop ``ALL`` capabilities and may add back only ``NET_BIND_SERVICE``.

## What it does
Checks that every container's `securityContext.capabilities.drop` contains `"ALL"`
(exactly: the admission code compares strings, so `all` or `All` fails) and that
`capabilities.add` holds nothing but `NET_BIND_SERVICE` (the restricted profile from
v1.22; pods with `spec.os.name: windows` are exempt from v1.25). At the restricted level
this rule replaces the baseline capabilities rule (SLK113).

## Why is this bad?
Container runtimes grant a default set of capabilities (CHOWN, DAC_OVERRIDE, SETUID,
NET_RAW...). Each one is kernel attack surface and a step towards the host; a service
rarely needs any.

## Example
```yaml
securityContext:
  capabilities:
    drop: [all]
    add: [NET_ADMIN]
```
Use instead:
```yaml
securityContext:
  capabilities:
    drop: [ALL]
```

## Fix safety
Writing `all` as `ALL` is safe: runtimes read capability names without regard to case, so
nothing changes but the admission verdict. Adding `ALL` to `drop`, or removing added
capabilities, is unsafe: a process that needs a capability fails with EPERM. The fix adds
`NET_BIND_SERVICE` back for a container that declares a port below 1024; a database image
that starts as root and switches user needs CHOWN, SETUID and SETGID, which the restricted
profile forbids: run it as its own non-root user instead.

## References
- Pod Security Standards, restricted: "Capabilities".
- kubernetes/pod-security-admission `policy/check_capabilities_restricted.go`.
- CIS Docker Benchmark 1.6.0, 5.4: ensure that Linux kernel capabilities are restricted
  within containers.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context, database_kind
from socklock.harden.pss import (
    container_path,
    containers,
    is_windows,
    join_quote,
    mapping,
    pss_reference,
    quoted,
    string_list,
)
from socklock.harden.rule import Level, PssCheck, Reference, WorkloadRule, container_key, yaml_fix
from socklock.model import Applicability, Container, Finding, Fix, Severity, Workload

REASON = "unrestricted capabilities"
ALL = "ALL"
NET_BIND_SERVICE = "NET_BIND_SERVICE"


class CapabilitiesRestricted(WorkloadRule):
    id = "SLK104"
    name = "capabilities-restricted"
    title = 'Containers must drop "ALL" capabilities and add only NET_BIND_SERVICE'
    severity = Severity.MEDIUM
    pss = PssCheck(
        "capabilities_restricted", Level.RESTRICTED, (22, 25), overrides=("capabilities_baseline",)
    )
    references = (
        *pss_reference("Capabilities", "restricted", "check_capabilities_restricted.go"),
        Reference(
            "CIS Docker 1.6.0",
            "5.4",
            "Ensure that Linux kernel capabilities are restricted within containers",
        ),
    )
    fix_applicability = Applicability.SAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        if ctx.options.pss_version >= 25 and is_windows(workload):
            return
        obj = workload.obj
        for container in containers(workload):
            caps = mapping(container.security_context, "capabilities")
            caps_path = container_path(container, "securityContext", "capabilities")
            drop = string_list(caps, "drop")
            add = string_list(caps, "add")
            stable = f"{container_key(container)}.securityContext.capabilities"
            if ALL not in drop:
                yield self.object_finding(
                    obj,
                    (*caps_path, "drop"),
                    f"{REASON} (container {quoted(container.name)} must set "
                    'securityContext.capabilities.drop=["ALL"])',
                    self._drop_fix(workload, container, caps_path, drop, add),
                    stable_path=f"{stable}.drop",
                )
            forbidden = sorted({c for c in add if c != NET_BIND_SERVICE})
            if forbidden:
                yield self.object_finding(
                    obj,
                    (*caps_path, "add"),
                    f"{REASON} (container {quoted(container.name)} must not include "
                    f"{join_quote(forbidden)} in securityContext.capabilities.add)",
                    yaml_fix(
                        obj,
                        Applicability.UNSAFE,
                        f"stop adding {join_quote(forbidden)} to container "
                        f"{quoted(container.name)}",
                        [((*caps_path, "add"), "remove", cap) for cap in forbidden],
                        f"the process may need {', '.join(forbidden)}",
                    ),
                    stable_path=f"{stable}.add",
                )

    def _drop_fix(
        self,
        workload: Workload,
        container: Container,
        caps_path: tuple[str | int, ...],
        drop: list[str],
        add: list[str],
    ) -> Fix:
        obj = workload.obj
        name = quoted(container.name)
        if any(c.upper() == ALL for c in drop):
            wrong = [c for c in drop if c.upper() == ALL]
            return yaml_fix(
                obj,
                Applicability.SAFE,
                f'write {join_quote(wrong)} as "ALL" in container {name}',
                [((*caps_path, "drop"), "replace", (c, ALL)) for c in wrong],
            )
        edits: list[tuple[tuple[str | int, ...], str, object]] = [
            ((*caps_path, "drop"), "append", ALL)
        ]
        why = "a process that needs a capability fails with EPERM"
        low_ports = sorted({p.container_port for p in container.ports if p.container_port < 1024})
        if low_ports and NET_BIND_SERVICE not in add:
            edits.append(((*caps_path, "add"), "append", NET_BIND_SERVICE))
            why += f"; NET_BIND_SERVICE is kept for port {', '.join(map(str, low_ports))}"
        if database_kind(container.image):
            why += (
                "; a database image that starts as root and switches user needs CHOWN, "
                "SETUID and SETGID, which the restricted profile forbids: run it as its "
                "own non-root user"
            )
        return yaml_fix(
            obj, Applicability.UNSAFE, f'drop "ALL" capabilities in container {name}', edits, why
        )
