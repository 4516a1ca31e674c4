"""Kubernetes NetworkPolicies as Calico enforces them: converted to Calico policies.

Calico does not evaluate a Kubernetes NetworkPolicy beside its own policies by the
Kubernetes rules: it converts each one into a Calico ``NetworkPolicy`` and evaluates that
with its tiers. The conversion (``libcalico-go/lib/backend/k8s/conversion/conversion.go``,
``K8sNetworkPolicyToCalico``, ``k8sRuleToCalico``, ``k8sPeerToCalicoFields``,
``k8sSelectorToCalico`` in github.com/projectcalico/calico) is, to the letter:

- the policy lands in the ``default`` tier at order 1000, in its namespace, selecting
  ``projectcalico.org/orchestrator == 'k8s' && <podSelector>``; its types are its
  ``policyTypes`` (as the API server defaulted them);
- each rule becomes Allow rules, one per (protocol of its ports, peer): a port without a
  protocol is TCP; the ports of one protocol are one rule's destination ports (``port``,
  ``port:endPort``, names); a protocol with a port entry naming no port matches every port;
  no ports: no protocol and no ports; no peers: an empty source (ingress) or destination
  (egress), which matches everything;
- a peer's ``ipBlock`` becomes ``nets: [cidr]`` and ``notNets: [except...]``; a
  ``podSelector`` becomes ``selector`` (with the orchestrator term; a peer without one keeps
  that term alone), a ``namespaceSelector`` becomes ``namespaceSelector`` (``{}``:
  ``all()``; none: the policy's namespace, as for any namespaced Calico rule);
- ``matchLabels`` are ``key == 'value'``, ``In``/``NotIn`` are ``in``/``not in``,
  ``Exists``/``DoesNotExist`` are ``has()``/``! has()``, all joined by ``&&``.

Every pod Calico manages carries ``projectcalico.org/orchestrator: k8s``
(``workload_endpoint_default.go``), so the orchestrator term selects every pod.
"""

from __future__ import annotations

from socklock.model import Protocol
from socklock.policy.addresses import AddressSet
from socklock.policy.api import Direction, NetworkPolicy, Peer, PolicyPort, Rule
from socklock.policy.calico_model import (
    DEFAULT_TIER,
    CalicoPolicy,
    CalicoRule,
    Entity,
    Ports,
)
from socklock.policy.intervals import IntervalSet
from socklock.policy.selectors import LabelSelector, Operator

ORCHESTRATOR = "projectcalico.org/orchestrator"
KNP_ORDER = 1000.0
_PODS = f"{ORCHESTRATOR} == 'k8s'"


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def selector_text(selector: LabelSelector | None, pods: bool) -> str | None:
    """``k8sSelectorToCalico``: a pod selector gets the orchestrator term; a namespace
    selector that is absent is None, one with no terms ``all()``."""
    terms = [_PODS] if pods else []
    if selector is None:
        return " && ".join(terms) if terms else None
    if not pods and not selector.requirements:
        return "all()"
    for r in selector.requirements:
        if r.operator is Operator.IN:
            if len(r.values) == 1:
                terms.append(f"{r.key} == '{r.values[0]}'")
            else:
                terms.append(f"{r.key} in {{ {_quoted(r.values)} }}")
        elif r.operator is Operator.NOT_IN:
            terms.append(f"{r.key} not in {{ {_quoted(r.values)} }}")
        elif r.operator is Operator.EXISTS:
            terms.append(f"has({r.key})")
        else:
            terms.append(f"! has({r.key})")
    return " && ".join(terms) if terms else "all()"


def _peer(peer: Peer | None) -> Entity:
    """``k8sPeerToCalicoFields`` (ports apart)."""
    if peer is None:
        return Entity(None, None, None, None, None, None, None)
    if peer.ip_block is not None:
        block = peer.ip_block
        holes = AddressSet.union(AddressSet.network(h) for h in block.excepts)
        return Entity(
            None,
            None,
            None,
            AddressSet.network(block.cidr),
            holes if block.excepts else None,
            None,
            None,
        )
    return Entity(
        selector_text(peer.pod_selector, pods=True),
        None,
        selector_text(peer.namespace_selector, pods=False),
        None,
        None,
        None,
        None,
    )


def _by_protocol(ports: tuple[PolicyPort, ...]) -> list[tuple[Protocol | None, Ports | None]]:
    """The rule's ports grouped per protocol (sorted by name, as Calico sorts them); a
    protocol with an entry naming no port matches every port (None)."""
    if not ports:
        return [(None, None)]
    grouped: dict[Protocol, Ports | None] = {}
    for entry in ports:
        if entry.port is None:
            grouped[entry.protocol] = None
            continue
        if entry.protocol in grouped and grouped[entry.protocol] is None:
            continue  # every port already
        found = grouped.get(entry.protocol) or Ports(IntervalSet(), frozenset())
        if isinstance(entry.port, str):
            found = Ports(found.numeric, found.named | {entry.port})
        else:
            end = entry.end_port if entry.end_port is not None else entry.port
            found = Ports(found.numeric | IntervalSet.span(entry.port, end), found.named)
        grouped[entry.protocol] = found
    return [(p, grouped[p]) for p in sorted(grouped, key=lambda p: p.value)]


def sides(entity: Entity, ports: Ports | None, ingress: bool) -> tuple[Entity, Entity]:
    """(source, destination) of a converted rule: the peer is the source of an ingress rule
    and the destination of an egress one; the ports are always the destination's."""
    if ingress:
        return entity, Entity(None, None, None, None, None, ports, None)
    destination = Entity(
        entity.selector, None, entity.namespace_selector, entity.nets, entity.not_nets, ports, None
    )
    return Entity(None, None, None, None, None, None, None), destination


def _rules(rule: Rule, ingress: bool) -> list[CalicoRule]:
    """``k8sRuleToCalico``: one Allow rule per (protocol, peer)."""
    peers: list[Peer | None] = list(rule.peers) or [None]
    out: list[CalicoRule] = []
    for protocol, ports in _by_protocol(rule.ports):
        for index, peer in enumerate(peers):
            entity = _peer(peer)
            where = rule.path if peer is None else f"{rule.path}.{'from' if ingress else 'to'}"
            if peer is not None:
                where = f"{where}[{index}]"
            source, destination = sides(entity, ports, ingress)
            out.append(CalicoRule("Allow", protocol, None, source, destination, where))
    return out


def convert(policy: NetworkPolicy) -> CalicoPolicy:
    """``K8sNetworkPolicyToCalico``: the Calico policy Calico enforces for ``policy``."""
    types = frozenset(d.value for d in policy.policy_types)
    return CalicoPolicy(
        policy.name,
        policy.namespace,
        KNP_ORDER,
        selector_text(policy.pod_selector, pods=True) or _PODS,
        None,
        types,
        tuple(r for rule in policy.rules(Direction.INGRESS) for r in _rules(rule, True)),
        tuple(r for rule in policy.rules(Direction.EGRESS) for r in _rules(rule, False)),
        policy.obj,
        DEFAULT_TIER,
        kubernetes=True,
    )


__all__ = ["KNP_ORDER", "ORCHESTRATOR", "convert", "selector_text"]
