"""Compose services should have a memory limit.

## What it does
Checks that every service sets `deploy.resources.limits.memory` or `mem_limit`.

## Why is this bad?
Without a limit one container (a leak, or an attacker) can use all the host's memory and
make the kernel kill other processes.

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
    deploy:
      resources:
        limits:
          memory: 512M
```

## Fix safety
Unsafe: a service that needs more than 512M is OOM-killed.

## References
- CIS Docker Benchmark 1.6.0, 5.11: ensure that the memory usage for containers is
  limited.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.rule import ComposeRule, Reference, yaml_fix
from socklock.model import Applicability, ComposeService, Finding, Severity

DEFAULT = "512M"


class ComposeMemoryLimit(ComposeRule):
    id = "SLK410"
    name = "compose-memory-limit"
    title = "Compose services should limit their memory"
    severity = Severity.MEDIUM
    references = (
        Reference(
            "CIS Docker 1.6.0", "5.11", "Ensure that the memory usage for containers is limited"
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, service: ComposeService, ctx: Context) -> Iterator[Finding]:
        if service.memory_limit:
            return
        path = ("deploy", "resources", "limits", "memory")
        yield self.compose_finding(
            service,
            path,
            f"service {service.name!r} has no memory limit",
            yaml_fix(
                service,
                Applicability.UNSAFE,
                f"limit memory to {DEFAULT}",
                [(path, "setdefault", DEFAULT)],
                f"a service that needs more than {DEFAULT} is OOM-killed",
            ),
        )
