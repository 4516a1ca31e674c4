"""Compose services should set ``no-new-privileges``.

## What it does
Checks that `security_opt` contains `no-new-privileges:true` (or `no-new-privileges`,
`no-new-privileges=true`).

## Why is this bad?
Without it, a process can gain privileges through set-user-ID binaries or file
capabilities.

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
    security_opt:
      - no-new-privileges:true
```

## Fix safety
Safe: it only stops set-user-ID programs (`sudo`, `su`, `ping` on old images) from gaining
privileges, which a service does not need.

## References
- CIS Docker Benchmark 1.6.0, 5.26: ensure that the container is restricted from acquiring
  additional privileges.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.rule import ComposeRule, Reference, yaml_fix
from socklock.model import Applicability, ComposeService, Finding, Severity

VALUE = "no-new-privileges:true"


def has_no_new_privileges(options: tuple[str, ...]) -> bool:
    for option in options:
        text = option.strip().lower().replace("=", ":")
        if text in ("no-new-privileges", "no-new-privileges:true"):
            return True
    return False


class ComposeNoNewPrivileges(ComposeRule):
    id = "SLK405"
    name = "compose-no-new-privileges"
    title = "Compose services should set security_opt: [no-new-privileges:true]"
    severity = Severity.MEDIUM
    references = (
        Reference(
            "CIS Docker 1.6.0",
            "5.26",
            "Ensure that the container is restricted from acquiring additional privileges",
        ),
    )
    fix_applicability = Applicability.SAFE

    def check(self, service: ComposeService, ctx: Context) -> Iterator[Finding]:
        if has_no_new_privileges(service.security_opt):
            return
        yield self.compose_finding(
            service,
            ("security_opt",),
            f"service {service.name!r} can gain privileges (set security_opt: "
            "[no-new-privileges:true])",
            yaml_fix(
                service,
                Applicability.SAFE,
                "add no-new-privileges:true to security_opt",
                [(("security_opt",), "append", VALUE)],
            ),
        )
