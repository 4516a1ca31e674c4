"""Probes and lifecycle handlers must not name a ``host``.

## What it does
From v1.34, checks that `httpGet.host` and `tcpSocket.host` of every container's
liveness, readiness and startup probes and of its `postStart`/`preStop` handlers are
empty (the baseline profile).

## Why is this bad?
The kubelet runs probes and handlers from the node. A `host` makes it connect to any
address in its name: a way to reach services on the node's network that the pod itself
cannot (server-side request forgery through the kubelet).

## Example
```yaml
livenessProbe:
  httpGet: {host: 169.254.169.254, path: /, port: 80}
```
Use instead: leave `host` unset; the kubelet then probes the pod's own IP.

## Fix safety
Unsafe: the fix removes `host`; a probe that really meant another address now probes the
pod.

## References
- Pod Security Standards, baseline: "Probes / Lifecycle Hooks" (v1.34+).
- kubernetes/pod-security-admission `policy/check_hostProbesAndhostLifecycle.go`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import container_path, containers, mapping, pss_reference, quoted, text
from socklock.harden.rule import Level, PssCheck, WorkloadRule, container_key, yaml_fix
from socklock.model import Applicability, Finding, Severity, Workload

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
HANDLERS = ("postStart", "preStop")
ACTIONS = ("httpGet", "tcpSocket")


class ProbeLifecycleHost(WorkloadRule):
    id = "SLK122"
    name = "probe-lifecycle-host"
    title = "Probes and lifecycle handlers must not set host"
    severity = Severity.MEDIUM
    pss = PssCheck("hostProbesAndHostLifecycle", Level.BASELINE, (34,))
    references = pss_reference(
        "Probes / Lifecycle Hooks", "baseline", "check_hostProbesAndhostLifecycle.go"
    )
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for container in containers(workload):
            places: list[tuple[tuple[str, ...], object]] = [
                ((probe,), mapping(container.body, probe)) for probe in PROBES
            ]
            lifecycle = mapping(container.body, "lifecycle")
            places += [(("lifecycle", h), mapping(lifecycle, h)) for h in HANDLERS]
            for where, handler in places:
                for action in ACTIONS:
                    host = text(mapping(handler, action), "host")
                    if not host:
                        continue
                    path = container_path(container, *where, action, "host")
                    yield self.object_finding(
                        workload.obj,
                        path,
                        f"probe or lifecycle host (container {quoted(container.name)} uses "
                        f'probe or lifecycle host "{host}")',
                        yaml_fix(
                            workload.obj,
                            Applicability.UNSAFE,
                            f"remove host from {'.'.join(where)}.{action} of container "
                            f"{quoted(container.name)}",
                            [(path, "remove", None)],
                            "the handler will connect to the pod's own IP instead",
                        ),
                        stable_path=f"{container_key(container)}.{'.'.join(where)}.{action}.host",
                    )
