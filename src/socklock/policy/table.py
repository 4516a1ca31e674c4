"""The connectivity table and its listing, written once for every decider.

A *decider* answers for one policy flavour (Kubernetes NetworkPolicy in
:mod:`socklock.policy.engine`, Calico in :mod:`socklock.policy.calico_model`): which classes
reach a pod class on a port, which external addresses it admits, and the rows (port ranges)
worth listing for a target. Everything built on those answers is here, so the flavours list,
count and summarise alike: the table in its own terms (a :class:`Cell` per target and port
range, holding sets of pod classes), and the rows a report lists, one source at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol as TypingProtocol

from socklock.errors import UsageError
from socklock.model import Protocol
from socklock.policy.addresses import AddressSet, is_external
from socklock.policy.classset import EMPTY as NO_CLASSES
from socklock.policy.classset import ClassSet
from socklock.policy.intervals import ALL_PORTS, PORT_MAX, PORT_MIN, IntervalSet
from socklock.policy.intervals import EMPTY as NO_PORTS
from socklock.policy.pods import Cluster, Endpoint, PodClass
from socklock.policy.result import Verdict

PROTOCOLS = (Protocol.TCP, Protocol.UDP, Protocol.SCTP)

EVERY_WORKLOAD = "*"
"""The source of a summary row: every workload of the input."""

Row = tuple[str, str, int, Protocol, Verdict, int | None]
"""(source, target, port, protocol, verdict, end port): a :class:`Connection`'s fields."""


@dataclass(frozen=True, slots=True)
class PortRange:
    """Ports ``low``..``high`` of ``protocol``."""

    low: int
    high: int
    protocol: Protocol


@dataclass(frozen=True, slots=True)
class Cell:
    """One row of the table: traffic to endpoint ``target`` (its index) on ``atom``."""

    target: int
    atom: PortRange
    every: ClassSet  # classes whose pods reach every pod of the target
    some: ClassSet  # classes whose pods reach some


class Decider(TypingProtocol):
    """What a policy flavour answers; the table and the listing ask nothing else."""

    cluster: Cluster
    externals: tuple[str, ...]

    def rows(self, target: Endpoint) -> list[PortRange]:
        """The port ranges listed for ``target`` (its ports, and those the rules mention)."""
        ...

    def class_sources(
        self, target: PodClass, port: int, protocol: Protocol
    ) -> tuple[ClassSet, ClassSet]:
        """(classes that reach every pod of ``target`` on the port, classes that reach some)."""
        ...

    def ingress_addresses(self, target: PodClass, port: int, protocol: Protocol) -> AddressSet:
        """External addresses ``target`` admits on the port."""
        ...

    def egress_addresses(self, source: PodClass, port: int, protocol: Protocol) -> AddressSet:
        """External addresses ``source`` may reach on the port."""
        ...

    def external_verdict(self, name: str, sets: Sequence[AddressSet]) -> Verdict:
        """The verdict for external endpoint ``name`` (any ``external:...`` name) given each
        class's admitted addresses."""
        ...

    def egress_cuts(self, source: PodClass, protocol: Protocol) -> set[int]:
        """The ports where what ``source``'s egress admits of external addresses may change
        (the bounds of its egress rules' ports)."""
        ...


def port_rows(
    target: Endpoint, mentioned: Mapping[Protocol, tuple[IntervalSet, set[int]]]
) -> list[PortRange]:
    """The rows listed for ``target``: its declared container ports, then, per protocol, the
    other ports its rules mention (``mentioned[protocol][0]``) split at every port where some
    rule's answer may change (``mentioned[protocol][1]``), so that each row is uniform."""
    out = [PortRange(p, p, proto) for p, proto in target.ports]
    for protocol in PROTOCOLS:
        ports, cuts = mentioned.get(protocol, (NO_PORTS, set()))
        declared = IntervalSet.of((p, p) for p, proto in target.ports if proto is protocol)
        for lo, hi in (ports - declared).split(cuts | declared.cuts()):
            out.append(PortRange(lo, hi, protocol))
    return out


def mask_verdict(sources: ClassSet, every: ClassSet, some: ClassSet) -> Verdict:
    if sources and sources <= every:
        return Verdict.ALLOWED
    if not sources.isdisjoint(some):
        return Verdict.PARTIAL
    return Verdict.DENIED


