"""Services should not be exposed on every node or to the internet without a reason.

## What it does
Reports Services of type `NodePort` and `LoadBalancer`. A LoadBalancer without
`loadBalancerSourceRanges` is reported as medium, the others as low. Suppress it on the
application's real entry point with `socklock.io/ignore: SLK208 <reason>`.

## Why is this bad?
A NodePort opens the port on every node's addresses; a LoadBalancer usually on a public
address. Either bypasses the Ingress controller where TLS, authentication and rate limits
live, and widens what an attacker can reach.

## Example
```yaml
spec:
  type: NodePort
```
Use instead: `type: ClusterIP` behind an Ingress or a Gateway.

## Fix safety
Display-only: clients that reach the node port would lose the service.

## References
- CIS Docker Benchmark 1.6.0, 5.9: ensure that only needed ports are open on the
  container.
- Kubernetes documentation: Service types.
"""

from __future__ import annotations

from collections.abc import Iterator

from socklock.harden.context import Context
from socklock.harden.rule import Reference, ServiceRule
from socklock.model import Applicability, Finding, Fix, Service, Severity


class ServiceExposed(ServiceRule):
    id = "SLK208"
    name = "service-exposed"
    title = "Services should not be NodePort or open LoadBalancer"
    severity = Severity.MEDIUM
    references = (
        Reference(
            "CIS Docker 1.6.0", "5.9", "Ensure that only needed ports are open on the container"
        ),
    )
    fix_applicability = Applicability.DISPLAY_ONLY

    def check(self, service: Service, ctx: Context) -> Iterator[Finding]:
        if service.type not in ("NodePort", "LoadBalancer"):
            return
        spec = service.obj.body.get("spec")
        ranges = spec.get("loadBalancerSourceRanges") if isinstance(spec, dict) else None
        if service.type == "LoadBalancer" and not ranges:
            text, severity = "a LoadBalancer open to every source address", Severity.MEDIUM
        elif service.type == "LoadBalancer":
            text, severity = "a LoadBalancer (restricted by loadBalancerSourceRanges)", Severity.LOW
        else:
            ports = ", ".join(str(p.node_port) for p in service.ports if p.node_port) or "a port"
            text, severity = f"a NodePort: {ports} open on every node", Severity.LOW
        yield self.object_finding(
            service.obj,
            ("spec", "type"),
            f"Service {service.id} is {text}",
            Fix(
                Applicability.DISPLAY_ONLY,
                "use type ClusterIP behind an Ingress or Gateway (or suppress with "
                "socklock.io/ignore on the real entry point)",
                service.obj.location.file,
                (),
            ),
            severity=severity,
        )
