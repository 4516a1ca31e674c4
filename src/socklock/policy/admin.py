"""The network-policy API's tiers composed with NetworkPolicy: a decider.

One decider for both API versions of the reference: ``policy.networking.k8s.io/v1alpha1``
(AdminNetworkPolicy, BaselineAdminNetworkPolicy) and ``v1alpha2`` (ClusterNetworkPolicy,
whose ``spec.tier`` is Admin or Baseline; Accept is v1alpha1's Allow). Each direction of a
connection (the source's egress, the target's ingress) is decided in three tiers:

1. Admin: the policies of the tier whose subject selects the pod, lowest ``priority`` first,
   the rules of one policy in the order written: the first rule whose peers and ports match
   decides. Allow and Deny are final (NetworkPolicy cannot undo them); Pass skips every
   remaining rule of the tier and goes on to 2;
2. NetworkPolicy: if a NetworkPolicy selects the pod for that direction, its rules decide
   (allowed when one admits the traffic, denied otherwise, as NetworkPolicy always does);
3. else Baseline: the tier's policies (v1alpha1: the one BANP, named ``default``; v1alpha2:
   any number, by priority), likewise: the first matching rule decides; Allow and Deny are
   final, Pass skips the rest of the tier; traffic no rule decides is allowed (the default
   tier).

A connection is allowed when both directions are. Peers: ``namespaces`` and ``pods`` select
pods (never external addresses), so ANP/BANP ingress rules never match traffic from outside;
``networks`` (egress) match external addresses *and* pod IPs (the reference: "cluster-internal
traffic will be checked against the rule as well"). Ports: ``portNumber``, ``portRange``
(start < end), ``namedPort`` (resolved at the destination pod, whatever its protocol); no
``ports``: every port.

Conventions and refusals (fail closed, each an error at the field's position):

- a pod reaches itself (a Pod connecting to its own IP is not subject to these policies);
- a ``networks`` rule matches a pod through the IPs the input gives it; a pod without given
  IPs is taken to be IPv4: matched by a rule holding every IPv4 address, and the engine
  refuses a narrower IPv4 ``networks`` rule when such pods exist (their IPs decide it);
- two policies of one tier and priority that select a common pod and hold rules of one
  direction that can match the same traffic with different actions are refused: the
  reference lets an implementation apply either;
- v1alpha1 and v1alpha2 objects in one set are refused (:func:`.admin_api.mixed_versions`);
- a NetworkPolicy ipBlock that holds some but not all of a dual-stack pod's IPs is refused
  beside these policies (the per-family answer is not composed with the tiers);
- ``nodes`` and ``domainNames`` peers are refused (:mod:`.admin_api`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from socklock.model import Diagnostic, Inventory, K8sObject
from socklock.model import Protocol as L4
from socklock.policy.address_classes import AddressCuts
from socklock.policy.addresses import (
    ALL_ADDRESSES,
    IPV4_WORLD,
    NO_ADDRESSES,
    AddressSet,
    external_id,
)
from socklock.policy.admin_api import (
    ANP,
    CNP,
    Action,
    AdminPolicy,
    AdminRule,
    Tier,
    is_admin_object,
    parse_admin_policies,
)
from socklock.policy.api import Direction, NetworkPolicy, parse_policies
from socklock.policy.classset import EMPTY as NO_CLASSES
from socklock.policy.classset import ClassSet
from socklock.policy.compile import CALICO, GENERIC, CompiledPorts, Compiler, compile_ports
from socklock.policy.engine import Connectivity, block_addresses
from socklock.policy.pods import Cluster, PodClass, build_cluster, host_networked
from socklock.policy.result import Isolation, PolicyErrors


@dataclass(frozen=True, slots=True)
class CompiledAdminRule:
    policy: int  # index in AdminConnectivity.tiers (the baseline is last)
    rule: AdminRule
    classes: ClassSet  # pod classes the peers match (selections, and networks via pod IPs)
    addresses: AddressSet  # the networks
    ports: CompiledPorts


@dataclass(frozen=True, slots=True)
class CompiledAdmin:
    policy: AdminPolicy
    subjects: ClassSet
    ingress: tuple[CompiledAdminRule, ...]
    egress: tuple[CompiledAdminRule, ...]


def analyse_admin(
    inventory: Inventory,
    policies: Sequence[K8sObject | NetworkPolicy],
    *,
    externals: Iterable[str] = (),
    cni: str = GENERIC,
    also: Sequence[K8sObject | NetworkPolicy] = (),
) -> AdminConnectivity:
    """:func:`socklock.policy.engine.analyse` for a set that holds ANPs, a BANP or CNPs."""
    admin_objects = [p for p in policies if isinstance(p, K8sObject) and is_admin_object(p)]
    kind = CNP if any(o.kind == CNP for o in admin_objects) else ANP
    objects = [p for p in policies if isinstance(p, K8sObject) and not is_admin_object(p)]
    parsed = parse_policies(objects)
    admin = parse_admin_policies(admin_objects)
    every = (*parsed.policies, *(p for p in policies if isinstance(p, NetworkPolicy)))
    other_objects = [p for p in also if isinstance(p, K8sObject)]
    others = parse_policies([o for o in other_objects if not is_admin_object(o)]).policies
    others += tuple(p for p in also if isinstance(p, NetworkPolicy))
    other_admin = parse_admin_policies([o for o in other_objects if is_admin_object(o)])
    tiers = (*admin.admin, *admin.baseline)
    other_tiers = (*other_admin.admin, *other_admin.baseline)
    cuts = [*block_addresses((*every, *others)), *network_addresses((*tiers, *other_tiers))]
    cluster = build_cluster(inventory, AddressCuts(cuts))
    diagnostics = (
        *cluster.diagnostics,
        *parsed.diagnostics,
        *admin.diagnostics,
        *host_network_pods(inventory, kind),
    )
    if diagnostics:
        raise PolicyErrors(tuple(sorted(diagnostics)))
    return AdminConnectivity(
        cluster, every, admin.admin, admin.baseline, tuple(externals), cni=cni, kind=kind
    )


def host_network_pods(inventory: Inventory, kind: str = ANP) -> Iterator[Diagnostic]:
    """Host-networked pods are neither subjects nor pod peers of these policies (the
    reference), but the model treats every pod alike: refused, not guessed."""
    for workload, where in host_networked(inventory):
        yield Diagnostic(
            where,
            f"{workload.obj.ref}: hostNetwork pods are left out of {kind} "
            "subjects and pod peers, which the engine does not model beside them (no "
            "verdict is given)",
        )


def network_addresses(policies: Iterable[AdminPolicy]) -> Iterator[AddressSet]:
    """The addresses of every ``networks`` CIDR of ``policies``."""
    for policy in policies:
        for rule in policy.egress:
            for peer in rule.peers:
                for network in peer.networks:
                    yield AddressSet.network(network)


class AdminConnectivity(Connectivity):
    """The engine's answers with the admin tier before NetworkPolicy and the baseline after."""

    def __init__(
        self,
        cluster: Cluster,
        policies: Sequence[NetworkPolicy],
        admin: Sequence[AdminPolicy],
        baseline: Sequence[AdminPolicy],
        externals: Sequence[str] = (),
        *,
        cni: str = GENERIC,
        kind: str = ANP,
    ) -> None:
        super().__init__(cluster, policies, externals, cni=cni)
        self.admin_policies = tuple(admin)
        self.baseline = tuple(baseline)
        self.kind = kind  # the Admin tier's kind, as diagnostics name it
        errors: list[Diagnostic] = []
        compiler = Compiler(cluster, CALICO)  # networks match pod IPs; IP-less pods are IPv4
        ip_less = ClassSet.of(c.index for c in cluster.classes if not c.addresses)
        tiers = (*self.admin_policies, *self.baseline)
        self.tiers: tuple[CompiledAdmin, ...] = tuple(
            self._compile(i, p, compiler, ip_less, errors) for i, p in enumerate(tiers)
        )
        errors.extend(self._ambiguous())
        errors.extend(self._partial_blocks())
        if errors:
            raise PolicyErrors(tuple(sorted(errors)))
        n = len(cluster.classes)
        # per class: the rules deciding its ingress, and the egress rules whose peers hold it,
        # each list in evaluation order (priority, name, rule); Admin and Baseline tiers apart
        self._admin_in: list[list[CompiledAdminRule]] = [[] for _ in range(n)]
        self._base_in: list[list[CompiledAdminRule]] = [[] for _ in range(n)]
        self._admin_to: list[list[CompiledAdminRule]] = [[] for _ in range(n)]
        self._base_to: list[list[CompiledAdminRule]] = [[] for _ in range(n)]
        self._admin_out: list[list[CompiledAdminRule]] = [[] for _ in range(n)]
        self._base_out: list[list[CompiledAdminRule]] = [[] for _ in range(n)]
        for compiled in self.tiers:
            base = compiled.policy.baseline
            into = self._base_in if base else self._admin_in
            to = self._base_to if base else self._admin_to
            out = self._base_out if base else self._admin_out
            for c in compiled.subjects:
                into[c].extend(compiled.ingress)
                out[c].extend(compiled.egress)
            for rule in compiled.egress:
                for c in rule.classes:
                    to[c].append(rule)
        self._add_externals(externals)

    # -- compiling ---------------------------------------------------------------------------

    def _compile(
        self,
        index: int,
        policy: AdminPolicy,
        compiler: Compiler,
        ip_less: ClassSet,
        errors: list[Diagnostic],
    ) -> CompiledAdmin:
        subjects = compiler.namespaces(policy.subject.namespaces)
        if policy.subject.pods is not None:
            subjects &= self.cluster.pod_labels.select(policy.subject.pods)
        rules: dict[Direction, list[CompiledAdminRule]] = {d: [] for d in Direction}
        for direction in Direction:
            for rule in policy.rules(direction):
                classes = NO_CLASSES
                addresses = NO_ADDRESSES
                for peer in rule.peers:
                    if peer.selection is not None:
                        scope = compiler.namespaces(peer.selection.namespaces)
                        if peer.selection.pods is not None:
                            scope &= self.cluster.pod_labels.select(peer.selection.pods)
                        classes |= scope
                    for network in peer.networks:
                        addresses = addresses | AddressSet.network(network)
                if addresses:
                    full, partial = compiler.by_address(addresses)
                    classes |= full
                    problem = _network_problem(addresses, partial, ip_less - full)
                    if problem:
                        errors.append(
                            Diagnostic(rule.location, f"{policy.id}: {rule.path}: {problem}")
                        )
                compiled = CompiledAdminRule(
                    index, rule, classes, addresses, compile_ports(rule.ports)
                )
                rules[direction].append(compiled)
        return CompiledAdmin(
            policy, subjects, tuple(rules[Direction.INGRESS]), tuple(rules[Direction.EGRESS])
        )

    def _ambiguous(self) -> Iterator[Diagnostic]:
        """Two policies of one tier and priority that could decide the same traffic
        differently."""
        by_priority: dict[tuple[Tier, int], list[CompiledAdmin]] = {}
        for compiled in self.tiers:
            policy = compiled.policy
            if policy.priority is not None:
                by_priority.setdefault((policy.tier, policy.priority), []).append(compiled)
        for group in by_priority.values():
            for i, first in enumerate(group):
                for second in group[i + 1 :]:
                    if first.subjects.isdisjoint(second.subjects):
                        continue
                    clash = _clash(first, second)
                    if clash is not None:
                        a, b = clash
                        yield Diagnostic(
                            b.rule.location,
                            f"{second.policy.id}: {b.rule.path}: priority "
                            f"{second.policy.priority} is also {first.policy.id}'s "
                            f"({first.policy.location}), whose {a.rule.path} can match the same "
                            f"traffic with action {a.rule.verb} (this rule: "
                            f"{b.rule.verb}); the API lets an implementation apply either, so "
                            "no verdict is given: give the policies distinct priorities",
                        )

    def _partial_blocks(self) -> Iterator[Diagnostic]:
        for compiled in self.compiled:
            for rule in (*compiled.ingress, *compiled.egress):
                if rule.partial:
                    yield Diagnostic(
                        rule.rule.location,
                        f"NetworkPolicy {compiled.policy.id}: {rule.rule.path}: its ipBlocks "
                        "hold some but not all IPs of a dual-stack pod; beside "
                        f"{self.kind} objects this is not evaluated (no verdict is given)",
                    )

    def _add_externals(self, given: Iterable[str]) -> None:
        names = set(self.externals)
        for compiled in self.tiers:
            for rule in compiled.egress:
                for peer in rule.rule.peers:
                    for network in peer.networks:
                        names.add(external_id(network))
                        names.add("external:0.0.0.0/0" if network.version == 4 else "external:::/0")
        names.update(given)
        self.externals = tuple(sorted(names))
        self._external_sets = {name: self.outside(name) for name in self.externals}

    # -- the decider -------------------------------------------------------------------------

    def sources(self, target: PodClass, port: int, protocol: L4) -> tuple[ClassSet, ClassSet]:
        """(classes whose pods may open ``port`` on a distinct pod of ``target``, the same):
        every class is decided whole, so no class reaches only some pods."""
        found = self.ingress_sources(target, port, protocol) & self.egress_senders(
            target, port, protocol
        )
        return found, found

    def ingress_sources(self, target: PodClass, port: int, protocol: L4) -> ClassSet:
        """Classes whose traffic ``target``'s ingress admits, tier by tier."""
        allowed, rest = _admin_tier(
            self._admin_in[target.index], self._all, target, port, protocol, None
        )
        if not rest:
            return allowed
        c = target.index
        if c in self.ingress_isolated:
            admitted = NO_CLASSES
            for rule in self._ingress_rules[c]:
                if rule.ports.matches(target, port, protocol):
                    admitted |= rule.classes
            return allowed | (rest & admitted)
        return allowed | (
            rest & _baseline(self._base_in[c], self._all, target, port, protocol, None)
        )

    def egress_senders(self, target: PodClass, port: int, protocol: L4) -> ClassSet:
        """Classes whose egress lets them reach ``target``, tier by tier."""
        c = target.index
        subjects = [t.subjects for t in self.tiers]
        allowed, rest = _admin_tier(self._admin_to[c], self._all, target, port, protocol, subjects)
        if not rest:
            return allowed
        senders = NO_CLASSES
        for rule in self._egress_to_all:
            if rule.ports.matches(target, port, protocol):
                senders |= self.compiled[rule.policy].subjects
        for rule in self._egress_to[c]:
            if c in rule.classes and rule.ports.matches(target, port, protocol):
                senders |= self.compiled[rule.policy].subjects
        isolated = self.egress_isolated
        base = _baseline(self._base_to[c], self._all, target, port, protocol, subjects)
        return allowed | (rest & ((senders & isolated) | (base - isolated)))

    def ingress_addresses(self, target: PodClass, port: int, protocol: L4) -> AddressSet:
        """External addresses ``target`` admits: ANP and BANP ingress peers are pods only, so
        NetworkPolicy decides for an isolated pod, and everything is admitted otherwise."""
        return super().ingress_addresses(target, port, protocol)

    def egress_addresses(self, source: PodClass, port: int, protocol: L4) -> AddressSet:
        """External addresses ``source`` may reach, tier by tier."""
        c = source.index
        allowed = passed = NO_ADDRESSES
        undecided = ALL_ADDRESSES
        for rule in self._admin_out[c]:
            if not undecided:
                break
            if rule.addresses and rule.ports.matches(None, port, protocol):
                hit = rule.addresses & undecided
                if rule.rule.action is Action.ALLOW:
                    allowed = allowed | hit
                elif rule.rule.action is Action.PASS:
                    passed = passed | hit
                undecided = undecided - hit
        rest = undecided | passed
        if c in self.egress_isolated:
            return allowed | (rest & super().egress_addresses(source, port, protocol))
        denied = NO_ADDRESSES
        undecided = ALL_ADDRESSES
        for rule in self._base_out[c]:
            if rule.addresses and rule.ports.matches(None, port, protocol):
                hit = rule.addresses & undecided
                if rule.rule.action is Action.DENY:
                    denied = denied | hit
                undecided = undecided - hit
        return allowed | (rest - denied)

    def isolation(self, workload_id: str) -> Isolation:
        """(ingress, egress): True when a NetworkPolicy, or an ANP or BANP with rules of that
        direction, selects every pod of the workload."""
        mask = self.endpoint(workload_id).classes
        ingress, egress = self.ingress_isolated, self.egress_isolated
        for compiled in self.tiers:
            if compiled.ingress:
                ingress |= compiled.subjects
            if compiled.egress:
                egress |= compiled.subjects
        return Isolation(bool(mask) and mask <= ingress, bool(mask) and mask <= egress)

    def _relevant_ports(self, target: PodClass) -> Iterator[CompiledPorts]:
        yield from super()._relevant_ports(target)
        c = target.index
        for rules in (self._admin_in[c], self._base_in[c], self._admin_to[c], self._base_to[c]):
            for rule in rules:
                yield rule.ports

    def _outbound_ports(self, source: PodClass) -> Iterator[CompiledPorts]:
        yield from super()._outbound_ports(source)
        c = source.index
        for rule in (*self._admin_out[c], *self._base_out[c]):
            if rule.addresses:
                yield rule.ports


