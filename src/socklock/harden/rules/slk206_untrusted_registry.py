"""Images should come from an allowed registry.

## What it does
When `socklock.toml` lists `allowed_registries` under `[harden]`, checks that every
container image comes from one of them. An entry is a registry host (`ghcr.io`) or a
prefix (`ghcr.io/acme`); an image written without a registry is from `docker.io`. Without
the setting the rule reports nothing.

## Why is this bad?
Images from registries the organisation does not control escape its scanning, signing and
retention, and can be replaced by whoever owns them.

## Example
```toml
[harden]
allowed_registries = ["registry.example.com"]
```
```yaml
image: docker.io/someone/tool:1.0
```
Use instead: mirror the image into an allowed registry.

## Fix safety
Display-only: the image has to be copied to the allowed registry first.

## References
- CIS Docker Benchmark 1.6.0, 4.2: ensure that containers use only trusted base images.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.images import parse_image, registry_allowed
from socklock.harden.pss import container_path, quoted
from socklock.harden.rule import Reference, WorkloadRule, container_key
from socklock.model import Applicability, Finding, Fix, Severity, Workload


class UntrustedRegistry(WorkloadRule):
    id = "SLK206"
    name = "untrusted-registry"
    title = "Images should come from an allowed registry"
    severity = Severity.MEDIUM
    references = (
        Reference("CIS Docker 1.6.0", "4.2", "Ensure that containers use only trusted base images"),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        allowed = ctx.options.allowed_registries
        if not allowed:
            return
        for container in workload.containers:
            if not container.image or registry_allowed(container.image, allowed):
                continue
            ref = parse_image(container.image)
            yield self.object_finding(
                workload.obj,
                container_path(container, "image"),
                f"image {container.image!r} of container {quoted(container.name)} comes from "
                f"{ref.registry}, not an allowed registry ({', '.join(allowed)})",
                Fix(
                    Applicability.DISPLAY_ONLY,
                    f"copy {ref.full_name} into {allowed[0]} and use it from there",
                    workload.obj.location.file,
                    (),
                ),
                stable_path=f"{container_key(container)}.image",
            )
