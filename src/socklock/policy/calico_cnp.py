"""ClusterNetworkPolicies as Calico enforces them: converted to Calico policies in its tiers.

Current Calico releases convert each ``policy.networking.k8s.io/v1alpha2``
ClusterNetworkPolicy into a GlobalNetworkPolicy of a tier of their own and evaluate it with
the other tiers (``libcalico-go/lib/backend/k8s/conversion/clusternetworkpolicy.go``,
``K8sClusterNetworkPolicyToCalico`` in github.com/projectcalico/calico). To the letter:

- ``tier: Admin`` goes to the ``kube-admin`` tier (order 1000, defaultAction Pass),
  ``Baseline`` to ``kube-baseline`` (order 10,000,000, Pass): ``clusterNetworkPolicyTier``,
  the tiers' values pinned in ``api/pkg/apis/projectcalico/v3/tier.go``;
- ``order`` is the ``priority``; ties go by ``<name>//KubernetesClusterNetworkPolicy``
  (``PolKVLess``);
- the subject: ``namespaces`` is the ``namespaceSelector`` and the orchestrator term the
  ``selector``; ``pods`` is its ``namespaceSelector`` and ``podSelector``
  (``k8sSelectorToCalico``: ``{}`` is ``all()`` for namespaces, the orchestrator term for
  pods);
- ``types``: Ingress when there are ingress rules, Egress when egress rules;
- each rule: ``Accept`` is Allow, Deny and Pass are themselves; one rule per (protocol,
  peer), the protocols sorted by name with a destinationNamedPort under no protocol
  (``unpackCNPProtocols``): ``tcp``/``udp``/``sctp`` ports and ranges are that protocol's
  destination ports, a named port matches the destination's port of that name with its own
  protocol; no ``protocols``: no protocol and no ports;
- a peer: ``namespaces`` is a ``namespaceSelector`` (ingress: with an empty ``selector``),
  ``pods`` its ``namespaceSelector`` and ``podSelector``, ``networks`` are ``nets``.

What :mod:`.cnp_api` refuses stays refused (``nodes`` and ``domainNames`` peers among
them; Calico turns a Deny or Pass rule naming one into a deny-all rule and drops an Accept
one, ``k8sClusterNetPolHandleFailedRules``).
"""

from __future__ import annotations

from socklock.model import Protocol
from socklock.policy.addresses import AddressSet
from socklock.policy.admin_api import Action, AdminPeer, AdminPolicy, AdminRule, Selection, Tier
from socklock.policy.calico_knp import selector_text, sides
from socklock.policy.calico_model import FIXED_TIERS, CalicoPolicy, CalicoRule, CalicoTier, Entity
from socklock.policy.calico_model import Ports as CalicoPorts
from socklock.policy.intervals import IntervalSet

ADMIN_TIER = "kube-admin"
BASELINE_TIER = "kube-baseline"
TIERS = {Tier.ADMIN: ADMIN_TIER, Tier.BASELINE: BASELINE_TIER}
_ACTIONS = {Action.ALLOW: "Allow", Action.DENY: "Deny", Action.PASS: "Pass"}


def cnp_tiers() -> tuple[CalicoTier, ...]:
    """The two tiers Calico creates for ClusterNetworkPolicies (``ensureTierExists`` in
    ``libcalico-go/lib/clientv3/client.go``), as their validation pins them."""
    return tuple(CalicoTier(name, *FIXED_TIERS[name]) for name in (ADMIN_TIER, BASELINE_TIER))


def _selection(selection: Selection) -> tuple[str | None, str | None]:
    """(selector, namespaceSelector) of a subject or peer."""
    pods = selector_text(selection.pods, pods=True)
    return pods, selector_text(selection.namespaces, pods=False) or "all()"


def _peer(peer: AdminPeer) -> Entity:
    if peer.selection is not None:
        selector, namespaces = _selection(peer.selection)
        if peer.selection.pods is None:
            selector = None  # a namespaces peer: every endpoint of those namespaces
        return Entity(selector, None, namespaces, None, None, None, None)
    nets = AddressSet.union(AddressSet.network(n) for n in peer.networks)
    return Entity(None, None, None, nets, None, None, None)


def by_protocol(rule: AdminRule) -> list[tuple[Protocol | None, CalicoPorts | None]]:
    """``unpackCNPProtocols``: the rule's ports per protocol, sorted by name, named ports
    under no protocol ("" sorts first)."""
    if not rule.ports:
        return [(None, None)]
    grouped: dict[str, tuple[Protocol | None, CalicoPorts]] = {}
    for entry in rule.ports:
        key = "" if isinstance(entry.port, str) else entry.protocol.value.upper()
        protocol, found = grouped.get(
            key, (None if key == "" else entry.protocol, CalicoPorts(IntervalSet(), frozenset()))
        )
        if isinstance(entry.port, str):
            found = CalicoPorts(found.numeric, found.named | {entry.port})
        elif entry.port is not None:
            end = entry.end_port if entry.end_port is not None else entry.port
            found = CalicoPorts(found.numeric | IntervalSet.span(entry.port, end), found.named)
        grouped[key] = (protocol, found)
    return [grouped[key] for key in sorted(grouped)]


def _rules(rule: AdminRule) -> list[CalicoRule]:
    """``combinePortsWithCNPIngressPeers`` / ``...EgressPeers``."""
    ingress = rule.direction.spec_field == "ingress"
    out = []
    for protocol, ports in by_protocol(rule):
        for peer in rule.peers:
            source, destination = sides(_peer(peer), ports, ingress)
            action = _ACTIONS[rule.action]
            out.append(CalicoRule(action, protocol, None, source, destination, peer.path))
    return out


def convert(policy: AdminPolicy) -> CalicoPolicy:
    """``K8sClusterNetworkPolicyToCalico``: the GlobalNetworkPolicy Calico enforces."""
    selector, namespaces = _selection(policy.subject)
    if policy.subject.pods is None:
        selector = selector_text(None, pods=True)  # the orchestrator term alone
    ingress = tuple(r for rule in policy.ingress for r in _rules(rule))
    egress = tuple(r for rule in policy.egress for r in _rules(rule))
    types = frozenset(t for t, rules in (("Ingress", ingress), ("Egress", egress)) if rules)
    return CalicoPolicy(
        policy.name,
        None,
        float(policy.priority or 0),
        selector or "all()",
        namespaces,
        types,
        ingress,
        egress,
        policy.obj,
        TIERS[policy.tier],
        cluster=True,
    )


__all__ = ["ADMIN_TIER", "BASELINE_TIER", "TIERS", "by_protocol", "cnp_tiers", "convert"]
