"""Package index updates must not stand alone in a ``RUN``.

## What it does
Checks for `RUN` steps that update a package index (`apt-get update`, `apt update`,
`apk update`, `yum makecache`, `dnf makecache`) without installing anything in the same
step.

## Why is this bad?
The build cache keeps the layer with the old index: a later `RUN apt-get install` in
another step installs whatever versions the cached index names, without security
updates, until the cache is dropped.

## Example
```dockerfile
RUN apt-get update
RUN apt-get install -y curl
```
Use instead:
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
```

## Fix safety
Display-only: merging steps changes the layers and cache of the build.

## References
- CIS Docker Benchmark 1.6.0, 4.7: ensure update instructions are not used alone in the
  Dockerfile.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.dockerfiles import run_command
from socklock.harden.rule import DockerfileRule, Reference
from socklock.model import Applicability, Dockerfile, Finding, Fix, Severity

UPDATE = re.compile(
    r"\b(apt-get|apt|aptitude)\s+(-\S+\s+)*update\b|\bapk\s+update\b|"
    r"\b(yum|dnf)\s+(-\S+\s+)*makecache\b"
)
INSTALL = re.compile(r"\b(install|add|upgrade|dist-upgrade)\b")


class UpdateAlone(DockerfileRule):
    id = "SLK309"
    name = "update-alone"
    title = "Package index updates must be in the same RUN as the install"
    severity = Severity.LOW
    references = (
        Reference(
            "CIS Docker 1.6.0",
            "4.7",
            "Ensure update instructions are not used alone in the Dockerfile",
        ),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, dockerfile: Dockerfile, ctx: Context) -> Iterator[Finding]:
        for instruction in dockerfile.instructions:
            if instruction.keyword != "RUN":
                continue
            command = run_command(instruction)
            if not UPDATE.search(command) or INSTALL.search(UPDATE.sub("", command)):
                continue
            yield self.dockerfile_finding(
                dockerfile,
                instruction,
                "package index update without an install in the same RUN",
                Fix(
                    Applicability.DISPLAY_ONLY,
                    "merge the update into the RUN that installs packages",
                    dockerfile.path,
                    (),
                ),
            )