def pair_verdict(source: Endpoint, target: Endpoint, every: ClassSet, some: ClassSet) -> Verdict:
    """The verdict of ``source -> target`` given the classes that reach every pod of the target
    (``every``) and some (``some``). A single Pod always reaches itself."""
    if source is target and source.single_pod:
        return Verdict.ALLOWED
    return mask_verdict(source.classes, every, some)


def target_sources(
    decider: Decider, target: Endpoint, port: int, protocol: Protocol
) -> tuple[ClassSet, ClassSet]:
    """(classes that reach every pod of ``target`` on the port, classes that reach some)."""
    classes_of = decider.cluster.classes
    every, some = decider.cluster.all_classes, NO_CLASSES
    for i in target.classes:
        found, reached = decider.class_sources(classes_of[i], port, protocol)
        every &= found
        some |= reached
    return every, some


def cells(decider: Decider) -> Iterator[Cell]:
    """The table: for each workload target (sorted by id) and each of its rows (sorted by
    port), the classes that reach every pod of it and those that reach some."""
    for position, target in enumerate(decider.cluster.endpoints):
        for atom in sorted(decider.rows(target), key=_atom_key):
            every, some = target_sources(decider, target, atom.low, atom.protocol)
            yield Cell(position, atom, every, some)


def endpoint_of(decider: Decider, endpoint_id: str) -> Endpoint:
    """The workload ``endpoint_id``; a :class:`UsageError` when the input has none."""
    found = decider.cluster.endpoint(endpoint_id)
    if found is None:
        raise UsageError(f"no workload {endpoint_id!r} in the input")
    return found


def verdict_of(
    decider: Decider, source: str, target: str, port: int, protocol: Protocol
) -> Verdict:
    """May ``source`` open ``port``/``protocol`` on ``target`` (workload ids or
    ``external:...``)? The table's answer for one port, by the same questions to the decider
    and the same rules as :func:`iter_rows`."""
    if not PORT_MIN <= port <= PORT_MAX:
        raise UsageError(f"port {port} is not in 1-65535")
    if is_external(source) and is_external(target):
        raise UsageError("one side must be a workload: policies do not govern external traffic")
    classes_of = decider.cluster.classes
    if is_external(source):
        dst = endpoint_of(decider, target)
        sets = [decider.ingress_addresses(classes_of[c], port, protocol) for c in dst.classes]
        return decider.external_verdict(source, sets)
    if is_external(target):
        src = endpoint_of(decider, source)
        sets = [decider.egress_addresses(classes_of[c], port, protocol) for c in src.classes]
        return decider.external_verdict(target, sets)
    src, dst = endpoint_of(decider, source), endpoint_of(decider, target)
    if src is dst and src.single_pod:
        return Verdict.ALLOWED
    every, some = target_sources(decider, dst, port, protocol)
    return pair_verdict(src, dst, every, some)


def universal(decider: Decider, cell: Cell) -> bool:
    """Does every workload (the target itself included) reach the cell's target?"""
    everything = decider.cluster.all_classes
    return bool(everything) and everything <= cell.every


