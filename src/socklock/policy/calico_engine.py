"""A cluster whose policies Calico enforces: its own kinds and Kubernetes NetworkPolicies.

:func:`socklock.policy.engine.analyse` hands a set holding ``projectcalico.org/v3`` policies or
tiers here. Calico converts every Kubernetes NetworkPolicy into a Calico policy of the
``default`` tier at order 1000 (:mod:`.calico_knp`) and evaluates the lot with its tiers
(:mod:`.calico_model`); so does this module. :class:`CalicoAnalysis` puts the Calico decider
behind the engine's :class:`~socklock.policy.engine.Connectivity`, so verify, explain, diff
and the listing are the shared ones. ClusterNetworkPolicies (v1alpha2) beside them are
converted into the ``kube-admin`` and ``kube-baseline`` tiers as current Calico converts them
(:mod:`.calico_cnp`).

Refused (each an error at the object, no verdict):

- Cilium policies beside Calico ones: one cluster runs one dataplane;
- AdminNetworkPolicy and BaselineAdminNetworkPolicy beside Calico policies: Calico releases
  before the removal (github.com/projectcalico/calico commit bac09c191d, "Remove ANP/BANP")
  converted them into the ``adminnetworkpolicy`` (order 1000) and
  ``baselineadminnetworkpolicy`` (order 10,000,000) tiers; current releases do not enforce
  them at all (they convert ClusterNetworkPolicy instead). Which release runs is not in the
  input;
- a Calico policy of the ``default`` tier at order 1000 with a Deny or Pass rule beside
  Kubernetes NetworkPolicies: Calico breaks the tie by name, and the name a Kubernetes
  NetworkPolicy sorts under depends on the release (``knp.default.<name>`` before 3.32,
  ``<name>/<namespace>/KubernetesNetworkPolicy`` since: ``felix/calc/policy_sorter.go``
  ``PolKVLess``, ``libcalico-go/lib/backend/model/policy.go``);
- a Calico policy of the ``kube-admin`` or ``kube-baseline`` tier at the order a
  ClusterNetworkPolicy of that tier has as its priority: Calico breaks the tie by the
  ``<name>/<namespace>/<kind>`` of both keys, which socklock does not model for Calico's own
  kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from socklock.errors import UsageError
from socklock.model import Diagnostic, Inventory, K8sObject, Protocol
from socklock.policy.addresses import AddressSet
from socklock.policy.admin_api import CNP, AdminPolicy, is_admin_object
from socklock.policy.api import Direction, NetworkPolicy, parse_policies
from socklock.policy.calico_cnp import TIERS as CNP_TIERS
from socklock.policy.calico_cnp import cnp_tiers
from socklock.policy.calico_cnp import convert as convert_cnp
from socklock.policy.calico_knp import KNP_ORDER, convert
from socklock.policy.calico_model import (
    API_VERSION,
    DEFAULT_TIER,
    CalicoConnectivity,
    CalicoErrors,
    CalicoPolicy,
    CalicoTier,
    parse_objects,
)
from socklock.policy.cilium_api import is_cilium_object
from socklock.policy.classset import ClassSet
from socklock.policy.cnp_api import parse_cluster_policy
from socklock.policy.compile import CILIUM, GENERIC, CompiledPorts
from socklock.policy.engine import Connectivity
from socklock.policy.intervals import ALL_PORTS
from socklock.policy.pods import Cluster, Endpoint, PodClass, build_cluster, host_networked
from socklock.policy.result import PolicyErrors, Verdict
from socklock.policy.table import PortRange
from socklock.policy.trace import ClassTrace


def _refusal(obj: K8sObject, why: str, namespaced: bool) -> Diagnostic:
    name = f"{obj.namespace}/{obj.name}" if namespaced and obj.namespace else obj.name
    return Diagnostic(obj.location, f"{obj.api_version} {obj.kind} {name}: {why}")


_CILIUM_WHY = (
    "beside Calico policies: one cluster runs one dataplane (Calico or Cilium); no verdict "
    "is given for the mix"
)
_ADMIN_WHY = (
    "beside Calico policies: how Calico enforces it depends on its release (before the "
    "ANP/BANP removal, the adminnetworkpolicy tier at order 1000 and the "
    "baselineadminnetworkpolicy tier at order 10000000; current releases do not enforce "
    "it), which the input does not say"
)


@dataclass(frozen=True, slots=True)
class CalicoMix:
    """A set Calico enforces, read and checked: what the decider and the lab both start from
    (the lab compiles the Kubernetes NetworkPolicies itself, never through :func:`convert`)."""

    calico: tuple[CalicoPolicy, ...]  # the projectcalico.org/v3 policies
    tiers: tuple[CalicoTier, ...]
    kubernetes: tuple[NetworkPolicy, ...]
    cluster: Cluster
    cnps: tuple[AdminPolicy, ...] = ()  # the ClusterNetworkPolicies (kube-admin/kube-baseline)


def analyse_calico_mix(
    inventory: Inventory,
    policies: Sequence[K8sObject | NetworkPolicy],
    *,
    externals: Iterable[str] = (),
    cni: str = GENERIC,
    also: Sequence[K8sObject | NetworkPolicy] = (),
) -> CalicoAnalysis:
    """:func:`socklock.policy.engine.analyse` for a set holding Calico objects (in
    ``policies`` or ``also``, the other side of a diff: both sides are then decided as Calico
    enforces them, over the same pod classes).

    Raises :class:`UsageError` for ``cni`` cilium, :class:`PolicyErrors` for anything the
    Calico decider refuses or a mix it cannot decide.
    """
    if cni == CILIUM:
        raise UsageError(
            "--cni cilium: the input holds Calico (projectcalico.org/v3) objects, so Calico "
            "enforces its policies; give --cni calico or generic (both mean Calico here)"
        )
    mix = parse_calico_mix(inventory, policies, also)
    converted = [convert(p) for p in mix.kubernetes] + [convert_cnp(p) for p in mix.cnps]
    given = {t.name for t in mix.tiers}
    tiers = [*mix.tiers, *(t for t in cnp_tiers() if mix.cnps and t.name not in given)]
    model = CalicoConnectivity(mix.cluster, [*mix.calico, *converted], externals, tiers=tiers)
    return CalicoAnalysis(model, mix.kubernetes)


def parse_calico_mix(
    inventory: Inventory,
    policies: Sequence[K8sObject | NetworkPolicy],
    also: Sequence[K8sObject | NetworkPolicy] = (),
) -> CalicoMix:
    """The Calico policies, tiers and Kubernetes NetworkPolicies of ``policies``, checked;
    :class:`PolicyErrors` with every problem (and every refused mix: see the module)."""
    problems: list[Diagnostic] = []
    objects = [p for p in policies if isinstance(p, K8sObject)]
    for obj in (*objects, *(p for p in also if isinstance(p, K8sObject))):
        if is_cilium_object(obj):
            problems.append(_refusal(obj, _CILIUM_WHY, obj.kind == "CiliumNetworkPolicy"))
        elif is_admin_object(obj) and obj.kind != CNP:
            problems.append(_refusal(obj, _ADMIN_WHY, False))
    calico = [o for o in objects if o.api_version == API_VERSION]
    cnps: list[AdminPolicy] = []
    for obj in objects:
        if obj.kind == CNP:
            found = parse_cluster_policy(obj)
            if isinstance(found, AdminPolicy):
                cnps.append(found)
            else:
                problems.extend(found)
    kubernetes = [
        o
        for o in objects
        if o.api_version != API_VERSION and not is_cilium_object(o) and not is_admin_object(o)
    ]
    parsed = parse_policies(kubernetes)
    problems.extend(parsed.diagnostics)
    own: list[CalicoPolicy] = []
    tiers: list[CalicoTier] = []
    try:
        own, tiers = parse_objects(calico)
    except CalicoErrors as refused:
        problems.extend(
            Diagnostic(e.location, e.message) for e in refused.errors if e.location is not None
        )
    every = (*parsed.policies, *(p for p in policies if isinstance(p, NetworkPolicy)))
    if every:
        problems.extend(_ties(own))
    problems.extend(_cnp_ties(own, cnps))
    problems.extend(_duplicates(cnps))
    cluster = build_cluster(inventory)
    problems.extend(cluster.diagnostics)
    problems.extend(host_network_pods(inventory))
    converted = [*(convert(p) for p in every), *(convert_cnp(p) for p in cnps)]
    problems.extend(split_pods(cluster, [*own, *converted]))
    if problems:
        raise PolicyErrors(tuple(sorted(problems)))
    return CalicoMix(tuple(own), tuple(tiers), every, cluster, tuple(cnps))


def _cnp_ties(own: Iterable[CalicoPolicy], cnps: Sequence[AdminPolicy]) -> Iterator[Diagnostic]:
    """Calico policies of a ClusterNetworkPolicy tier at a ClusterNetworkPolicy's order."""
    taken = {(CNP_TIERS[p.tier], float(p.priority or 0)): p for p in cnps}
    for policy in own:
        cnp = taken.get((policy.tier, policy.order))
        if cnp is None:
            continue
        name = f"{policy.namespace}/{policy.name}" if policy.namespace else policy.name
        yield Diagnostic(
            policy.obj.location,
            f"{policy.obj.kind} {name}: spec.order: {policy.order:g} in the {policy.tier} "
            f"tier, the order Calico gives ClusterNetworkPolicy {cnp.name} (its priority): "
            "which comes first is decided by the <name>/<namespace>/<kind> of their keys, "
            "which socklock does not model for Calico's own kinds; give another order",
        )