def _first_matches(
    rules: Sequence[CompiledAdminRule],
    everyone: ClassSet,
    target: PodClass,
    port: int,
    protocol: L4,
    subjects: list[ClassSet] | None,
) -> Iterator[tuple[Action, ClassSet]]:
    """Each rule's action with the classes it is the first to match (rules in order; a
    class the rules leave undecided is in none).

    Ingress (``subjects`` None): ``rules`` are the target's; a rule decides for the peers it
    holds. Egress: ``rules`` are those whose peers hold the target; a rule decides for its
    policy's subjects."""
    undecided = everyone
    for rule in rules:
        if not undecided:
            return
        if not rule.ports.matches(target, port, protocol):
            continue
        hit = (rule.classes if subjects is None else subjects[rule.policy]) & undecided
        undecided -= hit
        yield rule.rule.action, hit


def _admin_tier(
    rules: Sequence[CompiledAdminRule],
    everyone: ClassSet,
    target: PodClass,
    port: int,
    protocol: L4,
    subjects: list[ClassSet] | None,
) -> tuple[ClassSet, ClassSet]:
    """(classes an ANP rule allows, classes left to NetworkPolicy: unmatched or passed)."""
    allowed = denied = NO_CLASSES
    for action, hit in _first_matches(rules, everyone, target, port, protocol, subjects):
        if action is Action.ALLOW:
            allowed |= hit
        elif action is Action.DENY:
            denied |= hit
    return allowed, everyone - allowed - denied


