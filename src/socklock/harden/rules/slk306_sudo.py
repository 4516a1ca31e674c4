"""Do not use ``sudo`` in a Dockerfile.

## What it does
Checks `RUN` commands for `sudo`.

## Why is this bad?
Build steps run as the current `USER` already; `sudo` in an image means it is installed
and configured, which gives any process of the container a path back to root, and its
TTY and signal handling is unpredictable in containers.

## Example
```dockerfile
USER app
RUN sudo apt-get install -y curl
```
Use instead: run the step before `USER app`, as root, and switch user afterwards.

## Fix safety
Display-only: the instructions need reordering around `USER`.

## References
- hadolint DL3004: do not use sudo.
- CIS Docker Benchmark 1.6.0, 4.8: ensure setuid and setgid permissions are removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.dockerfiles import run_command, segments
from socklock.harden.rule import DockerfileRule, Reference
from socklock.model import Applicability, Dockerfile, Finding, Fix, Severity

SUDO = re.compile(r"^(?:\S+=\S+\s+)*sudo\b")


class Sudo(DockerfileRule):
    id = "SLK306"
    name = "sudo"
    title = "RUN must not use sudo"
    severity = Severity.MEDIUM
    references = (
        Reference("practice", "hadolint DL3004", "Do not use sudo"),
        Reference("CIS Docker 1.6.0", "4.8", "Ensure setuid and setgid permissions are removed"),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, dockerfile: Dockerfile, ctx: Context) -> Iterator[Finding]:
        for instruction in dockerfile.instructions:
            if instruction.keyword != "RUN":
                continue
            if not any(SUDO.match(s) for s in segments(run_command(instruction))):
                continue
            yield self.dockerfile_finding(
                dockerfile,
                instruction,
                "RUN uses sudo",
                Fix(
                    Applicability.DISPLAY_ONLY,
                    "run the step as root before the USER instruction, without sudo",
                    dockerfile.path,
                    (),
                ),
            )
