"""From the intent to per-workload rules, independent of the output flavour.

Each workload in scope gets at most one ingress and one egress allowance list; each
allowance is one peer (a workload's pods, anyone, a namespace, an address block, the cluster
DNS, or the pods carrying a caller label) with the ports it may use, and the comment lines
(evidence) the emitters write above it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from socklock.errors import UsageError
from socklock.model import Evidence
from socklock.policy.generate.intent import (
    EVERY_PORT,
    OUTSIDE,
    Call,
    Intent,
    Note,
    NoteLevel,
    Port,
)
from socklock.policy.generate.options import GenerateOptions, Mode
from socklock.policy.generate.selectors import Selection, Selectors
from socklock.policy.pods import Cluster

LABEL_PREFIX = "socklock.io/"
TYPE_LABEL = "socklock.io/type"
NAMESPACE_LABEL = "kubernetes.io/metadata.name"
MAX_EVIDENCE = 3


class PeerKind(StrEnum):
    WORKLOAD = "workload"
    OUTSIDE = "outside"  # anyone: the entry point of the application
    NAMESPACE = "namespace"  # every pod of some namespaces (the ingress controller's)
    ADDRESS = "address"  # an ipBlock
    DNS = "dns"  # the cluster DNS
    CALLER_LABEL = "caller-label"  # pods that carry a socklock.io/to.* label
    TYPE_LABEL = "type-label"  # pods that carry socklock.io/type


@dataclass(frozen=True, slots=True, order=True)
class Peer:
    kind: PeerKind
    key: str  # identity (for order and merging): workload id, cidr, label key, ...
    pod_labels: tuple[tuple[str, str], ...] = ()  # matchLabels
    pod_in: tuple[tuple[str, tuple[str, ...]], ...] = ()  # matchExpressions key In values
    namespaces: tuple[str, ...] | None = None  # None: the policy's own; (): any namespace
    cidr: str | None = None


@dataclass(frozen=True, slots=True)
class Allowance:
    peer: Peer
    ports: tuple[Port, ...]  # sorted; () means every port
    comment: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkloadPolicy:
    workload: str
    namespace: str
    name: str
    selection: Selection
    ingress: tuple[Allowance, ...]
    egress: tuple[Allowance, ...]
    egress_comment: tuple[str, ...] = ()  # calls that are not allowed, and why


@dataclass(frozen=True, slots=True)
class Plan:
    intent: Intent
    options: GenerateOptions
    policies: tuple[WorkloadPolicy, ...]  # sorted by workload id
    caller_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()


class GenerationError(UsageError):
    """The graph cannot be turned into a policy set (e.g. a workload cannot be singled out)."""

    def __init__(self, message: str, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.details = tuple(details)

    def diagnostics(self) -> str:
        return "\n".join([f"error: {self}", *(f"  {line}" for line in self.details)])


def evidence_lines(
    evidence: Iterable[Evidence],
    limit: int = MAX_EVIDENCE,
    secondary: frozenset[str] = frozenset(),
) -> list[str]:
    """``file:line:col detail`` of each piece of evidence, manifests before compose files."""
    ordered = sorted(
        set(evidence), key=lambda e: (e.location.file in secondary, e.location, e.detail)
    )
    lines = [f"{e.location} {e.detail}" for e in ordered[:limit]]
    if len(ordered) > limit:
        lines.append(f"(+{len(ordered) - limit} more)")
    return lines


def _hashed(name: str, limit: int = 63) -> str:
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:10]
    return name[: limit - 11].rstrip("-_.") + "-" + digest


def object_name(name: str) -> str:
    """``name`` as a DNS-1123 subdomain of at most 253 characters (what policies' names must
    be): workload names are lower-case already; a longer name keeps a hash of the whole."""
    return _hashed(name, 253)


def caller_label_key(target_namespace: str, target_name: str, caller_namespace: str) -> str:
    """``socklock.io/to.<name>`` (``to.<namespace>.<name>`` from another namespace); the
    part after the prefix is kept within the 63 characters of a label name."""
    if caller_namespace == target_namespace:
        name = f"to.{target_name}"
    else:
        name = f"to.{target_namespace}.{target_name}"
    return LABEL_PREFIX + _hashed(name)


def ports_value(ports: Iterable[Port]) -> str:
    """A label value naming a set of ports: ``8080``, ``53u.53``, ``9000s`` (SCTP)."""
    suffix = {"TCP": "", "UDP": "u", "SCTP": "s"}
    text = ".".join(f"{p.number}{suffix[p.protocol]}" for p in sorted(set(ports)))
    return _hashed(text)


class Planner:
    def __init__(
        self, intent: Intent, cluster: Cluster, selectors: Selectors, options: GenerateOptions
    ) -> None:
        self.intent = intent
        self.cluster = cluster
        self.selectors = selectors
        self.options = options
        self.notes: list[Note] = list(intent.notes)
        self.namespace_of = {e.id: e.namespace for e in cluster.endpoints}

    # -- peers ---------------------------------------------------------------------------

    def workload_peer(self, peer: str, policy_namespace: str) -> Peer:
        selection = self.selectors.select(peer)
        namespace = self.namespace_of[peer]
        return Peer(
            PeerKind.WORKLOAD,
            peer,
            tuple(sorted(selection.labels.items())),
            (),
            None if namespace == policy_namespace else (namespace,),
        )

    def dns_peer(self) -> Peer:
        dns = self.options.dns
        assert dns is not None
        return Peer(PeerKind.DNS, "dns", tuple(sorted(dns.labels.items())), (), (dns.namespace,))

    # -- the plan ------------------------------------------------------------------------

    def plan(self) -> Plan:
        self._check_selectors()
        by_target: dict[str, list[Call]] = defaultdict(list)
        by_source: dict[str, list[Call]] = defaultdict(list)
        for call in self.intent.calls:
            by_target[call.target].append(call)
            by_source[call.source].append(call)
        in_scope = set(self.intent.scope)
        caller_labels: dict[str, dict[str, str]] = defaultdict(dict)
        type_of = self._types()
        for workload, type_name in type_of.items():
            caller_labels[workload][TYPE_LABEL] = type_name
        policies: list[WorkloadPolicy] = []
        for workload in self.intent.scope:
            namespace = self.namespace_of[workload]
            ingress: list[Allowance] = []
            if self.options.mode is Mode.CALLER_LABELS:
                ingress.extend(
                    self._caller_label_ingress(
                        workload, by_target.get(workload, []), caller_labels, type_of
                    )
                )
            else:
                ingress.extend(self._workload_ingress(workload, by_target.get(workload, [])))
            ingress.extend(self._entry_ingress(workload))
            egress = self._egress(workload, by_source.get(workload, []))
            egress_comment = [
                f"NOT ALLOWED: {u.target}"
                + (f" {u.port}/{u.protocol}" if u.port else f" ({u.protocol})")
                + f": {u.reason}"
                for u in self.intent.unexpressed
                if u.source == workload
            ]
            policies.append(
                WorkloadPolicy(
                    workload,
                    namespace,
                    workload.split("/", 1)[1],
                    self.selectors.select(workload),
                    tuple(sorted(ingress, key=_allowance_order)),
                    tuple(sorted(egress, key=_allowance_order)),
                    tuple(egress_comment),
                )
            )
        for workload in sorted(caller_labels):
            if workload not in in_scope and workload in self.namespace_of:
                self.notes.append(
                    Note(
                        NoteLevel.INFO,
                        workload,
                        "outside the scope, but gets caller labels for its calls",
                    )
                )
        return Plan(
            self.intent,
            self.options,
            tuple(policies),
            {w: dict(sorted(labels.items())) for w, labels in sorted(caller_labels.items())},
            tuple(sorted(set(self.notes))),
        )

    def _check_selectors(self) -> None:
        needed = set(self.intent.scope)
        for call in self.intent.calls:
            needed.add(call.source)
            needed.add(call.target)
        problems = []
        for workload in sorted(needed):
            selection = self.selectors.select(workload)
            if not selection.ok:
                problems.append(f"{workload}: cannot be singled out: {selection.source}")
        if problems:
            raise GenerationError(
                f"{len(problems)} workload(s) cannot be selected without also selecting "
                "another; give each a distinguishing pod template label "
                "(e.g. app.kubernetes.io/name)",
                problems,
            )

    def _types(self) -> dict[str, str]:
        type_of: dict[str, str] = {}
        for caller_type in self.options.types:
            for member in caller_type.workloads:
                if member in type_of:
                    raise UsageError(
                        f"{member} is declared in two caller types "
                        f"({type_of[member]} and {caller_type.name}); a pod has one "
                        f"{TYPE_LABEL} label"
                    )
                if member not in self.namespace_of:
                    self.notes.append(
                        Note(
                            NoteLevel.WARNING,
                            member,
                            f"caller type {caller_type.name}: no such workload in the input",
                        )
                    )
                    continue
                type_of[member] = caller_type.name
        if self.options.mode is not Mode.CALLER_LABELS:
            return {}
        return type_of

    def _workload_ingress(self, workload: str, calls: Sequence[Call]) -> list[Allowance]:
        namespace = self.namespace_of[workload]
        grouped: dict[str, list[Call]] = defaultdict(list)
        for call in calls:
            grouped[call.source].append(call)
        out = []
        for source, found in sorted(grouped.items()):
            out.append(
                Allowance(
                    self.workload_peer(source, namespace),
                    tuple(sorted({c.port for c in found})),
                    _call_comment(source, found, secondary=self.intent.secondary_files),
                )
            )
        return out

    def _caller_label_ingress(
        self,
        workload: str,
        calls: Sequence[Call],
        caller_labels: dict[str, dict[str, str]],
        type_of: Mapping[str, str],
    ) -> list[Allowance]:
        namespace = self.namespace_of[workload]
        name = workload.split("/", 1)[1]
        ports_of: dict[str, set[Port]] = defaultdict(set)
        calls_of: dict[str, list[Call]] = defaultdict(list)
        for call in calls:
            ports_of[call.source].add(call.port)
            calls_of[call.source].append(call)
        out: list[Allowance] = []
        # Caller types: one label for a group whose every member calls on the same ports.
        members_by_type: dict[str, list[str]] = defaultdict(list)
        for member, type_name in type_of.items():
            members_by_type[type_name].append(member)
        covered: set[str] = set()
        for type_name, members in sorted(members_by_type.items()):
            sets = {frozenset(ports_of.get(m, ())) for m in members}
            if len(sets) != 1 or not next(iter(sets)):
                continue
            ports = tuple(sorted(next(iter(sets))))
            spaces = sorted({self.namespace_of[m] for m in members})
            comment = [f"caller type {type_name} ({TYPE_LABEL}={type_name}):"]
            for member in sorted(members):
                comment.extend(
                    _call_comment(member, calls_of[member], secondary=self.intent.secondary_files)
                )
            out.append(
                Allowance(
                    Peer(
                        PeerKind.TYPE_LABEL,
                        f"type:{type_name}",
                        ((TYPE_LABEL, type_name),),
                        (),
                        None if spaces == [namespace] else tuple(spaces),
                    ),
                    ports,
                    tuple(comment),
                )
            )
            covered.update(members)
        union = set().union(*(ports_of[s] for s in ports_of if s not in covered))
        by_key: dict[str, list[str]] = defaultdict(list)
        for source in sorted(ports_of):
            if source in covered:
                continue
            key = caller_label_key(namespace, name, self.namespace_of[source])
            value = "true" if ports_of[source] == union else ports_value(ports_of[source])
            caller_labels[source][key] = value
            by_key[key].append(source)
        for key, sources in sorted(by_key.items()):
            same = self.namespace_of[sources[0]] == namespace
            # One peer per distinct set of label values admitted on a port.
            values_by_port: dict[Port, set[str]] = defaultdict(set)
            for source in sources:
                for called in ports_of[source]:
                    values_by_port[called].add(caller_labels[source][key])
            ports_by_values: dict[tuple[str, ...], list[Port]] = defaultdict(list)
            for called, admitted_values in values_by_port.items():
                ports_by_values[tuple(sorted(admitted_values))].append(called)
            for values, value_ports in sorted(ports_by_values.items()):
                admitted = [s for s in sources if caller_labels[s][key] in values]
                comment = [f"callers labelled {key} ({', '.join(values)}):"]
                for source in admitted:
                    comment.extend(
                        _call_comment(
                            source, calls_of[source], secondary=self.intent.secondary_files
                        )
                    )
                pod_labels: tuple[tuple[str, str], ...] = ()
                pod_in: tuple[tuple[str, tuple[str, ...]], ...] = ()
                if len(values) == 1:
                    pod_labels = ((key, values[0]),)
                else:
                    pod_in = ((key, values),)
                out.append(
                    Allowance(
                        Peer(
                            PeerKind.CALLER_LABEL,
                            f"{key}={','.join(values)}",
                            pod_labels,
                            pod_in,
                            None if same else (),
                        ),
                        tuple(sorted(value_ports)),
                        tuple(comment),
                    )
                )
        return out

    def _entry_ingress(self, workload: str) -> list[Allowance]:
        entries = [e for e in self.intent.entries if e.workload == workload]
        if not entries:
            return []
        ports = tuple(sorted({e.port for e in entries}))
        evidence = [ev for e in entries for ev in e.evidence]
        if self.intent.ingress_namespace is not None:
            ns = self.intent.ingress_namespace
            peer = Peer(PeerKind.NAMESPACE, f"namespace:{ns}", (), (), (ns,))
            head = f"entry point: the ingress controller's namespace {ns} may connect"
        else:
            peer = Peer(PeerKind.OUTSIDE, OUTSIDE)
            head = "entry point: anyone may connect (traffic from outside the cluster)"
        return [
            Allowance(
                peer,
                ports,
                (head, *evidence_lines(evidence, secondary=self.intent.secondary_files)),
            )
        ]

    def _egress(self, workload: str, calls: Sequence[Call]) -> list[Allowance]:
        namespace = self.namespace_of[workload]
        out: list[Allowance] = []
        grouped: dict[str, list[Call]] = defaultdict(list)
        for call in calls:
            grouped[call.target].append(call)
        for target, found in sorted(grouped.items()):
            out.append(
                Allowance(
                    self.workload_peer(target, namespace),
                    tuple(sorted({c.port for c in found})),
                    _call_comment(
                        target, found, outgoing=True, secondary=self.intent.secondary_files
                    ),
                )
            )
        by_cidr: dict[str, list[tuple[int | None, str, tuple[Evidence, ...], str]]] = defaultdict(
            list
        )
        for address in self.intent.address_calls:
            if address.source == workload:
                by_cidr[address.cidr].append(
                    (address.port, address.protocol, address.evidence, address.host)
                )
        for cidr, found_addresses in sorted(by_cidr.items()):
            every = {proto for port, proto, _, _ in found_addresses if port is None}
            ports = tuple(
                sorted(
                    {Port(proto, EVERY_PORT) for proto in every}
                    | {
                        Port(proto, port)
                        for port, proto, _, _ in found_addresses
                        if port is not None and proto not in every
                    }
                )
            )
            hosts = sorted({host for _, _, _, host in found_addresses})
            head = f"external {', '.join(hosts)}" + (" (port unknown: every port)" if every else "")
            evidence = [ev for _, _, evs, _ in found_addresses for ev in evs]
            out.append(
                Allowance(
                    Peer(PeerKind.ADDRESS, cidr, cidr=cidr),
                    ports,
                    (head, *evidence_lines(evidence, secondary=self.intent.secondary_files)),
                )
            )
        dns = self.options.dns
        if dns is not None:
            out.append(
                Allowance(
                    self.dns_peer(),
                    tuple(Port(proto, number) for number, proto in dns.ports),
                    (f"cluster DNS ({dns.namespace}, {_labels_text(dns.labels)})",),
                )
            )
        return out


def _labels_text(labels: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(labels.items()))


def _call_comment(
    peer: str,
    calls: Sequence[Call],
    outgoing: bool = False,
    secondary: frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    ports = ", ".join(str(p) for p in sorted({c.port for c in calls}))
    head = f"{'to' if outgoing else 'from'} {peer} ({ports})"
    notes = sorted({c.note for c in calls if c.note})
    evidence = [ev for c in calls for ev in c.evidence]
    lines = [head + (f": {'; '.join(notes)}" if notes else "")]
    lines.extend(f"  {line}" for line in evidence_lines(evidence, secondary=secondary))
    return tuple(lines)


_KIND_ORDER = {kind: index for index, kind in enumerate(PeerKind)}


def _allowance_order(allowance: Allowance) -> tuple[int, str]:
    return (_KIND_ORDER[allowance.peer.kind], allowance.peer.key)


def build_plan(
    intent: Intent, cluster: Cluster, selectors: Selectors, options: GenerateOptions
) -> Plan:
    return Planner(intent, cluster, selectors, options).plan()
