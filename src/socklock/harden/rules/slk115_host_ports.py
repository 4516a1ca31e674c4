"""Containers must not bind host ports.

## What it does
Checks that no container port sets `hostPort` to anything but 0 (the baseline profile).

## Why is this bad?
A hostPort opens the port on the node's own addresses, around Services and usually around
NetworkPolicies, and ties the pod to nodes where the port is free.

## Example
```yaml
ports:
  - containerPort: 8080
    hostPort: 8080
```
Use instead: a Service (ClusterIP, or an Ingress in front of it).

## Fix safety
Unsafe: the fix removes `hostPort`; clients that reach the node's port lose the service.

## References
- Pod Security Standards, baseline: "Host Ports".
- kubernetes/pod-security-admission `policy/check_hostPorts.go`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.pss import container_path, containers, pss_reference, quoted
from socklock.harden.rule import Level, PssCheck, WorkloadRule, container_key, yaml_fix
from socklock.model import Applicability, Finding, Severity, Workload


class HostPorts(WorkloadRule):
    id = "SLK115"
    name = "host-ports"
    title = "Containers must not use hostPort"
    severity = Severity.MEDIUM
    pss = PssCheck("hostPorts", Level.BASELINE, (0,))
    references = pss_reference("Host Ports", "baseline", "check_hostPorts.go")
    fix_applicability = Applicability.UNSAFE

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for container in containers(workload):
            ports = container.body.get("ports")
            if not isinstance(ports, list):
                continue
            for index, port in enumerate(ports):
                if not isinstance(port, dict):
                    continue
                host_port = port.get("hostPort")
                if not host_port:
                    continue
                path = container_path(container, "ports", index, "hostPort")
                yield self.object_finding(
                    workload.obj,
                    path,
                    f"hostPort (container {quoted(container.name)} uses hostPort {host_port})",
                    yaml_fix(
                        workload.obj,
                        Applicability.UNSAFE,
                        f"remove hostPort {host_port} from container {quoted(container.name)}",
                        [(path, "remove", None)],
                        "clients that reach the node's port directly lose the service",
                    ),
                    stable_path=f"{container_key(container)}.ports[hostPort={host_port}]",
                )
