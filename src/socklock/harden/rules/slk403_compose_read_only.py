"""Compose services should run with a read-only root file system.

## What it does
Checks that every service sets `read_only: true`.

## Why is this bad?
A writable root file system lets an attacker who gets code execution drop tools and
modify the application's files.

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
    read_only: true
    tmpfs: [/tmp]
```

## Fix safety
Unsafe: a process that writes outside its volumes fails. The fix adds a `tmpfs` for
`/tmp`, for each `VOLUME` of the service's own Dockerfile and for the data directories of
well-known database images that no volume covers.

## References
- CIS Docker Benchmark 1.6.0, 5.13: ensure that the container's root filesystem is
  mounted as read only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from socklock.harden.context import Context
from socklock.harden.rule import ComposeRule, Reference, yaml_fix
from socklock.harden.rules.slk201_read_only_root_filesystem import covered
from socklock.model import Applicability, ComposeService, Finding, Severity
from socklock.model.document import PathElement


def volume_targets(service: ComposeService) -> list[str]:
    targets: list[str] = []
    for volume in service.volumes:
        if isinstance(volume, str):
            parts = volume.split(":")
            targets.append(parts[1] if len(parts) >= 2 else parts[0])
        elif isinstance(volume.get("target"), str):
            targets.append(volume["target"])
    tmpfs = service.body.get("tmpfs")
    for entry in [tmpfs] if isinstance(tmpfs, str) else (tmpfs or []):
        targets.append(str(entry).split(":")[0])
    return targets


class ComposeReadOnly(ComposeRule):
    id = "SLK403"
    name = "compose-read-only"
    title = "Compose services should set read_only: true"
    severity = Severity.MEDIUM
    references = (
        Reference(
            "CIS Docker 1.6.0",
            "5.13",
            "Ensure that the container's root filesystem is mounted as read only",
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, service: ComposeService, ctx: Context) -> Iterator[Finding]:
        if service.read_only is True:
            return
        dockerfile = ctx.dockerfile_for_compose(service) or ctx.dockerfile_for_image(service.image)
        mounted = volume_targets(service)
        added = [
            p for p in ctx.writable_paths(service.image, dockerfile) if not covered(p, mounted)
        ]
        edits: list[tuple[tuple[PathElement, ...], str, Any]] = [(("read_only",), "set", True)]
        edits += [(("tmpfs",), "append", path) for path in added]
        tmpfs = f"; tmpfs at {', '.join(added)}" if added else ""
        yield self.compose_finding(
            service,
            ("read_only",),
            f"service {service.name!r} has a writable root file system (set read_only: true)",
            yaml_fix(
                service,
                Applicability.UNSAFE,
                f"make the root file system read-only{tmpfs}",
                edits,
                "a process that writes outside its volumes fails (read-only file system)",
            ),
        )
