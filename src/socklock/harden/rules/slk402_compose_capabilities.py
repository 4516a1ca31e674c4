"""Compose services should drop all capabilities and add back only what they need.

## What it does
Checks that `cap_drop` contains `ALL` (Docker reads capability names without regard to
case, so `all` counts) and that `cap_add` adds nothing outside the runtime's default set
(`ALL`, `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`... are reported).

## Why is this bad?
Docker grants 14 capabilities by default; each is kernel attack surface and a step
towards the host. A service rarely needs any.

## Example
```yaml
services:
  app:
    image: app:1.0
```
Use instead:
```yaml
services:
  app:
    image: app:1.0
    cap_drop: [ALL]
```

## Fix safety
Unsafe: a process that needs a capability fails with EPERM. The fix adds
`NET_BIND_SERVICE` back for a service that listens below port 1024, and `CHOWN`, `SETUID`
and `SETGID` for well-known database images, which start as root and switch user.

## References
- CIS Docker Benchmark 1.6.0, 5.4: ensure that Linux kernel capabilities are restricted
  within containers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from socklock.harden.context import Context, database_kind
from socklock.harden.rule import ComposeRule, Reference, yaml_fix
from socklock.harden.rules.slk113_capabilities_baseline import DEFAULT_CAPABILITIES
from socklock.model import Applicability, ComposeService, Finding, Severity
from socklock.model.document import PathElement


def normalise(cap: str) -> str:
    cap = cap.strip().upper()
    return cap[4:] if cap.startswith("CAP_") else cap


class ComposeCapabilities(ComposeRule):
    id = "SLK402"
    name = "compose-capabilities"
    title = "Compose services should set cap_drop: [ALL] and a minimal cap_add"
    severity = Severity.MEDIUM
    references = (
        Reference(
            "CIS Docker 1.6.0",
            "5.4",
            "Ensure that Linux kernel capabilities are restricted within containers",
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, service: ComposeService, ctx: Context) -> Iterator[Finding]:
        dropped = {normalise(c) for c in service.cap_drop}
        added = [normalise(c) for c in service.cap_add]
        if "ALL" not in dropped:
            edits: list[tuple[tuple[PathElement, ...], str, Any]] = [
                (("cap_drop",), "append", "ALL")
            ]
            keep: list[str] = []
            if any(p.target < 1024 for p in service.ports) or any(p < 1024 for p in service.expose):
                keep.append("NET_BIND_SERVICE")
            if database_kind(service.image):
                keep += ["CHOWN", "SETUID", "SETGID"]
            edits += [(("cap_add",), "append", cap) for cap in keep if cap not in added]
            kept = f"; keep {', '.join(keep)}" if keep else ""
            yield self.compose_finding(
                service,
                ("cap_drop",),
                f"service {service.name!r} keeps Docker's default capabilities "
                "(set cap_drop: [ALL])",
                yaml_fix(
                    service,
                    Applicability.UNSAFE,
                    f"drop all capabilities{kept}",
                    edits,
                    "a process that needs a capability fails with EPERM",
                ),
            )
        extra = sorted({c for c in added if c not in DEFAULT_CAPABILITIES})
        if extra:
            raw = [c for c in service.cap_add if normalise(c) in extra]
            yield self.compose_finding(
                service,
                ("cap_add",),
                f"service {service.name!r} adds {', '.join(extra)} (beyond the default set)",
                yaml_fix(
                    service,
                    Applicability.UNSAFE,
                    f"stop adding {', '.join(extra)}",
                    [(("cap_add",), "remove", cap) for cap in raw],
                    f"the process may need {', '.join(extra)}",
                ),
                stable_path="cap_add",
            )
