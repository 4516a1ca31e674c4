"""Compose services must not share the host's PID, IPC or UTS namespace.

## What it does
Checks that no service sets `pid: host`, `ipc: host` or `uts: host`.

## Why is this bad?
With the host's PID namespace a container sees and can signal (or ptrace) every process
of the host; with its IPC namespace it reads their shared memory; with its UTS namespace
it can change the host's name.

## Example
```yaml
services:
  app:
    pid: host
```
Use instead: leave them unset.

## Fix safety
Unsafe: the fix removes the fields; a monitoring agent that needs them stops working.

## References
- CIS Docker Benchmark 1.6.0, 5.16: ensure that the host's process namespace is not shared.
- CIS Docker Benchmark 1.6.0, 5.17: ensure that the host's IPC namespace is not shared.
- CIS Docker Benchmark 1.6.0, 5.21: ensure that the host's UTS namespace is not shared.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.rule import ComposeRule, Reference, yaml_fix
from socklock.model import Applicability, ComposeService, Finding, Severity

FIELDS = ("pid", "ipc", "uts")


class ComposeHostNamespaces(ComposeRule):
    id = "SLK407"
    name = "compose-host-namespaces"
    title = "Compose services must not set pid, ipc or uts to host"
    severity = Severity.HIGH
    references = (
        Reference(
            "CIS Docker 1.6.0", "5.16", "Ensure that the host's process namespace is not shared"
        ),
        Reference("CIS Docker 1.6.0", "5.17", "Ensure that the host's IPC namespace is not shared"),
        Reference("CIS Docker 1.6.0", "5.21", "Ensure that the host's UTS namespace is not shared"),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, service: ComposeService, ctx: Context) -> Iterator[Finding]:
        for field in FIELDS:
            if service.body.get(field) != "host":
                continue
            yield self.compose_finding(
                service,
                (field,),
                f"service {service.name!r} shares the host's {field.upper()} namespace",
                yaml_fix(
                    service,
                    Applicability.UNSAFE,
                    f"remove {field}: host",
                    [((field,), "remove", None)],
                    f"a tool that needs the host's {field.upper()} namespace stops working",
                ),
            )