def _duplicates(cnps: Sequence[AdminPolicy]) -> Iterator[Diagnostic]:
    """Two ClusterNetworkPolicies of one name: one object in a cluster, two in the input."""
    seen: dict[str, AdminPolicy] = {}
    for policy in cnps:
        first = seen.setdefault(policy.name, policy)
        if first is not policy:
            yield Diagnostic(
                policy.location,
                f"{CNP} {policy.name}: defined twice (also at {first.location}): a cluster "
                "holds one object of a name",
            )


def _ties(own: Iterable[CalicoPolicy]) -> Iterator[Diagnostic]:
    """Calico policies whose place among the Kubernetes NetworkPolicies is the release's."""
    for policy in own:
        if policy.tier != DEFAULT_TIER or policy.order != KNP_ORDER:
            continue
        if any(r.action in ("Deny", "Pass") for r in (*policy.ingress, *policy.egress)):
            name = f"{policy.namespace}/{policy.name}" if policy.namespace else policy.name
            yield Diagnostic(
                policy.obj.location,
                f"{policy.obj.kind} {name}: spec.order: 1000 in the default tier, the order "
                "Calico gives Kubernetes NetworkPolicies: which comes first is decided by "
                "names whose form depends on the Calico release (knp.default.<name> before "
                "3.32); give another order",
            )


