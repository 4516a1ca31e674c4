"""Pods may set only the sysctls known to be namespaced and safe.

## What it does
Checks every `spec.securityContext.sysctls[*].name` against the allow-list of the
policy version (the baseline profile): `kernel.shm_rmid_forced`,
`net.ipv4.ip_local_port_range`, `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`,
`net.ipv4.ip_unprivileged_port_start`; from v1.27 `net.ipv4.ip_local_reserved_ports`;
from v1.29 `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`,
`net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes`; from v1.32
`net.ipv4.tcp_rmem` and `net.ipv4.tcp_wmem`.

## Why is this bad?
Other sysctls are either not isolated per pod (they change the whole node) or can switch
off security mechanisms of the kernel.

## Example
```yaml
securityContext:
  sysctls:
    - {name: kernel.msgmax, value: "65536"}
```
Use instead: only the allowed sysctls, or tune the node.

## Fix safety
Display-only: the application relies on the value.

## References
- Pod Security Standards, baseline: "Sysctls".
- kubernetes/pod-security-admission `policy/check_sysctls.go`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import pod_path, pod_security_context, pss_reference
from socklock.harden.rule import Level, PssCheck, WorkloadRule
from socklock.model import Applicability, Finding, Fix, Severity, Workload

ALLOWED_1_0 = frozenset(
    {
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
    }
)
ALLOWED_1_27 = ALLOWED_1_0 | {"net.ipv4.ip_local_reserved_ports"}
ALLOWED_1_29 = ALLOWED_1_27 | {
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
}
ALLOWED_1_32 = ALLOWED_1_29 | {"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"}


def allowed_sysctls(minor: int) -> frozenset[str]:
    if minor >= 32:
        return ALLOWED_1_32
    if minor >= 29:
        return ALLOWED_1_29
    if minor >= 27:
        return ALLOWED_1_27
    return ALLOWED_1_0


class Sysctls(WorkloadRule):
    id = "SLK120"
    name = "sysctls"
    title = "Pods must set only safe sysctls"
    severity = Severity.HIGH
    pss = PssCheck("sysctls", Level.BASELINE, (0, 27, 29, 32))
    references = pss_reference("Sysctls", "baseline", "check_sysctls.go")
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        sc = pod_security_context(workload)
        sysctls = sc.get("sysctls") if sc is not None else None
        if not isinstance(sysctls, list):
            return
        allowed = allowed_sysctls(ctx.options.pss_version)
        for index, item in enumerate(sysctls):
            name = str(item.get("name", "")) if isinstance(item, dict) else ""
            if name in allowed:
                continue
            yield self.object_finding(
                workload.obj,
                pod_path(workload, "securityContext", "sysctls", index, "name"),
                f"forbidden sysctls ({name})",
                Fix(
                    Applicability.DISPLAY_ONLY,
                    f"remove sysctl {name} (tune the node instead)",
                    workload.obj.location.file,
                    (),
                ),
                stable_path=f"securityContext.sysctls[name={name}]",
            )
