"""Base images should be pinned by digest.

## What it does
Checks every `FROM` (other than `scratch`, an earlier stage's name, or an `ARG`
reference) for a digest (`@sha256:...`). No tag or `:latest` is medium, a tag without
digest low.

## Why is this bad?
Tags move: the same Dockerfile builds different images on different days, so builds are
not reproducible and a compromised upstream tag flows straight into the image.

## Example
```dockerfile
FROM python:3.12-slim
```
Use instead:
```dockerfile
FROM python:3.12-slim@sha256:<digest of the reviewed image>
```

## Fix safety
Display-only: socklock does not contact registries to learn the digest.

## References
- CIS Docker Benchmark 1.6.0, 4.2: ensure that containers use only trusted base images.
- hadolint DL3006 (always tag the image explicitly) and DL3007 (using latest is prone to
  errors).
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.dockerfiles import from_image, stage_names
from socklock.harden.rule import DockerfileRule, Reference
from socklock.harden.rules.slk205_image_not_pinned import pin_problem
from socklock.model import Applicability, Dockerfile, Finding, Fix, Severity


class BaseImageNotPinned(DockerfileRule):
    id = "SLK302"
    name = "base-image-not-pinned"
    title = "FROM should pin the base image by digest"
    severity = Severity.MEDIUM
    references = (
        Reference("CIS Docker 1.6.0", "4.2", "Ensure that containers use only trusted base images"),
        Reference("practice", "hadolint DL3006/DL3007", "Tag the image explicitly, not latest"),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, dockerfile: Dockerfile, ctx: Context) -> Iterator[Finding]:
        earlier: set[str] = set()
        names = stage_names(dockerfile)
        for instruction in dockerfile.instructions:
            if instruction.keyword != "FROM":
                continue
            image = from_image(instruction)
            stage = dockerfile.stages[instruction.stage] if instruction.stage >= 0 else None
            skip = (
                not image
                or image.lower() == "scratch"
                or "$" in image
                or (image.lower() in earlier and image.lower() in names)
            )
            if stage is not None and stage.name:
                earlier.add(stage.name.lower())
            if skip:
                continue
            problem = pin_problem(image)
            if problem is None:
                continue
            text, severity = problem
            column = instruction.original.find(image) + 1 or 1
            yield self.dockerfile_finding(
                dockerfile,
                instruction,
                f"base image {image!r} {text}",
                Fix(
                    Applicability.DISPLAY_ONLY,
                    f"pin the base image: FROM {image.split('@')[0]}@sha256:<digest>",
                    dockerfile.path,
                    (),
                ),
                column=column,
                severity=severity,
            )
