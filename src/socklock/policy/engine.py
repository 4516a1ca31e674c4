"""The exact NetworkPolicy engine (``networking.k8s.io/v1``; the API reference is the spec).

``analyse(inventory)`` compiles the policies against the cluster's pod classes and returns a
:class:`Connectivity` that answers questions about any (source, target, port, protocol).

Semantics, as the API reference defines them:

- a pod is isolated for ingress (egress) when a policy in its namespace selects it and has
  Ingress (Egress) in its ``policyTypes`` (default: Ingress, plus Egress when ``egress`` has a
  rule); rules for a direction that ``policyTypes`` leaves out are ignored;
- a connection is allowed when the source's egress allows it and the target's ingress
  allows it; a direction in which a pod is not isolated allows everything; the rules of all
  policies that select a pod are a union;
- a rule with no peers admits every pod of every namespace and every external address; a
  rule with no ports admits every port of every protocol;
- named ports are resolved against the *destination* pod's container ports, for ingress and
  egress rules alike: name and protocol must both match, a pod without the name does not
  match, and one name can mean different numbers on different pods.

Conventions (where the reference leaves it to the implementation):

- ``ipBlock`` matches addresses outside the cluster; a pod matches an ipBlock only through an
  IP the input gives it (``status.podIP``/``podIPs`` of a dumped Pod). Pods without IPs are
  never matched by ipBlocks.
- An ipBlock matches the packet's address, so it admits a pod over the address families of
  the IPs of the pod it holds (the source's IPs for ingress, the destination's for egress): a
  dual-stack pod whose IPv4 is in an IPv4 block but whose IPv6 is not is reachable over IPv4
  only. A pair of pods is ALLOWED when it is over every family both pods have IPs of (pods
  without given IPs: either family), PARTIAL when over some. So an ipBlock that holds only
  some of a dual-stack pod's IPs gives PARTIAL, one that holds all of them (less ``except``)
  gives ALLOWED, one that holds none DENIED; the rules of a pod's policies still add up (an
  IPv4 block in one rule and an IPv6 block in another admit a dual-stack pod fully).
- External endpoints are named ``external:<cidr>``, ``external:<address>`` or
  ``external:<host>`` (a host: any IPv4 address) and stand for addresses *outside* the
  cluster: every pod IP the input gives is left out of them, so ``external:10.0.1.0/24``
  speaks of the addresses of that range no pod has (pods are answered as workloads). A range
  is ALLOWED only when every such address in it is, PARTIAL when some are; an endpoint with no
  such address (it names only pod IPs) is DENIED.
- A pod is never blocked from itself. A bare Pod is one pod, so ``ns/p -> ns/p`` is always
  allowed. Any other workload (Deployment, ...) stands for its replicas: ``w -> w`` is what
  policy decides between two *distinct* pods of ``w``, which is subject to policy.
- A workload whose pods fall in several classes is ALLOWED only when every pair of pods is.
- Fail closed: a policy with any error makes :func:`analyse` raise :class:`PolicyErrors`
  listing every error; it never answers with a policy left out.

Cost grows with classes and rules, not with pods: selectors are evaluated once per class,
sets of classes are offset bitsets (:mod:`socklock.policy.classset`: a set costs its span,
not the cluster's size), and ports are split into the atomic ranges the rules mention.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from socklock.errors import UsageError
from socklock.model import Inventory, K8sObject, Protocol
from socklock.policy.address_classes import AddressCuts
from socklock.policy.addresses import (
    ALL_ADDRESSES,
    IPV4_WORLD,
    IPV6_WORLD,
    NO_ADDRESSES,
    AddressSet,
    external_addresses,
    external_id,
    is_external,
)
from socklock.policy.admin_api import is_admin_object
from socklock.policy.api import (
    Direction,
    NetworkPolicy,
    is_calico_policy_object,
    is_policy_object,
    parse_policies,
)
from socklock.policy.cilium_api import is_cilium_object
from socklock.policy.classset import EMPTY as NO_CLASSES
from socklock.policy.classset import ClassSet
from socklock.policy.compile import (
    CNIS,
    GENERIC,
    CompiledPolicy,
    CompiledPorts,
    CompiledRule,
    Compiler,
)
from socklock.policy.intervals import ALL_PORTS, IntervalSet
from socklock.policy.pods import Cluster, Endpoint, PodClass, build_cluster
from socklock.policy.result import Connection, Isolation, PolicyErrors, Verdict
from socklock.policy.table import (
    EVERY_WORKLOAD,
    PROTOCOLS,
    Cell,
    PortRange,
    Row,
    cells,
    endpoint_of,
    iter_rows,
    mask_verdict,
    port_rows,
    row_count,
    target_sources,
    verdict_of,
)
from socklock.policy.trace import ClassTrace

T = TypeVar("T")


def analyse(
    inventory: Inventory,
    policies: Sequence[K8sObject | NetworkPolicy] | None = None,
    *,
    externals: Iterable[str] = (),
    cni: str = GENERIC,
    also: Sequence[K8sObject | NetworkPolicy] = (),
) -> Connectivity:
    """Connectivity of the inventory's workloads under ``policies``.

    ``policies`` defaults to every policy object in the inventory (NetworkPolicies of any
    apiVersion, and other kinds that restrict traffic, which are refused); pass a list of
    K8sObjects (e.g. generated ones) or parsed policies to check a different set against the
    same workloads. ``externals`` adds endpoints such as ``external:10.0.0.0/8`` or
    ``external:api.example.com`` to :meth:`Connectivity.connections`.

    ``cni`` says whether ipBlocks match pod IPs (:data:`CNIS`). ``also``: other policies
    whose ipBlocks cut pods into classes too (the other side of a diff, so that both sides
    class the pods alike).

    Raises :class:`PolicyErrors` when any policy is invalid.
    """
    if policies is None:
        policies = [o for o in inventory.objects if is_policy_object(o)]
    if any(isinstance(p, K8sObject) and is_calico_policy_object(p) for p in (*policies, *also)):
        from socklock.policy.calico_engine import analyse_calico_mix  # Calico's tiers, KNPs

        return analyse_calico_mix(inventory, policies, externals=externals, cni=cni, also=also)
    if any(isinstance(p, K8sObject) and is_cilium_object(p) for p in (*policies, *also)):
        from socklock.policy.cilium import analyse_cilium  # lowered to NetworkPolicies

        return analyse_cilium(inventory, policies, externals=externals, also=also)
    if any(isinstance(p, K8sObject) and is_admin_object(p) for p in (*policies, *also)):
        from socklock.policy.admin import analyse_admin  # the tiers above and below NP

        return analyse_admin(inventory, policies, externals=externals, cni=cni, also=also)
    objects = [p for p in policies if isinstance(p, K8sObject)]
    parsed = parse_policies(objects)
    given = [p for p in policies if isinstance(p, NetworkPolicy)]
    every = (*parsed.policies, *given)
    others = parse_policies([p for p in also if isinstance(p, K8sObject)]).policies
    others += tuple(p for p in also if isinstance(p, NetworkPolicy))
    cluster = build_cluster(inventory, AddressCuts(block_addresses((*every, *others))))
    diagnostics = (*cluster.diagnostics, *parsed.diagnostics)
    if diagnostics:
        raise PolicyErrors(tuple(sorted(diagnostics)))
    return Connectivity(cluster, every, tuple(externals), cni=cni)


def block_addresses(policies: Iterable[NetworkPolicy]) -> Iterator[AddressSet]:
    """The addresses of every ipBlock (and each of its excepts) of ``policies``."""
    for policy in policies:
        for direction in (Direction.INGRESS, Direction.EGRESS):
            for rule in policy.rules(direction):
                for peer in rule.peers:
                    if peer.ip_block is not None:
                        yield AddressSet.network(peer.ip_block.cidr)
                        for hole in peer.ip_block.excepts:
                            yield AddressSet.network(hole)


class PerClass(dict[int, list[T]]):
    """Lists per class index, stored only for classes that have one (reading another gives a
    fresh empty list and stores nothing)."""

    def __missing__(self, key: int) -> list[T]:
        return []


class Settled(dict[int, tuple[T, ...]]):
    """:class:`PerClass` once built: tuples (a list of one costs about 40 bytes more than a
    tuple of one, and a class's rules may be a policy's own tuple, shared)."""

    def __missing__(self, key: int) -> tuple[T, ...]:
        return ()


def _settled(lists: dict[int, list[int]]) -> Settled[int]:
    """``lists`` as tuples."""
    out: Settled[int] = Settled()
    for c, items in lists.items():
        out[c] = tuple(items)
    return out


def _rules_of(
    policies: Settled[int], compiled: Sequence[CompiledPolicy], ingress: bool
) -> Settled[CompiledRule]:
    """Each class's rules of one direction: those of the policies selecting it, in the
    policies' order. A class selected by one policy (most classes of a generated set) shares
    that policy's tuple of rules instead of holding a copy."""
    out: Settled[CompiledRule] = Settled()
    for c, indices in policies.items():
        if len(indices) == 1:
            one = compiled[indices[0]]
            out[c] = one.ingress if ingress else one.egress
        else:
            out[c] = tuple(
                rule
                for i in indices
                for rule in (compiled[i].ingress if ingress else compiled[i].egress)
            )
    return out