def iter_rows(
    decider: Decider, include_denied: bool = False, summary: bool = False
) -> Iterator[Row]:
    """Every (source, target, port, protocol) row, sorted: to each workload on the ports
    :meth:`Decider.rows` lists, from every workload and external endpoint; from each workload
    to each external endpoint (ranges of uniform verdict). Without ``include_denied``, only
    ALLOWED and PARTIAL rows. One source at a time (memory: the table and one source's rows,
    not the listing). A single Pod always reaches itself. ``summary``: a cell every workload
    reaches is one row from ``*`` (listed first) instead of one per workload."""
    endpoints = decider.cluster.endpoints
    class_endpoints = decider.cluster.class_endpoints()
    classes_of = decider.cluster.classes
    table = list(cells(decider))
    by_source: list[list[int]] = [[] for _ in endpoints]
    grouped: list[int] = []
    for index, cell in enumerate(table):
        if summary and universal(decider, cell):
            grouped.append(index)
            continue
        if include_denied:
            continue
        seen: set[int] = set()
        for bit in cell.some:
            seen.update(class_endpoints[bit])
        if endpoints[cell.target].single_pod:
            seen.add(cell.target)
        for e in seen:
            by_source[e].append(index)
    for index in grouped:
        cell = table[index]
        yield (
            EVERY_WORKLOAD,
            endpoints[cell.target].id,
            cell.atom.low,
            cell.atom.protocol,
            Verdict.ALLOWED,
            _end(cell.atom),
        )
    grouped_set = set(grouped)
    sources: list[tuple[str, int]] = [(e.id, i) for i, e in enumerate(endpoints)]
    sources += [(name, -1) for name in decider.externals]
    sources.sort()
    for name, position in sources:
        out: list[Row] = []
        if position < 0:  # an external endpoint: into every cell
            for index, cell in enumerate(table):
                if index in grouped_set:
                    continue
                target = endpoints[cell.target]
                sets = [
                    decider.ingress_addresses(classes_of[c], cell.atom.low, cell.atom.protocol)
                    for c in target.classes
                ]
                verdict = decider.external_verdict(name, sets)
                if include_denied or verdict is not Verdict.DENIED:
                    out.append(_row(name, target.id, cell, verdict))
        else:
            source = endpoints[position]
            indices = (
                [i for i in range(len(table)) if i not in grouped_set]
                if include_denied
                else by_source[position]
            )
            # a source of one class (most): mask_verdict is a membership test
            single = next(iter(source.classes)) if len(source.classes) == 1 else None
            for index in indices:
                cell = table[index]
                target = endpoints[cell.target]
                if single is None or target is source:
                    verdict = pair_verdict(source, target, cell.every, cell.some)
                elif single in cell.every:
                    verdict = Verdict.ALLOWED
                else:
                    verdict = Verdict.PARTIAL if single in cell.some else Verdict.DENIED
                if include_denied or verdict is not Verdict.DENIED:
                    out.append(_row(source.id, target.id, cell, verdict))
            if decider.externals:
                out.extend(external_rows(decider, source, include_denied))
        out.sort(key=_tuple_key)
        yield from out


def external_rows(decider: Decider, source: Endpoint, include_denied: bool) -> Iterator[Row]:
    """Rows from ``source`` to every external endpoint of the decider, per protocol, as
    maximal port ranges of one verdict."""
    classes = [decider.cluster.classes[i] for i in source.classes]
    for protocol in PROTOCOLS:
        cuts: set[int] = set()
        for c in classes:
            cuts |= decider.egress_cuts(c, protocol)
        atoms = ALL_PORTS.split(cuts)
        verdicts = []
        for low, _ in atoms:
            sets = [decider.egress_addresses(c, low, protocol) for c in classes]
            verdicts.append([decider.external_verdict(n, sets) for n in decider.externals])
        for e, name in enumerate(decider.externals):
            start = 0
            for i in range(1, len(atoms) + 1):
                if i == len(atoms) or verdicts[i][e] is not verdicts[start][e]:
                    verdict = verdicts[start][e]
                    if include_denied or verdict is not Verdict.DENIED:
                        low, high = atoms[start][0], atoms[i - 1][1]
                        yield (
                            source.id,
                            name,
                            low,
                            protocol,
                            verdict,
                            high if high != low else None,
                        )
                    start = i


def row_count(decider: Decider) -> int:
    """How many rows ``iter_rows(decider, include_denied=True)`` lists, without listing
    the workload rows."""
    endpoints = decider.cluster.endpoints
    per_source = len(endpoints) + len(decider.externals)
    total = sum(len(decider.rows(t)) * per_source for t in endpoints)
    if decider.externals:
        for source in endpoints:
            total += sum(1 for _ in external_rows(decider, source, True))
    return total


def _tuple_key(row: Row) -> tuple[str, int, str, int]:
    # str() of a StrEnum is its value without enum's slow ``.value`` descriptor (per row).
    return (row[1], row[2], str(row[3]), row[5] or 0)


def _atom_key(atom: PortRange) -> tuple[int, str, int]:
    return (atom.low, atom.protocol.value, atom.high)


def _end(atom: PortRange) -> int | None:
    return atom.high if atom.high != atom.low else None


def _row(source: str, target: str, cell: Cell, verdict: Verdict) -> Row:
    return (source, target, cell.atom.low, cell.atom.protocol, verdict, _end(cell.atom))
