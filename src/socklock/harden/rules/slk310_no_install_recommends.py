"""``apt-get install`` should not pull recommended packages.

## What it does
Checks `RUN` steps with `apt-get install` (or `apt install`) for `--no-install-recommends`
(or `-o APT::Install-Recommends=false`).

## Why is this bad?
Recommended packages are not needed to run the software but enlarge the image and its
attack surface: more binaries, more CVEs to patch.

## Example
```dockerfile
RUN apt-get update && apt-get install -y curl
```
Use instead:
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Fix safety
Unsafe: the fix adds `--no-install-recommends` right after `install`; software that
relied on a recommended package (CA certificates are a classic) may break.

## References
- CIS Docker Benchmark 1.6.0, 4.3: ensure that unnecessary packages are not installed in
  the container.
- hadolint DL3015: avoid additional packages by specifying --no-install-recommends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.dockerfiles import run_command
from socklock.harden.rule import DockerfileRule, Reference, line_fix
from socklock.model import Applicability, Dockerfile, Finding, LineEdit, Severity

INSTALL = re.compile(r"\b(apt-get|apt)\s+((?:-\S+\s+)*)install\b")


class NoInstallRecommends(DockerfileRule):
    id = "SLK310"
    name = "no-install-recommends"
    title = "apt-get install should use --no-install-recommends"
    severity = Severity.LOW
    references = (
        Reference(
            "CIS Docker 1.6.0",
            "4.3",
            "Ensure that unnecessary packages are not installed in the container",
        ),
        Reference(
            "practice", "hadolint DL3015", "Avoid additional packages (--no-install-recommends)"
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, dockerfile: Dockerfile, ctx: Context) -> Iterator[Finding]:
        for instruction in dockerfile.instructions:
            if instruction.keyword != "RUN":
                continue
            command = run_command(instruction)
            if not INSTALL.search(command):
                continue
            if "--no-install-recommends" in command or "Install-Recommends=false" in command:
                continue
            fixed = INSTALL.sub(
                lambda m: f"{m.group(1)} {m.group(2)}install --no-install-recommends",
                instruction.original,
            )
            yield self.dockerfile_finding(
                dockerfile,
                instruction,
                "apt-get install without --no-install-recommends",
                line_fix(
                    dockerfile,
                    Applicability.UNSAFE,
                    "add --no-install-recommends",
                    [LineEdit(instruction.start_line, instruction.end_line, fixed)],
                    "software that relied on a recommended package may break",
                ),
            )