class Connectivity:
    """The answers of the engine for one cluster and one set of policies."""

    def __init__(
        self,
        cluster: Cluster,
        policies: Sequence[NetworkPolicy],
        externals: Sequence[str] = (),
        *,
        cni: str = GENERIC,
    ) -> None:
        if cni not in CNIS:
            raise UsageError(f"--cni {cni!r}: expected one of {', '.join(CNIS)}")
        self.cluster = cluster
        self.policies = tuple(policies)
        self.cni = cni
        compiler = Compiler(cluster, cni)
        self.compiled: tuple[CompiledPolicy, ...] = tuple(
            compiler.policy(i, p) for i, p in enumerate(self.policies)
        )
        self._all = cluster.all_classes
        self.ingress_isolated = NO_CLASSES
        self.egress_isolated = NO_CLASSES
        # per class, only for the classes that have some: most classes of a big cluster have
        # none; built as lists, kept as tuples (:func:`_settled`, :func:`_rules_of`)
        ingress_policies: dict[int, list[int]] = {}
        egress_policies: dict[int, list[int]] = {}
        egress_to: dict[int, list[CompiledRule]] = {}
        self._egress_to_all: list[CompiledRule] = []
        for index, compiled in enumerate(self.compiled):
            policy = compiled.policy
            for c in compiled.subjects:
                if policy.applies(Direction.INGRESS):
                    ingress_policies.setdefault(c, []).append(index)
                if policy.applies(Direction.EGRESS):
                    egress_policies.setdefault(c, []).append(index)
            if policy.applies(Direction.INGRESS):
                self.ingress_isolated |= compiled.subjects
            if policy.applies(Direction.EGRESS):
                self.egress_isolated |= compiled.subjects
            for rule in compiled.egress:
                if rule.everyone:
                    self._egress_to_all.append(rule)
                else:
                    for c in rule.classes | rule.partial:
                        egress_to.setdefault(c, []).append(rule)
        self.ingress_policies = _settled(ingress_policies)
        self.egress_policies = _settled(egress_policies)
        self._ingress_rules = _rules_of(self.ingress_policies, self.compiled, ingress=True)
        self._egress_rules = _rules_of(self.egress_policies, self.compiled, ingress=False)
        self._egress_to: Settled[CompiledRule] = Settled()
        for c, rules in egress_to.items():
            self._egress_to[c] = tuple(rules)
        del ingress_policies, egress_policies, egress_to
        self._egress_open = self._all - self.egress_isolated
        self._rows: dict[str, list[PortRange]] = {}
        names = set(externals)
        for compiled in self.compiled:
            for rule in (*compiled.ingress, *compiled.egress):
                for peer in rule.rule.peers:
                    if peer.ip_block is not None:
                        block = peer.ip_block
                        names.add(external_id(block.cidr))
                        names.update(external_id(e) for e in block.excepts)
                        names.add(
                            "external:0.0.0.0/0" if block.cidr.version == 4 else "external:::/0"
                        )
        self.externals: tuple[str, ...] = tuple(sorted(names))
        self.pod_addresses = AddressSet.union(c.addresses for c in cluster.classes)
        self._external_sets = {name: self.outside(name) for name in self.externals}
        self._verdicts: dict[tuple[str, AddressSet, AddressSet], Verdict] = {}

    def outside(self, endpoint: str) -> AddressSet:
        """The addresses an ``external:...`` endpoint stands for, less every pod IP the input
        gives: an external endpoint speaks of addresses outside the cluster only."""
        return external_addresses(endpoint) - self.pod_addresses

    def external_verdict(self, name: str, sets: Sequence[AddressSet]) -> Verdict:
        """:func:`address_verdict` of the external endpoint ``name``, once per distinct
        question (its addresses less every pod IP are a long set to compare)."""
        if not sets:
            return Verdict.DENIED
        every, some = every_and_some(sets)
        key = (name, every, some)
        found = self._verdicts.get(key)
        if found is None:
            addresses = self._external_sets.get(name)
            if addresses is None:
                addresses = self.outside(name)
            found = self._verdicts[key] = covered_verdict(addresses, every, some)
        return found

    # -- per class ---------------------------------------------------------------------------

    def sources(self, target: PodClass, port: int, protocol: Protocol) -> tuple[ClassSet, ClassSet]:
        """(classes whose pods may open ``port``/``protocol`` on a (distinct) pod of ``target``
        over every address family the two pods share, classes that may over some).

        An ipBlock that holds only some of a pod's given IPs admits it over those IPs'
        families only: the ingress rules of ``target`` match the source's IPs, the egress rules
        of the source match ``target``'s. Such classes (rare: only pods whose IPs the input
        gives) are decided per family; every other class is a member of a set."""
        c = target.index
        partial_in: list[CompiledRule] = []
        if c in self.ingress_isolated:
            admitted = touched = NO_CLASSES
            for rule in self._ingress_rules[c]:
                if rule.ports.matches(target, port, protocol):
                    admitted |= rule.classes
                    if rule.partial:
                        touched |= rule.partial
                        partial_in.append(rule)
            touched -= admitted
        else:
            admitted, touched = self._all, NO_CLASSES
        if not admitted and not touched:
            return NO_CLASSES, NO_CLASSES
        senders, reaching = self._egress_open, NO_CLASSES
        partial_out: list[CompiledRule] = []
        for rule in self._egress_to_all:
            if rule.ports.matches(target, port, protocol):
                senders |= self.compiled[rule.policy].subjects & self.egress_isolated
        for rule in self._egress_to[c]:
            if rule.ports.matches(target, port, protocol):
                subjects = self.compiled[rule.policy].subjects & self.egress_isolated
                if c in rule.classes:
                    senders |= subjects
                else:
                    reaching |= subjects
                    partial_out.append(rule)
        reaching -= senders
        every = admitted & senders
        some = (admitted | touched) & (senders | reaching)
        uncertain = (some - every) & (touched | reaching)
        if uncertain:
            every, some = self._by_family(
                target, uncertain, every, some, admitted, senders, partial_in, partial_out
            )
        return every, some

    def _by_family(
        self,
        target: PodClass,
        uncertain: ClassSet,
        every: ClassSet,
        some: ClassSet,
        admitted: ClassSet,
        senders: ClassSet,
        partial_in: list[CompiledRule],
        partial_out: list[CompiledRule],
    ) -> tuple[ClassSet, ClassSet]:
        """Decide the classes in ``uncertain`` (matched by an ipBlock through some of their
        IPs or some of ``target``'s) family by family: over each family both pods have, the
        source's IPs of that family must be admitted by ``target``'s ingress and ``target``'s
        by the source's egress."""
        inbound = NO_ADDRESSES
        for rule in partial_in:
            inbound = inbound | rule.addresses
        for s in uncertain:
            source = self.cluster.classes[s]
            both = _families(source.addresses) & _families(target.addresses)
            if not both:  # no family in common: judge over the families either has
                both = _families(source.addresses) | _families(target.addresses)
            if s in admitted:
                in_every = in_some = both
            else:
                in_every, in_some = _covered(source.addresses, inbound)
            if s in senders:
                out_every = out_some = both
            else:
                outbound = NO_ADDRESSES
                for rule in partial_out:
                    if s in self.compiled[rule.policy].subjects:
                        outbound = outbound | rule.addresses
                out_every, out_some = _covered(target.addresses, outbound)
            bit = ClassSet.single(s)
            if in_every & out_every & both == both:
                every |= bit
            elif not in_some & out_some & both:
                some -= bit
        return every, some

    def ingress_addresses(self, target: PodClass, port: int, protocol: Protocol) -> AddressSet:
        """External addresses that may open ``port``/``protocol`` on ``target``."""
        c = target.index
        if c not in self.ingress_isolated:
            return ALL_ADDRESSES
        out = NO_ADDRESSES
        for rule in self._ingress_rules[c]:
            if rule.ports.matches(target, port, protocol):
                out = out | rule.addresses
        return out

    def egress_addresses(self, source: PodClass, port: int, protocol: Protocol) -> AddressSet:
        """External addresses ``source`` may reach on ``port``/``protocol``."""
        c = source.index
        if c not in self.egress_isolated:
            return ALL_ADDRESSES
        out = NO_ADDRESSES
        for rule in self._egress_rules[c]:
            if rule.ports.matches(None, port, protocol):
                out = out | rule.addresses
        return out

    def ingress_rules(self, target: PodClass) -> Sequence[CompiledRule]:
        return self._ingress_rules[target.index]

    def egress_rules(self, source: PodClass) -> Sequence[CompiledRule]:
        return self._egress_rules[source.index]

    def trace(
        self,
        direction: Direction,
        own: PodClass,
        peers: ClassSet | AddressSet,
        destinations: Sequence[PodClass] | None,
        port: int,
        protocol: Protocol,
    ) -> ClassTrace:
        """Which rules decide (:meth:`socklock.policy.trace.Tracer.trace`)."""
        from socklock.policy.trace_kubernetes import trace

        return trace(self, direction, own, peers, destinations, port, protocol)

    def _relevant(self, target: PodClass) -> Iterator[CompiledRule]:
        """Every rule that can decide traffic to ``target``."""
        yield from self._ingress_rules[target.index]
        yield from self._egress_to_all
        yield from self._egress_to[target.index]

    def _relevant_ports(self, target: PodClass) -> Iterator[CompiledPorts]:
        """The ports of every rule that can decide traffic to ``target`` (a decider with more
        tiers adds its own)."""
        for rule in self._relevant(target):
            yield rule.ports

    def _outbound_ports(self, source: PodClass) -> Iterator[CompiledPorts]:
        """The ports of every rule that can decide traffic from ``source`` to outside."""
        for rule in self._egress_rules[source.index]:
            yield rule.ports

    def policy_count(self) -> int:
        """How many policies decide (a decider with other kinds counts those too)."""
        return len(self.policies)

    # -- endpoints ---------------------------------------------------------------------------

    @property
    def endpoints(self) -> tuple[str, ...]:
        """Workload ids, sorted."""
        return tuple(e.id for e in self.cluster.endpoints)

    def endpoint(self, endpoint_id: str) -> Endpoint:
        return endpoint_of(self, endpoint_id)

    def pod_classes(self, endpoint: Endpoint) -> list[PodClass]:
        """The pod classes of a workload's pods."""
        return [self.cluster.classes[i] for i in endpoint.classes]

    # -- questions ---------------------------------------------------------------------------

    def verdict(
        self, source: str, target: str, port: int, protocol: Protocol | str = Protocol.TCP
    ) -> Verdict:
        """May ``source`` open ``port``/``protocol`` on ``target``? (ids or ``external:...``)
        The table's answer (:func:`socklock.policy.table.verdict_of`)."""
        return verdict_of(self, source, target, port, Protocol(protocol))

    def allowed(
        self, source: str, target: str, port: int, protocol: Protocol | str = Protocol.TCP
    ) -> bool:
        """True when every pod of ``source`` may open ``port``/``protocol`` on every pod of
        ``target`` (every address, for an external side)."""
        return self.verdict(source, target, port, protocol) is Verdict.ALLOWED

    def endpoint_sources(
        self, target: Endpoint, port: int, protocol: Protocol
    ) -> tuple[ClassSet, ClassSet]:
        """(classes that reach every pod of ``target``, classes that reach some pod of it)."""
        return target_sources(self, target, port, protocol)

    def allowed_ports(self, source: str, target: str, protocol: Protocol | str) -> IntervalSet:
        """Every port of ``protocol`` on which ``source`` may reach ``target`` (ALLOWED)."""
        protocol = Protocol(protocol)
        out: list[tuple[int, int]] = []
        for atom in self.atoms(target, protocol, source=source):
            if self.verdict(source, target, atom.low, protocol) is Verdict.ALLOWED:
                out.append((atom.low, atom.high))
        return IntervalSet.of(out)

    def atoms(self, target: str, protocol: Protocol, source: str | None = None) -> list[PortRange]:
        """Port ranges on which every verdict about ``target`` (from any source) is uniform."""
        cuts: set[int] = set()
        if is_external(target):
            if source is None or is_external(source):
                raise UsageError("atoms of an external target need a workload source")
            for c in self.pod_classes(self.endpoint(source)):
                for ports in self._outbound_ports(c):
                    cuts |= ports.resolved(None, protocol).cuts()
        else:
            for c in self.pod_classes(self.endpoint(target)):
                for ports in self._relevant_ports(c):
                    cuts |= ports.resolved(c, protocol).cuts()
        return [PortRange(lo, hi, protocol) for lo, hi in ALL_PORTS.split(cuts)]

    def isolation(self, workload_id: str) -> Isolation:
        """(ingress, egress): True when a policy selects every pod of the workload."""
        mask = self.endpoint(workload_id).classes
        return Isolation(
            bool(mask) and mask <= self.ingress_isolated,
            bool(mask) and mask <= self.egress_isolated,
        )

    # -- the table ---------------------------------------------------------------------------

    def rows(self, target: Endpoint) -> list[PortRange]:
        cached = self._rows.get(target.id)
        if cached is None:
            cached = self._rows[target.id] = self._compute_rows(target)
        return cached

    def _compute_rows(self, target: Endpoint) -> list[PortRange]:
        """The (port range, protocol) rows listed for ``target`` (:func:`port_rows`): its
        declared container ports, then the other ports the rules that decide traffic to it
        mention, split at every rule's bounds."""
        classes = self.pod_classes(target)
        mentioned: dict[Protocol, tuple[IntervalSet, set[int]]] = {}
        for protocol in PROTOCOLS:
            numbered = IntervalSet()
            cuts: set[int] = set()
            for c in classes:
                for ports in self._relevant_ports(c):
                    if not ports.every:
                        numbered = numbered | ports.numeric.get(protocol, IntervalSet())
                    cuts |= ports.resolved(c, protocol).cuts()
            mentioned[protocol] = (numbered, cuts)
        return port_rows(target, mentioned)

    def connections(self, include_denied: bool = False) -> tuple[Connection, ...]:
        """Every (source, target, port, protocol) row, sorted: to each workload on the ports
        :meth:`rows` lists, from every workload and external endpoint; from each workload to
        each external endpoint over the whole port space (ranges of uniform verdict).
        Without ``include_denied``, only ALLOWED and PARTIAL rows."""
        return tuple(Connection(*row) for row in self.iter_rows(include_denied))

    def cells(self) -> Iterator[Cell]:
        """The connectivity table (:func:`socklock.policy.table.cells`)."""
        return cells(self)

    def iter_rows(self, include_denied: bool = False, summary: bool = False) -> Iterator[Row]:
        """:meth:`connections` as plain tuples (:func:`socklock.policy.table.iter_rows`)."""
        return iter_rows(self, include_denied, summary)

    def class_sources(
        self, target: PodClass, port: int, protocol: Protocol
    ) -> tuple[ClassSet, ClassSet]:
        return self.sources(target, port, protocol)

    def egress_cuts(self, source: PodClass, protocol: Protocol) -> set[int]:
        cuts: set[int] = set()
        for ports in self._outbound_ports(source):
            cuts |= ports.resolved(None, protocol).cuts()
        return cuts

    def row_count(self) -> int:
        """How many rows ``connections(include_denied=True)`` has (:func:`row_count`)."""
        return row_count(self)


