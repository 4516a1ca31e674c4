"""Pods should not mount a service account token they do not use.

## What it does
Checks that the pod sets `automountServiceAccountToken: false`, or that its service
account (when the input defines it) does.

## Why is this bad?
Every pod gets a token for its service account by default. An attacker in the container
can use it against the Kubernetes API with whatever rights the account has; most services
never call the API.

## Example
```yaml
spec:
  containers: [...]
```
Use instead:
```yaml
spec:
  automountServiceAccountToken: false
  containers: [...]
```

## Fix safety
Unsafe: an application that calls the Kubernetes API (controllers, operators, service
discovery through the API) loses its credentials.

## References
- CIS Kubernetes Benchmark 5.1.6: ensure that service account tokens are only mounted
  where necessary.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import pod_path
from socklock.harden.rule import Reference, WorkloadRule, yaml_fix
from socklock.model import Applicability, Finding, Severity, Workload


class AutomountServiceAccountToken(WorkloadRule):
    id = "SLK202"
    name = "automount-service-account-token"
    title = "Pods should set automountServiceAccountToken: false"
    severity = Severity.LOW
    references = (
        Reference(
            "CIS Kubernetes",
            "5.1.6",
            "Ensure that Service Account Tokens are only mounted where necessary",
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        value = workload.pod_spec.get("automountServiceAccountToken")
        if value is False:
            return
        account = workload.service_account or "default"
        if value is None and ctx.service_account_automount(workload.namespace, account) is False:
            return
        path = pod_path(workload, "automountServiceAccountToken")
        yield self.object_finding(
            workload.obj,
            path,
            f"the pod mounts a token of service account {account!r} "
            "(set automountServiceAccountToken=false)",
            yaml_fix(
                workload.obj,
                Applicability.UNSAFE,
                "do not mount the service account token",
                [(path, "set", False)],
                "an application that calls the Kubernetes API loses its credentials",
            ),
        )
