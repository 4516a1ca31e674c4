"""Containers should have a CPU limit.

## What it does
Checks that every regular and init container sets `resources.limits.cpu`.

## Why is this bad?
Without a limit, one container can take every CPU of the node (a busy loop, a crypto
miner) and starve the other pods.

## Example
```yaml
resources: {}
```
Use instead:
```yaml
resources:
  limits:
    cpu: 500m
```

## Fix safety
Unsafe: a CPU limit throttles the container, which can slow down latency-sensitive
services. The fix uses the container's CPU request when it has one, else 500m.

## References
- CIS Docker Benchmark 1.6.0, 5.12: ensure that CPU priority is set appropriately on
  containers.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.limits import resource_findings
from socklock.harden.rule import Reference, WorkloadRule
from socklock.model import Applicability, Finding, Severity, Workload


class CpuLimit(WorkloadRule):
    id = "SLK204"
    name = "cpu-limit"
    title = "Containers should set resources.limits.cpu"
    severity = Severity.LOW
    references = (
        Reference(
            "CIS Docker 1.6.0",
            "5.12",
            "Ensure that CPU priority is set appropriately on containers",
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        yield from resource_findings(
            self, workload, "cpu", "500m", "a CPU limit throttles the container"
        )
