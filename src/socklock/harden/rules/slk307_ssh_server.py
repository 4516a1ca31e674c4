"""Images must not run an SSH server.

## What it does
Checks for `EXPOSE 22`, `RUN` steps that install an SSH server (`openssh-server`,
`dropbear`, or `openssh` with apk), and a `CMD`/`ENTRYPOINT` that starts `sshd`.

## Why is this bad?
An SSH server in a container is another long-lived credential store and network service
to patch; `kubectl exec`/`docker exec` give the same access, audited.

## Example
```dockerfile
RUN apt-get install -y openssh-server
EXPOSE 22
```
Use instead: no SSH server; `docker exec` or `kubectl exec` for debugging.

## Fix safety
Display-only: whoever relies on SSH needs another way in first.

## References
- CIS Docker Benchmark 1.6.0, 5.7: ensure sshd is not run within containers.
- CIS Docker Benchmark 1.6.0, 4.3: ensure that unnecessary packages are not installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.dockerfiles import run_command
from socklock.harden.rule import DockerfileRule, Reference
from socklock.model import Applicability, Dockerfile, Finding, Fix, Severity

INSTALL = re.compile(
    r"\b(apt-get|apt|yum|dnf|microdnf|zypper|apk)\b[^;&|]*\b(install|add)\b[^;&|]*"
    r"\b(openssh-server|openssh|dropbear)\b"
)
SSHD = re.compile(r"\bsshd\b|\bdropbear\b")


class SshServer(DockerfileRule):
    id = "SLK307"
    name = "ssh-server"
    title = "Images must not install or expose an SSH server"
    severity = Severity.MEDIUM
    references = (
        Reference("CIS Docker 1.6.0", "5.7", "Ensure sshd is not run within containers"),
        Reference("CIS Docker 1.6.0", "4.3", "Ensure that unnecessary packages are not installed"),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, dockerfile: Dockerfile, ctx: Context) -> Iterator[Finding]:
        for instruction in dockerfile.instructions:
            reason = None
            if instruction.keyword == "EXPOSE":
                ports = [p.split("/")[0] for p in instruction.value.split()]
                if "22" in ports:
                    reason = "EXPOSE 22 publishes an SSH port"
            elif instruction.keyword == "RUN" and INSTALL.search(run_command(instruction)):
                reason = "RUN installs an SSH server"
            elif instruction.keyword in ("CMD", "ENTRYPOINT") and SSHD.search(instruction.value):
                reason = f"{instruction.keyword} starts an SSH server"
            if reason is None:
                continue
            yield self.dockerfile_finding(
                dockerfile,
                instruction,
                reason,
                Fix(
                    Applicability.DISPLAY_ONLY,
                    "remove the SSH server; use docker exec / kubectl exec",
                    dockerfile.path,
                    (),
                ),
            )
