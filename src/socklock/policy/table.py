"""The connectivity table and its listing, written once for every decider.

A *decider* answers for one policy flavour (Kubernetes NetworkPolicy in
:mod:`socklock.policy.engine`, Calico in :mod:`socklock.policy.calico_model`): which classes
reach a pod class on a port, which external addresses it admits, and the rows (port ranges)
worth listing for a target. Everything built on those answers is here, so the flavours list,
count and summarise alike: the table in its own terms (a :class:`Cell` per target and port
range, holding sets of pod classes), and the rows a report lists, one source at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol as TypingProtocol

from socklock.model import Protocol
from socklock.policy.addresses import AddressSet
from socklock.policy.classset import EMPTY as NO_CLASSES
from socklock.policy.classset import ClassSet
from socklock.policy.pods import Cluster, Endpoint, PodClass
from socklock.policy.result import Verdict

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

    def external_verdict(self, name: str, sets: Sequence[AddressSet]) -> Verdict:
        """The verdict for external endpoint ``name`` given each class's admitted addresses."""
        ...

    def external_rows(self, source: Endpoint, include_denied: bool) -> Iterator[Row]:
        """Rows from ``source`` to every external endpoint (ranges of uniform verdict)."""
        ...


def mask_verdict(sources: ClassSet, every: ClassSet, some: ClassSet) -> Verdict:
    if sources and sources <= every:
        return Verdict.ALLOWED
    if not sources.isdisjoint(some):
        return Verdict.PARTIAL
    return Verdict.DENIED


def cells(decider: Decider) -> Iterator[Cell]:
    """The table: for each workload target (sorted by id) and each of its rows (sorted by
    port), the classes that reach every pod of it and those that reach some."""
    classes_of = decider.cluster.classes
    for position, target in enumerate(decider.cluster.endpoints):
        classes = [classes_of[i] for i in target.classes]
        for atom in sorted(decider.rows(target), key=_atom_key):
            every, some = decider.cluster.all_classes, NO_CLASSES
            for c in classes:
                found, reached = decider.class_sources(c, atom.low, atom.protocol)
                every &= found
                some |= reached
            yield Cell(position, atom, every, some)


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
            single = next(iter(source.classes)) if len(source.classes) == 1 else None
            for index in indices:
                cell = table[index]
                if cell.target == position and source.single_pod:
                    verdict = Verdict.ALLOWED
                elif single is not None:
                    verdict = (
                        Verdict.ALLOWED
                        if single in cell.every
                        else Verdict.PARTIAL
                        if single in cell.some
                        else Verdict.DENIED
                    )
                else:
                    verdict = mask_verdict(source.classes, cell.every, cell.some)
                if include_denied or verdict is not Verdict.DENIED:
                    out.append(_row(source.id, endpoints[cell.target].id, cell, verdict))
            if decider.externals:
                out.extend(decider.external_rows(source, include_denied))
        out.sort(key=_tuple_key)
        yield from out


def _tuple_key(row: Row) -> tuple[str, int, str, int]:
    return (row[1], row[2], row[3].value, row[5] or 0)


def _atom_key(atom: PortRange) -> tuple[int, str, int]:
    return (atom.low, atom.protocol.value, atom.high)


def _end(atom: PortRange) -> int | None:
    return atom.high if atom.high != atom.low else None


def _row(source: str, target: str, cell: Cell, verdict: Verdict) -> Row:
    return (source, target, cell.atom.low, cell.atom.protocol, verdict, _end(cell.atom))
