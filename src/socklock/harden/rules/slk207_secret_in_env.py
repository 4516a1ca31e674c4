"""Secrets must not be written as literal environment values.

## What it does
Checks every container's `env` for a literal `value` whose name looks like a secret
(`PASSWORD`, `SECRET`, `TOKEN`, `KEY`, `CREDENTIALS`, `AUTH`... as a word of the name, not
`..._FILE` or `..._PATH`), and for URLs with a password in them
(`mysql://user:password@host`).

## Why is this bad?
A literal value is stored in the manifest, in version control, in the API server's
objects readable by anyone who can read the Deployment, and in every copy of the file.

## Example
```yaml
env:
  - name: MYSQL_ROOT_PASSWORD
    value: "fakepassword"
```
Use instead:
```yaml
env:
  - name: MYSQL_ROOT_PASSWORD
    valueFrom:
      secretKeyRef: {name: catalogue-db, key: root-password}
```

## Fix safety
Display-only: the Secret has to be created (and the value rotated, since it was exposed).

## References
- Kubernetes documentation: good practices for Kubernetes Secrets.
- CIS Kubernetes Benchmark 5.4.1: prefer using secrets as files over secrets as
  environment variables.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import container_path, quoted
from socklock.harden.rule import Reference, WorkloadRule, container_key
from socklock.harden.secrets import literal_secret
from socklock.model import Applicability, Finding, Fix, Severity, Workload


class SecretInEnv(WorkloadRule):
    id = "SLK207"
    name = "secret-in-env"
    title = "Secrets must come from a Secret, not a literal env value"
    severity = Severity.HIGH
    references = (
        Reference("practice", "Kubernetes", "Good practices for Kubernetes Secrets"),
        Reference(
            "CIS Kubernetes",
            "5.4.1",
            "Prefer using secrets as files over secrets as environment variables",
        ),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for container in workload.containers:
            env = container.body.get("env")
            if not isinstance(env, list):
                continue
            for index, var in enumerate(env):
                if not isinstance(var, dict) or not isinstance(var.get("name"), str):
                    continue
                value = var.get("value")
                why = literal_secret(var["name"], value if isinstance(value, str) else None)
                if why is None:
                    continue
                yield self.object_finding(
                    workload.obj,
                    container_path(container, "env", index, "value"),
                    f"container {quoted(container.name)}: {why}",
                    Fix(
                        Applicability.DISPLAY_ONLY,
                        f"move {var['name']} into a Secret and read it with "
                        "valueFrom.secretKeyRef (then rotate the exposed value)",
                        workload.obj.location.file,
                        (),
                    ),
                    stable_path=f"{container_key(container)}.env[name={var['name']}]",
                )
