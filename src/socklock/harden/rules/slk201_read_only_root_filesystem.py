"""Containers should mount their root file system read-only.

## What it does
Checks that every regular and init container sets
`securityContext.readOnlyRootFilesystem: true`. (The Pod Security Standards have no such
control; this is the CIS Docker and NSA/CISA hardening practice.)

## Why is this bad?
A writable root file system lets an attacker who gets code execution drop tools, modify
the application's own files and persist across process restarts in the container.

## Example
```yaml
containers:
  - name: carts
    image: socklock-demo/carts:0.1
```
Use instead:
```yaml
containers:
  - name: carts
    image: socklock-demo/carts:0.1
    securityContext:
      readOnlyRootFilesystem: true
    volumeMounts:
      - name: tmp
        mountPath: /tmp
volumes:
  - name: tmp
    emptyDir: {}
```

## Fix safety
Unsafe: a process that writes outside its mounted volumes fails with EROFS. The fix mounts
an `emptyDir` at `/tmp`, at each `VOLUME` of the image's own Dockerfile and at the data
directories of well-known database images, but it cannot know every path an image writes.

## References
- CIS Docker Benchmark 1.6.0, 5.13: ensure that the container's root filesystem is
  mounted as read only.
- NSA/CISA Kubernetes Hardening Guidance: immutable container file systems.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from socklock.harden.context import Context
from socklock.harden.pss import container_path, flag, pod_path, quoted
from socklock.harden.rule import Reference, WorkloadRule, container_key, yaml_fix
from socklock.model import Applicability, Container, ContainerRole, Finding, Severity, Workload
from socklock.model.document import PathElement


def volume_name(path: str) -> str:
    if path == "/tmp":
        return "tmp"
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")[:63] or "data"


def covered(path: str, mounts: list[str]) -> bool:
    return any(path == m or path.startswith(m.rstrip("/") + "/") for m in mounts)


class ReadOnlyRootFilesystem(WorkloadRule):
    id = "SLK201"
    name = "read-only-root-filesystem"
    title = "Containers should set readOnlyRootFilesystem: true"
    severity = Severity.MEDIUM
    references = (
        Reference(
            "CIS Docker 1.6.0",
            "5.13",
            "Ensure that the container's root filesystem is mounted as read only",
        ),
        Reference(
            "practice",
            "NSA/CISA Kubernetes Hardening Guidance",
            "Use immutable container file systems",
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for container in workload.containers:
            if container.role is ContainerRole.EPHEMERAL:
                continue
            if flag(container.security_context, "readOnlyRootFilesystem") is True:
                continue
            path = container_path(container, "securityContext", "readOnlyRootFilesystem")
            yield self.object_finding(
                workload.obj,
                path,
                f"container {quoted(container.name)} has a writable root file system "
                "(set securityContext.readOnlyRootFilesystem=true)",
                self._fix(workload, container, ctx),
                stable_path=f"{container_key(container)}.securityContext.readOnlyRootFilesystem",
            )

    def _fix(self, workload: Workload, container: Container, ctx: Context) -> Any:
        dockerfile = ctx.dockerfile_for_image(container.image)
        writable = ctx.writable_paths(container.image, dockerfile)
        mounted = [m.mount_path for m in container.volume_mounts]
        edits: list[tuple[tuple[PathElement, ...], str, Any]] = [
            (container_path(container, "securityContext", "readOnlyRootFilesystem"), "set", True)
        ]
        added: list[str] = []
        for path in writable:
            if covered(path, mounted):
                continue
            name = volume_name(path)
            edits.append(
                (
                    container_path(container, "volumeMounts"),
                    "append",
                    {"name": name, "mountPath": path},
                )
            )
            edits.append((pod_path(workload, "volumes"), "append", {"name": name, "emptyDir": {}}))
            added.append(path)
        mounts = f"; emptyDir at {', '.join(added)}" if added else ""
        return yaml_fix(
            workload.obj,
            Applicability.UNSAFE,
            f"make container {quoted(container.name)}'s root file system read-only{mounts}",
            edits,
            "a process that writes outside its volumes fails (read-only file system); "
            "check the paths the image writes",
        )
