"""The semantic difference of two policy sets over the same workloads: connections added and
removed, over every port and every address, not a text diff.

Written once over any decider (:class:`socklock.policy.table.Decider`): the two sides may be
of one flavour or of two (a Kubernetes set against the Calico set that replaces it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from socklock.errors import UsageError
from socklock.model import Protocol
from socklock.policy.addresses import AddressSet
from socklock.policy.intervals import ALL_PORTS
from socklock.policy.pods import Endpoint
from socklock.policy.result import Verdict
from socklock.policy.table import PROTOCOLS, Decider, pair_verdict, target_sources

_RANK = {Verdict.DENIED: 0, Verdict.PARTIAL: 1, Verdict.ALLOWED: 2}


@dataclass(frozen=True, slots=True, order=True)
class Change:
    """``source -> target`` on ports ``port``..``end_port`` went from ``before`` to ``after``."""

    source: str
    target: str
    port: int
    end_port: int
    protocol: Protocol
    before: Verdict
    after: Verdict

    @property
    def opened(self) -> bool:
        return _RANK[self.after] > _RANK[self.before]

    def __str__(self) -> str:
        ports = str(self.port) if self.port == self.end_port else f"{self.port}-{self.end_port}"
        return (
            f"{self.source} -> {self.target} {ports}/{self.protocol}: {self.before} -> {self.after}"
        )


@dataclass(frozen=True, slots=True)
class ConnectivityDiff:
    changes: tuple[Change, ...]

    @property
    def added(self) -> tuple[Change, ...]:
        """More is allowed than before."""
        return tuple(c for c in self.changes if c.opened)

    @property
    def removed(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if not c.opened)

    @property
    def equivalent(self) -> bool:
        return not self.changes


def _check_same_cluster(old: Decider, new: Decider) -> None:
    if old.cluster is new.cluster:
        return
    if [e.id for e in old.cluster.endpoints] != [e.id for e in new.cluster.endpoints] or [
        (c.namespace, dict(c.labels), dict(c.named_ports), c.addresses) for c in old.cluster.classes
    ] != [
        (c.namespace, dict(c.labels), dict(c.named_ports), c.addresses) for c in new.cluster.classes
    ]:
        raise UsageError("a diff compares two policy sets over the same workloads")


def _merge(
    changes: list[tuple[int, int, str, str, Verdict, Verdict]], protocol: Protocol
) -> Iterator[Change]:
    """Join changes of adjacent port ranges that are otherwise equal."""
    changes.sort(key=lambda c: (c[2], c[3], c[0]))
    current: list[object] | None = None
    for low, high, source, target, before, after in changes:
        if (
            current is not None
            and current[2:] == [source, target, before, after]
            and isinstance(current[1], int)
            and current[1] + 1 == low
        ):
            current[1] = high
            continue
        if current is not None:
            yield _change(current, protocol)
        current = [low, high, source, target, before, after]
    if current is not None:
        yield _change(current, protocol)


def _change(values: list[object], protocol: Protocol) -> Change:
    low, high, source, target, before, after = values
    assert isinstance(low, int) and isinstance(high, int)
    assert isinstance(source, str) and isinstance(target, str)
    assert isinstance(before, Verdict) and isinstance(after, Verdict)
    return Change(source, target, low, high, protocol, before, after)


def _target_cuts(decider: Decider, target: Endpoint, protocol: Protocol) -> set[int]:
    """Where an answer about traffic to ``target`` may change: the bounds of the rows the
    decider lists for it (its ports and every port its rules mention, split where a rule's
    ports end); the ports no row holds are all answered alike."""
    out: set[int] = set()
    for row in decider.rows(target):
        if row.protocol is protocol:
            out |= {row.low, row.high + 1}
    return out


def _source_cuts(decider: Decider, source: Endpoint, protocol: Protocol) -> set[int]:
    out: set[int] = set()
    for c in source.classes:
        out |= decider.egress_cuts(decider.cluster.classes[c], protocol)
    return out


def _address_changes(
    old: Decider, new: Decider, before_sets: list[AddressSet], after_sets: list[AddressSet]
) -> Iterator[tuple[str, Verdict, Verdict]]:
    """External ranges whose verdict changes, each decider judging its own external endpoint
    (the Kubernetes engine leaves the pod IPs the input gives out of it)."""
    every_b, some_b = _fold(before_sets)
    every_a, some_a = _fold(after_sets)
    if (every_b, some_b) == (every_a, some_a):
        return
    region = (every_b - every_a) | (every_a - every_b) | (some_b - some_a) | (some_a - some_b)
    for cidr in region.cidrs():
        name = f"external:{cidr}"
        before = old.external_verdict(name, before_sets)
        after = new.external_verdict(name, after_sets)
        if before is not after:
            yield name, before, after


def _fold(sets: list[AddressSet]) -> tuple[AddressSet, AddressSet]:
    every, some = sets[0], sets[0]
    for found in sets[1:]:
        every, some = every & found, some | found
    return every, some


def diff(old: Decider, new: Decider) -> ConnectivityDiff:
    """What changes from ``old`` to ``new`` (two analyses of the same workloads)."""
    _check_same_cluster(old, new)
    endpoints = new.cluster.endpoints
    class_endpoints = new.cluster.class_endpoints()
    found: list[Change] = []
    for protocol in PROTOCOLS:
        raw: list[tuple[int, int, str, str, Verdict, Verdict]] = []
        for position, target in enumerate(endpoints):
            before_target = old.cluster.endpoints[position]
            cuts = _target_cuts(old, before_target, protocol) | _target_cuts(new, target, protocol)
            classes_old = [old.cluster.classes[c] for c in before_target.classes]
            classes_new = [new.cluster.classes[c] for c in target.classes]
            for low, high in ALL_PORTS.split(cuts):
                every_o, some_o = target_sources(old, before_target, low, protocol)
                every_n, some_n = target_sources(new, target, low, protocol)
                if (every_o, some_o) != (every_n, some_n):
                    seen: set[int] = set()
                    for bit in some_o | some_n | (every_o ^ every_n):
                        seen.update(class_endpoints[bit])
                    for i in sorted(seen):
                        source = endpoints[i]
                        before = pair_verdict(source, target, every_o, some_o)
                        after = pair_verdict(source, target, every_n, some_n)
                        if before is not after:
                            raw.append((low, high, source.id, target.id, before, after))
                for name, before, after in _address_changes(
                    old,
                    new,
                    [old.ingress_addresses(c, low, protocol) for c in classes_old],
                    [new.ingress_addresses(c, low, protocol) for c in classes_new],
                ):
                    raw.append((low, high, name, target.id, before, after))
        for position, source in enumerate(endpoints):
            before_source = old.cluster.endpoints[position]
            cuts = _source_cuts(old, before_source, protocol) | _source_cuts(new, source, protocol)
            classes_old = [old.cluster.classes[c] for c in before_source.classes]
            classes_new = [new.cluster.classes[c] for c in source.classes]
            for low, high in ALL_PORTS.split(cuts):
                for name, before, after in _address_changes(
                    old,
                    new,
                    [old.egress_addresses(c, low, protocol) for c in classes_old],
                    [new.egress_addresses(c, low, protocol) for c in classes_new],
                ):
                    raw.append((low, high, source.id, name, before, after))
        found.extend(_merge(raw, protocol))
    return ConnectivityDiff(tuple(sorted(found)))