def host_network_pods(inventory: Inventory) -> Iterator[Diagnostic]:
    """A host-networked pod is no Calico workload endpoint (``IsValidCalicoWorkloadEndpoint``
    in ``libcalico-go/lib/backend/k8s/conversion/conversion.go``): no policy selects it and
    its traffic carries the node's address, which the decider does not model: refused."""
    for workload, where in host_networked(inventory):
        yield Diagnostic(
            where,
            f"{workload.obj.ref}: hostNetwork pods are not Calico workload endpoints (no "
            "policy selects them; their traffic carries the node's address), which the "
            "Calico decider does not model (no verdict is given)",
        )


def split_pods(cluster: Cluster, policies: Iterable[CalicoPolicy]) -> Iterator[Diagnostic]:
    """``nets``/``notNets`` holding some but not all of a pod's given IPs (a dual-stack pod
    whose IPv4 is in and IPv6 out): Calico matches each packet's address, so such a pod is
    matched over one family only, which the decider, deciding per pod, does not model."""
    given = [c for c in cluster.classes if c.addresses]
    if not given:
        return
    for policy in policies:
        for rule in (*policy.ingress, *policy.egress):
            for side, entity in (("source", rule.source), ("destination", rule.destination)):
                for field, nets in (("nets", entity.nets), ("notNets", entity.not_nets)):
                    if nets is None:
                        continue
                    for c in given:
                        hit = c.addresses & nets
                        if hit and hit != c.addresses:
                            yield _split(policy, f"{rule.where}.{side}.{field}", c)
                            break


