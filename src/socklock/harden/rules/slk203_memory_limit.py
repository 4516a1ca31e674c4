"""Containers should have a memory limit.

## What it does
Checks that every regular and init container sets `resources.limits.memory`.

## Why is this bad?
Without a limit, one container (a leak, or an attacker) can use all the node's memory
and make the kernel kill other pods.

## Example
```yaml
resources: {}
```
Use instead:
```yaml
resources:
  limits:
    memory: 512Mi
```

## Fix safety
Unsafe: a container that needs more memory than the limit is OOM-killed. The fix uses the
container's memory request when it has one, else 512Mi.

## References
- CIS Docker Benchmark 1.6.0, 5.11: ensure that the memory usage for containers is
  limited.
- Kubernetes documentation: resource management for pods and containers.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.limits import resource_findings
from socklock.harden.rule import Reference, WorkloadRule
from socklock.model import Applicability, Finding, Severity, Workload


class MemoryLimit(WorkloadRule):
    id = "SLK203"
    name = "memory-limit"
    title = "Containers should set resources.limits.memory"
    severity = Severity.MEDIUM
    references = (
        Reference(
            "CIS Docker 1.6.0", "5.11", "Ensure that the memory usage for containers is limited"
        ),
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        yield from resource_findings(
            self, workload, "memory", "512Mi", "a container that needs more memory is OOM-killed"
        )
