"""The network rules: what the engine finds when it holds NetworkPolicies against the graph.

They are not hardening rules (they judge a policy set against the service graph, not one
object), but they are reported like them: an id that is never reused, a severity, and a
docstring in the hardening rules' sections that ``docs/rules/<id>.md`` is generated from.
"""

from __future__ import annotations

from dataclasses import dataclass

from socklock.model import Severity


@dataclass(frozen=True, slots=True)
class NetworkRule:
    id: str
    name: str
    title: str
    severity: Severity
    documentation: str
    references: tuple[str, ...]
    status: str = "stable"

    def doc(self) -> str:
        return self.documentation


_K8S = "Kubernetes: Network Policies, https://kubernetes.io/docs/concepts/services-networking/network-policies/"

WOULD_BREAK = NetworkRule(
    id="SLK-NP002",
    name="connection-would-break",
    title="A connection the application needs is denied by the NetworkPolicies",
    severity=Severity.HIGH,
    references=(_K8S,),
    documentation="""\
A call of the service graph (or an entry point) that the NetworkPolicies of the input deny.

## What it does
`socklock scan` holds the NetworkPolicies found in its inputs against the service graph it
discovers: every call (not start-order hints such as compose `depends_on`) and every entry
point must be allowed, on its target container port, from every pod of the caller to every
pod of the callee. A connection denied, or allowed for some pods only, is reported at the
evidence of the call (the env value, config line or code that makes it), with the policies
that select each side.

## Why is this bad?
Enforcing these policies breaks the application: the call times out or is refused once a
CNI enforces them. In rollout, the call works only until the policies are applied.

## Example
`orders` calls `payment` on 8080, and the ingress policy of `payment` admits pods labelled
`app.kubernetes.io/name: order`, a label no `orders` pod carries.

Use instead: a rule that admits the caller's pods on the called port; `socklock policy
explain --from NS/CALLER --to NS/CALLEE --port N` shows what each side decides.

## Fix safety
None: the policy or the graph (a call that is not made) must be corrected by a person.

## References
- Kubernetes documentation: Network Policies (behaviour of to and from selectors).
""",
)

STILL_OPEN = NetworkRule(
    id="SLK-NP003",
    name="connection-still-open",
    title="The NetworkPolicies allow a connection that no call needs",
    severity=Severity.MEDIUM,
    references=(_K8S,),
    documentation="""\
A connection the NetworkPolicies of the input allow, though no call or entry point of the
service graph needs it.

## What it does
`socklock scan` lists the connections the policies allow (every pair of workloads, on the
ports the targets declare and those the policies name) and keeps those the graph does not
need. Each is reported at the policy rule that admits it (the ingress rule of the target,
else the egress rule of the source), grouped per source, target and rule, with the ports
and protocols. A connection allowed only because neither side is isolated has no rule to
blame: it is reported once per workload by SLK209 (not-isolated) instead.

## Why is this bad?
Least privilege: each connection the application does not need is a path an attacker in a
compromised pod can take to the next service.

## Example
An ingress rule of `carts-db` that admits every pod of the namespace, where only `carts`
calls it.

Use instead: a peer that selects exactly the callers, and the called ports only
(`socklock policy generate` writes such rules from the graph).

## Fix safety
None: a connection the static analysis did not see may still be needed (a call built at run
time); check the graph first (`socklock map`), or record the call in an intent file.

## References
- Kubernetes documentation: Network Policies.
- NIST SP 800-207, Zero Trust Architecture: least privilege per connection.
""",
)

NETWORK_RULES: tuple[NetworkRule, ...] = (WOULD_BREAK, STILL_OPEN)
BY_ID: dict[str, NetworkRule] = {rule.id: rule for rule in NETWORK_RULES}
