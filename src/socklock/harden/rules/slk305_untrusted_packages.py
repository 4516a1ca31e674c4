"""Packages must be installed from verified sources only.

## What it does
Checks `RUN` commands for package installs that switch verification off
(`apk add --allow-untrusted`, `apt-get --allow-unauthenticated`,
`--allow-insecure-repositories`, `--force-yes`, `yum`/`dnf`/`zypper --nogpgcheck`,
`rpm --nosignature`, `pip --trusted-host`, `npm config set strict-ssl false`) and for
scripts piped from the network into a shell (`curl ... | sh`, `wget -O- ... | bash`).

## Why is this bad?
An unverified package or script runs as root during the build with whatever content the
network (or whoever controls it) delivered.

## Example
```dockerfile
RUN curl -fsSL https://get.example.com | sh
```
Use instead: download to a file, check its digest or signature, then run it.

## Fix safety
Display-only: a verified source has to be chosen.

## References
- CIS Docker Benchmark 1.6.0, 4.11: ensure only verified packages are installed.
- CIS Docker Benchmark 1.6.0, 4.12: ensure all signed artifacts are validated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.dockerfiles import run_command
from socklock.harden.rule import DockerfileRule, Reference
from socklock.model import Applicability, Dockerfile, Finding, Fix, Severity

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bapk\b[^|;&]*--allow-untrusted"), "apk --allow-untrusted"),
    (re.compile(r"\bapt(-get)?\b[^|;&]*--allow-unauthenticated"), "apt --allow-unauthenticated"),
    (
        re.compile(r"\bapt(-get)?\b[^|;&]*--allow-insecure-repositories"),
        "apt --allow-insecure-repositories",
    ),
    (re.compile(r"\bapt(-get)?\b[^|;&]*--force-yes"), "apt --force-yes"),
    (re.compile(r"\b(yum|dnf|microdnf|tdnf|zypper)\b[^|;&]*--nogpgcheck"), "--nogpgcheck"),
    (re.compile(r"\bzypper\b[^|;&]*--no-gpg-checks"), "zypper --no-gpg-checks"),
    (re.compile(r"\brpm\b[^|;&]*--nosignature"), "rpm --nosignature"),
    (re.compile(r"\bpip3?\b[^|;&]*--trusted-host"), "pip --trusted-host"),
    (re.compile(r"\bnpm\s+config\s+set\s+strict-ssl\s+false"), "npm strict-ssl false"),
    (
        re.compile(r"\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da)?sh\b"),
        "a downloaded script piped into a shell",
    ),
)


class UntrustedPackages(DockerfileRule):
    id = "SLK305"
    name = "untrusted-packages"
    title = "RUN must not install unverified packages or pipe downloads into a shell"
    severity = Severity.HIGH
    references = (
        Reference("CIS Docker 1.6.0", "4.11", "Ensure only verified packages are installed"),
        Reference("CIS Docker 1.6.0", "4.12", "Ensure all signed artifacts are validated"),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, dockerfile: Dockerfile, ctx: Context) -> Iterator[Finding]:
        for instruction in dockerfile.instructions:
            if instruction.keyword != "RUN":
                continue
            command = run_command(instruction)
            for pattern, what in PATTERNS:
                if not pattern.search(command):
                    continue
                yield self.dockerfile_finding(
                    dockerfile,
                    instruction,
                    f"unverified install: {what}",
                    Fix(
                        Applicability.DISPLAY_ONLY,
                        "install from a signed repository, or check the download's digest "
                        "before running it",
                        dockerfile.path,
                        (),
                    ),
                    detail=what,
                )
