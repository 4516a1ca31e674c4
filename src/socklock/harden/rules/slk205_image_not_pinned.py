"""Container images should be pinned by digest.

## What it does
Checks that every container's `image` carries a digest (`@sha256:...`). An image with no
tag or with `:latest` is worse (medium) than one pinned by a tag only (low).

## Why is this bad?
A tag is a moving pointer: the registry can serve different content under it tomorrow, so
what runs is not what was reviewed or scanned, rollbacks are not reproducible, and a
compromised registry account can replace the image in place.

## Example
```yaml
image: nginx:latest
```
Use instead:
```yaml
image: nginx:1.27.2@sha256:<digest of the reviewed image>
```

## Fix safety
Display-only: the digest must come from the registry (`crane digest`, `docker buildx
imagetools inspect`), which socklock does not contact.

## References
- CIS Docker Benchmark 1.6.0, 5.28: ensure that Docker commands always make use of the
  latest version of their image (pin what you reviewed).
- Kubernetes documentation: images, "image pull policy" and digests.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.images import parse_image
from socklock.harden.pss import container_path, quoted
from socklock.harden.rule import Reference, WorkloadRule, container_key
from socklock.model import Applicability, Finding, Fix, Severity, Workload


def pin_problem(image: str) -> tuple[str, Severity] | None:
    ref = parse_image(image)
    if ref.digest:
        return None
    if ref.tag is None:
        return ("has no tag (it means :latest) and no digest", Severity.MEDIUM)
    if ref.tag == "latest":
        return ("uses the :latest tag and no digest", Severity.MEDIUM)
    return ("is pinned by tag only, not by digest", Severity.LOW)


class ImageNotPinned(WorkloadRule):
    id = "SLK205"
    name = "image-not-pinned"
    title = "Images should be pinned by digest"
    severity = Severity.MEDIUM
    references = (
        Reference(
            "CIS Docker 1.6.0",
            "5.28",
            "Ensure that Docker commands always make use of the latest version of their image",
        ),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for container in workload.containers:
            if not container.image:
                continue
            problem = pin_problem(container.image)
            if problem is None:
                continue
            text, severity = problem
            yield self.object_finding(
                workload.obj,
                container_path(container, "image"),
                f"image {container.image!r} of container {quoted(container.name)} {text}",
                Fix(
                    Applicability.DISPLAY_ONLY,
                    f"pin {container.image} by digest: image: "
                    f"{container.image.split('@')[0]}@sha256:<digest>",
                    workload.obj.location.file,
                    (),
                ),
                stable_path=f"{container_key(container)}.image",
                severity=severity,
            )
