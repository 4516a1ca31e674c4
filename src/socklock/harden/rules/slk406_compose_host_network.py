"""Compose services must not use the host's network.

## What it does
Checks that no service sets `network_mode: host`.

## Why is this bad?
With the host's network namespace the container sees every interface of the host, can
bind its ports and reach services bound to localhost, and escapes the project's networks.

## Example
```yaml
services:
  app:
    network_mode: host
```
Use instead: the project's networks and published ports.

## Fix safety
Unsafe: the fix removes `network_mode`; peers that reached the service on the host's
address must use the project's network or a published port.

## References
- CIS Docker Benchmark 1.6.0, 5.10: ensure that the host's network namespace is not shared.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.rule import ComposeRule, Reference, yaml_fix
from socklock.model import Applicability, ComposeService, Finding, Severity


class ComposeHostNetwork(ComposeRule):
    id = "SLK406"
    name = "compose-host-network"
    title = "Compose services must not set network_mode: host"
    severity = Severity.HIGH
    references = (
        Reference(
            "CIS Docker 1.6.0", "5.10", "Ensure that the host's network namespace is not shared"
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, service: ComposeService, ctx: Context) -> Iterator[Finding]:
        if service.network_mode != "host":
            return
        yield self.compose_finding(
            service,
            ("network_mode",),
            f"service {service.name!r} shares the host's network namespace",
            yaml_fix(
                service,
                Applicability.UNSAFE,
                "remove network_mode: host",
                [(("network_mode",), "remove", None)],
                "peers that used the host's address must use the project network or a port",
            ),
        )
