"""The image's final stage must switch to a non-root ``USER``.

## What it does
Checks that the final stage of a Dockerfile has a `USER` instruction and that the last one
is not `root` or UID 0 (with or without a group).

## Why is this bad?
Without `USER`, containers of the image run as root unless every runtime that starts it
overrides the user. A process running as root in a container is one kernel or runtime bug
away from root on the host.

## Example
```dockerfile
FROM python:3.12-slim
COPY app.py .
CMD ["python", "app.py"]
```
Use instead:
```dockerfile
FROM python:3.12-slim
COPY app.py .
USER 10001:10001
CMD ["python", "app.py"]
```

## Fix safety
Unsafe: the fix inserts `USER 10001:10001` after the last instruction that builds the image
(`RUN`, `COPY`, `ADD`, `WORKDIR`), before the final `CMD`/`ENTRYPOINT`. A last `USER root`
is replaced only when nothing after it builds; otherwise it stays (a later
`RUN apk add` needs it) and the new `USER` goes after that instruction. Files the process
writes must be writable by that UID, and it can no longer bind ports below 1024. (hadolint
has no rule for a missing `USER`; its DL3002 only flags an explicit last `USER root`.)

## References
- CIS Docker Benchmark 1.6.0, 4.1: ensure that a user for the container has been created.
- hadolint DL3002: last USER should not be root.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from socklock.harden.context import Context
from socklock.harden.rule import DockerfileRule, Reference, line_fix
from socklock.model import Applicability, Dockerfile, Finding, Instruction, LineEdit, Severity

ROOT = ("root", "0")
WHY = (
    "files the process writes must be writable by the new user, and it can no longer bind "
    "ports below 1024"
)


BUILDS = ("RUN", "COPY", "ADD", "WORKDIR")  # a USER inserted goes after the last of these


def _user_line(instructions: Sequence[Instruction]) -> int:
    """Where a USER goes: before the first CMD/ENTRYPOINT that follows the last instruction
    that builds, else after the last instruction (heredoc bodies included)."""
    insert_before = None
    for instruction in instructions:
        if instruction.keyword in BUILDS:
            insert_before = None
        elif instruction.keyword in ("CMD", "ENTRYPOINT") and insert_before is None:
            insert_before = instruction.start_line
    return insert_before if insert_before is not None else instructions[-1].end_line + 1


def is_root(user: str) -> bool:
    return user.split(":", 1)[0].strip().lower() in ROOT


class DockerfileRootUser(DockerfileRule):
    id = "SLK301"
    name = "dockerfile-root-user"
    title = "The final stage must set a non-root USER"
    severity = Severity.HIGH
    references = (
        Reference(
            "CIS Docker 1.6.0", "4.1", "Ensure that a user for the container has been created"
        ),
        Reference("practice", "hadolint DL3002", "Last USER should not be root"),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, dockerfile: Dockerfile, ctx: Context) -> Iterator[Finding]:
        final = dockerfile.final_stage()
        if not final:
            return
        users = [i for i in final if i.keyword == "USER"]
        uid = ctx.options.default_uid
        if users:
            last = users[-1]
            if not is_root(last.value):
                return
            after = [i for i in final if i.start_line > last.end_line]
            if any(i.keyword in BUILDS for i in after):  # they need root: USER goes after
                where = _user_line(after)
                yield self.dockerfile_finding(
                    dockerfile,
                    last,
                    f"the final stage runs as {last.value.strip()}",
                    line_fix(
                        dockerfile,
                        Applicability.UNSAFE,
                        f"add USER {uid}:{uid} after the last instruction that needs root",
                        [LineEdit(where, where - 1, f"USER {uid}:{uid}\n")],
                        WHY,
                    ),
                    column=len("USER ") + 1,
                )
                return
            yield self.dockerfile_finding(
                dockerfile,
                last,
                f"the final stage runs as {last.value.strip()}",
                line_fix(
                    dockerfile,
                    Applicability.UNSAFE,
                    f"run as USER {uid}:{uid}",
                    [LineEdit(last.start_line, last.end_line, f"USER {uid}:{uid}\n")],
                    WHY,
                ),
                column=len("USER ") + 1,
            )
            return
        anchor = final[0]
        where = _user_line(final)
        yield self.dockerfile_finding(
            dockerfile,
            None,
            "the final stage has no USER instruction: containers run as root",
            line_fix(
                dockerfile,
                Applicability.UNSAFE,
                f"add USER {uid}:{uid} to the final stage",
                [LineEdit(where, where - 1, f"USER {uid}:{uid}\n")],
                WHY,
            ),
            line=anchor.start_line,
            detail="no USER",
        )
