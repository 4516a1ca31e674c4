"""Compose services must not be privileged.

## What it does
Checks that no service sets `privileged: true`.

## Why is this bad?
A privileged container has every capability and device of the host and no seccomp or
AppArmor confinement: it is root on the host.

## Example
```yaml
services:
  app:
    privileged: true
```
Use instead: leave `privileged` out; add only the capabilities the process needs.

## Fix safety
Unsafe: the fix removes `privileged`; a service that manages the host stops working.

## References
- CIS Docker Benchmark 1.6.0, 5.5: ensure that privileged containers are not used.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.rule import ComposeRule, Reference, yaml_fix
from socklock.model import Applicability, ComposeService, Finding, Severity


class ComposePrivileged(ComposeRule):
    id = "SLK401"
    name = "compose-privileged"
    title = "Compose services must not set privileged: true"
    severity = Severity.CRITICAL
    references = (
        Reference("CIS Docker 1.6.0", "5.5", "Ensure that privileged containers are not used"),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, service: ComposeService, ctx: Context) -> Iterator[Finding]:
        if service.privileged is not True:
            return
        yield self.compose_finding(
            service,
            ("privileged",),
            f"service {service.name!r} is privileged",
            yaml_fix(
                service,
                Applicability.UNSAFE,
                "remove privileged",
                [(("privileged",), "remove", None)],
                "a service that manages the host (devices, networking) stops working",
            ),
        )
