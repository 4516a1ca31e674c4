"""Cilium's policies composed with NetworkPolicy: the decider for a set that holds any.

Cilium merges NetworkPolicies, CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies
into one policy repository ("Policy Enforcement Modes"; "Deny Policies"):

- an endpoint is default-deny in a direction once any policy of any kind selects it for that
  direction (a section ``ingress`` or ``ingressDeny`` written: ``enableDefaultDeny``'s
  default);
- what the allow rules admit adds up, whichever kind they come from;
- deny rules (``ingressDeny``/``egressDeny``) take precedence over every allow, "regardless
  of whether they are a Cilium Network Policy, a Clusterwide Cilium Network Policy or even a
  Kubernetes Network Policy".

The allow rules are lowered to NetworkPolicies (:mod:`.cilium_api`) and decided by the
NetworkPolicy engine with CIDR peers that never select pods (``cni: cilium``); this subclass
takes away what the deny rules (compiled the same way) match. Listing, diff and explain are
the shared ones (:mod:`.table`, :mod:`.trace_cilium`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from socklock.model import Diagnostic, Inventory, K8sObject, Protocol
from socklock.policy.address_classes import AddressCuts
from socklock.policy.addresses import AddressSet
from socklock.policy.admin_api import is_admin_object
from socklock.policy.api import Direction, NetworkPolicy, parse_policies
from socklock.policy.cilium_api import expand, is_cilium_object, lower
from socklock.policy.classset import EMPTY as NO_CLASSES
from socklock.policy.classset import ClassSet
from socklock.policy.compile import CILIUM, CompiledPolicy, CompiledPorts, CompiledRule, Compiler
from socklock.policy.engine import Connectivity, PerClass, block_addresses
from socklock.policy.pods import Cluster, PodClass, build_cluster
from socklock.policy.result import PolicyErrors
from socklock.policy.selectors import LabelSelector
from socklock.policy.trace import ClassTrace


def has_cilium(policies: Iterable[K8sObject | NetworkPolicy]) -> bool:
    return any(isinstance(p, K8sObject) and is_cilium_object(p) for p in policies)


def _admin_refusal(obj: K8sObject) -> Diagnostic:
    """An object of the network-policy API's tiers beside Cilium policies: Cilium's policy
    reference does not say whether or where among its own rules it enforces them (its
    feature request is cilium/cilium issue 23380), so the mix is refused, not guessed."""
    return Diagnostic(
        obj.location,
        f"{obj.api_version} {obj.kind} {obj.name}: beside Cilium policies: Cilium's policy "
        "reference does not say whether or where among its own rules it enforces this kind; "
        "no verdict is given for the mix",
    )


def analyse_cilium(
    inventory: Inventory,
    policies: Sequence[K8sObject | NetworkPolicy],
    *,
    externals: Iterable[str] = (),
    also: Sequence[K8sObject | NetworkPolicy] = (),
) -> CiliumConnectivity:
    """:func:`socklock.policy.engine.analyse` for a set that holds Cilium policies."""
    cilium = [p for p in policies if isinstance(p, K8sObject) and is_cilium_object(p)]
    admin = [p for p in policies if isinstance(p, K8sObject) and is_admin_object(p)]
    objects = [
        p
        for p in policies
        if isinstance(p, K8sObject) and not is_cilium_object(p) and not is_admin_object(p)
    ]
    parsed = parse_policies(objects)
    given = [p for p in policies if isinstance(p, NetworkPolicy)]
    lowered, errors = lower(cilium)
    other_cilium = [p for p in also if isinstance(p, K8sObject) and is_cilium_object(p)]
    other_objects = [p for p in also if isinstance(p, K8sObject) and not is_cilium_object(p)]
    other_lowered, _ = lower(other_cilium)
    others = (
        *parse_policies(other_objects).policies,
        *(p for p in also if isinstance(p, NetworkPolicy)),
    )
    cuts = block_addresses(
        (
            *parsed.policies,
            *given,
            *others,
            *(p for item in (*lowered, *other_lowered) for p in (item.policy, item.deny)),
        )
    )
    cluster = build_cluster(inventory, AddressCuts(cuts))
    diagnostics = (
        *cluster.diagnostics,
        *parsed.diagnostics,
        *errors,
        *(_admin_refusal(obj) for obj in admin),
    )
    if diagnostics:
        raise PolicyErrors(tuple(sorted(diagnostics)))
    names = cluster.namespaces

    def namespaces_of(selector: LabelSelector) -> list[str]:
        return [names[i] for i in cluster.namespace_index.select(selector)]

    allows, denies = expand(lowered, namespaces_of)
    every = (*parsed.policies, *given, *allows)
    return CiliumConnectivity(cluster, every, denies, tuple(externals))


class CiliumConnectivity(Connectivity):
    """The engine's answers over the merged allows, less what a deny rule matches."""

    def __init__(
        self,
        cluster: Cluster,
        policies: Sequence[NetworkPolicy],
        denies: Sequence[NetworkPolicy],
        externals: Sequence[str] = (),
    ) -> None:
        super().__init__(cluster, policies, externals, cni=CILIUM)
        self.deny_policies = tuple(denies)
        compiler = Compiler(cluster, CILIUM)
        self.deny_compiled: tuple[CompiledPolicy, ...] = tuple(
            compiler.policy(i, p) for i, p in enumerate(self.deny_policies)
        )
        self._deny_in: PerClass[CompiledRule] = PerClass()
        self._deny_out: PerClass[CompiledRule] = PerClass()
        self._deny_to: PerClass[CompiledRule] = PerClass()
        self._deny_to_all: list[CompiledRule] = []
        for compiled in self.deny_compiled:
            for c in compiled.subjects:
                self._deny_in.setdefault(c, []).extend(compiled.ingress)
                self._deny_out.setdefault(c, []).extend(compiled.egress)
            for rule in compiled.egress:
                if rule.everyone:
                    self._deny_to_all.append(rule)
                else:
                    for c in rule.classes:
                        self._deny_to.setdefault(c, []).append(rule)

    def denied_sources(self, target: PodClass, port: int, protocol: Protocol) -> ClassSet:
        """Classes a deny rule stops from opening ``port``/``protocol`` on ``target``: the
        target's ingressDeny peers, and the subjects of egressDeny rules that hold it."""
        denied = NO_CLASSES
        for rule in self._deny_in[target.index]:
            if rule.ports.matches(target, port, protocol):
                denied |= rule.classes
        for rule in (*self._deny_to_all, *self._deny_to[target.index]):
            if rule.ports.matches(target, port, protocol):
                denied |= self.deny_compiled[rule.policy].subjects
        return denied

    def sources(self, target: PodClass, port: int, protocol: Protocol) -> tuple[ClassSet, ClassSet]:
        every, some = super().sources(target, port, protocol)
        if not some:
            return every, some
        denied = self.denied_sources(target, port, protocol)
        return every - denied, some - denied

    def ingress_addresses(self, target: PodClass, port: int, protocol: Protocol) -> AddressSet:
        out = super().ingress_addresses(target, port, protocol)
        for rule in self._deny_in[target.index]:
            if rule.ports.matches(target, port, protocol):
                out = out - rule.addresses
        return out

    def egress_addresses(self, source: PodClass, port: int, protocol: Protocol) -> AddressSet:
        out = super().egress_addresses(source, port, protocol)
        for rule in self._deny_out[source.index]:
            if rule.ports.matches(None, port, protocol):
                out = out - rule.addresses
        return out

    def deny_rules(self, direction: Direction, own: PodClass) -> list[CompiledRule]:
        """The deny rules of ``own``'s policies for ``direction``."""
        return (self._deny_in if direction is Direction.INGRESS else self._deny_out)[own.index]

    def _relevant_ports(self, target: PodClass) -> Iterator[CompiledPorts]:
        yield from super()._relevant_ports(target)
        for rule in (
            *self._deny_in[target.index],
            *self._deny_to_all,
            *self._deny_to[target.index],
        ):
            yield rule.ports

    def _outbound_ports(self, source: PodClass) -> Iterator[CompiledPorts]:
        yield from super()._outbound_ports(source)
        for rule in self._deny_out[source.index]:
            yield rule.ports

    def trace(
        self,
        direction: Direction,
        own: PodClass,
        peers: ClassSet | AddressSet,
        destinations: Sequence[PodClass] | None,
        port: int,
        protocol: Protocol,
    ) -> ClassTrace:
        from socklock.policy.trace_cilium import trace

        return trace(self, direction, own, peers, destinations, port, protocol)