def _baseline(
    rules: Sequence[CompiledAdminRule],
    everyone: ClassSet,
    target: PodClass,
    port: int,
    protocol: L4,
    subjects: list[ClassSet] | None,
) -> ClassSet:
    """Classes the baseline does not deny (its first matching rule decides; none: allowed)."""
    denied = NO_CLASSES
    for action, hit in _first_matches(rules, everyone, target, port, protocol, subjects):
        if action is Action.DENY:
            denied |= hit
    return everyone - denied


def _network_problem(addresses: AddressSet, partial: ClassSet, ip_less: ClassSet) -> str | None:
    """Why a ``networks`` rule's pod matches cannot be decided, or None."""
    if partial:
        return (
            "networks hold some but not all IPs of a dual-stack pod: the per-family answer is "
            "not evaluated (no verdict is given)"
        )
    if ip_less and addresses.v4 and not IPV4_WORLD.issubset(addresses):
        return (
            f"networks {', '.join(addresses.cidrs())} also match pods by IP, and {len(ip_less)} "
            "pod class(es) have no IP in the input, so which of them it matches is unknown: "
            "give the pods' IPs (status.podIPs, e.g. a dump of the cluster), or hold every "
            "IPv4 address (0.0.0.0/0)"
        )
    return None


def _clash(
    first: CompiledAdmin, second: CompiledAdmin
) -> tuple[CompiledAdminRule, CompiledAdminRule] | None:
    """A rule of each, of one direction, whose peers and ports overlap, with other actions."""
    for mine, theirs in ((first.ingress, second.ingress), (first.egress, second.egress)):
        for a in mine:
            for b in theirs:
                if a.rule.action is b.rule.action:
                    continue
                peers = not a.classes.isdisjoint(b.classes) or bool(a.addresses & b.addresses)
                if peers and _ports_overlap(a.ports, b.ports):
                    return a, b
    return None


def _ports_overlap(a: CompiledPorts, b: CompiledPorts) -> bool:
    """Can one port match both? (named ports: taken to, as a name can mean any number)"""
    if a.every or b.every or a.named or b.named:
        return True
    return any(
        bool(ranges & b.numeric[protocol])
        for protocol, ranges in a.numeric.items()
        if protocol in b.numeric
    )
