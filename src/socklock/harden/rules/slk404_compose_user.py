"""Compose services must not run as root.

## What it does
Checks that a service sets a non-root `user`, or that its own Dockerfile (found through
`build`) ends with a non-root `USER`. `user: root` or `user: "0"` is always reported.

## Why is this bad?
A process running as root in the container is one kernel or runtime bug away from root on
the host.

## Example
```yaml
services:
  db:
    image: mysql:8.4
```
Use instead:
```yaml
services:
  db:
    image: mysql:8.4
    user: "10001:10001"
```

## Fix safety
Unsafe: the fix sets `user` to the numeric `USER` of the service's own Dockerfile when it
has one, else 10001. Files the process writes (volumes included) must be writable by that
UID.

## References
- CIS Docker Benchmark 1.6.0, 4.1: ensure that a user for the container has been created.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context, final_user
from socklock.harden.rule import ComposeRule, Reference, yaml_fix
from socklock.harden.rules.slk301_dockerfile_root_user import is_root
from socklock.model import Applicability, ComposeService, Finding, Severity


class ComposeUser(ComposeRule):
    id = "SLK404"
    name = "compose-user"
    title = "Compose services must run as a non-root user"
    severity = Severity.HIGH
    references = (
        Reference(
            "CIS Docker 1.6.0", "4.1", "Ensure that a user for the container has been created"
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, service: ComposeService, ctx: Context) -> Iterator[Finding]:
        dockerfile = ctx.dockerfile_for_compose(service) or ctx.dockerfile_for_image(service.image)
        if service.user is not None:
            if not is_root(service.user):
                return
            message = f"service {service.name!r} runs as {service.user}"
        else:
            image_user = final_user(dockerfile) if dockerfile is not None else None
            if image_user is not None and not is_root(image_user):
                return
            message = f"service {service.name!r} runs as root (no user, and " + (
                f"{dockerfile.path} sets no non-root USER)"
                if dockerfile is not None
                else "no Dockerfile of the image in the input)"
            )
        choice = ctx.user_for(dockerfile)
        yield self.compose_finding(
            service,
            ("user",),
            message,
            yaml_fix(
                service,
                Applicability.UNSAFE,
                f'run as user "{choice.uid}:{choice.uid}" ({choice.source})',
                [(("user",), "set", f"{choice.uid}:{choice.uid}")],
                "files the process writes (volumes included) must be writable by that user",
            ),
        )
