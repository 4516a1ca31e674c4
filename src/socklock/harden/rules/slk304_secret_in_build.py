"""Secrets must not be written into ``ENV`` or ``ARG``.

## What it does
Checks `ENV` instructions for a variable whose name looks like a secret (`PASSWORD`,
`SECRET`, `TOKEN`, `KEY`...) with a value, or whose value is a URL with a password, and
`ARG` instructions with a secret-looking name (with or without a default).

## Why is this bad?
`ENV` values are stored in the image's configuration, readable by anyone who can pull it.
`ARG` values are recorded in the image history of every layer built after them.

## Example
```dockerfile
ARG NPM_TOKEN
ENV DB_PASSWORD=hunter2
```
Use instead:
```dockerfile
RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
```
and give `DB_PASSWORD` to the container at run time from a secret store.

## Fix safety
Display-only: the secret has to move to a secret mount or the runtime (and be rotated).

## References
- CIS Docker Benchmark 1.6.0, 4.10: ensure secrets are not stored in Dockerfiles.
- Docker documentation: build secrets.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.dockerfiles import key_values
from socklock.harden.rule import DockerfileRule, Reference
from socklock.harden.secrets import literal_secret, secret_name
from socklock.model import Applicability, Dockerfile, Finding, Fix, Severity


class SecretInBuild(DockerfileRule):
    id = "SLK304"
    name = "secret-in-build"
    title = "ENV and ARG must not hold secrets"
    severity = Severity.HIGH
    references = (
        Reference("CIS Docker 1.6.0", "4.10", "Ensure secrets are not stored in Dockerfiles"),
        Reference("practice", "Docker", "Build secrets (RUN --mount=type=secret)"),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, dockerfile: Dockerfile, ctx: Context) -> Iterator[Finding]:
        for instruction in dockerfile.instructions:
            if instruction.keyword not in ("ENV", "ARG"):
                continue
            for name, value in key_values(instruction):
                if instruction.keyword == "ENV":
                    why = literal_secret(name, value)
                elif secret_name(name):
                    why = f"build argument {name} is recorded in the image history"
                else:
                    why = None
                if why is None:
                    continue
                column = instruction.original.find(name) + 1 or 1
                yield self.dockerfile_finding(
                    dockerfile,
                    instruction,
                    f"{instruction.keyword}: {why}",
                    Fix(
                        Applicability.DISPLAY_ONLY,
                        "use a build secret (RUN --mount=type=secret) or pass it at run time",
                        dockerfile.path,
                        (),
                    ),
                    column=column,
                    detail=name,
                )