def _split(policy: CalicoPolicy, where: str, pod: PodClass) -> Diagnostic:
    kind = "NetworkPolicy (Kubernetes)" if policy.kubernetes else policy.obj.kind
    name = f"{policy.namespace}/{policy.name}" if policy.namespace else policy.name
    if policy.kubernetes:
        where = f"{where} (its ipBlock)"
    return Diagnostic(
        policy.obj.location,
        f"{kind} {name}: {where}: holds some but not all IPs of the pods of "
        f"{pod.namespace} labelled {dict(sorted(pod.labels.items()))}: Calico would match them "
        "over one address family only, which socklock's Calico decider does not model",
    )


class CalicoAnalysis(Connectivity):
    """The Calico decider behind the engine's interface: the table, listing, verdicts,
    isolation and explain are :class:`Connectivity`'s, asking the decider's questions
    (:class:`~socklock.policy.table.Decider`) of :class:`CalicoConnectivity`."""

    def __init__(self, model: CalicoConnectivity, kubernetes: Sequence[NetworkPolicy]) -> None:
        self.model = model  # first: the base's constructor asks ``outside``
        super().__init__(model.cluster, (), model.externals)
        self.policies = tuple(kubernetes)  # decided as Calico converts them, in ``model``
        self.externals = model.externals
        self.ingress_isolated = model.selected["ingress"]
        self.egress_isolated = model.selected["egress"]

    def policy_count(self) -> int:
        return len(self.model.policies)

    def class_sources(
        self, target: PodClass, port: int, protocol: Protocol
    ) -> tuple[ClassSet, ClassSet]:
        return self.model.class_sources(target, port, protocol)

    sources = class_sources

    def ingress_addresses(self, target: PodClass, port: int, protocol: Protocol) -> AddressSet:
        return self.model.ingress_addresses(target, port, protocol)

    def egress_addresses(self, source: PodClass, port: int, protocol: Protocol) -> AddressSet:
        return self.model.egress_addresses(source, port, protocol)

    def outside(self, endpoint: str) -> AddressSet:
        return self.model.outside(endpoint)

    def external_verdict(self, name: str, sets: Sequence[AddressSet]) -> Verdict:
        return self.model.external_verdict(name, sets)

    def rows(self, target: Endpoint) -> list[PortRange]:
        return self.model.rows(target)

    def egress_cuts(self, source: PodClass, protocol: Protocol) -> set[int]:
        return self.model.egress_cuts(source, protocol)

    def atoms(self, target: str, protocol: Protocol, source: str | None = None) -> list[PortRange]:
        """Port ranges on which every verdict about ``target`` is uniform (the decider's
        cuts: its rules' ports and notPorts, resolved per pod)."""
        cuts: set[int] = set()
        if target.startswith("external:"):
            if source is None or source.startswith("external:"):
                raise UsageError("atoms of an external target need a workload source")
            for c in self.pod_classes(self.endpoint(source)):
                cuts |= self.model.egress_cuts(c, protocol)
        else:
            cuts |= self.model.cuts(self.endpoint(target), protocol)
        return [PortRange(lo, hi, protocol) for lo, hi in ALL_PORTS.split(cuts)]

    def _relevant_ports(self, target: PodClass) -> Iterator[CompiledPorts]:
        return iter(())

    def _outbound_ports(self, source: PodClass) -> Iterator[CompiledPorts]:
        return iter(())

    def trace(
        self,
        direction: Direction,
        own: PodClass,
        peers: ClassSet | AddressSet,
        destinations: Sequence[PodClass] | None,
        port: int,
        protocol: Protocol,
    ) -> ClassTrace:
        return self.model.trace(direction, own, peers, destinations, port, protocol)


__all__ = ["CalicoAnalysis", "CalicoMix", "analyse_calico_mix", "parse_calico_mix"]