def _families(addresses: AddressSet) -> int:
    """The address families of a pod's given IPs (1: IPv4, 2: IPv6); both when none is given."""
    found = (1 if addresses.v4 else 0) | (2 if addresses.v6 else 0)
    return found or 3


def _covered(given: AddressSet, admitted: AddressSet) -> tuple[int, int]:
    """(families all of whose ``given`` IPs are in ``admitted``, families some of which are)."""
    every = some = 0
    for family, mine, theirs in ((1, given.v4, admitted.v4), (2, given.v6, admitted.v6)):
        hit = mine & theirs
        if hit:
            some |= family
            if hit == mine:
                every |= family
    return every, some


def _row_key(row: Connection) -> tuple[str, str, int, str, int]:
    return (row.source, row.target, row.port, row.protocol.value, row.end_port or 0)


def address_verdict(addresses: AddressSet, sets: Sequence[AddressSet]) -> Verdict:
    """ALLOWED when every pod class admits every one of ``addresses``, PARTIAL when some class
    admits some, DENIED otherwise (and for no addresses at all: nothing outside gets through)."""
    if not sets or not addresses:
        return Verdict.DENIED
    every, some = every_and_some(sets)
    return covered_verdict(addresses, every, some)


def every_and_some(sets: Sequence[AddressSet]) -> tuple[AddressSet, AddressSet]:
    """(the addresses in every one of ``sets``, the addresses in some)."""
    every = sets[0]
    some = sets[0]
    for found in sets[1:]:
        every = every & found
        some = some | found
    return every, some


def covered_verdict(addresses: AddressSet, every: AddressSet, some: AddressSet) -> Verdict:
    """ALLOWED when ``every`` holds all of ``addresses``, PARTIAL when ``some`` holds some."""
    if not addresses:
        return Verdict.DENIED
    if addresses.issubset(every):
        return Verdict.ALLOWED
    if addresses & some:
        return Verdict.PARTIAL
    return Verdict.DENIED


__all__ = [
    "EVERY_WORKLOAD",
    "IPV4_WORLD",
    "IPV6_WORLD",
    "Cell",
    "Connectivity",
    "PortRange",
    "Row",
    "address_verdict",
    "analyse",
    "mask_verdict",
]
