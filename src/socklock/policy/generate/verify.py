"""The built-in proof: what a generated set allows, by its decider, equals the intent.

The generated files are read back (as the loader reads any manifest) and analysed against
the same workloads by the decider of the set's flavour (``emit.table.DECIDERS``): the exact
NetworkPolicy engine for Kubernetes sets, the Calico model for Calico sets, the admin
decider for BANP + NetworkPolicy sets, the Cilium decider for Cilium sets. The allowed rows
are compared with the rows the intent asks for (graph + DNS + entry points, after the
documented decisions), over every row in which a workload in scope takes part:

- workload to workload, on each port the engine distinguishes for the target;
- outside (``external:...`` endpoints) to a workload, and a workload to outside, as maximal
  port ranges of one verdict (an address block that is allowed in part is PARTIAL).

Workloads out of scope have no policy, so they may send anywhere: an entry point open to
"anyone" is expected to admit them too. When the input has no cluster DNS pods, one is
added for the proof (``kube-system/kube-dns``), and likewise an ingress controller pod in
the ingress namespace, so that DNS and entry rules are checked rather than taken on trust.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol as TypingProtocol

from socklock.load.kubernetes import KubernetesObjects, add_document
from socklock.load.limits import DEFAULT_LIMITS
from socklock.load.yamlread import Document, load_yaml
from socklock.model import Inventory, K8sObject, Workload
from socklock.policy.addresses import AddressSet, external_addresses
from socklock.policy.generate.intent import Intent
from socklock.policy.generate.options import DnsTarget
from socklock.policy.intervals import ALL_PORTS
from socklock.policy.pods import Cluster, build_cluster
from socklock.policy.result import Connection, Verdict
from socklock.policy.selectors import LabelSelector
from socklock.policy.table import Row as TableRow

PROTOCOLS = ("TCP", "UDP", "SCTP")
WORLD_V4 = "external:0.0.0.0/0"
WORLD_V6 = "external:::/0"
SYNTHETIC_FILE = "<socklock: added for the proof>"


@dataclass(frozen=True, slots=True, order=True)
class Row:
    source: str
    target: str
    protocol: str
    port: int
    end_port: int | None
    verdict: str

    def __str__(self) -> str:
        ports = f"{self.port}-{self.end_port}" if self.end_port is not None else str(self.port)
        text = f"{self.source} -> {self.target} {ports}/{self.protocol}"
        return text if self.verdict == Verdict.ALLOWED.value else f"{text} ({self.verdict})"


@dataclass(frozen=True, slots=True)
class Verification:
    method: str  # "engine" or "calico model"
    allowed: int  # rows the set allows (and the intent asks for)
    missing: tuple[Row, ...]  # asked for, not allowed
    excess: tuple[Row, ...]  # allowed, not asked for
    added: tuple[str, ...] = ()  # workloads added for the proof (DNS, ingress controller)
    logged: str | None = None  # log mode: what happens to the rest
    over_permissive: int = 0  # compose: pairs a shared network allows beyond the calls

    @property
    def ok(self) -> bool:
        return not self.missing and not self.excess

    def summary(self) -> str:
        if self.method == "compose networks":
            return (
                f"checked: {self.allowed} calls possible, {len(self.missing)} missing; "
                f"{self.over_permissive} over-permissive (compose cannot enforce them, listed)"
            )
        text = (
            f"verified: {self.allowed} connections allowed, {len(self.missing)} missing, "
            f"{len(self.excess)} excess"
        )
        if self.logged:
            text += f" ({self.logged})"
        return text

    def details(self, limit: int = 50) -> list[str]:
        lines = [f"missing: {row}" for row in self.missing[:limit]]
        lines += [f"excess: {row}" for row in self.excess[:limit]]
        hidden = len(self.missing) + len(self.excess) - len(lines)
        if hidden > 0:
            lines.append(f"(+{hidden} more)")
        return lines


class Reachability(TypingProtocol):
    """What the verifier needs of the engine (or of the Calico model)."""

    @property
    def cluster(self) -> Cluster: ...

    @property
    def externals(self) -> tuple[str, ...]: ...

    def connections(self, include_denied: bool = False) -> tuple[Connection, ...]: ...

    def iter_rows(
        self, include_denied: bool = False, summary: bool = False
    ) -> Iterator[TableRow]: ...


# -- the inventory of the proof --------------------------------------------------------------


def _workloads_from(text: str) -> tuple[tuple[Workload, ...], tuple[K8sObject, ...]]:
    out = KubernetesObjects()
    for item in load_yaml(text, SYNTHETIC_FILE, DEFAULT_LIMITS):
        if isinstance(item, Document) and item.value is not None:
            add_document(item.value, SYNTHETIC_FILE, out)
    return tuple(out.workloads), tuple(out.objects)


def _pod(
    namespace: str, name: str, labels: Mapping[str, str], ports: Sequence[tuple[int, str]]
) -> str:
    lines = [
        "apiVersion: apps/v1",
        "kind: Deployment",
        f"metadata: {{name: {name}, namespace: {namespace}}}",
        "spec:",
        "  template:",
        "    metadata:",
        "      labels:",
        *(f"        {key!s}: {value!r}" for key, value in sorted(labels.items())),
        "    spec:",
        "      containers:",
        f"        - name: {name}",
    ]
    if ports:
        lines.append("          ports:")
        lines += [f"            - {{containerPort: {p}, protocol: {proto}}}" for p, proto in ports]
    return "\n".join(lines) + "\n"


def proof_inventory(
    inventory: Inventory,
    dns: DnsTarget | None,
    ingress_namespace: str | None,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[Inventory, tuple[str, ...]]:
    """The inventory with caller labels applied and DNS / ingress-controller pods added when
    the input has none; also the ids of the added workloads."""
    workloads = list(inventory.workloads)
    if labels:
        cluster = build_cluster(inventory)
        extra_by_workload: dict[int, Mapping[str, str]] = {}
        for endpoint in cluster.endpoints:
            extra = labels.get(endpoint.id)
            if extra:
                for member in endpoint.workloads:
                    extra_by_workload[id(member)] = extra
        workloads = [
            dataclasses.replace(w, labels={**w.labels, **extra_by_workload[id(w)]})
            if id(w) in extra_by_workload
            else w
            for w in workloads
        ]
    added: list[str] = []
    texts = []
    if dns is not None:
        selector = LabelSelector.build(dns.labels)
        if not any(w.namespace == dns.namespace and selector.matches(w.labels) for w in workloads):
            texts.append(_pod(dns.namespace, "kube-dns", dns.labels, dns.ports))
            added.append(f"{dns.namespace}/kube-dns")
    if ingress_namespace is not None and not any(
        w.namespace == ingress_namespace for w in workloads
    ):
        texts.append(_pod(ingress_namespace, "ingress-controller", {"app": "ingress"}, ()))
        added.append(f"{ingress_namespace}/ingress-controller")
    objects = list(inventory.objects)
    for text in texts:
        found, found_objects = _workloads_from(text)
        workloads.extend(found)
        objects.extend(found_objects)
    changed = dataclasses.replace(inventory, workloads=tuple(workloads), objects=tuple(objects))
    return changed, tuple(added)


# -- rows ------------------------------------------------------------------------------------


def _verdict(addresses: AddressSet, allowed: AddressSet) -> Verdict:
    if addresses.issubset(allowed):
        return Verdict.ALLOWED
    if addresses & allowed:
        return Verdict.PARTIAL
    return Verdict.DENIED


def _runs(
    source: str,
    externals: Sequence[str],
    protocol: str,
    pieces: Sequence[tuple[int, int, AddressSet]],
) -> Iterable[Row]:
    """Rows of maximal port runs with one verdict, for each external endpoint."""
    for name in externals:
        addresses = external_addresses(name)
        verdicts = [_verdict(addresses, allowed) for _, _, allowed in pieces]
        start = 0
        for i in range(1, len(pieces) + 1):
            if i == len(pieces) or verdicts[i] is not verdicts[start]:
                if verdicts[start] is not Verdict.DENIED:
                    low, high = pieces[start][0], pieces[i - 1][1]
                    yield Row(
                        source,
                        name,
                        protocol,
                        low,
                        high if high != low else None,
                        verdicts[start].value,
                    )
                start = i


def expected_rows(
    intent: Intent,
    cluster: Cluster,
    externals: Sequence[str],
    dns: DnsTarget | None,
) -> set[Row]:
    """The rows the intent asks for (graph + DNS + entry points + addresses)."""
    return set(_expected(intent, cluster, externals, dns))


def _expected(
    intent: Intent,
    cluster: Cluster,
    externals: Sequence[str],
    dns: DnsTarget | None,
) -> Iterator[Row]:
    """:func:`expected_rows` one at a time (a row may come twice)."""
    scope = set(intent.scope)
    allowed = Verdict.ALLOWED.value
    for call in intent.calls:
        yield Row(call.source, call.target, call.port.protocol, call.port.number, None, allowed)
    if dns is not None:
        selector = LabelSelector.build(dns.labels)
        targets = [
            e.id
            for e in cluster.endpoints
            if e.namespace == dns.namespace
            and all(selector.matches(cluster.classes[i].labels) for i in e.classes)
        ]
        for source in intent.scope:
            for target in targets:
                for number, protocol in dns.ports:
                    yield Row(source, target, protocol, number, None, allowed)
    outside = [e.id for e in cluster.endpoints if e.id not in scope]
    for entry in intent.entries:
        if intent.ingress_namespace is not None:
            sources = [e.id for e in cluster.endpoints if e.namespace == intent.ingress_namespace]
        else:
            sources = [*outside, *externals]
        for source in sources:
            yield Row(source, entry.workload, entry.port.protocol, entry.port.number, None, allowed)
    by_source: dict[str, list[tuple[str, int | None, str]]] = defaultdict(list)
    for address in intent.address_calls:
        by_source[address.source].append((address.cidr, address.port, address.protocol))
    for source in intent.scope:
        calls = by_source.get(source, [])
        if not calls:
            continue  # no address allowed: every row to outside is DENIED, and not listed
        for protocol in PROTOCOLS:
            mine = [(cidr, port) for cidr, port, proto in calls if proto == protocol]
            cuts: set[int] = set()
            for _, port in mine:
                if port is not None:
                    cuts |= {port, port + 1}
            pieces = []
            for low, high in ALL_PORTS.split(cuts):
                allowed_here = AddressSet()
                for cidr, port in mine:
                    if port is None or low <= port <= high:
                        allowed_here = allowed_here | external_addresses(f"external:{cidr}")
                pieces.append((low, high, allowed_here))
            yield from _runs(source, externals, protocol, pieces)


def actual_rows(reach: Reachability, scope: set[str]) -> set[Row]:
    return set(_actual(reach, scope))


def _actual(reach: Reachability, scope: set[str]) -> Iterator[Row]:
    """The rows the decider allows (ALLOWED or PARTIAL) in which a workload in scope takes
    part, one at a time (a row may come twice)."""
    single = {e.id for e in reach.cluster.endpoints if e.single_pod}
    for source, target, port, protocol, verdict, end_port in reach.iter_rows():
        if source == target and source in single:
            continue
        if source not in scope and target not in scope:
            continue
        yield Row(source, target, protocol.value, port, end_port, verdict.value)


def compare(
    method: str,
    reach: Reachability,
    intent: Intent,
    dns: DnsTarget | None,
    added: tuple[str, ...] = (),
    logged: str | None = None,
) -> Verification:
    """The allowed rows against the expected ones. The allowed rows are taken one at a time
    (never all held: two rows a workload at least); each expected row is held once, with
    whether it was found (one table, not a set of the expected and one of the matched), and
    the allowed rows not expected are excess."""
    single = {e.id for e in reach.cluster.endpoints if e.single_pod}
    found = dict.fromkeys(
        (
            r
            for r in _expected(intent, reach.cluster, reach.externals, dns)
            if not (r.source == r.target and r.source in single)
        ),
        False,
    )
    del single
    matched = 0
    excess: set[Row] = set()
    for row in _actual(reach, set(intent.scope)):
        seen = found.get(row)
        if seen is None:
            excess.add(row)
        elif not seen:
            found[row] = True
            matched += 1
    expected = [row for row, seen in found.items() if not seen]
    del found
    return Verification(
        method,
        matched,
        tuple(sorted(expected)),
        tuple(sorted(excess)),
        added,
        logged,
    )


def externals_for(intent: Intent) -> list[str]:
    """The outside endpoints the proof looks at: the whole world, and every address called."""
    names = {WORLD_V4, WORLD_V6}
    names.update(f"external:{a.cidr}" for a in intent.address_calls)
    return sorted(names)
