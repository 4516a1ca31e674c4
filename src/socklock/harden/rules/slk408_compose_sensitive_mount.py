"""Compose services must not bind-mount sensitive host paths.

## What it does
Checks `volumes` (short and long syntax) for bind mounts of `/`, `/etc`, `/proc`, `/sys`,
`/boot`, `/dev`, `/usr`, `/lib`, `/root`, `/var/lib/docker` or anything below them, and of
the Docker socket (`/var/run/docker.sock`, `/run/docker.sock`), which is critical.

## Why is this bad?
The host's configuration, kernel interfaces and devices give a container control of the
host; the Docker socket is root on the host with one API call.

## Example
```yaml
volumes:
  - /var/run/docker.sock:/var/run/docker.sock
```
Use instead: a named volume for the data the service needs, or a socket proxy that allows
only the API calls needed.

## Fix safety
Display-only: what replaces the mount depends on why it is there.

## References
- CIS Docker Benchmark 1.6.0, 5.6: ensure sensitive host system directories are not
  mounted on containers.
- CIS Docker Benchmark 1.6.0, 5.32: ensure that the Docker socket is not mounted inside
  any containers.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.rule import ComposeRule, Reference
from socklock.model import Applicability, ComposeService, Finding, Fix, Severity

SENSITIVE = ("/etc", "/proc", "/sys", "/boot", "/dev", "/usr", "/lib", "/root", "/var/lib/docker")
SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")


def bind_source(volume: object) -> str | None:
    if isinstance(volume, str):
        parts = volume.split(":")
        if len(parts) < 2:
            return None
        source = parts[0]
    elif isinstance(volume, dict):
        if volume.get("type") != "bind" or not isinstance(volume.get("source"), str):
            return None
        source = volume["source"]
    else:
        return None
    if not source.startswith("/"):
        return None  # a named volume or a path relative to the project
    return posixpath.normpath(source)


def sensitivity(source: str) -> Severity | None:
    if source in SOCKETS:
        return Severity.CRITICAL
    if source == "/":
        return Severity.CRITICAL
    if any(source == s or source.startswith(s + "/") for s in SENSITIVE):
        return Severity.HIGH
    return None


class ComposeSensitiveMount(ComposeRule):
    id = "SLK408"
    name = "compose-sensitive-mount"
    title = "Compose services must not mount sensitive host paths or the Docker socket"
    severity = Severity.HIGH
    references = (
        Reference(
            "CIS Docker 1.6.0",
            "5.6",
            "Ensure sensitive host system directories are not mounted on containers",
        ),
        Reference(
            "CIS Docker 1.6.0",
            "5.32",
            "Ensure that the Docker socket is not mounted inside any containers",
        ),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, service: ComposeService, ctx: Context) -> Iterator[Finding]:
        raw = service.body.get("volumes")
        if not isinstance(raw, list):
            return
        for index, volume in enumerate(raw):
            source = bind_source(volume)
            if source is None:
                continue
            severity = sensitivity(source)
            if severity is None:
                continue
            what = "the Docker socket" if source in SOCKETS else f"the host's {source}"
            yield self.compose_finding(
                service,
                ("volumes", index),
                f"service {service.name!r} mounts {what}",
                Fix(
                    Applicability.DISPLAY_ONLY,
                    "replace the bind mount by a named volume (or a socket proxy)",
                    service.location.file,
                    (),
                ),
                stable_path=f"volumes[source={source}]",
                severity=severity,
            )
