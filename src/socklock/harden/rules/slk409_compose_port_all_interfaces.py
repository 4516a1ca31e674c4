"""Published ports should be bound to a specific host address.

## What it does
Checks `ports` entries that publish a port without a host address (or with `0.0.0.0` or
`::`): those listen on every interface of the host.

## Why is this bad?
Docker inserts its own firewall rules for published ports, ahead of the host's firewall:
a port published on all interfaces is reachable from every network the host is on.

## Example
```yaml
ports:
  - "8079:8080"
```
Use instead:
```yaml
ports:
  - "127.0.0.1:8079:8080"
```

## Fix safety
Unsafe: the fix binds the port to 127.0.0.1; other machines can no longer reach it (put a
reverse proxy in front, or bind the address of the interface meant to serve).

## References
- CIS Docker Benchmark 1.6.0, 5.14: ensure that incoming container traffic is bound to a
  specific host interface.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from socklock.harden.context import Context
from socklock.harden.rule import ComposeRule, Reference, yaml_fix
from socklock.model import Applicability, ComposeService, Finding, Severity

ANY = (None, "", "0.0.0.0", "::", "[::]")


class ComposePortAllInterfaces(ComposeRule):
    id = "SLK409"
    name = "compose-port-all-interfaces"
    title = "Published ports should bind a specific host address"
    severity = Severity.MEDIUM
    references = (
        Reference(
            "CIS Docker 1.6.0",
            "5.14",
            "Ensure that incoming container traffic is bound to a specific host interface",
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, service: ComposeService, ctx: Context) -> Iterator[Finding]:
        raw = service.body.get("ports")
        if not isinstance(raw, list):
            return
        published = {p.location.line: p for p in service.ports}
        for index, entry in enumerate(raw):
            line = raw.item_positions[index][0] if hasattr(raw, "item_positions") else 0
            port = published.get(line)
            if port is None or port.host_ip not in ANY:
                continue
            edit: tuple[tuple[str | int, ...], str, Any]
            if isinstance(entry, dict):
                edit = (("ports", index, "host_ip"), "set", "127.0.0.1")
                shown = f"{port.published or ''}:{port.target}"
            else:
                text = str(entry)
                for prefix in ("0.0.0.0:", "[::]:", ":::"):
                    if text.startswith(prefix):
                        text = text[len(prefix) :]
                        break
                if port.published is None:  # ``9200``: a host port Docker picks, kept so
                    text = f":{text}"  # (``127.0.0.1:9200`` would read as HOST:CONTAINER)
                edit = (("ports",), "replace", (entry, f"127.0.0.1:{text}"))
                shown = str(entry)
            yield self.compose_finding(
                service,
                ("ports", index),
                f"service {service.name!r} publishes {shown} on every host interface",
                yaml_fix(
                    service,
                    Applicability.UNSAFE,
                    "bind the published port to 127.0.0.1",
                    [edit],
                    "other machines can no longer reach the port",
                ),
                stable_path=f"ports[{port.target}/{port.protocol}]",
            )
